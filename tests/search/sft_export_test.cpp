// SFT export: chat-form JSONL for ASTRO and Direct from the same trees, and the per-source
// dataset table (problems, trajectories, backtracks, restarts) as JSON and markdown.
#include "core/search/sft_export.h"

#include <QtTest>

#include "core/base/atomic_file.h"
#include "tests/search/search_fixtures.h"
#include "tests/support/test_support.h"

using namespace astro::search;
using astro::search::test::applesTree;
using astro::search::test::singlePhraseSet;
using nlohmann::json;

namespace {

SearchTree treeWithoutCorrectTerminal() {
  SearchTree tree = applesTree();
  tree.node(5).correct = false;
  tree.node(6).correct = false;
  return tree;
}

SftExportOptions twoDetoursOneSequence() {
  SftExportOptions options;
  options.linearize.minIncorrectTerminals = 2;
  options.linearize.maxIncorrectTerminals = 2;
  options.linearize.sequencesPerTree = 1;
  return options;
}

}  // namespace

class SftExportTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void chatRecord_hasUserThenAssistant() {
    QCOMPARE(chatRecord("What is 1+1?", "\\boxed{2}").dump(),
             std::string(R"({"messages":[{"role":"user","content":"What is 1+1?"},)"
                         R"({"role":"assistant","content":"\\boxed{2}"}]})"));
  }
  void exporter_writesAstroAndDirectFromTheSameTree() {
    SftExporter exporter(singlePhraseSet(), twoDetoursOneSequence());
    exporter.add(applesTree(), "math");
    QCOMPARE(exporter.astroLines().size(), std::size_t(1));
    QCOMPARE(exporter.directLines().size(), std::size_t(1));
    const json astro = json::parse(exporter.astroLines()[0]);
    const json direct = json::parse(exporter.directLines()[0]);
    QCOMPARE(astro["messages"][0]["content"].get<std::string>(), applesTree().problem());
    QCOMPARE(direct["messages"][0]["content"].get<std::string>(), applesTree().problem());
    const std::string astroTrace = astro["messages"][1]["content"];
    QVERIFY(astroTrace.find("Let's start over.") != std::string::npos);
    QVERIFY(astroTrace.find("Let's go back to") != std::string::npos);
    QCOMPARE(direct["messages"][1]["content"].get<std::string>(),
             applesTree().node(2).text + "\n\n" + applesTree().node(5).text);
  }
  void exporter_masksExactlyTheWrongBranchSteps() {
    SftExportOptions options = twoDetoursOneSequence();
    options.maskWrongBranches = true;
    SftExporter exporter(singlePhraseSet(), options);
    exporter.add(applesTree(), "math");
    // The walk: 1, 3 (answer 12), restart, 2, 4 (answer 8), back to 2, 5. Nodes 1, 3 and 4 lie
    // off the path 0-2-5; step 2 before the detour to 4 and the reflections stay trained.
    const json astro = json::parse(exporter.astroLines()[0]);
    const json& assistant = astro["messages"][1];
    QCOMPARE(assistant["loss_mask"].dump(), std::string("[[0,49],[51,84],[215,289]]"));
    const std::string trace = assistant["content"];
    QCOMPARE(trace.substr(0, 49), applesTree().node(1).text);
    QCOMPARE(trace.substr(51, 84 - 51), applesTree().node(3).text);
    QCOMPARE(trace.substr(215, 289 - 215), applesTree().node(4).text);
    QCOMPARE(trace.size(), std::size_t(576));
    // The Direct record holds no wrong branch and no loss_mask field.
    QVERIFY(!json::parse(exporter.directLines()[0])["messages"][1].contains("loss_mask"));
  }
  void exporter_writesNoLossMaskByDefault() {
    SftExporter exporter(singlePhraseSet(), twoDetoursOneSequence());
    exporter.add(applesTree(), "math");
    QVERIFY(!json::parse(exporter.astroLines()[0])["messages"][1].contains("loss_mask"));
  }
  void wrongBranchRanges_isEmptyForTheDirectPath() {
    const SearchTree tree = applesTree();
    const NodeSequence direct = directSequence(tree);
    const RenderedTrace trace = renderTrace(tree, direct, singlePhraseSet());
    QCOMPARE(wrongBranchRanges(tree, direct, trace), std::vector<ByteRange>{});
  }
  void chatRecord_putsLossMaskOnTheAssistantMessage() {
    QCOMPARE(chatRecord("q", "abcdef", {{.begin = 1, .end = 3}}).dump(),
             std::string(R"({"messages":[{"role":"user","content":"q"},)"
                         R"({"role":"assistant","content":"abcdef","loss_mask":[[1,3]]}]})"));
  }
  void table_countsProblemsTrajectoriesBacktracksRestartsPerSource() {
    SftExportOptions options = twoDetoursOneSequence();
    options.linearize.sequencesPerTree = 3;
    options.linearize.minIncorrectTerminals = 1;
    SftExporter exporter(defaultPhraseSet(), options);
    exporter.add(applesTree(), "math");
    exporter.add(applesTree(), "gsm8k");
    exporter.add(treeWithoutCorrectTerminal(), "math");
    const DatasetTable& table = exporter.astroTable();
    QCOMPARE(table.rows.size(), std::size_t(2));
    // The apples tree has exactly three distinct walks: via 12, via 8, via both.
    QCOMPARE(table.rows[0], (SourceStatistics{"math", 1, 3, 2, 2, 1}));
    QCOMPARE(table.rows[1], (SourceStatistics{"gsm8k", 1, 3, 2, 2, 0}));
    QCOMPARE(table.total(), (SourceStatistics{"total", 2, 6, 4, 4, 1}));
    QCOMPARE(exporter.directTable().total(), (SourceStatistics{"total", 2, 2, 0, 0, 1}));
  }
  void table_printsJsonAndMarkdown() {
    DatasetTable table;
    table.rows.push_back({"math", 2, 5, 3, 1, 0});
    QCOMPARE(table.toJson().dump(),
             std::string(R"({"rows":[{"source":"math","problems":2,"trajectories":5,)"
                         R"("backtracks":3,"restarts":1,"skipped_trees":0}],"total":{"source":)"
                         R"("total","problems":2,"trajectories":5,"backtracks":3,"restarts":1,)"
                         R"("skipped_trees":0}})"));
    QCOMPARE(table.toMarkdown(),
             std::string("| Source | Problems | Trajectories | Backtracks | Restarts | Skipped "
                         "trees |\n|---|---:|---:|---:|---:|---:|\n| math | 2 | 5 | 3 | 1 | 0 |\n"
                         "| total | 2 | 5 | 3 | 1 | 0 |\n"));
  }
  void output_doesNotDependOnWhatCameBefore() {
    SftExporter alone(defaultPhraseSet(), SftExportOptions{});
    alone.add(applesTree(), "math");
    SftExporter again(defaultPhraseSet(), SftExportOptions{});
    again.add(applesTree(), "math");
    QCOMPARE(alone.astroLines(), again.astroLines());
  }
  void write_producesOneJsonObjectPerLine() {
    SftExporter exporter(defaultPhraseSet(), SftExportOptions{});
    exporter.add(applesTree(), "math");
    exporter.add(applesTree(), "math");
    const auto dir = astro::test::freshTempDir("sft_export");
    exporter.write(dir / "astro.jsonl", dir / "direct.jsonl");
    const std::string astro = astro::readFile(dir / "astro.jsonl");
    const std::string direct = astro::readFile(dir / "direct.jsonl");
    QCOMPARE(static_cast<std::size_t>(std::count(astro.begin(), astro.end(), '\n')),
             exporter.astroLines().size());
    QCOMPARE(std::count(direct.begin(), direct.end(), '\n'), 2L);
    for (const std::string& line : exporter.astroLines()) {
      QVERIFY(json::parse(line)["messages"].size() == 2);
    }
  }
};

QTEST_GUILESS_MAIN(SftExportTest)
#include "sft_export_test.moc"
