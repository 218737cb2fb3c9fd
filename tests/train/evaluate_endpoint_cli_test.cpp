// `astro evaluate --endpoint` against `astro serve` on the same tiny model writes the graded
// samples and the report that `astro evaluate --model` writes, byte for byte: every completion is
// one request carrying its row's seed, and the server seeds that row's generator with it (equal
// up to a draw that falls within float rounding of a boundary between batch compositions, which
// these seeds do not hit; docs/mcts.md, Batching and determinism). A wrong model name, a server
// that is gone and a missing --served-model are errors that say what to fix.
#include <QtTest>
#include <algorithm>
#include <fstream>

#include "tests/support/serve_process.h"
#include "tests/support/test_support.h"
#include "tests/train/tiny_training_fixture.h"

namespace fs = std::filesystem;
using astro::test::qpath;
using astro::test::readWholeFile;
using astro::test::runProgram;

namespace {

QString lastLine(const QString& out) { return out.trimmed().split('\n').last(); }

}  // namespace

class EvaluateEndpointCliTest : public QObject {
  Q_OBJECT
 private:
  fs::path dir_;
  astro::test::ServeProcess server_;

  QStringList evaluateArguments(const fs::path& samples) const {
    return {"evaluate", "--dataset", qpath(dir_ / "world" / "test.jsonl"), "--samples", "3",
            "--max-new-tokens", "12", "--seed", "11", "--temperature", "1.0",
            "--samples-out", qpath(samples)};
  }

 private Q_SLOTS:
  void initTestCase() {
    dir_ = astro::test::freshTempDir("evaluate-endpoint");
    astro::test::writeTinyModel(dir_ / "model");
    auto world = runProgram(ASTRO_CLI_PATH, {"world", "generate", "--seed", "3", "--train", "0",
                                             "--test", "6", "--out", qpath(dir_ / "world")});
    QVERIFY2(world.exitCode == 0, qPrintable(world.err));
    QString why;
    QVERIFY2(server_.start(ASTRO_CLI_PATH,
                           {"--model", qpath(dir_ / "model"), "--served-model-name", "tiny",
                            "--threads", "1"},
                           0, why),
             qPrintable(why));
  }

  void evaluate_throughTheServer_writesTheSamplesOfAnInProcessRun() {
    auto local = runProgram(ASTRO_CLI_PATH, evaluateArguments(dir_ / "local.jsonl") +
                                                QStringList{"--model", qpath(dir_ / "model")});
    QVERIFY2(local.exitCode == 0, qPrintable(local.err));
    auto served = runProgram(
        ASTRO_CLI_PATH,
        evaluateArguments(dir_ / "served.jsonl") +
            QStringList{"--endpoint", server_.url(), "--served-model", "tiny", "--tokenizer",
                        qpath(dir_ / "model")});
    QVERIFY2(served.exitCode == 0, qPrintable(served.err + "\nserver:\n" + server_.output()));
    const std::string expected = readWholeFile(dir_ / "local.jsonl");
    QCOMPARE(std::count(expected.begin(), expected.end(), '\n'), 24L);  // 6 x (3 + greedy)
    QCOMPARE(readWholeFile(dir_ / "served.jsonl"), expected);
    QCOMPARE(lastLine(served.out), lastLine(local.out));
  }

  void evaluate_withAWrongModelName_namesTheServerAndItsError() {
    auto served = runProgram(
        ASTRO_CLI_PATH,
        evaluateArguments(dir_ / "wrong.jsonl") +
            QStringList{"--endpoint", server_.url(), "--served-model", "not-served",
                        "--tokenizer", qpath(dir_ / "model")});
    QVERIFY(served.exitCode != 0);
    QVERIFY2(served.err.contains(server_.url()) && served.err.contains("not-served"),
             qPrintable(served.err));
  }

  void evaluate_againstNoServer_failsNamingTheEndpoint() {
    const QString gone = "http://127.0.0.1:9/v1";  // the discard port: nothing listens there
    auto served = runProgram(ASTRO_CLI_PATH,
                             evaluateArguments(dir_ / "gone.jsonl") +
                                 QStringList{"--endpoint", gone, "--served-model", "tiny",
                                             "--tokenizer", qpath(dir_ / "model")},
                             180000);
    QVERIFY(served.exitCode != 0);
    QVERIFY2(served.err.contains(gone), qPrintable(served.err));
  }

  void evaluate_endpointWithoutServedModel_isAUsageError() {
    auto result = runProgram(ASTRO_CLI_PATH, evaluateArguments(dir_ / "x.jsonl") +
                                                 QStringList{"--endpoint", server_.url(),
                                                             "--tokenizer", qpath(dir_ / "model")});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("--served-model"), qPrintable(result.err));
  }
};

QTEST_GUILESS_MAIN(EvaluateEndpointCliTest)
#include "evaluate_endpoint_cli_test.moc"
