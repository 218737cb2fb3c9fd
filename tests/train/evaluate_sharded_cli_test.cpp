// `astro evaluate --nproc 2` on a tiny model: two ranks split the problems, rank 0 writes every
// graded sample (in problem order) and the report one process writes, byte for byte; each row
// samples from its own seed, so no completion depends on which rank or batch generated it.
#include <QtTest>
#include <algorithm>
#include <fstream>

#include "tests/support/test_support.h"
#include "tests/train/tiny_training_fixture.h"

namespace fs = std::filesystem;
using astro::test::runProgram;

namespace {

QString path(const fs::path& p) { return QString::fromStdString(p.string()); }

std::string readFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

QString lastLine(const QString& out) { return out.trimmed().split('\n').last(); }

}  // namespace

class EvaluateShardedCliTest : public QObject {
  Q_OBJECT
 private:
  fs::path dir_;

 private Q_SLOTS:
  void initTestCase() {
    dir_ = astro::test::freshTempDir("evaluate-sharded");
    qputenv("ASTRO_DIST_TIMEOUT", "60");
    astro::test::writeTinyModel(dir_ / "model");
    auto world = runProgram(ASTRO_CLI_PATH, {"world", "generate", "--seed", "3", "--train", "0",
                                             "--test", "5", "--out", path(dir_ / "world")});
    QVERIFY2(world.exitCode == 0, qPrintable(world.err));
  }

  // 5 problems over 2 ranks: rank 0 generates problems 0, 2, 4 and rank 1 problems 1, 3.
  void evaluate_twoRanksWriteTheSamplesOfOneProcess() {
    auto run = [&](const fs::path& samples, const QStringList& extra) {
      return runProgram(
          ASTRO_CLI_PATH,
          QStringList{"evaluate", "--model", path(dir_ / "model"), "--dataset",
                      path(dir_ / "world" / "test.jsonl"), "--samples", "3", "--max-new-tokens",
                      "12", "--seed", "11", "--samples-out", path(samples)} +
              extra);
    };
    auto one = run(dir_ / "one.jsonl", {});
    QVERIFY2(one.exitCode == 0, qPrintable(one.err));
    auto two = run(dir_ / "two.jsonl", {"--nproc", "2"});
    QVERIFY2(two.exitCode == 0, qPrintable(two.err));
    const std::string expected = readFile(dir_ / "one.jsonl");
    QCOMPARE(std::count(expected.begin(), expected.end(), '\n'), 20L);  // 5 x (3 + greedy)
    QCOMPARE(readFile(dir_ / "two.jsonl"), expected);
    QCOMPARE(lastLine(two.out), lastLine(one.out));
    QVERIFY(lastLine(two.out).contains("\"problems\":5"));
    QVERIFY(fs::exists(dir_ / "two.jsonl.rank-logs" / "rank-1.log"));
  }

  void evaluate_sweepWithRanksIsUsageError() {
    auto result = runProgram(ASTRO_CLI_PATH, {"evaluate", "--sweep", path(dir_), "--dataset",
                                              path(dir_ / "world" / "test.jsonl"), "--nproc", "2"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("--nproc goes with --model"), qPrintable(result.err));
  }
};

QTEST_GUILESS_MAIN(EvaluateShardedCliTest)
#include "evaluate_sharded_cli_test.moc"
