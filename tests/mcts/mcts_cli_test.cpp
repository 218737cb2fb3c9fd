// `astro search` end to end on the miniature world with a random-init checkpoint: trees land in
// the JSONL file in the interchange format or in a run of the workspace, a second run resumes,
// bad usage exits 2.
#include <QtTest>

#include "core/search/tree_json.h"
#include "tests/support/test_support.h"

using astro::test::runProgram;

class MctsCliTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void search_writesTreesAndResumes() {
    const auto dir = astro::test::freshTempDir("mcts-cli");
    const QString folder = QString::fromStdString(dir.string());
    const QString resources = ASTRO_SOURCE_DIR "/resources/world";
    auto init =
        runProgram(ASTRO_CLI_PATH, {"model", "init", "--config", resources + "/models/tiny.json",
                                    "--seed", "1", "--out", folder + "/model"});
    QCOMPARE(init.exitCode, 0);
    auto generate = runProgram(ASTRO_CLI_PATH, {"world", "generate", "--seed", "3", "--out",
                                                folder + "/data", "--train", "0", "--test", "5"});
    QCOMPARE(generate.exitCode, 0);
    const QStringList common{"search",
                             "--dataset",
                             folder + "/data/test.jsonl",
                             "--model",
                             folder + "/model",
                             "--tokenizer",
                             resources,
                             "--out",
                             folder + "/trees.jsonl",
                             "--iterations",
                             "2",
                             "--max-depth",
                             "3",
                             "--children",
                             "2",
                             "--max-step-tokens",
                             "8",
                             "--pass-samples",
                             "1",
                             "--threads",
                             "1",
                             "--quiet"};
    auto first = runProgram(ASTRO_CLI_PATH, common + QStringList{"--limit", "3"});
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    QVERIFY(first.out.contains("searched now        3"));
    auto second = runProgram(ASTRO_CLI_PATH, common);
    QVERIFY2(second.exitCode == 0, qPrintable(second.err));
    QVERIFY(second.out.contains("already stored      3"));
    QVERIFY(second.out.contains("searched now        2"));
    const auto trees = astro::search::loadTreesJsonl(dir / "trees.jsonl");
    QCOMPARE(trees.size(), std::size_t(5));
    for (const auto& tree : trees) QCOMPARE(tree.root().visits, 2);
  }

  void search_intoRun_resumesAndExports() {
    const auto dir = astro::test::freshTempDir("mcts-cli-run");
    const QString folder = QString::fromStdString(dir.string());
    const QString resources = ASTRO_SOURCE_DIR "/resources/world";
    QCOMPARE(
        runProgram(ASTRO_CLI_PATH, {"model", "init", "--config", resources + "/models/tiny.json",
                                    "--seed", "1", "--out", folder + "/model"})
            .exitCode,
        0);
    QCOMPARE(runProgram(ASTRO_CLI_PATH, {"world", "generate", "--seed", "3", "--out",
                                         folder + "/data", "--train", "0", "--test", "4"})
                 .exitCode,
             0);
    const QStringList common{"--workspace",
                             folder + "/ws",
                             "search",
                             "--dataset",
                             folder + "/data/test.jsonl",
                             "--model",
                             folder + "/model",
                             "--tokenizer",
                             resources,
                             "--iterations",
                             "2",
                             "--max-depth",
                             "3",
                             "--children",
                             "2",
                             "--max-step-tokens",
                             "8",
                             "--pass-samples",
                             "0",
                             "--threads",
                             "1",
                             "--quiet"};
    auto first = runProgram(ASTRO_CLI_PATH,
                            common + QStringList{"--new-run", "tiny search", "--limit", "2"});
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    QVERIFY2(first.err.contains("search: trees go to run 1 (tiny search)"), qPrintable(first.err));
    QVERIFY(first.out.contains("trees in run 1 (search)  2"));
    auto second = runProgram(ASTRO_CLI_PATH, common + QStringList{"--run", "1"});
    QVERIFY2(second.exitCode == 0, qPrintable(second.err));
    QVERIFY(second.out.contains("already stored      2"));
    QVERIFY(second.out.contains("searched now        2"));
    auto exported =
        runProgram(ASTRO_CLI_PATH, {"--workspace", folder + "/ws", "trees", "export", "--run", "1",
                                    "--all", "--out", folder + "/trees.jsonl"});
    QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
    const auto trees = astro::search::loadTreesJsonl(dir / "trees.jsonl");
    QCOMPARE(trees.size(), std::size_t(4));
    for (const auto& tree : trees) QCOMPARE(tree.root().visits, 2);
    auto runs = runProgram(ASTRO_CLI_PATH, {"--workspace", folder + "/ws", "runs", "list"});
    QVERIFY(runs.out.contains("finished"));
  }

  void search_withOutAndRun_isUsageError() {
    auto result = runProgram(ASTRO_CLI_PATH, {"search", "--dataset", "d.jsonl", "--model", "m",
                                              "--out", "x.jsonl", "--run", "1"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("not both"));
  }

  void search_withoutDatasetIsUsageError() {
    auto result = runProgram(ASTRO_CLI_PATH, {"search", "--out", "x.jsonl"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("--dataset"));
  }
};

QTEST_GUILESS_MAIN(MctsCliTest)
#include "mcts_cli_test.moc"
