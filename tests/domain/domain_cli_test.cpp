// `astro search` and `astro evaluate` pick the same domain for the same problems (they once used
// two rules: the search job looked at the first problem's source and id, the other paths at every
// problem): countdown puzzles in a file and ids that never say "countdown" are countdown's, a set
// that mixes puzzles and MATH problems is math's whichever comes first. `--verifier` takes the
// registry's names and lists them when given another.
#include <QtTest>
#include <fstream>

#include "tests/support/test_support.h"

using astro::test::qpath;
using astro::test::runProgram;

namespace {

const QString kPuzzle = R"({"id":"p-%1","problem":"Using the numbers 3, 5, 7, 8, reach 24. )"
                        R"(Give the final expression in \\boxed{}.","answer":"24"})";
const QString kMathProblem = R"({"id":"m-%1","problem":"What is $1+1$?","answer":"2"})";

void writeLines(const std::filesystem::path& file, const QStringList& lines) {
  std::ofstream(file) << lines.join('\n').toStdString() << "\n";
}

QJsonObject lastJsonLine(const QString& out) {
  return QJsonDocument::fromJson(out.trimmed().split('\n').last().toUtf8()).object();
}

}  // namespace

class DomainCliTest : public QObject {
  Q_OBJECT
 private:
  std::filesystem::path dir_;

  // The domain `astro search` reports for `dataset`, and the verifier `astro evaluate` grades with.
  std::pair<QString, QString> chosen(const std::filesystem::path& dataset) {
    const QString model = qpath(dir_ / "model");
    auto search = runProgram(ASTRO_CLI_PATH, {"search",
                                              "--dataset",
                                              qpath(dataset),
                                              "--model",
                                              model,
                                              "--out",
                                              qpath(dataset.string() + ".trees.jsonl"),
                                              "--iterations",
                                              "1",
                                              "--max-depth",
                                              "2",
                                              "--children",
                                              "1",
                                              "--max-step-tokens",
                                              "4",
                                              "--pass-samples",
                                              "0",
                                              "--threads",
                                              "1",
                                              "--quiet"});
    if (search.exitCode != 0) qWarning("%s", qPrintable(search.err));
    const auto at = search.out.indexOf("(domain ");
    const QString searchDomain = at < 0 ? QString() : search.out.mid(at + 8).section(')', 0, 0);
    auto evaluate =
        runProgram(ASTRO_CLI_PATH, {"evaluate", "--model", model, "--dataset", qpath(dataset),
                                    "--samples", "1", "--max-new-tokens", "4", "--no-greedy"});
    if (evaluate.exitCode != 0) qWarning("%s", qPrintable(evaluate.err));
    return {searchDomain, lastJsonLine(evaluate.out)["verifier"].toString()};
  }

 private Q_SLOTS:
  void initTestCase() {
    dir_ = astro::test::freshTempDir("domain-cli");
    const QString resources = ASTRO_SOURCE_DIR "/resources/world";
    auto init =
        runProgram(ASTRO_CLI_PATH, {"model", "init", "--config", resources + "/models/tiny.json",
                                    "--seed", "1", "--out", qpath(dir_ / "model")});
    QVERIFY2(init.exitCode == 0, qPrintable(init.err));
    for (const char* file : {"tokenizer.json", "tokenizer_config.json"}) {
      std::filesystem::copy_file(std::filesystem::path(ASTRO_SOURCE_DIR) / "resources/world" / file,
                                 dir_ / "model" / file);
    }
  }

  void puzzlesUnderAnyName_areCountdownForSearchAndEvaluate() {
    writeLines(dir_ / "puzzles.jsonl", {kPuzzle.arg(0), kPuzzle.arg(1)});
    QCOMPARE(chosen(dir_ / "puzzles.jsonl"),
             std::make_pair(QString("countdown"), QString("countdown")));
  }

  void puzzleFirstThenMath_isMathForSearchAndEvaluate() {
    writeLines(dir_ / "mixed.jsonl", {kPuzzle.arg(0), kMathProblem.arg(1)});
    QCOMPARE(chosen(dir_ / "mixed.jsonl"), std::make_pair(QString("math"), QString("math")));
  }

  void unknownVerifier_exits2ListingTheRegisteredNames() {
    auto result =
        runProgram(ASTRO_CLI_PATH, {"search", "--dataset", qpath(dir_ / "x.jsonl"), "--out",
                                    qpath(dir_ / "t.jsonl"), "--verifier", "sudoku"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("auto") && result.err.contains("math") &&
                 result.err.contains("countdown"),
             qPrintable(result.err));
    auto help = runProgram(ASTRO_CLI_PATH, {"evaluate", "--help"});
    QVERIFY2(help.out.contains("countdown (the built-in miniature world"), qPrintable(help.out));
  }
};

QTEST_GUILESS_MAIN(DomainCliTest)
#include "domain_cli_test.moc"
