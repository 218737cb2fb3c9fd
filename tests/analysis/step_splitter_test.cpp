// Splitting traces into steps: blank lines (with stray spaces), custom separators, lines.
#include "core/analysis/step_splitter.h"

#include <QtTest>

using astro::analysis::SplitMode;
using astro::analysis::splitSteps;
using astro::analysis::TextSpan;

namespace {
std::vector<std::string> pieces(std::string_view text,
                                const astro::analysis::SplitOptions& o = {}) {
  std::vector<std::string> out;
  for (const TextSpan& span : splitSteps(text, o)) {
    out.emplace_back(text.substr(span.begin, span.end - span.begin));
  }
  return out;
}
}  // namespace

class StepSplitterTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void blankLines_separateSteps() {
    QCOMPARE(pieces("a\n\nb\n\nc"), (std::vector<std::string>{"a", "b", "c"}));
  }
  void blankLinesWithSpacesAndRuns_countAsOneSeparator() {
    QCOMPARE(pieces("a\n  \t\n\n\r\nb\n \nc\n"), (std::vector<std::string>{"a", "b", "c"}));
  }
  void singleNewline_staysInsideAStep() {
    QCOMPARE(pieces("line one\nline two\n\nnext"),
             (std::vector<std::string>{"line one\nline two", "next"}));
  }
  void spans_areTrimmedByteOffsets() {
    auto spans = splitSteps("  a b \n\n c");
    QCOMPARE(spans.size(), std::size_t(2));
    QCOMPARE(spans[0], (TextSpan{2, 5}));
    QCOMPARE(spans[1], (TextSpan{9, 10}));
  }
  void emptyAndWhitespaceText_haveNoSteps() {
    QVERIFY(splitSteps("").empty());
    QVERIFY(splitSteps(" \n\n \n").empty());
  }
  void customSeparator_splitsOnIt() {
    astro::analysis::SplitOptions options{.mode = SplitMode::kSeparator, .separator = "<step>"};
    QCOMPARE(pieces("a<step>b\n\nc<step><step>d", options),
             (std::vector<std::string>{"a", "b\n\nc", "d"}));
  }
  void lineMode_makesEachLineAStep() {
    QCOMPARE(pieces("a\nb\n\nc", {.mode = SplitMode::kLines}),
             (std::vector<std::string>{"a", "b", "c"}));
  }
};

QTEST_APPLESS_MAIN(StepSplitterTest)
#include "step_splitter_test.moc"
