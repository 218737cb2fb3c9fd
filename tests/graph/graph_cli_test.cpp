// `astro graph`: a tree JSON file drawn to each format, the format taken from --out's extension.
#include <QtTest>

#include "core/search/tree_json.h"
#include "tests/graph/random_tree.h"
#include "tests/support/test_support.h"

using astro::test::runProgram;

class GraphCliTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void graphTree_writesEveryFormat() {
    auto dir = astro::test::freshTempDir("graph_cli");
    auto treePath = dir / "tree.json";
    astro::search::saveTree(astro::test::randomTree(40), treePath);
    const std::pair<const char*, QByteArray> expected[] = {
        {"dot", "digraph"}, {"svg", "<?xml"}, {"pdf", "%PDF-"}, {"png", "\x89PNG"}};
    for (const auto& [format, header] : expected) {
      QString out = QString::fromStdString((dir / (std::string("tree.") + format)).string());
      auto result =
          runProgram(ASTRO_CLI_PATH,
                     {"graph", "--tree", QString::fromStdString(treePath.string()), "--out", out});
      QCOMPARE(result.exitCode, 0);
      QVERIFY(result.out.contains("40 of 40 nodes"));
      QFile file(out);
      QVERIFY(file.open(QIODevice::ReadOnly));
      QVERIFY2(file.readAll().startsWith(header), format);
    }
  }
  void graphMaxNodes_statesThePruning() {
    auto dir = astro::test::freshTempDir("graph_cli_prune");
    auto treePath = dir / "tree.json";
    astro::search::saveTree(astro::test::randomTree(100), treePath);
    auto result = runProgram(
        ASTRO_CLI_PATH, {"graph", "--tree", QString::fromStdString(treePath.string()), "--out",
                         QString::fromStdString((dir / "t.svg").string()), "--max-nodes", "10"});
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out.contains("10 of 100 nodes, pruned by visits to --max-nodes 10"));
  }
  void graphTrace_drawsTheStepGraph() {
    auto dir = astro::test::freshTempDir("graph_cli_trace");
    QString tracePath = QString::fromStdString((dir / "trace.txt").string());
    QFile trace(tracePath);
    trace.open(QIODevice::WriteOnly);
    trace.write("Step 1: x = 2.\n\nWait, wrong. Going back to step 1.\n\nStep 2: x = 3.");
    trace.close();
    QString out = QString::fromStdString((dir / "trace.dot").string());
    auto result = runProgram(ASTRO_CLI_PATH, {"graph", "--trace", tracePath, "--out", out});
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.contains("3 steps, 1 backtracks, 0 restarts, 1 reflections"),
             qPrintable(result.out));
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("n1 -> n0 [class=\"backtracks\""));
  }
  void graphTreeAndTrace_isUsageError() {
    auto result = runProgram(ASTRO_CLI_PATH, {"graph", "--out", "x.svg"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("--tree"));
  }
  void graphUnknownExtension_isUsageError() {
    auto dir = astro::test::freshTempDir("graph_cli_bad");
    auto treePath = dir / "tree.json";
    astro::search::saveTree(astro::test::randomTree(5), treePath);
    auto result =
        runProgram(ASTRO_CLI_PATH, {"graph", "--tree", QString::fromStdString(treePath.string()),
                                    "--out", QString::fromStdString((dir / "t.jpeg").string())});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("jpeg"));
  }
};

QTEST_GUILESS_MAIN(GraphCliTest)
#include "graph_cli_test.moc"
