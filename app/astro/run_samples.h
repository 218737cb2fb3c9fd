// The evaluation samples of a native pipeline run, for `astro analyze --run ID`: every
// samples.jsonl its evaluate stages recorded as artifacts, graded again by the verifier their
// problems call for (the domain `auto` resolves to, core/domain/domain_registry.h), and the phrase
// set its linearize stage rendered traces with, so the exact detector parses them back.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include "core/analysis/generation_import.h"
#include "core/store/workspace.h"

namespace astro::cli {

struct RunSamples {
  analysis::ImportResult imported;
  std::optional<std::filesystem::path> phraseSet;  // the linearize stage's "phrases" input
};

// Throws astro::Error naming the run when it has no recorded samples or a file is missing.
RunSamples loadRunSamples(store::Workspace& workspace, std::int64_t runId, bool grade);

}  // namespace astro::cli
