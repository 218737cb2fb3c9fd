// What the side panel shows under a run besides its stages: its checkpoints (artifacts of kind
// "checkpoint" or "model"; without any, the checkpoints its evaluations name) and its evaluations
// (one per checkpoint and benchmark: the stored evaluation samples' set with its correct count,
// and the accuracy the evaluate/analyze stages or an import recorded as metrics). Read on a
// worker thread through core/store, like the other workspace reads. A mirrored run's checkpoints
// say whether their files are here or still on the host.
#pragma once

#include <QString>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

namespace astro::gui {

struct RunCheckpoint {
  QString name;    // the artifact's path, or the evaluated checkpoint's label
  QString detail;  // "model · 1.2 MiB", "model · 1.2 MiB · on host", or "evaluated"
  QString tooltip;
  std::int64_t artifactId = 0;  // 0: named by an evaluation only
  // A mirrored run's artifact whose files are still only on the host (`astro fetch` copies them).
  bool onHost = false;
};

struct RunEvaluation {
  QString checkpoint;
  QString benchmark;
  std::int64_t samples = 0;  // stored evaluation samples; 0 when none are stored
  std::int64_t correct = 0;
  std::optional<double> accuracy;  // the recorded accuracy (or pass@1) metric
};

struct RunContents {
  std::int64_t runId = 0;
  std::vector<RunCheckpoint> checkpoints;
  std::vector<RunEvaluation> evaluations;
  QString error;
};

// Never throws: errors land in `error`. A folder without a workspace gives empty contents.
RunContents readRunContents(const std::filesystem::path& folder, std::int64_t runId);

}  // namespace astro::gui
