// What the worker hands a stage: the stage's row, its own output folder inside the run folder,
// its inputs as absolute paths, the run's event reporter, and the stop flag. A stage resumes from
// whatever its folder already holds and throws StopRequested after checkpointing when asked to
// stop; returning normally means its outputs are complete.
//
// In a data-parallel run (`astro run --nproc N`, srun) every rank runs the same stage with the
// same context, and rank 0 alone reports: on the other ranks (`rankZero` false) progress,
// metrics, artifacts, logs and checkpoint records go nowhere, and a stage must write its own
// files only where rankZero says so.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <string>

#include "core/base/error.h"
#include "core/pipeline/run_events.h"
#include "core/store/stage_repository.h"

namespace astro::pipeline {

// A stage stopped on request (SIGTERM, `astro cancel`) after saving what it could.
class StopRequested : public Error {
 public:
  StopRequested() : Error("stopped on request") {}
};

struct StageContext {
  store::Workspace& workspace;
  store::Stage stage;
  std::filesystem::path folder;                         // absolute, created before the stage runs
  std::map<std::string, std::filesystem::path> inputs;  // name -> absolute path
  RunEvents& events;
  const std::atomic<bool>& stop;
  std::string device = "cpu";
  bool rankZero = true;

  bool stopRequested() const { return stop.load(); }
  void throwIfStopped() const {
    if (stop.load()) throw StopRequested();
  }
  const std::filesystem::path& input(const std::string& name) const;  // throws when absent
  void progress(std::int64_t done, std::int64_t total, const std::string& phase = {}) {
    if (rankZero) events.progress(stage.kind, done, total, phase);
  }
  void metric(const std::string& name, std::int64_t step, double value) {
    if (rankZero) events.metric(stage, name, step, value);
  }
  void artifact(const std::string& kind, const std::filesystem::path& path) {
    if (rankZero) events.artifact(stage, kind, path);
  }
  void log(const std::string& message, nlohmann::json extra = nlohmann::json::object()) {
    extra["stage"] = stage.kind;
    if (rankZero) events.log(message, std::move(extra));
  }
  // Records `checkpoint` (a folder inside the workspace) as the stage's resume point.
  void setCheckpoint(const std::filesystem::path& checkpoint);
};

}  // namespace astro::pipeline
