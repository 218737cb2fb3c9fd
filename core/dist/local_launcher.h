// Starting the N ranks of a data-parallel job on this machine (torch-free), as torchrun does:
// N copies of one argv with RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR and
// MASTER_PORT set. The first rank that fails ends the job; the result says which and how.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace astro::dist {

struct LaunchOptions {
  std::vector<std::string> argv;  // run without a shell (execvp: a bare name is looked up in PATH)
  int processes = 2;
  std::string masterAddress = "127.0.0.1";
  std::optional<int> masterPort;  // unset: a free port, found by binding port 0
  // Ranks > 0 write stdout and stderr to <logFolder>/rank-<r>.log (unset: /dev/null); rank 0
  // writes to ours.
  std::optional<std::filesystem::path> logFolder;
  // Sets ASTRO_THREADS = max(1, cores / processes) so the ranks do not oversubscribe the cores.
  bool splitThreads = false;
  std::map<std::string, std::string> environment;  // added to (or replacing) ours, for every rank
  // After the first failure the others get this long to end on their own (a peer's closed
  // connection makes their next collective throw), then SIGTERM, then SIGKILL after as long again.
  std::chrono::milliseconds gracePeriod{5000};
  int failureLines = 20;  // how many last lines of a failed rank's log the failure text quotes
};

struct RankExit {
  int rank = 0;
  int exitCode = -1;  // -1 when ended by a signal
  int signal = 0;
  bool stoppedByLauncher = false;  // SIGTERM/SIGKILL from us after another rank failed
  bool ok() const { return exitCode == 0; }
  std::string describe() const;  // "exited with code 3", "was killed by signal 9 (Killed)"
};

struct LaunchResult {
  int masterPort = 0;
  std::vector<RankExit> ranks;      // in rank order
  std::optional<int> firstFailure;  // the rank that failed first
  int forwardedSignal = 0;          // SIGINT/SIGTERM/SIGHUP the launcher received and passed on
  // Empty on success; else "rank 1 of 3 exited with code 3" and the last lines of its log.
  std::string failure;
  bool ok() const { return !firstFailure && forwardedSignal == 0; }
  // What a launcher process should exit with: 0, the failed rank's code, or 128 + signal.
  int exitCode() const;
};

// Runs the job to its end. Throws UsageError for bad options and Error when a rank cannot be
// started (the ranks already started are stopped first).
LaunchResult launchLocal(const LaunchOptions& options);

// A TCP port free at the moment of the call (bound to port 0, then released).
int findFreePort();

}  // namespace astro::dist
