// A run as `astro runs list/show` and the studio present it: its stored status corrected by
// whether a worker really holds it (a "running" run whose worker was killed is interrupted; runs
// no worker ever held keep their stored status), the current stage's position, and the ETA of
// the last progress report while a worker is live.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "core/store/workspace.h"

namespace astro::pipeline {

struct RunState {
  store::RunStatus status = store::RunStatus::kPending;  // as stored, or interrupted (see above)
  std::optional<pid_t> workerPid;                        // the live worker, if any
  int stagePosition = 0;  // of the current stage (1-based); 0 before the first
  int stageCount = 0;
  std::string phase;                 // of the last progress event ("training", ...)
  std::optional<double> etaSeconds;  // only while a worker is live
};

RunState describeRun(store::Workspace& workspace, const store::Run& run);

}  // namespace astro::pipeline
