// The worker loop (worker.h): lock the run, check its recorded inputs, run the unfinished stages
// in order, and leave the run finished, interrupted, cancelled or failed.
#include "core/pipeline/worker.h"

#include <unistd.h>

#include <chrono>

#include "core/base/error.h"
#include "core/pipeline/input_check.h"
#include "core/pipeline/run_layout.h"
#include "core/pipeline/stage_context.h"
#include "core/pipeline/stage_inputs.h"
#include "core/pipeline/stages/stages.h"
#include "core/pipeline/stages/trainer_folder.h"
#include "core/dist/job.h"
#include "core/pipeline/rank_failures.h"
#include "core/pipeline/worker_lock.h"

namespace astro::pipeline {

namespace fs = std::filesystem;
using store::RunStatus;

const fs::path& StageContext::input(const std::string& name) const {
  auto found = inputs.find(name);
  if (found == inputs.end()) throw Error("stage " + stage.kind + " has no input '" + name + "'");
  return found->second;
}

void StageContext::setCheckpoint(const fs::path& checkpoint) {
  if (rankZero) workspace.stages().setCheckpoint(stage.id, checkpointText(checkpoint, workspace.folder()));
}

namespace {

void checkStagesMatch(const PipelineConfig& config, const std::vector<store::Stage>& stages,
                      std::int64_t runId) {
  bool same = stages.size() == config.stages.size();
  for (std::size_t i = 0; same && i < stages.size(); ++i) {
    same = stages[i].kind == stageKindName(config.stages[i].kind);
  }
  if (!same) {
    throw Error("run " + std::to_string(runId) +
                ": its stored stages do not match its stored config; the store was edited");
  }
}

// Stops at a stage boundary or inside a stage: interrupted, or cancelled when asked so.
WorkerResult stopped(store::Workspace& workspace, RunEvents& events, const RunLayout& layout) {
  bool cancelled = fs::exists(layout.cancelFile());
  RunStatus status = cancelled ? RunStatus::kCancelled : RunStatus::kInterrupted;
  workspace.runs().updateStatus(layout.runId(), status);
  std::string next = "astro resume " + std::to_string(layout.runId()) + " continues it";
  events.log(
      std::string(cancelled ? "cancelled" : "stopped") + " after saving a checkpoint; " + next,
      {{"status", store::runStatusName(status)}});
  return {cancelled ? WorkerOutcome::kCancelled : WorkerOutcome::kInterrupted, next};
}

// Rank 0's side of a data-parallel run: tells the other ranks (runFollower) which stage to join,
// and that the run is over. Without other ranks it does nothing.
class Followers {
 public:
  Followers(const std::string& device, const RunLayout& layout)
      : device_(device), ranks_(dist::joinJob(device)) {
    if (ranks_.distributed()) clearRankFailures(layout);
  }
  int worldSize() const { return ranks_.worldSize; }
  void joinStage(std::size_t index, StageKind kind) {
    if (ranks_.distributed() && runsOnEveryRank(kind)) {
      dist::broadcastFromRankZero(device_, std::to_string(index));
    }
  }
  // Only after a clean end: when a collective failed, the others are gone or waiting in another
  // collective, and end when this process exits.
  void release() {
    if (ranks_.distributed()) dist::broadcastFromRankZero(device_, "end");
  }

 private:
  std::string device_;
  dist::JobRanks ranks_;
};

}  // namespace

WorkerResult runWorker(store::Workspace& workspace, std::int64_t runId,
                       const WorkerOptions& options) {
  static const std::atomic<bool> kNeverStop{false};
  const std::atomic<bool>& stop = options.stop != nullptr ? *options.stop : kNeverStop;
  RunLayout layout(workspace.folder(), runId);
  workspace.runs().get(runId);  // "no run N in workspace ..." before a folder is made for it
  if (auto remote = workspace.remoteRuns().find(runId)) {
    throw Error("run " + std::to_string(runId) + " runs on host '" + remote->profile +
                "' (its run " + std::to_string(remote->remoteRunId) +
                " there); this workspace holds its mirror. `astro resume " +
                std::to_string(runId) + "` continues it on that host");
  }
  WorkerLock lock = WorkerLock::acquire(layout.lockFile(), "run " + std::to_string(runId));

  store::Run run = workspace.runs().get(runId);
  PipelineConfig config = storedRunConfig(workspace, runId);
  Followers followers(config.device, layout);
  if (run.status == RunStatus::kFinished) {
    followers.release();
    return {WorkerOutcome::kFinished, "run " + std::to_string(runId) + " already finished"};
  }
  std::vector<store::Stage> stages = workspace.stages().list(runId);
  checkStagesMatch(config, stages, runId);
  std::vector<store::Stage> unfinished;
  for (const store::Stage& stage : stages) {
    if (stage.status != store::StageStatus::kFinished) unfinished.push_back(stage);
  }

  RunEvents events(workspace, runId, options.sink, options.progressInterval);
  const bool resuming = workspace.events().lastSeq(runId) > 0;
  try {
    verifyRecordedInputs(workspace, runId, unfinished);
  } catch (const Error& error) {
    events.error(error.what());
    throw;
  }
  fs::remove(layout.cancelFile());
  workspace.runs().updateStatus(runId, RunStatus::kRunning);
  events.log(resuming ? "run resumed" : "run started",
             {{"status", "running"},
              {"name", run.name},
              {"pid", static_cast<std::int64_t>(::getpid())},
              {"stages", stages.size()},
              {"stages_left", unfinished.size()},
              {"ranks", followers.worldSize()}});

  for (std::size_t i = 0; i < stages.size(); ++i) {
    const store::Stage& stage = stages[i];
    if (stage.status == store::StageStatus::kFinished) continue;
    if (stop.load()) return stopped(workspace, events, layout);
    const StageConfig& stageConfig = config.stages[i];
    StageContext context{.workspace = workspace,
                         .stage = stage,
                         .folder = layout.stageFolder(stage.position, stageConfig.kind),
                         .inputs = {},
                         .events = events,
                         .stop = stop,
                         .device = config.device};
    auto started = std::chrono::steady_clock::now();
    try {
      fs::create_directories(context.folder);
      for (const auto& [name, input] : stageInputs(stageConfig)) {
        context.inputs[name] = layout.resolve(input, config);
      }
      recordStageInputs(workspace, stage, context.inputs);
      events.stageStarted(stage, static_cast<int>(stages.size()),
                          stage.status != store::StageStatus::kPending);
      followers.joinStage(i, stageConfig.kind);
      runStage(stageConfig, context);
    } catch (const StopRequested&) {
      return stopped(workspace, events, layout);
    } catch (const std::exception& error) {
      if (stop.load()) return stopped(workspace, events, layout);  // a stage cut short mid-call
      std::string message = error.what();
      if (followers.worldSize() > 1) {
        if (std::string others = rankFailures(layout); !others.empty()) message += " (" + others + ")";
      }
      workspace.stages().markFinished(stage.id, store::StageStatus::kFailed);
      workspace.runs().updateStatus(runId, RunStatus::kFailed);
      events.error(message, stage.kind);
      return {WorkerOutcome::kFailed, stage.kind + ": " + message};
    }
    events.stageFinished(
        stage, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  workspace.runs().updateStatus(runId, RunStatus::kFinished);
  events.log("run finished", {{"status", "finished"}});
  followers.release();
  return {WorkerOutcome::kFinished, {}};
}

void runFollower(store::Workspace& workspace, std::int64_t runId) {
  static const std::atomic<bool> kRankZeroDecides{false};  // stops reach rank 0's trainers
  RunLayout layout(workspace.folder(), runId);
  PipelineConfig config = storedRunConfig(workspace, runId);
  dist::JobRanks ranks = dist::joinJob(config.device);
  std::vector<store::Stage> stages = workspace.stages().list(runId);
  checkStagesMatch(config, stages, runId);
  RunEvents events(workspace, runId);  // never written to: rankZero is false below
  try {
    for (;;) {
      std::string command = dist::broadcastFromRankZero(config.device, {});
      if (command == "end") return;
      std::size_t index = std::stoul(command);
      if (index >= stages.size()) throw Error("rank 0 named stage " + command + " of " + std::to_string(stages.size()));
      const StageConfig& stageConfig = config.stages[index];
      StageContext context{.workspace = workspace,
                           .stage = stages[index],
                           .folder = layout.stageFolder(stages[index].position, stageConfig.kind),
                           .inputs = {},
                           .events = events,
                           .stop = kRankZeroDecides,
                           .device = config.device,
                           .rankZero = false};
      for (const auto& [name, input] : stageInputs(stageConfig)) {
        context.inputs[name] = layout.resolve(input, config);
      }
      try {
        runStage(stageConfig, context);
      } catch (const StopRequested&) {
        // Rank 0 asked the trainer to stop; it ends the run, and this process with it.
      }
    }
  } catch (const std::exception& error) {
    recordRankFailure(layout, ranks.rank, error.what());
    throw;
  }
}

}  // namespace astro::pipeline
