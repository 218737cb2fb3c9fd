// The search-tree model and its JSON interchange format: structure queries, exact round trips,
// and import errors that name the file, the node and the field.
#include <QtTest>
#include <algorithm>
#include <filesystem>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/search/tree_json.h"
#include "tests/search/search_fixtures.h"
#include "tests/support/test_support.h"

using namespace astro::search;
using astro::search::test::applesTree;
using nlohmann::json;

namespace {

const std::filesystem::path kApplesFile =
    std::filesystem::path(ASTRO_SOURCE_DIR) / "tests/search/data/apples_tree.json";

json applesDocument() { return json::parse(astro::readFile(kApplesFile)); }

// The message of the astro::Error that importing `document` as "tree.json" throws.
QString importError(const json& document) {
  try {
    treeFromJson(document, "tree.json");
  } catch (const astro::Error& error) {
    return QString::fromStdString(error.what());
  }
  return "(no error)";
}

}  // namespace

class TreeTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void addChild_setsParentDepthAndChildren() {
    SearchTree tree("p", "a");
    const int first = tree.addChild(0, "one", 0.25);
    const int second = tree.addChild(first, "two");
    QCOMPARE(first, 1);
    QCOMPARE(second, 2);
    QCOMPARE(tree.node(second).parent, std::optional<int>(1));
    QCOMPARE(tree.node(second).depth, 2);
    QCOMPARE(tree.node(first).prior, 0.25);
    QCOMPARE(tree.root().children, std::vector<int>{1});
    tree.validate();
  }
  void pathFromRoot_runsFromRootToNode() {
    QCOMPARE(applesTree().pathFromRoot(5), (std::vector<int>{0, 2, 5}));
    QCOMPARE(applesTree().pathFromRoot(0), std::vector<int>{0});
  }
  void ancestors_areNearestFirstWithoutTheNode() {
    QCOMPARE(applesTree().ancestors(4), (std::vector<int>{2, 0}));
    QVERIFY(applesTree().ancestors(0).empty());
  }
  void isAncestor_isProperAndFollowsParents() {
    const SearchTree tree = applesTree();
    QVERIFY(tree.isAncestor(0, 5));
    QVERIFY(tree.isAncestor(2, 5));
    QVERIFY(!tree.isAncestor(5, 5));
    QVERIFY(!tree.isAncestor(1, 5));
    QVERIFY(!tree.isAncestor(5, 2));
  }
  void q_isValueSumOverVisits() {
    TreeNode node;
    QCOMPARE(node.q(), 0.0);
    node.visits = 4;
    node.value = 3.0;
    QCOMPARE(node.q(), 0.75);
  }
  void terminals_listCorrectAndAll() {
    QCOMPARE(applesTree().terminals(), (std::vector<int>{3, 4, 5, 6}));
    QCOMPARE(applesTree().correctTerminals(), (std::vector<int>{5, 6}));
  }
  void node_unknownIdThrows() {
    QVERIFY_THROWS_EXCEPTION(astro::Error, applesTree().node(7));
    QVERIFY_THROWS_EXCEPTION(astro::Error, applesTree().node(-1));
  }
  void fromNodes_acceptsNodesInAnyOrder() {
    const SearchTree tree = applesTree();
    std::vector<TreeNode> nodes = tree.nodes();
    std::reverse(nodes.begin(), nodes.end());
    for (TreeNode& node : nodes) {
      node.children.clear();
      node.depth = 0;
    }
    QVERIFY(SearchTree::fromNodes(tree.problem(), tree.goldAnswer(), nodes) == tree);
  }
  void export_matchesTheFixtureByteForByte() {
    const std::string text = astro::readFile(kApplesFile);
    const SearchTree tree = treeFromJsonText(text, kApplesFile.string());
    QVERIFY(tree == applesTree());
    QCOMPARE(treeToJsonText(tree, 2) + "\n", text);
  }
  void roundTrip_keepsEveryDoubleExactly() {
    SearchTree tree = applesTree();
    tree.node(3).value = 0.1 + 0.2;
    tree.node(4).prior = 1.0 / 3.0;
    tree.node(5).value = -1e-300;
    tree.node(6).answer.reset();
    tree.node(6).correct.reset();
    const std::string once = treeToJsonText(tree);
    const SearchTree back = treeFromJsonText(once, "memory");
    QVERIFY(back == tree);
    QCOMPARE(treeToJsonText(back), once);
  }
  void oneLineExport_equalsTheDomDump() {
    astro::search::SeededRandom random(5);
    for (int i = 0; i < 300; ++i) {
      SearchTree tree = astro::search::test::randomTree(random);
      tree.setProblem("caf\xC3\xA9 \"quoted\" \\ tab\t ctrl\x01 \xE2\x88\x9A");
      if (tree.size() > 1) tree.node(1).value = 1e300 * (i % 2 ? -1 : 1) / 3.0;
      QCOMPARE(treeToJsonText(tree), treeToJson(tree).dump());
      QVERIFY(treeFromJsonText(treeToJsonText(tree), "memory") == tree);
    }
  }
  void export_refusesNonFiniteNumbers() {
    SearchTree tree = applesTree();
    tree.node(4).value = std::nan("");
    try {
      treeToJsonText(tree);
      QFAIL("no error");
    } catch (const astro::Error& error) {
      QCOMPARE(QString(error.what()),
               QString("search tree export: nodes[4].value: is not finite (nan)"));
    }
    tree.node(4).value = 0;
    tree.node(2).prior = INFINITY;
    QVERIFY_THROWS_EXCEPTION(astro::Error, treeToJsonText(tree, 2));
  }
  void fastImport_agreesWithTheDomOnOddDocuments() {
    // treeFromJsonText reads well-formed trees without a DOM and falls back to the DOM reader
    // (treeFromJson) otherwise; both must accept and reject the same documents.
    const std::string good = treeToJsonText(applesTree());
    auto replaced = [&](const std::string& from, const std::string& to) {
      std::string text = good;
      text.replace(text.find(from), from.size(), to);
      return text;
    };
    const std::vector<std::string> documents = {
        good,
        replaced("{\"problem\"", "{\"extra\":{\"a\":[1,{\"b\":null}],\"c\":2},\"problem\""),
        replaced("\"visits\":2,", "\"visits\":2,\"note\":[[],{}],\"visits\":3,"),
        replaced("\"parent\":0,", "\"parent\":0,\"parent\":null,"),
        replaced("\"parent\":null,", "\"parent\":null,\"parent\":null,"),
        replaced("\"answer\":\"12\"", "\"answer\":\"12\",\"answer\":null"),
        replaced("\"visits\":9", "\"visits\":9.0"),
        replaced("\"value\":1.0", "\"value\":3000000000"),
        replaced("\"visits\":9", "\"visits\":3000000000"),
        replaced("\"terminal\":false", "\"terminal\":0"),
        replaced("\"text\":\"\"", "\"text\":{}"),
        replaced("\"nodes\":[", "\"nodes\":[],\"nodes\":["),
        replaced("\"answer\":\"5\",\"nodes\"", "\"answer\":null,\"nodes\""),
        good + " ",
        "[" + good + "]",
    };
    for (const std::string& text : documents) {
      QString fast, dom;
      try {
        fast = QString::fromStdString(treeToJsonText(treeFromJsonText(text, "t")));
      } catch (const astro::Error& error) {
        fast = QString("error: ") + error.what();
      }
      try {
        dom = QString::fromStdString(treeToJsonText(treeFromJson(json::parse(text), "t")));
      } catch (const astro::Error& error) {
        dom = QString("error: ") + error.what();
      }
      QCOMPARE(fast, dom);
    }
  }
  void saveAndLoad_roundTripThroughFiles() {
    const auto dir = astro::test::freshTempDir("tree_files");
    saveTree(applesTree(), dir / "one.json");
    QVERIFY(loadTree(dir / "one.json") == applesTree());
    std::vector<SearchTree> trees{applesTree(), SearchTree("only root", "1")};
    saveTreesJsonl(trees, dir / "many.jsonl");
    QVERIFY(loadTreesJsonl(dir / "many.jsonl") == trees);
  }
  void importJsonl_errorNamesFileAndLine() {
    const auto dir = astro::test::freshTempDir("tree_jsonl_error");
    astro::writeFileAtomically(dir / "bad.jsonl", treeToJsonText(applesTree()) + "\n{}\n");
    try {
      loadTreesJsonl(dir / "bad.jsonl");
      QFAIL("no error");
    } catch (const astro::Error& error) {
      QCOMPARE(QString(error.what()),
               QString::fromStdString((dir / "bad.jsonl").string() + ":2: problem: missing"));
    }
  }
  void import_parentThatIsNoNode_namesNodeAndField() {
    json document = applesDocument();
    document["nodes"][3]["parent"] = 17;
    QCOMPARE(importError(document), QString("tree.json: nodes[3].parent: 17 is not a node"));
  }
  void import_missingField_isNamed() {
    json document = applesDocument();
    document["nodes"][1].erase("visits");
    QCOMPARE(importError(document), QString("tree.json: nodes[1].visits: missing"));
  }
  void import_wrongType_isNamed() {
    json document = applesDocument();
    document["nodes"][2]["terminal"] = "yes";
    QCOMPARE(importError(document),
             QString("tree.json: nodes[2].terminal: expected a boolean, found string"));
    document = applesDocument();
    document["nodes"][4]["value"] = nullptr;
    QCOMPARE(importError(document),
             QString("tree.json: nodes[4].value: expected a number, found null"));
  }
  void import_repeatedId_isNamed() {
    json document = applesDocument();
    document["nodes"][2]["id"] = 1;
    QCOMPARE(importError(document), QString("tree.json: nodes[2].id: 1 repeats nodes[1].id"));
  }
  void import_idOutOfRange_isNamed() {
    json document = applesDocument();
    document["nodes"][6]["id"] = 9;
    QCOMPARE(importError(document),
             QString("tree.json: nodes[6].id: 9 is out of range (ids must be 0..6)"));
  }
  void import_secondRoot_isRejected() {
    json document = applesDocument();
    document["nodes"][2]["parent"] = nullptr;
    QCOMPARE(importError(document),
             QString("tree.json: nodes[2].parent: null, but only node 0 may be the root"));
  }
  void import_rootWithParent_isRejected() {
    json document = applesDocument();
    document["nodes"][0]["parent"] = 1;
    QCOMPARE(importError(document),
             QString("tree.json: nodes[0].parent: the root (id 0) must have parent null"));
  }
  void import_cycle_isRejected() {
    json document = applesDocument();
    document["nodes"][1]["parent"] = 3;  // 1 -> 3 -> 1
    QCOMPARE(
        importError(document),
        QString("tree.json: nodes[1].parent: 3 leads into a cycle that never reaches the root"));
  }
  void import_rootText_mustBeEmpty() {
    json document = applesDocument();
    document["nodes"][0]["text"] = "problem";
    QCOMPARE(importError(document),
             QString("tree.json: nodes[0].text: must be empty (the root stands for the problem)"));
  }
  void import_negativeVisits_isRejected() {
    json document = applesDocument();
    document["nodes"][5]["visits"] = -1;
    QCOMPARE(importError(document), QString("tree.json: nodes[5].visits: must not be negative"));
  }
  void import_invalidJson_namesFileAndByte() {
    try {
      treeFromJsonText("{\"problem\": ", "tree.json");
      QFAIL("no error");
    } catch (const astro::Error& error) {
      QVERIFY2(QString(error.what()).startsWith("tree.json: byte "), error.what());
    }
  }
  void import_numberTooLargeForADouble_isAnError() {
    try {
      treeFromJsonText(R"({"problem": 1e999})", "tree.json");
      QFAIL("no error");
    } catch (const astro::Error& error) {
      QVERIFY2(QString(error.what()).startsWith("tree.json: (document): invalid JSON:"),
               error.what());
    }
  }
  void import_missingFile_isIoError() {
    QVERIFY_THROWS_EXCEPTION(astro::IoError, loadTree("/nonexistent/tree.json"));
  }
};

QTEST_GUILESS_MAIN(TreeTest)
#include "tree_test.moc"
