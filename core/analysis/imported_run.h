// Imported runs in the run store: an ImportResult becomes a runs row (kind "imported", its
// metadata as JSON in the config column), its samples with their statistics a JSONL artifact
// (imported/<run id>/samples.jsonl in the workspace), and per-checkpoint accuracy, mean
// backtracks and mean tokens metrics ("analysis/<benchmark>/<name>", step = checkpoint, for
// integer checkpoints). `astro analyze --run ID` reads it back.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/checkpoint_summary.h"
#include "core/analysis/generation_import.h"
#include "core/store/workspace.h"

namespace astro::analysis {

// One JSON object per sample with every ImportedSample field (the artifact's format).
std::string importedSamplesToJsonl(const std::vector<ImportedSample>& samples);
// Throws astro::ParseError naming `source`, the line and the field at fault.
std::vector<ImportedSample> importedSamplesFromJsonl(std::string_view text,
                                                     const std::string& source);

// Stores the run, its samples and metrics in one transaction; returns the new run id.
std::int64_t saveImportedRun(store::Workspace& workspace, const ImportResult& result,
                             const AnalysisSummary& summary);

// Reads an imported run back (bad lines are not stored: the result has none). Throws
// astro::Error when the run does not exist, is not imported, or its samples file is missing.
ImportResult loadImportedRun(store::Workspace& workspace, std::int64_t runId);

}  // namespace astro::analysis
