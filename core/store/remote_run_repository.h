// Runs that execute on another host and are mirrored into this workspace: which host profile,
// the remote workspace and run id, the Slurm job when there is one, and the mirror's cursor (the
// last event seq, tree id and sample id it holds), which is stored in the same transaction as
// what it mirrored so that a reattach neither loses nor repeats anything.
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

struct MirrorCursor {
  std::int64_t seq = 0;     // remote events up to this seq are here
  std::int64_t tree = 0;    // remote trees up to this id are here
  std::int64_t sample = 0;  // remote samples up to this id are here
  bool operator==(const MirrorCursor&) const = default;
};

struct RemoteRun {
  std::int64_t runId = 0;        // the local (mirror) run
  std::string profile{};         // the host profile's name
  std::string kind{};            // "ssh" or "slurm"
  std::string destination{};     // "user@host:22", or the Slurm login ("local" or a profile)
  std::string remoteWorkspace{};
  std::int64_t remoteRunId = 0;
  std::string slurmJobId{};      // "" unless Slurm
  std::string slurmState{};      // "PENDING", "RUNNING", ... as last seen
  std::string slurmReason{};
  MirrorCursor cursor{};
  std::optional<Timestamp> lastContact{};  // the last time the mirror reached the host
  std::string lastError{};                 // the last link failure, "" after a success
};

class RemoteRunRepository {
 public:
  explicit RemoteRunRepository(detail::Connection& connection) : connection_(connection) {}

  void add(const RemoteRun& run);  // the local run must exist
  std::optional<RemoteRun> find(std::int64_t runId);
  std::vector<RemoteRun> list();
  void setCursor(std::int64_t runId, const MirrorCursor& cursor);
  void setSlurmJob(std::int64_t runId, const std::string& jobId, const std::string& state,
                   const std::string& reason);
  // Records a contact (error empty) or a failed one.
  void setContact(std::int64_t runId, const std::string& error);

 private:
  detail::Connection& connection_;
};

}  // namespace astro::store
