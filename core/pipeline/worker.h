// The headless worker: creates a pipeline run in the store and runs its stages in order, each in
// its own folder under the run's folder. A finished stage is never run again; an interrupted one
// resumes from its checkpoint; a stage whose recorded inputs changed is refused. Everything it
// does is an event in the run's log (and, through the sink, on stdout). docs/pipeline.md.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/pipeline/pipeline_config.h"
#include "core/pipeline/run_events.h"
#include "core/store/workspace.h"

namespace astro::pipeline {

// Stores the run (its exact config text, name, stages) and the path and SHA-256 of its config
// file and of every input the config names, in one transaction. Throws when an input is missing.
// `configFile` may be empty (a config given as text); relative paths then resolve in baseDir.
std::int64_t createRun(store::Workspace& workspace, const PipelineConfig& config,
                       const std::filesystem::path& configFile);

// The stored config of a run, parsed again (paths resolve where they did at creation).
PipelineConfig storedRunConfig(store::Workspace& workspace, std::int64_t runId);

struct WorkerOptions {
  EventSink sink;                           // each event after it is stored
  const std::atomic<bool>* stop = nullptr;  // checked by every stage (signals set it)
  std::chrono::milliseconds progressInterval{1000};
};

enum class WorkerOutcome { kFinished, kInterrupted, kCancelled, kFailed };

struct WorkerResult {
  WorkerOutcome outcome = WorkerOutcome::kFinished;
  std::string message;  // the failure, or what to do next
};

// Runs (or resumes) the run's unfinished stages while holding its worker lock. Throws when the
// run cannot be worked on at all (unknown, imported, locked by another worker, changed inputs);
// a stage that fails is reported in the result (and as an error event), not thrown.
WorkerResult runWorker(store::Workspace& workspace, std::int64_t runId,
                       const WorkerOptions& options = {});

// In a data-parallel run (`astro run --nproc N`, srun), rank 0 runs runWorker and every other
// rank runs this: it joins the stages rank 0 names (those runsOnEveryRank says all ranks share)
// with a context that reports nothing, until rank 0 says the run is over. A failure here is
// written to runs/<id>/rank-<r>.error (rank 0 adds it to the stage's error event) and thrown.
void runFollower(store::Workspace& workspace, std::int64_t runId);

}  // namespace astro::pipeline
