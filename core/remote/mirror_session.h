// Following a mirrored run: `astro remote export --follow` on the host, its records applied here
// as they come. When the link drops (ssh exits 255, or nothing arrives within the stall timeout)
// it reconnects with backoff and asks for what comes after the cursor it stored, so a dropped
// connection, a sleeping laptop or a restarted studio lose nothing and repeat nothing. For Slurm
// runs it also records the job's state, and keeps following while the job waits or is requeued.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "core/remote/host_profile.h"
#include "core/store/workspace.h"

namespace astro::remote {

struct MirrorSessionOptions {
  bool follow = true;  // false: one round, then return
  std::function<void(const store::Event&)> onEvent;     // each mirrored event, after its commit
  std::function<void(const std::string&)> onNotice;     // link dropped, reconnected, job state
  const std::atomic<bool>* stop = nullptr;
  std::chrono::seconds stallTimeout{60};  // no line for this long: the link is dead
  std::chrono::seconds maxBackoff{30};
  std::chrono::milliseconds slurmPoll{2000};
  int maxReconnects = -1;  // -1: forever
};

struct MirrorSessionResult {
  bool runOver = false;
  store::MirrorCursor cursor{};
  std::string status;  // the run's status as last mirrored
  int reconnects = 0;
};

// Holds the run's mirror lock (runs/<id>/mirror.lock): one follower per run.
MirrorSessionResult followMirroredRun(store::Workspace& local, std::int64_t localRunId,
                                      const HostRegistry& registry,
                                      const MirrorSessionOptions& options = {});

}  // namespace astro::remote
