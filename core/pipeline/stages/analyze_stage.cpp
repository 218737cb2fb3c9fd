// The analyze stage: the evaluation samples through core/analysis: reflections, backtracks and
// length per sample, per-checkpoint accuracy with bootstrap intervals, and their correlations
// across checkpoints; tables as CSV and text in the stage folder, summaries as metrics.
#include <cmath>

#include "core/analysis/exact_detector.h"
#include "core/analysis/generation_import.h"
#include "core/analysis/heuristic_detector.h"
#include "core/analysis/report_tables.h"
#include "core/base/atomic_file.h"
#include "core/domain/domain_registry.h"
#include "core/pipeline/stages/stage_phrases.h"
#include "core/pipeline/stages/stages.h"

namespace astro::pipeline {

namespace {

std::shared_ptr<const analysis::TraceDetector> makeDetector(const AnalyzeStage& config,
                                                            const domain::Domain& sampleDomain,
                                                            const StageContext& context) {
  if (config.detector == "heuristic") {
    return std::make_shared<analysis::HeuristicDetector>(analysis::defaultHeuristicPhrases());
  }
  return stageDetector(sampleDomain, context);
}

// The samples' problems' domain (core/domain/domain_registry.h): their verifier and detector.
const domain::Domain& chooseSampleDomain(const AnalyzeStage& config,
                                         const analysis::ImportResult& ungraded) {
  return domain::resolveDomain(config.verifier, analysis::samplesProblems(ungraded));
}

}  // namespace

void runAnalyzeStage(const AnalyzeStage& config, StageContext& context) {
  const std::filesystem::path& samplesFile = context.input("samples");
  const domain::Domain& sampleDomain =
      chooseSampleDomain(config, analysis::importGenerations(samplesFile, nullptr));
  auto verifier = sampleDomain.makeVerifier();
  analysis::ImportResult imported = analysis::importGenerations(samplesFile, verifier.get());
  if (imported.samples.empty()) {
    throw Error(samplesFile.string() + ": no usable samples (" +
                std::to_string(imported.badLines.size()) + " bad lines)");
  }
  context.throwIfStopped();
  auto detector = makeDetector(config, sampleDomain, context);
  auto analyzed = analysis::analyzeImport(imported, *detector);
  auto summary =
      analysis::summarize(analyzed, {.resamples = config.bootstrap, .seed = config.seed});
  auto tables = analysis::summaryTables(summary);
  analysis::writeCsvTables(tables, context.folder / "tables");

  std::string report = "detector " + detector->name() + ", verifier " + verifier->name() + ", " +
                       std::to_string(imported.samples.size()) + " samples\n";
  for (const auto& table : tables)
    report += "\n" + table.name + "\n" + analysis::formatTable(table);
  writeFileAtomically(context.folder / "report.txt", report);

  for (const auto& row : summary.checkpoints) {
    std::string prefix = row.benchmark + "/" + row.checkpoint + "/";
    context.metric(prefix + "accuracy", 0, row.accuracy.estimate);
    context.metric(prefix + "mean_backtracks", 0, row.meanBacktracks.estimate);
    context.metric(prefix + "mean_tokens", 0, row.meanTokens.estimate);
  }
  for (const auto& correlation : summary.correlations) {
    if (std::isfinite(correlation.pearson.r)) {
      context.metric(correlation.benchmark + "/pearson/" + correlation.variable, 0,
                     correlation.pearson.r);
    }
  }
  context.log("backtracks, length and accuracy per checkpoint, and their correlations:\n" + report);
  context.artifact("table", context.folder / "tables");
  context.artifact("report", context.folder / "report.txt");
}

}  // namespace astro::pipeline
