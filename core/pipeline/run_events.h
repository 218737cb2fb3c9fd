// What a worker reports while it runs a pipeline: each event is appended to the run's event log
// in the store (one transaction, together with the metric point or progress it carries) and then
// handed to a sink, which prints it on stdout as a JSON line (event_line.h). Progress is
// throttled and carries an ETA from the stage's own pace since it (re)started.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/store/workspace.h"

namespace astro::pipeline {

using EventSink = std::function<void(const store::Event&)>;

class RunEvents {
 public:
  RunEvents(store::Workspace& workspace, std::int64_t runId, EventSink sink = {},
            std::chrono::milliseconds progressInterval = std::chrono::milliseconds(1000));

  store::Event emit(store::EventKind kind, nlohmann::json payload);
  void log(const std::string& message, nlohmann::json extra = nlohmann::json::object());
  void error(const std::string& message, const std::string& stage = {});

  void stageStarted(const store::Stage& stage, int stages, bool resumed);
  void stageFinished(const store::Stage& stage, double seconds);

  // Stores the run's current stage and progress; emits a progress event at most once per
  // interval (always for done == total). ETA: the rest at this session's pace so far. `phase`
  // names a part of a stage with its own count ("training", "evaluation"); it may be empty.
  void progress(const std::string& stage, std::int64_t done, std::int64_t total,
                const std::string& phase = {});
  // A point of the series "<stage>/<name>" (metrics table and a metric event, one transaction).
  void metric(const store::Stage& stage, const std::string& name, std::int64_t step, double value);
  // Hashes `path` (file or folder) and records it as an artifact of the stage.
  void artifact(const store::Stage& stage, const std::string& kind,
                const std::filesystem::path& path);

 private:
  store::Event emitInTransaction(store::EventKind kind, nlohmann::json payload,
                                 const std::function<void()>& alsoStore);

  store::Workspace& workspace_;
  std::int64_t runId_;
  EventSink sink_;
  std::chrono::milliseconds progressInterval_;
  struct ProgressSession {
    std::string stage;
    std::string phase;
    std::int64_t total = 0;
    std::int64_t doneAtStart = 0;
    std::chrono::steady_clock::time_point started;
    std::optional<std::chrono::steady_clock::time_point> lastEmitted;
  };
  std::optional<ProgressSession> session_;
};

}  // namespace astro::pipeline
