// The local side of the mirror: mirror records (mirror_records.h) applied to the local run that
// mirrors a remote one. Everything between two "commit" records is stored in one transaction
// together with the cursor it reaches, so a link that drops mid-batch loses the batch and the
// next attach asks for it again: nothing lost, nothing applied twice.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/store/workspace.h"

namespace astro::remote {

// Creates the local run mirroring a remote one from its "run" record: the run row (host = the
// profile), its stages, and the remote_runs row (`remote.runId` is set to the new local id).
std::int64_t createMirrorRun(store::Workspace& local, const nlohmann::json& runRecord,
                             store::RemoteRun remote);

// Where a mirrored run's artifacts are (to be) fetched: remote/<profile>/<remote path>.
std::string mirroredArtifactPath(const std::string& profile, const std::string& remotePath);

class MirrorApplier {
 public:
  MirrorApplier(store::Workspace& local, std::int64_t localRunId);

  // Takes one line. On a commit it stores the batch and returns its events (to print).
  // Throws astro::Error on a malformed line or a record that contradicts the store.
  std::vector<store::Event> apply(const std::string& line);

  // A new stream from the host: forgets what the last one sent after its last commit.
  void beginStream();

  const store::MirrorCursor& cursor() const { return cursor_; }
  bool ended() const { return ended_; }      // an "end" record came
  bool runOver() const { return runOver_; }  // the last run record said the run is over
  const nlohmann::json& lastRun() const { return lastRun_; }
  std::int64_t appliedRecords() const { return appliedRecords_; }

 private:
  void commit(const store::MirrorCursor& cursor);
  std::optional<std::int64_t> localStage(std::optional<std::int64_t> remoteStageId) const;

  store::Workspace& local_;
  std::int64_t runId_;
  std::string profile_;
  store::MirrorCursor cursor_;
  std::map<int, std::int64_t> localStageByPosition_;
  std::map<std::string, std::int64_t> localStageByKind_;
  std::map<std::int64_t, int> positionByRemoteStage_;
  // The batch since the last commit.
  std::vector<store::Event> events_;
  std::vector<store::Event> committedEvents_;  // what the last commit stored, to hand out
  std::vector<store::NewTree> trees_;
  std::vector<std::pair<nlohmann::json, std::vector<store::SampleRow>>> sampleSets_;
  std::optional<nlohmann::json> run_;
  nlohmann::json lastRun_;
  bool ended_ = false;
  bool runOver_ = false;
  std::int64_t appliedRecords_ = 0;
};

}  // namespace astro::remote
