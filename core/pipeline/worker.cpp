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
#include "core/pipeline/worker_lock.h"

namespace astro::pipeline {

namespace fs = std::filesystem;
using store::RunStatus;

const fs::path& StageContext::input(const std::string& name) const {
  auto found = inputs.find(name);
  if (found == inputs.end()) throw Error("stage " + stage.kind + " has no input '" + name + "'");
  return found->second;
}

namespace {

void runStage(const StageConfig& config, StageContext& context) {
  std::visit(
      [&](const auto& parameters) {
        using T = std::decay_t<decltype(parameters)>;
        if constexpr (std::is_same_v<T, PretrainBaseStage>)
          runPretrainBaseStage(parameters, context);
        if constexpr (std::is_same_v<T, SearchStage>) runSearchStage(parameters, context);
        if constexpr (std::is_same_v<T, LinearizeStage>) runLinearizeStage(parameters, context);
        if constexpr (std::is_same_v<T, SftStage>) runSftStage(parameters, context);
        if constexpr (std::is_same_v<T, RlStage>) runRlStage(parameters, context);
        if constexpr (std::is_same_v<T, EvaluateStage>) runEvaluateStage(parameters, context);
        if constexpr (std::is_same_v<T, AnalyzeStage>) runAnalyzeStage(parameters, context);
      },
      config.parameters);
}

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
  if (run.status == RunStatus::kFinished) {
    return {WorkerOutcome::kFinished, "run " + std::to_string(runId) + " already finished"};
  }
  PipelineConfig config = storedRunConfig(workspace, runId);
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
              {"stages_left", unfinished.size()}});

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
      runStage(stageConfig, context);
    } catch (const StopRequested&) {
      return stopped(workspace, events, layout);
    } catch (const std::exception& error) {
      if (stop.load()) return stopped(workspace, events, layout);  // a stage cut short mid-call
      workspace.stages().markFinished(stage.id, store::StageStatus::kFailed);
      workspace.runs().updateStatus(runId, RunStatus::kFailed);
      events.error(error.what(), stage.kind);
      return {WorkerOutcome::kFailed, stage.kind + ": " + error.what()};
    }
    events.stageFinished(
        stage, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  workspace.runs().updateStatus(runId, RunStatus::kFinished);
  events.log("run finished", {{"status", "finished"}});
  return {WorkerOutcome::kFinished, {}};
}

}  // namespace astro::pipeline
