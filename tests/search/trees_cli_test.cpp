// `astro trees`: a JSON tree imported into a run exports back as the same JSON, JSONL imports are
// all or none, a second import of the same file is refused, unknown runs fail, bad usage exits 2;
// `astro graph --tree-id` draws a stored tree.
#include <QtTest>
#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/search/tree_json.h"
#include "tests/search/search_fixtures.h"
#include "tests/support/test_support.h"

using astro::test::runProgram;

namespace {

QString str(const std::filesystem::path& path) { return QString::fromStdString(path.string()); }

}  // namespace

class TreesCliTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void importThenExport_givesTheSameJson() {
    const auto dir = astro::test::freshTempDir("trees-cli-roundtrip");
    const auto tree = astro::search::test::applesTree();
    astro::search::saveTree(tree, dir / "apples.json");
    const QStringList workspace{"--workspace", str(dir / "ws")};
    auto imported = runProgram(ASTRO_CLI_PATH,
                               workspace + QStringList{"trees", "import", str(dir / "apples.json"),
                                                       "--new-run", "apples"});
    QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
    QVERIFY(imported.out.contains("imported 1 trees"));
    auto exported = runProgram(
        ASTRO_CLI_PATH,
        workspace + QStringList{"trees", "export", "--run", "1", "--stage", "import", "--problem",
                                "apples.json", "--out", str(dir / "back.json")});
    QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
    QCOMPARE(astro::readFile(dir / "back.json"), astro::readFile(dir / "apples.json"));
    auto byId = runProgram(ASTRO_CLI_PATH, workspace + QStringList{"trees", "export", "1"});
    QCOMPARE(byId.exitCode, 0);
    QVERIFY(astro::search::treeFromJsonText(byId.out.toStdString(), "stdout") == tree);
  }

  void importJsonl_isAllOrNone_andRefusesARepeat() {
    const auto dir = astro::test::freshTempDir("trees-cli-jsonl");
    astro::search::SeededRandom random(7);
    std::vector<astro::search::SearchTree> trees;
    for (int i = 0; i < 5; ++i) trees.push_back(astro::search::test::randomTree(random));
    astro::search::saveTreesJsonl(trees, dir / "many.jsonl");
    const QStringList workspace{"--workspace", str(dir / "ws")};
    auto first = runProgram(
        ASTRO_CLI_PATH,
        workspace + QStringList{"trees", "import", str(dir / "many.jsonl"), "--new-run", "many"});
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    auto again = runProgram(
        ASTRO_CLI_PATH,
        workspace + QStringList{"trees", "import", str(dir / "many.jsonl"), "--run", "1"});
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.err.contains("already holds a tree of stage 'import' for problem "
                                "'many.jsonl:1'"),
             qPrintable(again.err));
    auto list = runProgram(ASTRO_CLI_PATH,
                           workspace + QStringList{"trees", "list", "--run", "1", "--json"});
    QCOMPARE(list.exitCode, 0);
    const auto listed = nlohmann::json::parse(list.out.toStdString());
    QCOMPARE(listed.size(), std::size_t(5));
    QCOMPARE(listed[4]["problem_id"].get<std::string>(), std::string("many.jsonl:5"));
    auto all =
        runProgram(ASTRO_CLI_PATH, workspace + QStringList{"trees", "export", "--run", "1", "--all",
                                                           "--out", str(dir / "back.jsonl")});
    QCOMPARE(all.exitCode, 0);
    QCOMPARE(astro::readFile(dir / "back.jsonl"), astro::readFile(dir / "many.jsonl"));
  }

  void graph_treeId_drawsAStoredTree() {
    const auto dir = astro::test::freshTempDir("trees-cli-graph");
    astro::search::saveTree(astro::search::test::applesTree(), dir / "apples.json");
    const QStringList workspace{"--workspace", str(dir / "ws")};
    QCOMPARE(runProgram(ASTRO_CLI_PATH,
                        workspace + QStringList{"trees", "import", str(dir / "apples.json"),
                                                "--new-run", "apples"})
                 .exitCode,
             0);
    auto drawn = runProgram(ASTRO_CLI_PATH, workspace + QStringList{"graph", "--tree-id", "1",
                                                                    "--out", str(dir / "t.dot")});
    QVERIFY2(drawn.exitCode == 0, qPrintable(drawn.err));
    QVERIFY(drawn.out.contains("7 of 7 nodes"));
    QVERIFY(astro::readFile(dir / "t.dot").find("digraph") != std::string::npos);
    auto missing = runProgram(ASTRO_CLI_PATH, workspace + QStringList{"graph", "--tree-id", "5",
                                                                      "--out", str(dir / "x.dot")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains("no tree 5 in workspace"));
  }

  void unknownRun_failsWithoutCreatingAWorkspace() {
    const auto dir = astro::test::freshTempDir("trees-cli-missing");
    auto result =
        runProgram(ASTRO_CLI_PATH, {"--workspace", str(dir / "ws"), "trees", "list", "--run", "3"});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("no run 3 in workspace"), qPrintable(result.err));
    QVERIFY(!std::filesystem::exists(dir / "ws"));
  }

  void export_withoutChoosingTrees_isUsageError() {
    auto result = runProgram(ASTRO_CLI_PATH, {"trees", "export", "--run", "1"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("exactly one of TREE_ID, --problem, --all"));
  }
};

QTEST_GUILESS_MAIN(TreesCliTest)
#include "trees_cli_test.moc"
