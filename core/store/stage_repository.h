// Stages of a run in pipeline order (search, sft, rl, evaluation, ...), with when each started and
// finished and the checkpoint it resumes from, as value structs.
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

enum class StageStatus { kPending, kRunning, kFinished, kFailed, kSkipped };
std::string stageStatusName(StageStatus status);
StageStatus parseStageStatus(const std::string& text);  // throws astro::Error naming the word

struct Stage {
  std::int64_t id = 0;
  std::int64_t runId = 0;
  int position = 0;  // 1, 2, ... in pipeline order
  std::string kind{};
  StageStatus status = StageStatus::kPending;
  std::optional<Timestamp> started{};
  std::optional<Timestamp> finished{};
  std::string checkpoint{};  // workspace-relative folder of the last checkpoint; empty when none
};

class StageRepository {
 public:
  explicit StageRepository(detail::Connection& connection) : connection_(connection) {}

  // Appends a stage after the run's last one.
  Stage add(std::int64_t runId, const std::string& kind);
  std::vector<Stage> list(std::int64_t runId);  // in pipeline order
  Stage get(std::int64_t stageId);              // throws when absent

  void markStarted(std::int64_t stageId);
  // `status` is the final one: finished, failed or skipped.
  void markFinished(std::int64_t stageId, StageStatus status);
  void setCheckpoint(std::int64_t stageId, const std::string& checkpoint);
  // A mirror's copy of another store's stage: status, times and checkpoint as given.
  void mirror(std::int64_t stageId, const Stage& from);

 private:
  void requireChanged(std::int64_t stageId);
  detail::Connection& connection_;
};

}  // namespace astro::store
