// Importing other systems' generations: plain (built in), chat and verl (the generation-formats
// plugin, loaded from the build tree), grading with the math verifier, bad lines reported with
// their numbers, and imported samples analysed like native ones.
#include "core/analysis/generation_import.h"

#include <QtTest>

#include "core/analysis/heuristic_detector.h"
#include "core/base/error.h"
#include "core/math/math_verifier.h"
#include "tests/support/built_plugins.h"

using astro::analysis::parseGenerations;

class GenerationImportTest : public QObject {
  Q_OBJECT
 private:
  astro::math::MathVerifier verifier_;

 private Q_SLOTS:
  void initTestCase() { astro::test::loadBuiltPlugins({"generation-formats"}); }
  void plainLines_areParsedAndGraded() {
    std::string text =
        R"({"problem": "1+1?", "completion": "Wait, 1+1 = 2.\n\nSo \\boxed{2}.", "answer": "2", "checkpoint": "100", "benchmark": "toy"})"
        "\n"
        R"({"prompt": "2+2?", "response": "It is \\boxed{5}.", "answer": 4, "step": 200})"
        "\n";
    auto result = parseGenerations(text, "/tmp/gens.jsonl", &verifier_);
    QCOMPARE(result.samples.size(), std::size_t(2));
    QVERIFY(result.badLines.empty());
    const auto& first = result.samples[0];
    QCOMPARE(first.format, std::string("plain"));
    QCOMPARE(first.checkpoint, std::string("100"));
    QCOMPARE(first.benchmark, std::string("toy"));
    QCOMPARE(first.stats.correct, std::optional<bool>(true));
    QCOMPARE(first.gradedBy, std::string("verifier:math"));
    const auto& second = result.samples[1];
    QCOMPARE(second.goldAnswer, std::string("4"));
    QCOMPARE(second.checkpoint, std::string("200"));
    QCOMPARE(second.benchmark, std::string("gens"));  // the file's stem
    QCOMPARE(second.stats.correct, std::optional<bool>(false));
    QCOMPARE(second.stats.answer, std::string("5"));
    QCOMPARE(result.run.name, std::string("gens.jsonl"));
    QCOMPARE(result.run.lines, std::int64_t(2));
  }
  void chatLines_takeTheLastAssistantMessage() {
    std::string text =
        R"({"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "3*3?"}, {"role": "assistant", "content": "\\boxed{9}"}], "answer": "9"})";
    auto result = parseGenerations(text, "chat.jsonl", &verifier_);
    QCOMPARE(result.samples.size(), std::size_t(1));
    QCOMPARE(result.samples[0].format, std::string("chat"));
    QCOMPARE(result.samples[0].prompt, std::string("3*3?"));
    QCOMPARE(result.samples[0].completion, std::string("\\boxed{9}"));
    QCOMPARE(result.samples[0].stats.correct, std::optional<bool>(true));
  }
  void verlDump_usesGroundTruthOrFallsBackToScore() {
    std::string text =
        R"({"input": "<|user|>5-2?", "output": "\\boxed{3}", "gts": "3", "score": 0.0, "step": 40, "data_source": "math500"})"
        "\n"
        R"({"input": "<|user|>5-1?", "output": "\\boxed{4}", "score": 1.0, "step": 40})"
        "\n";
    auto result = parseGenerations(text, "40.jsonl", &verifier_);
    QCOMPARE(result.samples.size(), std::size_t(2));
    QCOMPARE(result.samples[0].format, std::string("verl"));
    QCOMPARE(result.samples[0].benchmark, std::string("math500"));
    QCOMPARE(result.samples[0].checkpoint, std::string("40"));
    QCOMPARE(result.samples[0].stats.correct, std::optional<bool>(true));  // verifier beats score
    QCOMPARE(result.samples[1].gradedBy, std::string("score"));
    QCOMPARE(result.samples[1].stats.correct, std::optional<bool>(true));
  }
  void badLines_areReportedWithTheirLineNumbers() {
    std::string text =
        "{\"problem\": \"a\", \"completion\": \"b\", \"answer\": \"1\"}\n"
        "\n"
        "{not json\n"
        "{\"problem\": \"a\"}\n"
        "[1, 2]\n"
        "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n"
        "{\"problem\": \"a\", \"completion\": {\"x\": 1}}\n"
        "{\"problem\": \"c\", \"completion\": \"d\"}\n";
    auto result = parseGenerations(text, "bad.jsonl", &verifier_);
    QCOMPARE(result.samples.size(), std::size_t(2));
    QCOMPARE(result.samples[1].line, std::int64_t(8));
    QCOMPARE(result.badLines.size(), std::size_t(5));
    std::vector<std::int64_t> lines;
    for (const auto& bad : result.badLines) lines.push_back(bad.line);
    QCOMPARE(lines, (std::vector<std::int64_t>{3, 4, 5, 6, 7}));
    QVERIFY(result.badLines[0].message.starts_with("invalid JSON"));
    QVERIFY(result.badLines[1].message.starts_with("missing completion"));
    QCOMPARE(result.badLines[2].message, std::string("expected a JSON object"));
    QCOMPARE(result.badLines[3].message,
             std::string("plugin generation-formats: field 'messages': no assistant message"));
    QCOMPARE(result.badLines[4].message,
             std::string("field 'completion': expected a string, found object"));
    QVERIFY(!result.samples[1].stats.correct.has_value());  // no gold answer: ungraded
  }
  void detection_triesPluginFormatsBeforePlain() {
    // A verl line that also has a "prompt" extra, and a chat line with a "question" field.
    std::string text =
        R"({"input": "in", "output": "out", "prompt": "extra", "score": 1})"
        "\n"
        R"({"question": "q", "messages": [{"role": "user", "content": "u"}, {"role": "assistant", "content": "a"}]})";
    auto result = parseGenerations(text, "mixed.jsonl", nullptr);
    QCOMPARE(result.samples.size(), std::size_t(2));
    QCOMPARE(result.samples[0].format, std::string("verl"));
    QCOMPARE(result.samples[0].prompt, std::string("in"));
    QCOMPARE(result.samples[1].format, std::string("chat"));
    QCOMPARE(result.samples[1].prompt, std::string("u"));
  }
  void forcedFormat_readsEveryLineWithIt() {
    astro::analysis::ImportOptions options;
    options.format = "verl";
    std::string text = R"({"problem": "p", "completion": "c"})";
    auto result = parseGenerations(text, "f.jsonl", nullptr, options);
    QCOMPARE(result.badLines.size(), std::size_t(1));
    QCOMPARE(result.badLines[0].message,
             std::string(R"(plugin generation-formats: missing prompt (one of "input"))"));
    options.format = "plain";
    QCOMPARE(parseGenerations(text, "f.jsonl", nullptr, options).samples.size(), std::size_t(1));
  }
  void unknownFormat_isUsageErrorListingTheRegisteredOnes() {
    astro::analysis::ImportOptions options;
    options.format = "alpaca";
    try {
      parseGenerations("{}", "f.jsonl", nullptr, options);
      QFAIL("expected a usage error");
    } catch (const astro::UsageError& e) {
      QVERIFY2(
          std::string(e.what()).find(R"("auto", "plain", "chat", "verl")") != std::string::npos,
          e.what());
    }
  }
  void tooManyBadLines_throwsNamingFileAndLine() {
    astro::analysis::ImportOptions options;
    options.maxBadLines = 1;
    try {
      parseGenerations("x\n{}\n", "f.jsonl", &verifier_, options);
      QFAIL("expected an error");
    } catch (const astro::ParseError& e) {
      QCOMPARE(e.line(), std::int64_t(2));
      QCOMPARE(e.file(), std::string("f.jsonl"));
    }
  }
  void samplesWithoutIds_groupByPrompt() {
    std::string text = R"({"problem": "same", "completion": "a"})"
                       "\n"
                       R"({"problem": "same", "completion": "b"})";
    auto result = parseGenerations(text, "g.jsonl", nullptr);
    QCOMPARE(result.samples[0].problemId, result.samples[1].problemId);
    QVERIFY(result.samples[0].problemId.starts_with("sha256:"));
  }
  void analyzeImport_countsBacktracksAndKeepsVerdicts() {
    std::string text =
        R"({"problem": "p", "completion": "Step 1: x.\n\nStep 2: y.\n\nWait, wrong. Going back to step 1.\n\nStep 2: z. \\boxed{1}", "answer": "1"})";
    auto result = parseGenerations(text, "g.jsonl", &verifier_);
    auto analyzed = astro::analysis::analyzeImport(result, astro::analysis::HeuristicDetector());
    QCOMPARE(analyzed.size(), std::size_t(1));
    QCOMPARE(analyzed[0].stats.backtracks, 1);
    QCOMPARE(analyzed[0].stats.steps, 3);
    QCOMPARE(analyzed[0].stats.reflections, 1);
    QCOMPARE(analyzed[0].stats.correct, std::optional<bool>(true));
    QCOMPARE(result.run.detector, std::string("heuristic:heuristic-en-v1"));
  }
};

QTEST_APPLESS_MAIN(GenerationImportTest)
#include "generation_import_test.moc"
