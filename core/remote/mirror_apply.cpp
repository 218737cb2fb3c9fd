// The local side of the mirror (mirror_apply.h).
#include "core/remote/mirror_apply.h"

#include <utility>

#include "core/base/error.h"
#include "core/remote/mirror_records.h"

namespace astro::remote {

using nlohmann::json;

std::string mirroredArtifactPath(const std::string& profile, const std::string& remotePath) {
  return "remote/" + profile + "/" + remotePath;
}

std::int64_t createMirrorRun(store::Workspace& local, const json& record,
                             store::RemoteRun remote) {
  if (record.value("type", "") != "run") throw Error("expected a run record to create a mirror");
  if (record.value("format", 0) != kMirrorFormatVersion) {
    throw Error("the host speaks mirror format " + std::to_string(record.value("format", 0)) +
                ", this astro " + std::to_string(kMirrorFormatVersion) +
                ": install the same Astro Studio version on both sides");
  }
  std::int64_t runId = 0;
  local.transaction([&] {
    store::Run run = local.runs().create({.name = recordText(record.at("name")),
                                          .config = recordText(record.at("config")),
                                          .host = remote.profile});
    runId = run.id;
    for (const json& stage : record.at("stages")) {
      local.stages().add(runId, stage.at("kind").get<std::string>());
    }
    remote.runId = runId;
    remote.cursor = {};
    local.remoteRuns().add(remote);
  });
  return runId;
}

MirrorApplier::MirrorApplier(store::Workspace& local, std::int64_t localRunId)
    : local_(local), runId_(localRunId) {
  auto remote = local.remoteRuns().find(localRunId);
  if (!remote) throw Error("run " + std::to_string(localRunId) + " is not a mirrored run");
  profile_ = remote->profile;
  cursor_ = remote->cursor;
  for (const store::Stage& stage : local.stages().list(localRunId)) {
    localStageByPosition_[stage.position] = stage.id;
    localStageByKind_.emplace(stage.kind, stage.id);
  }
}

std::optional<std::int64_t> MirrorApplier::localStage(
    std::optional<std::int64_t> remoteStageId) const {
  if (!remoteStageId) return std::nullopt;
  auto position = positionByRemoteStage_.find(*remoteStageId);
  if (position == positionByRemoteStage_.end()) {
    throw Error("mirror: sample set of unknown remote stage " + std::to_string(*remoteStageId));
  }
  return localStageByPosition_.at(position->second);
}

void MirrorApplier::beginStream() {
  events_.clear();
  trees_.clear();
  sampleSets_.clear();
  run_.reset();
  ended_ = false;
}

std::vector<store::Event> MirrorApplier::apply(const std::string& line) {
  json record;
  try {
    record = json::parse(line);
  } catch (const json::exception& error) {
    throw Error("mirror: not a JSON record (" + std::string(error.what()) + "): " +
                line.substr(0, 120));
  }
  std::string type = record.value("type", "");
  if (type == "event") {
    events_.push_back(eventFromRecord(record, runId_));
  } else if (type == "tree") {
    trees_.push_back(treeFromRecord(record, runId_));
  } else if (type == "samples") {
    std::vector<store::SampleRow> rows;
    for (const json& row : record.at("rows")) rows.push_back(sampleRowFromRecord(row));
    json key = record;
    key.erase("rows");
    sampleSets_.emplace_back(std::move(key), std::move(rows));
  } else if (type == "stages") {
    for (const json& pair : record.at("ids")) {
      positionByRemoteStage_[pair.at(0).get<std::int64_t>()] = pair.at(1).get<int>();
    }
  } else if (type == "run") {
    run_ = record;
  } else if (type == "commit") {
    commit(cursorFromJson(record.at("cursor")));
    return std::exchange(committedEvents_, {});
  } else if (type == "end") {
    ended_ = true;
    runOver_ = record.value("run_over", runOver_);
  } else if (type == "error") {
    throw Error("the host could not export the run: " + record.value("message", std::string()));
  } else {
    throw Error("mirror: unknown record type '" + type + "'");
  }
  return {};
}

void MirrorApplier::commit(const store::MirrorCursor& cursor) {
  local_.transaction([&] {
    local_.events().appendMirrored(runId_, events_);
    for (const store::Event& event : events_) {
      const json& payload = event.payload;
      auto stage = localStageByKind_.find(payload.value("stage", std::string()));
      std::optional<std::int64_t> stageId;
      if (stage != localStageByKind_.end()) stageId = stage->second;
      if (event.kind == store::EventKind::kMetric) {
        store::MetricRow row{.runId = runId_,
                             .stageId = stageId,
                             .step = payload.at("step").get<std::int64_t>(),
                             .name = payload.at("name").get<std::string>(),
                             .value = payload.at("value").get<double>()};
        local_.metrics().append(std::span<const store::MetricRow>(&row, 1));
      } else if (event.kind == store::EventKind::kArtifact) {
        local_.artifacts().add(
            {.runId = runId_,
             .stageId = stageId,
             .kind = payload.at("kind").get<std::string>(),
             .path = mirroredArtifactPath(profile_, payload.at("path").get<std::string>()),
             .sha256 = payload.value("sha256", std::string()),
             .sizeBytes = payload.value("size_bytes", std::int64_t{0})});
      }
    }
    // A tree already here would be a cursor out of step: save() refuses it, and the batch with it.
    for (const store::NewTree& tree : trees_) local_.trees().save(tree);
    for (const auto& [key, rows] : sampleSets_) {
      store::SampleSet set{
          .runId = runId_,
          .stageId = localStage(key.at("stage_id").is_null()
                                    ? std::nullopt
                                    : std::optional(key.at("stage_id").get<std::int64_t>())),
          .kind = store::sampleKindFromName(key.at("kind").get<std::string>()),
          .checkpoint = recordText(key.at("checkpoint")),
          .step = key.at("step").is_null() ? std::nullopt
                                           : std::optional(key.at("step").get<std::int64_t>()),
          .benchmark = recordText(key.at("benchmark"))};
      local_.samples().replace(set, rows);
    }
    if (run_) {
      const json& run = *run_;
      local_.runs().updateProgress(runId_, run.at("current_stage").get<std::string>(),
                                   run.at("progress_done").get<std::int64_t>(),
                                   run.at("progress_total").get<std::int64_t>());
      local_.runs().updateStatus(runId_,
                                 store::parseRunStatus(run.at("status").get<std::string>()));
      for (const json& stage : run.at("stages")) {
        store::Stage remote = stageFromRecord(stage);
        auto local = localStageByPosition_.find(remote.position);
        if (local != localStageByPosition_.end()) local_.stages().mirror(local->second, remote);
      }
    }
    local_.remoteRuns().setCursor(runId_, cursor);
  });
  appliedRecords_ += static_cast<std::int64_t>(events_.size() + trees_.size() + sampleSets_.size());
  cursor_ = cursor;
  if (run_) {
    lastRun_ = *run_;
    bool worker = run_->value("worker", false);
    std::string status = run_->value("status", "");
    runOver_ = !worker && status != "pending";
  }
  committedEvents_ = std::move(events_);
  events_.clear();
  trees_.clear();
  sampleSets_.clear();
  run_.reset();
}

}  // namespace astro::remote
