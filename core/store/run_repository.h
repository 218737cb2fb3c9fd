// Runs in the workspace: one row per pipeline run (native) or imported set of generations, with
// its status, current stage and progress, as value structs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/store/timestamp.h"

namespace astro::store {

namespace detail {
class Connection;
}

enum class RunKind { kNative, kImported };
enum class RunStatus { kPending, kRunning, kInterrupted, kFinished, kFailed, kCancelled };

std::string runKindName(RunKind kind);
std::string runStatusName(RunStatus status);
// Throw astro::Error naming the unknown word.
RunKind parseRunKind(const std::string& text);
RunStatus parseRunStatus(const std::string& text);

struct NewRun {
  std::string name{};
  std::string config{};  // the pipeline config (TOML text) as given
  std::string host{};    // where the worker runs: "local", an ssh host, a Slurm cluster
  RunKind kind = RunKind::kNative;
};

struct Run {
  std::int64_t id = 0;
  std::string name{};
  RunKind kind = RunKind::kNative;
  RunStatus status = RunStatus::kPending;
  std::string config{};
  std::string host{};
  std::string currentStage{};  // empty before the first stage starts
  std::int64_t progressDone = 0;
  std::int64_t progressTotal = 0;
  Timestamp created{};
  Timestamp updated{};
};

class RunRepository {
 public:
  explicit RunRepository(detail::Connection& connection) : connection_(connection) {}

  Run create(const NewRun& run);
  std::optional<Run> find(std::int64_t id);
  // Throws astro::Error "no run 42 in workspace /path" when absent.
  Run get(std::int64_t id);
  std::vector<Run> list();  // oldest first

  // Each throws "no run N in workspace ..." when the run does not exist.
  void updateStatus(std::int64_t id, RunStatus status);
  void updateProgress(std::int64_t id, const std::string& currentStage, std::int64_t done,
                      std::int64_t total);
  // Deletes the run with its stages, events, metrics and artifact records (not the files).
  void remove(std::int64_t id);

 private:
  detail::Connection& connection_;
};

}  // namespace astro::store
