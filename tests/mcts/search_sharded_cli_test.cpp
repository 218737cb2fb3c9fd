// `astro search --nproc 2` on the miniature world with a random-init checkpoint: two ranks split
// the problems and rank 0 stores the trees one process stores, in the same order (JSONL file or a
// workspace run), a sharded search resumes what an earlier one stored, and pass@1 is the same.
// The math verifier keeps the countdown step validator off, so random steps grow real trees.
#include <QtTest>
#include <cmath>
#include <fstream>

#include "core/search/tree_json.h"
#include "tests/search/tree_equivalence.h"
#include "tests/support/test_support.h"

namespace fs = std::filesystem;
using astro::search::SearchTree;
using astro::test::runProgram;

namespace {

QString path(const fs::path& p) { return QString::fromStdString(p.string()); }

std::string readFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void compareTreeFiles(const fs::path& one, const fs::path& two, std::size_t count) {
  const auto expected = astro::search::loadTreesJsonl(one);
  const auto actual = astro::search::loadTreesJsonl(two);
  QCOMPARE(expected.size(), count);
  QCOMPARE(actual.size(), count);
  int nodes = 0;
  for (const SearchTree& tree : expected) nodes += tree.size();
  QVERIFY2(nodes > 3 * int(count), "the trees grew (random steps, no step validator)");
  for (std::size_t i = 0; i < count; ++i) {
    QString why;
    QVERIFY2(astro::test::sameTreeUpToPriors(expected[i], actual[i], why),
             qPrintable(QString("tree %1: %2").arg(i).arg(why)));
  }
}

// The line of `astro search`'s summary that starts with `label`.
QString summaryLine(const QString& out, const QString& label) {
  for (const QString& line : out.split('\n')) {
    if (line.startsWith(label)) return line;
  }
  return {};
}

}  // namespace

class SearchShardedCliTest : public QObject {
  Q_OBJECT
 private:
  fs::path dir_;

  QStringList searchArguments(const QStringList& extra) const {
    return QStringList{"search",
                       "--dataset",
                       path(dir_ / "data" / "test.jsonl"),
                       "--model",
                       path(dir_ / "model"),
                       "--tokenizer",
                       ASTRO_SOURCE_DIR "/resources/world",
                       "--iterations",
                       "3",
                       "--max-depth",
                       "3",
                       "--children",
                       "2",
                       "--max-step-tokens",
                       "8",
                       "--trees-per-batch",
                       "2",
                       "--pass-samples",
                       "2",
                       "--seed",
                       "5",
                       "--threads",
                       "1",
                       "--verifier",
                       "math",
                       "--quiet"} +
           extra;
  }

 private Q_SLOTS:
  void initTestCase() {
    dir_ = astro::test::freshTempDir("search-sharded");
    qputenv("ASTRO_DIST_TIMEOUT", "60");
    const QString resources = ASTRO_SOURCE_DIR "/resources/world";
    auto init =
        runProgram(ASTRO_CLI_PATH, {"model", "init", "--config", resources + "/models/tiny.json",
                                    "--seed", "1", "--out", path(dir_ / "model")});
    QVERIFY2(init.exitCode == 0, qPrintable(init.err));
    auto world = runProgram(ASTRO_CLI_PATH, {"world", "generate", "--seed", "3", "--out",
                                             path(dir_ / "data"), "--train", "0", "--test", "5"});
    QVERIFY2(world.exitCode == 0, qPrintable(world.err));
  }

  // 5 problems, 2 trees per batch: a chunk of 4 (2 per rank), then one where rank 1 has none.
  void search_twoRanksStoreTheTreesOfOneProcess() {
    auto one = runProgram(ASTRO_CLI_PATH, searchArguments({"--out", path(dir_ / "one.jsonl")}));
    QVERIFY2(one.exitCode == 0, qPrintable(one.err));
    auto two = runProgram(ASTRO_CLI_PATH,
                          searchArguments({"--out", path(dir_ / "two.jsonl"), "--nproc", "2"}));
    QVERIFY2(two.exitCode == 0, qPrintable(two.err));
    compareTreeFiles(dir_ / "one.jsonl", dir_ / "two.jsonl", 5);
    QVERIFY(two.out.contains("searched now        5"));
    QCOMPARE(summaryLine(two.out, "searched now"), summaryLine(one.out, "searched now"));
    QCOMPARE(summaryLine(two.out, "policy pass@1"), summaryLine(one.out, "policy pass@1"));
    QVERIFY(summaryLine(two.out, "policy pass@1").contains("/10 single samples"));
    QVERIFY(fs::exists(dir_ / "two.jsonl.rank-logs" / "rank-1.log"));
    if (readFile(dir_ / "one.jsonl") != readFile(dir_ / "two.jsonl")) {
      qInfo("the files differ in the last bits of some priors only");
    }
  }

  void search_twoRanksResumeWhatIsStored() {
    const QStringList out{"--out", path(dir_ / "resumed.jsonl"), "--nproc", "2"};
    auto first = runProgram(ASTRO_CLI_PATH, searchArguments(out + QStringList{"--limit", "3"}));
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    QVERIFY(first.out.contains("searched now        3"));
    auto second = runProgram(ASTRO_CLI_PATH, searchArguments(out));
    QVERIFY2(second.exitCode == 0, qPrintable(second.err));
    QVERIFY2(second.out.contains("already stored      3"), qPrintable(second.out));
    QVERIFY(second.out.contains("searched now        2"));
    compareTreeFiles(dir_ / "one.jsonl", dir_ / "resumed.jsonl", 5);
  }

  void search_twoRanksIntoANewRun() {
    const QString workspace = path(dir_ / "ws");
    auto search =
        runProgram(ASTRO_CLI_PATH, QStringList{"--workspace", workspace} +
                                       searchArguments({"--new-run", "sharded", "--nproc", "2"}));
    QVERIFY2(search.exitCode == 0, qPrintable(search.err));
    QVERIFY2(search.err.contains("search: trees go to run 1 (sharded)"), qPrintable(search.err));
    QVERIFY(search.out.contains("trees in run 1 (search)  5"));
    auto exported =
        runProgram(ASTRO_CLI_PATH, {"--workspace", workspace, "trees", "export", "--run", "1",
                                    "--all", "--out", path(dir_ / "exported.jsonl")});
    QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
    compareTreeFiles(dir_ / "one.jsonl", dir_ / "exported.jsonl", 5);
    auto runs = runProgram(ASTRO_CLI_PATH, {"--workspace", workspace, "runs", "list"});
    QVERIFY2(runs.out.count("sharded") == 1, qPrintable(runs.out));  // rank 1 made no run
    QVERIFY(runs.out.contains("finished"));
  }
};

QTEST_GUILESS_MAIN(SearchShardedCliTest)
#include "search_sharded_cli_test.moc"
