// Imported runs in the run store: saved with samples, statistics and metrics, read back equal.
// The example has a verl line: the generation-formats plugin is loaded from the build tree.
#include "core/analysis/imported_run.h"

#include <QtTest>

#include "core/analysis/heuristic_detector.h"
#include "core/base/error.h"
#include "tests/support/built_plugins.h"
#include "tests/support/test_support.h"

using namespace astro::analysis;

namespace {
ImportResult importedExample() {
  // Plain strings (not raw ones): moc misreads raw strings that hold escaped quotes.
  std::string text =
      "{\"problem\": \"p1\", \"completion\": \"Step 1.\\n\\nWait, going back to step "
      "1.\\n\\n\\\\boxed{2}\", \"answer\": \"2\", \"checkpoint\": \"100\", "
      "\"benchmark\": \"toy\"}\n"
      "{\"input\": \"p2\", \"output\": \"\\\\boxed{7}\", \"score\": 0, \"step\": 200}\n";
  ImportResult result = parseGenerations(text, "/data/gens.jsonl", nullptr);
  analyzeImport(result, HeuristicDetector(), 1);
  return result;
}
}  // namespace

class ImportedRunTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { astro::test::loadBuiltPlugins({"generation-formats"}); }
  void samplesJsonl_roundTripsEveryField() {
    ImportResult result = importedExample();
    auto back = importedSamplesFromJsonl(importedSamplesToJsonl(result.samples), "x.jsonl");
    QCOMPARE(back.size(), result.samples.size());
    for (std::size_t i = 0; i < back.size(); ++i) {
      const auto& a = result.samples[i];
      const auto& b = back[i];
      QCOMPARE(b.line, a.line);
      QCOMPARE(b.format, a.format);
      QCOMPARE(b.problemId, a.problemId);
      QCOMPARE(b.completion, a.completion);
      QCOMPARE(b.checkpoint, a.checkpoint);
      QCOMPARE(b.gradedBy, a.gradedBy);
      QCOMPARE(b.stats.answer, a.stats.answer);
      QCOMPARE(b.stats.correct, a.stats.correct);
      QCOMPARE(b.stats.backtracks, a.stats.backtracks);
      QCOMPARE(b.stats.tokens, a.stats.tokens);
    }
  }
  void malformedSamplesFile_namesLineAndField() {
    try {
      importedSamplesFromJsonl("{\"line\": \"one\"}\n", "s.jsonl");
      QFAIL("expected an error");
    } catch (const astro::ParseError& e) {
      QCOMPARE(e.line(), std::int64_t(1));
      QCOMPARE(e.field(), std::string("line"));
    }
  }
  void savedRun_readsBackWithMetrics() {
    auto dir = astro::test::freshTempDir("imported_run");
    ImportResult result = importedExample();
    std::vector<AnalyzedSample> analyzed;
    for (const auto& s : result.samples) {
      analyzed.push_back({s.problemId, s.checkpoint, s.benchmark, s.stats});
    }
    auto summary = summarize(analyzed, {.resamples = 50});
    std::int64_t runId = 0;
    {
      auto workspace = astro::store::Workspace::open(dir);
      runId = saveImportedRun(workspace, result, summary);
      auto run = workspace.runs().get(runId);
      QCOMPARE(run.kind, astro::store::RunKind::kImported);
      QCOMPARE(run.status, astro::store::RunStatus::kFinished);
      QCOMPARE(run.name, std::string("gens.jsonl"));
      // p1 is ungraded (no verifier given): no accuracy point for "toy".
      QVERIFY(workspace.metrics().series(runId, "analysis/toy/accuracy").empty());
      auto backtracks = workspace.metrics().series(runId, "analysis/toy/mean_backtracks");
      QCOMPARE(backtracks, (std::vector<astro::store::MetricPoint>{{100, 1.0}}));
      auto accuracy = workspace.metrics().series(runId, "analysis/gens/accuracy");
      QCOMPARE(accuracy, (std::vector<astro::store::MetricPoint>{{200, 0.0}}));
    }
    auto workspace = astro::store::Workspace::open(dir, {.readOnly = true});
    ImportResult back = loadImportedRun(workspace, runId);
    QCOMPARE(back.samples.size(), result.samples.size());
    QCOMPARE(back.run.sourcePath, std::string("/data/gens.jsonl"));
    QCOMPARE(back.run.sourceSha256, result.run.sourceSha256);
    QCOMPARE(back.samples[0].stats.backtracks, 1);
  }
  void nativeRun_isRefused() {
    auto dir = astro::test::freshTempDir("imported_run_native");
    auto workspace = astro::store::Workspace::open(dir);
    astro::store::NewRun run;
    run.name = "native";
    auto id = workspace.runs().create(run).id;
    QVERIFY_THROWS_EXCEPTION(astro::Error, loadImportedRun(workspace, id));
  }
};

QTEST_APPLESS_MAIN(ImportedRunTest)
#include "imported_run_test.moc"
