// The live state of a run (run_state.h).
#include "core/pipeline/run_state.h"

#include <algorithm>

#include "core/pipeline/run_layout.h"
#include "core/pipeline/worker_lock.h"

namespace astro::pipeline {

RunState describeRun(store::Workspace& workspace, const store::Run& run) {
  RunState state;
  state.status = run.status;
  bool hasLockFile = false;
  if (run.kind == store::RunKind::kNative) {
    std::filesystem::path lockFile = RunLayout(workspace.folder(), run.id).lockFile();
    hasLockFile = std::filesystem::exists(lockFile);
    state.workerPid = lockHolder(lockFile);
  }
  // Only runs a worker ever held have a lock file; others keep the status they were given.
  if (state.status == store::RunStatus::kRunning && hasLockFile && !state.workerPid) {
    state.status = store::RunStatus::kInterrupted;  // killed without a chance to say so
  }
  auto stages = workspace.stages().list(run.id);
  state.stageCount = static_cast<int>(stages.size());
  for (const store::Stage& stage : stages) {
    if (stage.kind == run.currentStage) state.stagePosition = stage.position;
  }
  if (auto progress = workspace.events().lastOfKind(run.id, store::EventKind::kProgress)) {
    state.phase = progress->payload.value("phase", std::string());
    auto eta = progress->payload.find("eta_seconds");
    // A mirrored run's worker is on its host; the mirror says it is running.
    bool working = state.workerPid.has_value() ||
                   (state.status == store::RunStatus::kRunning &&
                    workspace.remoteRuns().find(run.id).has_value());
    if (working && eta != progress->payload.end() && eta->is_number()) {
      // Counted down from when it was reported.
      double since = double(store::toMilliseconds(store::currentTimestamp()) -
                            store::toMilliseconds(progress->time)) /
                     1000.0;
      state.etaSeconds = std::max(0.0, eta->get<double>() - since);
    }
  }
  return state;
}

}  // namespace astro::pipeline
