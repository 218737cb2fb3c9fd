// `astro linearize`: the json and text forms, the Direct baseline, marker spans, and exit codes
// (0 ok, 1 a tree it cannot linearize, 2 bad usage).
#include <QtTest>
#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/search/tree_json.h"
#include "core/world/countdown_puzzle.h"
#include "tests/search/search_fixtures.h"
#include "tests/support/test_support.h"

using astro::test::runProgram;
using namespace astro::search;

namespace {

const QString kApples =
    QString::fromStdString(std::string(ASTRO_SOURCE_DIR) + "/tests/search/data/apples_tree.json");

QString writeTemp(const char* name, const std::string& text) {
  const auto path = astro::test::freshTempDir("linearize_cli") / name;
  astro::writeFileAtomically(path, text);
  return QString::fromStdString(path.string());
}

QString singlePhrasesFile() {
  return writeTemp("phrases.json", astro::search::test::singlePhraseSet().toJson().dump(2));
}

const char* const kTwoDetourText =
    "Twice the number is 10, so we add: $10 + 2 = 12$.\n\n"
    "So Alice has $\\boxed{12}$ apples.\n\n"
    "But wait, are we solving the problem correctly so far? Hmm... Let's start over.\n\n"
    "Let $x$ be the number of apples, so $2x = 10$.\n\n"
    "Subtracting 2 from both sides gives $x = 8$, so the answer is $\\boxed{8}$.\n\n"
    "But wait, are we solving the problem correctly so far? Hmm... Let's go back to \"Let $x$ be "
    "the number of apples, so $2x = 10$.\".\n\n"
    "Dividing both sides by 2 gives $x = 5$, so the answer is $\\boxed{5}$.\n\n"
    "But wait, are we solving the problem correctly so far? Hmm... The answer checks out.";

// Issue #21's countdown tree: numbers 10, 10, 2, target 18; a wrong and a right box after two
// steps.
QString countdownTreeFile() {
  SearchTree tree(astro::world::renderQuestion({{10, 10, 2}, 18, {}}), "18");
  tree.addChild(0, "Step 1: 10 + 10 = 20. Remaining: 2, 20");
  tree.addChild(1, "Step 2: 20 - 2 = 18. Remaining: 18");
  for (const char* box : {"\\boxed{(10-10)*2}", "\\boxed{10+10-2}"}) {
    TreeNode& node = tree.node(tree.addChild(2, box));
    node.terminal = true;
    node.answer = std::string(box).substr(7, std::string(box).size() - 8);
    node.correct = node.id == 4;
    node.visits = 1;
  }
  return writeTemp("countdown.json", treeToJsonText(tree));
}

}  // namespace

class LinearizeCliTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void json_printsSequenceAndText() {
    auto result =
        runProgram(ASTRO_CLI_PATH, {"linearize", "--tree", kApples, "--format", "json",
                                    "--min-detours", "2", "--phrases", singlePhrasesFile()});
    QCOMPARE(result.exitCode, 0);
    const auto report = QJsonDocument::fromJson(result.out.toUtf8()).object();
    QCOMPARE(report.keys(), (QStringList{"sequence", "text"}));
    QCOMPARE(QJsonDocument(report["sequence"].toArray()).toJson(QJsonDocument::Compact),
             QByteArray(R"([{"move":"start","node":0},{"move":"forward","node":1},)"
                        R"({"move":"forward","node":3},{"move":"restart","node":0},)"
                        R"({"move":"forward","node":2},{"move":"forward","node":4},)"
                        R"({"move":"backtrack","node":2},{"move":"forward","node":5}])"));
    QCOMPARE(report["text"].toString(), QString(kTwoDetourText));
  }
  void text_printsTheTraceAlone() {
    auto result = runProgram(ASTRO_CLI_PATH, {"linearize", "--tree", kApples, "--min-detours", "2",
                                              "--phrases", singlePhrasesFile()});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QString(kTwoDetourText) + "\n");
  }
  void direct_printsThePathToTheBestAnswer() {
    auto result = runProgram(ASTRO_CLI_PATH,
                             {"linearize", "--tree", kApples, "--direct", "--format", "json"});
    QCOMPARE(result.exitCode, 0);
    const auto report = QJsonDocument::fromJson(result.out.toUtf8()).object();
    QCOMPARE(report["sequence"].toArray().size(), 3);
    QCOMPARE(report["sequence"].toArray()[2].toObject()["node"].toInt(), 5);
    QVERIFY(!report["text"].toString().contains("But wait"));
  }
  void markers_addPhraseSetAndSpans() {
    auto result = runProgram(ASTRO_CLI_PATH, {"linearize", "--tree", kApples, "--format", "json",
                                              "--markers", "--min-detours", "2", "--seed", "4"});
    QCOMPARE(result.exitCode, 0);
    const auto report = QJsonDocument::fromJson(result.out.toUtf8()).object();
    QCOMPARE(report["phrase_set"].toObject()["id"].toString(), QString("astro-default-v1"));
    QCOMPARE(report["phrase_set"].toObject()["sha256"].toString(),
             QString::fromStdString(defaultPhraseSet().contentHash()));
    const QByteArray text = report["text"].toString().toUtf8();
    const auto markers = report["markers"].toArray();
    QCOMPARE(markers.size(), 6);
    const auto first = markers[0].toObject();
    QCOMPARE(first["kind"].toString(), QString("reflection"));
    QCOMPARE(text.mid(first["begin"].toInt(), first["end"].toInt() - first["begin"].toInt()),
             QByteArray("But wait, are we solving the problem correctly so far? Hmm..."));
    QCOMPARE(markers[3].toObject()["target_node"].toInt(), 2);
  }
  void noAnswerCheck_endsAtTheFinalStep() {
    auto result =
        runProgram(ASTRO_CLI_PATH, {"linearize", "--tree", kApples, "--min-detours", "2",
                                    "--no-answer-check", "--phrases", singlePhrasesFile()});
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out.endsWith("so the answer is $\\boxed{5}$.\n"));
  }
  void affirmStepsMinQ_reflectsAfterIntermediateStepsToo() {
    // Direct path 0 -> 2 -> 5: without the option one answer check (after node 5); with -1 also
    // one after node 2, which continues to 5. In the dataset table too.
    const QStringList base{"linearize",      "--tree", kApples, "--min-detours", "0",
                           "--max-detours", "0",      "--phrases", singlePhrasesFile()};
    const QString plain = runProgram(ASTRO_CLI_PATH, base).out;
    auto affirmed = runProgram(ASTRO_CLI_PATH, QStringList(base) << "--affirm-steps-min-q" << "-1");
    QCOMPARE(affirmed.exitCode, 0);
    QCOMPARE(plain.count("The answer checks out."), 1);
    QCOMPARE(affirmed.out.count("The answer checks out."), 2);
    QVERIFY(affirmed.out.startsWith("Let $x$ be the number of apples, so $2x = 10$.\n\nBut wait"));
    QCOMPARE(runProgram(ASTRO_CLI_PATH, QStringList(base) << "--affirm-steps-min-q" << "2").exitCode,
             2);
  }
  void sameSeed_givesSameOutput() {
    const QStringList arguments{"linearize", "--tree", kApples, "--seed", "11"};
    QCOMPARE(runProgram(ASTRO_CLI_PATH, arguments).out, runProgram(ASTRO_CLI_PATH, arguments).out);
  }
  void treeWithoutCorrectTerminal_failsWithExitOne() {
    SearchTree tree = loadTree(kApples.toStdString());
    tree.node(5).correct = false;
    tree.node(6).correct = false;
    auto result = runProgram(
        ASTRO_CLI_PATH, {"linearize", "--tree", writeTemp("wrong.json", treeToJsonText(tree))});
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.err, QString("astro: error: search tree: no correct terminal node to end a "
                                 "trace at (4 terminal nodes, none correct)\n"));
    QVERIFY(result.out.isEmpty());
  }
  void malformedTree_failsNamingFileAndNode() {
    const QString path = writeTemp("bad.json", R"({"problem":"p","answer":"1","nodes":[)"
                                               R"({"id":0,"parent":null,"text":"","visits":0,)"
                                               R"("value":0,"prior":0,"terminal":false,)"
                                               R"("answer":null,"correct":null},)"
                                               R"({"id":1,"parent":17,"text":"x","visits":0,)"
                                               R"("value":0,"prior":0,"terminal":true,)"
                                               R"("answer":"1","correct":true}]})");
    auto result = runProgram(ASTRO_CLI_PATH, {"linearize", "--tree", path});
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.err, "astro: error: " + path + ": nodes[1].parent: 17 is not a node\n");
  }
  void missingTree_isUsageError() {
    QCOMPARE(runProgram(ASTRO_CLI_PATH, {"linearize"}).exitCode, 2);
    QCOMPARE(runProgram(ASTRO_CLI_PATH, {"linearize", "--tree", "/nonexistent.json"}).exitCode, 2);
  }
  void badOptions_areUsageErrors() {
    QCOMPARE(
        runProgram(ASTRO_CLI_PATH, {"linearize", "--tree", kApples, "--format", "xml"}).exitCode,
        2);
    auto result = runProgram(ASTRO_CLI_PATH, {"linearize", "--tree", kApples, "--min-detours", "3",
                                              "--max-detours", "1"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.contains("maxIncorrectTerminals"));
  }
  void trees_writeSftDataAndTable() {
    const std::string line = treeToJsonText(loadTree(kApples.toStdString()));
    const QString trees = writeTemp("math.jsonl", line + "\n" + line + "\n");
    const auto out = astro::test::freshTempDir("linearize_cli_out") / "sft";
    auto result =
        runProgram(ASTRO_CLI_PATH, {"linearize", "--trees", trees, "--out",
                                    QString::fromStdString(out.string()), "--format", "json"});
    QCOMPARE(result.exitCode, 0);
    const auto report = QJsonDocument::fromJson(result.out.toUtf8()).object();
    const auto astroTotal = report["astro"].toObject()["total"].toObject();
    QCOMPARE(astroTotal["problems"].toInt(), 2);
    QCOMPARE(astroTotal["trajectories"].toInt(), 6);  // three distinct walks per apples tree
    QCOMPARE(report["direct"].toObject()["total"].toObject()["trajectories"].toInt(), 2);
    QCOMPARE(report["phrase_set"].toObject()["id"].toString(), QString("astro-default-v1"));
    const std::string astro = astro::readFile(out / "astro_sft.jsonl");
    QCOMPARE(std::count(astro.begin(), astro.end(), '\n'), 6L);
    const std::string direct = astro::readFile(out / "direct_sft.jsonl");
    QCOMPARE(std::count(direct.begin(), direct.end(), '\n'), 2L);
    QVERIFY(astro::readFile(out / "dataset_table.md").find("| math | 2 | 6 |") !=
            std::string::npos);
  }
  void maskWrongBranches_writesTheWrongStepsAsLossMask() {
    const QString trees = writeTemp("one.jsonl", treeToJsonText(loadTree(kApples.toStdString())));
    const auto out = astro::test::freshTempDir("linearize_cli_mask") / "sft";
    auto result =
        runProgram(ASTRO_CLI_PATH,
                   {"linearize", "--trees", trees, "--out", QString::fromStdString(out.string()),
                    "--phrases", singlePhrasesFile(), "--min-detours", "2", "--max-detours", "2",
                    "--sequences", "1", "--mask-wrong-branches"});
    QCOMPARE(result.exitCode, 0);
    // kTwoDetourText: the steps of nodes 1, 3 and 4 lie off the path to the answer.
    const auto record = nlohmann::json::parse(astro::readFile(out / "astro_sft.jsonl"));
    QCOMPARE(record["messages"][1]["content"].get<std::string>(), std::string(kTwoDetourText));
    QCOMPARE(record["messages"][1]["loss_mask"].dump(), std::string("[[0,49],[51,84],[215,289]]"));
    QCOMPARE(runProgram(ASTRO_CLI_PATH, {"linearize", "--tree", kApples, "--mask-wrong-branches"})
                 .exitCode,
             2);
  }
  void groundedChecks_countdownReflectionsStateTheirCheck() {
    auto result = runProgram(ASTRO_CLI_PATH,
                             {"linearize", "--tree", countdownTreeFile(), "--grounded-checks"});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QCOMPARE(result.out,
             QString("Step 1: 10 + 10 = 20. Remaining: 2, 20\n\n"
                     "Step 2: 20 - 2 = 18. Remaining: 18\n\n"
                     "\\boxed{(10-10)*2}\n\n"
                     "Wait, is this right? (10-10)*2 = 0, not 18. No. Back to \"Step 2: 20 - 2 = "
                     "18. Remaining: 18\".\n\n"
                     "\\boxed{10+10-2}\n\n"
                     "Wait, is this right? 10+10-2 = 18. Yes, it is right.\n"));
  }
  void groundedChecks_aDomainWithoutChecksIsUsageError() {
    auto result = runProgram(ASTRO_CLI_PATH, {"linearize", "--tree", kApples, "--grounded-checks"});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("--grounded-checks") && result.err.contains("math"),
             qPrintable(result.err));
  }
  void treeAndTrees_areExclusive() {
    const QString trees = writeTemp("one.jsonl", treeToJsonText(loadTree(kApples.toStdString())));
    QCOMPARE(
        runProgram(ASTRO_CLI_PATH, {"linearize", "--tree", kApples, "--trees", trees}).exitCode, 2);
    QCOMPARE(runProgram(ASTRO_CLI_PATH, {"linearize", "--trees", trees}).exitCode, 2);
  }
  void help_listsEveryOption() {
    auto result = runProgram(ASTRO_CLI_PATH, {"linearize", "--help"});
    QCOMPARE(result.exitCode, 0);
    for (const char* option :
         {"--tree", "--seed", "--format", "--phrases", "--direct", "--grounded-checks"}) {
      QVERIFY2(result.out.contains(option), option);
    }
  }
};

QTEST_GUILESS_MAIN(LinearizeCliTest)
#include "linearize_cli_test.moc"
