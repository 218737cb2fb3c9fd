// `astro search` with its policy behind `astro serve` (issue #20): the trees equal those of the
// same search run in-process, and a search whose server is killed mid-way stops with an error
// naming the endpoint, keeps the trees it finished, and resumes when the server is back without
// losing or duplicating a tree.
// The rule for "equal": every request carries its row's seed and `astro serve` seeds that row's
// generator with it, so both sides draw from the same generators over the same logits up to
// float rounding between batch compositions (docs/mcts.md, Batching and determinism): priors are
// compared to 1e-5, texts, visits, values and answers exactly (tests/search/tree_equivalence.h).
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>
#include <algorithm>
#include <fstream>

#include "core/search/tree_json.h"
#include "tests/search/tree_equivalence.h"
#include "tests/support/serve_process.h"
#include "tests/support/test_support.h"

namespace fs = std::filesystem;
using astro::search::SearchTree;
using astro::test::qpath;
using astro::test::runProgram;

namespace {

const QString kWorld = ASTRO_SOURCE_DIR "/resources/world";

// Trees of two files, matched by problem (a resumed run stores them in the order they finished).
void compareTreeFiles(const fs::path& one, const fs::path& two, std::size_t count) {
  auto expected = astro::search::loadTreesJsonl(one);
  auto actual = astro::search::loadTreesJsonl(two);
  QCOMPARE(expected.size(), count);
  auto byProblem = [](const SearchTree& a, const SearchTree& b) { return a.problem() < b.problem(); };
  std::stable_sort(expected.begin(), expected.end(), byProblem);
  std::stable_sort(actual.begin(), actual.end(), byProblem);
  QString why;
  QVERIFY2(astro::test::sameTreesUpToPriors(expected, actual, why), qPrintable(why));
}

QString summaryLine(const QString& out, const QString& label) {
  for (const QString& line : out.split('\n')) {
    if (line.startsWith(label)) return line;
  }
  return {};
}

}  // namespace

class SearchEndpointCliTest : public QObject {
  Q_OBJECT
 private:
  fs::path dir_;
  astro::test::ServeProcess server_;

  // Trees depend on their problem and the seed only, not on how many grow together.
  QStringList mctsArguments(const QString& dataset, int treesPerBatch = 2) const {
    return {"--dataset",   dataset, "--iterations",      "3", "--max-depth", "3",
            "--children",  "2",     "--max-step-tokens", "8", "--seed",      "5",
            "--threads",   "1",     "--verifier",        "math",
            "--trees-per-batch", QString::number(treesPerBatch)};
  }
  QStringList inProcess(const QString& dataset) const {
    return QStringList{"search", "--model", qpath(dir_ / "model"), "--tokenizer", kWorld} +
           mctsArguments(dataset);
  }
  QStringList throughServer(const QString& dataset) const {
    return QStringList{"search", "--endpoint", server_.url(), "--served-model", "tiny",
                       "--tokenizer", kWorld} +
           mctsArguments(dataset);
  }
  bool startServer(int port, QString& why) {
    return server_.start(ASTRO_CLI_PATH,
                         {"--model", qpath(dir_ / "model"), "--tokenizer", kWorld,
                          "--served-model-name", "tiny", "--threads", "1"},
                         port, why);
  }

 private Q_SLOTS:
  void initTestCase() {
    dir_ = astro::test::freshTempDir("search-endpoint");
    auto init = runProgram(ASTRO_CLI_PATH, {"model", "init", "--config", kWorld + "/models/tiny.json",
                                            "--seed", "1", "--out", qpath(dir_ / "model")});
    QVERIFY2(init.exitCode == 0, qPrintable(init.err));
    auto world = runProgram(ASTRO_CLI_PATH, {"world", "generate", "--seed", "3", "--out",
                                             qpath(dir_ / "data"), "--train", "0", "--test", "12"});
    QVERIFY2(world.exitCode == 0, qPrintable(world.err));
    QString why;
    QVERIFY2(startServer(0, why), qPrintable(why));
  }

  void search_throughTheServer_growsTheTreesOfAnInProcessSearch() {
    const QString dataset = qpath(dir_ / "data" / "test.jsonl");
    auto local = runProgram(ASTRO_CLI_PATH, inProcess(dataset) + QStringList{
                                                "--limit", "5", "--pass-samples", "2", "--quiet",
                                                "--out", qpath(dir_ / "local.jsonl")});
    QVERIFY2(local.exitCode == 0, qPrintable(local.err));
    auto served = runProgram(ASTRO_CLI_PATH, throughServer(dataset) + QStringList{
                                                 "--limit", "5", "--pass-samples", "2", "--quiet",
                                                 "--out", qpath(dir_ / "served.jsonl")});
    QVERIFY2(served.exitCode == 0, qPrintable(served.err + "\nserver:\n" + server_.output()));
    compareTreeFiles(dir_ / "local.jsonl", dir_ / "served.jsonl", 5);
    QCOMPARE(summaryLine(served.out, "policy pass@1"), summaryLine(local.out, "policy pass@1"));
    QVERIFY(summaryLine(served.out, "policy pass@1").contains("/10 single samples"));
  }

  void search_whoseServerDies_resumesWhenItIsBack() {
    const QString dataset = qpath(dir_ / "data" / "test.jsonl");
    const QString workspace = qpath(dir_ / "ws");
    auto reference = runProgram(ASTRO_CLI_PATH, inProcess(dataset) + QStringList{
                                                    "--pass-samples", "0", "--quiet", "--out",
                                                    qpath(dir_ / "reference.jsonl")});
    QVERIFY2(reference.exitCode == 0, qPrintable(reference.err));
    // Few attempts and short waits, so the dead server is reported within seconds.
    const fs::path config = dir_ / "served.toml";
    std::ofstream(config) << "[search]\nmodel = { endpoint = \"" << server_.url().toStdString()
                          << "\", name = \"tiny\", tokenizer = \"" << kWorld.toStdString()
                          << "\", max_attempts = 2, first_backoff = 0.1, timeout = 20 }\n";
    const QStringList searchArguments =
        QStringList{"--workspace", workspace, "search", "--config", qpath(config),
                    "--pass-samples", "0"} +
        mctsArguments(dataset, 1);

    QProcess search;
    search.start(ASTRO_CLI_PATH, searchArguments + QStringList{"--new-run", "served"});
    QVERIFY(search.waitForStarted());
    // Kill the server once the first trees are stored (progress comes after every round).
    static const QRegularExpression progress("search: (\\d+)/12 trees");
    QString err;
    int finished = 0;
    QDeadlineTimer deadline(120000);
    while (finished < 2 && !deadline.hasExpired() && search.state() != QProcess::NotRunning) {
      search.waitForReadyRead(100);
      err += QString::fromUtf8(search.readAllStandardError());
      auto matches = progress.globalMatch(err);
      while (matches.hasNext()) finished = std::max(finished, matches.next().captured(1).toInt());
    }
    QVERIFY2(finished >= 2 && finished < 12, qPrintable(err));
    const int port = server_.port();
    server_.kill();
    QVERIFY(search.waitForFinished(120000));
    err += QString::fromUtf8(search.readAllStandardError());
    QVERIFY2(search.exitCode() != 0, qPrintable(err));
    QVERIFY2(err.contains("endpoint " + server_.url()) || err.contains(server_.url()),
             qPrintable(err));

    QString why;
    QVERIFY2(startServer(port, why), qPrintable(why));
    auto resumed = runProgram(ASTRO_CLI_PATH, searchArguments + QStringList{"--run", "1"});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err + "\nserver:\n" + server_.output()));
    auto stored = summaryLine(resumed.out, "already stored").split(' ', Qt::SkipEmptyParts);
    QVERIFY2(!stored.isEmpty() && stored.last().toInt() >= 2, qPrintable(resumed.out));
    auto exported =
        runProgram(ASTRO_CLI_PATH, {"--workspace", workspace, "trees", "export", "--run", "1",
                                    "--all", "--out", qpath(dir_ / "resumed.jsonl")});
    QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
    compareTreeFiles(dir_ / "reference.jsonl", dir_ / "resumed.jsonl", 12);
  }
};

QTEST_GUILESS_MAIN(SearchEndpointCliTest)
#include "search_endpoint_cli_test.moc"
