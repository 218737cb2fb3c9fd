// Labels cannot break DOT or become HTML labels: hostile step texts survive a round trip through
// Graphviz unchanged.
#include "core/graph/dot_escape.h"

#include <QtTest>

#include "core/graph/graph_export.h"
#include "core/graph/tree_dot.h"

using astro::graph::escapeLabel;

namespace {
const char* const kHostileLabels[] = {"say \"hi\"",      "back\\slash\\", "a < b > c",
                                      "{record|field}",  "line1\nline2",  "<<html>>",
                                      "<<b>bold</b>>",   "\\\"",          "trailing backslash \\",
                                      "\\N \\G \\L",     "&amp; &lt;",    "\"; n0 -> n1; \"",
                                      "]; evil [label=x"};
}

class DotEscapeTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void escapeLabel_replacesEverySpecialCharacter() {
    QCOMPARE(escapeLabel("a\"b\\c<d>e{f}g|h&i"),
             std::string("a&quot;b&#92;&#92;c&lt;d&gt;e&#123;f&#125;g&#124;h&amp;i"));
  }
  void escapeLabel_turnsNewlinesIntoCentredBreaks() {
    QCOMPARE(escapeLabel("one\r\ntwo\nthree"), std::string("one\\ntwo\\nthree"));
  }
  void escapeLabel_replacesControlCharactersAndInvalidUtf8() {
    QCOMPARE(escapeLabel(std::string("a\tb\x01"
                                     "c\xff"
                                     "d")),
             std::string("a b c\xEF\xBF\xBD"
                         "d"));
  }
  void escapeLabel_keepsMultibyteCharactersWhole() {
    QCOMPARE(escapeLabel("x\xC2\xB2 + \xE2\x88\x9A"
                         "2"),
             std::string("x\xC2\xB2 + \xE2\x88\x9A"
                         "2"));
  }
  void escapeLabel_cutsAtCharacterLimit() {
    QCOMPARE(escapeLabel("\xCE\xB1\xCE\xB2\xCE\xB3\xCE\xB4", 2),
             std::string("\xCE\xB1\xCE\xB2..."));
  }
  void escapeLabel_neverEmitsQuotesOrBackslashesBeforeQuotes() {
    for (const char* label : kHostileLabels) {
      std::string escaped = escapeLabel(label);
      QVERIFY2(escaped.find('"') == std::string::npos, label);
      QVERIFY2(escaped.find('<') == std::string::npos, label);
      for (std::size_t i = 0; i < escaped.size(); ++i) {
        if (escaped[i] == '\\') QCOMPARE(escaped[i + 1], 'n');
      }
    }
  }
  void hostileLabels_renderToSvgAsTheirOwnText() {
    astro::search::SearchTree tree("problem \"<<html>>\"", "42");
    for (const char* label : kHostileLabels) tree.addChild(0, label);
    std::string dot = astro::graph::treeToDot(tree, {.maxStepCharacters = 200}).text;
    std::string svg =
        astro::graph::renderDot(dot, astro::graph::ExportFormat::kSvg, "hostile labels");
    QVERIFY(svg.find("<svg") != std::string::npos);
    // One node group per tree node and one edge per child: nothing was injected or dropped.
    int nodes = 0, edges = 0;
    for (std::size_t at = 0; (at = svg.find("class=\"node\"", at)) != std::string::npos; ++at)
      ++nodes;
    for (std::size_t at = 0; (at = svg.find("class=\"edge\"", at)) != std::string::npos; ++at)
      ++edges;
    QCOMPARE(nodes, tree.size());
    QCOMPARE(edges, tree.size() - 1);
    // The SVG shows the characters themselves (XML-escaped by the SVG writer).
    QVERIFY(svg.find("&lt;&lt;html&gt;&gt;") != std::string::npos);
    QVERIFY(svg.find("back\\slash\\") != std::string::npos);
    QVERIFY(svg.find("say &quot;hi&quot;") != std::string::npos ||
            svg.find("say \"hi\"") != std::string::npos);
    QVERIFY(svg.find("{record|field}") != std::string::npos);
    QVERIFY(svg.find("\\N \\G \\L") != std::string::npos);
    QVERIFY(svg.find("<b>") == std::string::npos);
  }
  void treeToDot_writesOneStatementPerNodeAndEdge() {
    astro::search::SearchTree tree("p", "1");
    int child = tree.addChild(0, "first");
    tree.addChild(child, "second");
    tree.node(2).terminal = true;
    tree.node(2).answer = "1";
    tree.node(2).correct = true;
    std::string dot = astro::graph::treeToDot(tree).text;
    QVERIFY(dot.starts_with("digraph search_tree {\n"));
    QVERIFY(dot.find("  n0 -> n1;\n") != std::string::npos);
    QVERIFY(dot.find("  n1 -> n2;\n") != std::string::npos);
    QVERIFY(dot.find("label=\"#2  N=0  Q=0.00\\nsecond\\nanswer: 1 (correct)\"") !=
            std::string::npos);
    QVERIFY(dot.find("fillcolor=\"#c8e6c9\", peripheries=2") != std::string::npos);
  }
  void treeToDot_statesThePruningLimit() {
    astro::search::SearchTree tree("p", "1");
    for (int i = 0; i < 10; ++i) tree.addChild(0, "s");
    auto dot = astro::graph::treeToDot(tree, {.nodeLimit = 4});
    QCOMPARE(dot.keptIds.size(), std::size_t(4));
    QVERIFY(dot.text.find("pruned by visits: 4 of 11 nodes shown") != std::string::npos);
  }
};

QTEST_APPLESS_MAIN(DotEscapeTest)
#include "dot_escape_test.moc"
