// A Slurm job's state, read from `squeue` while it is known to the controller, else from
// `scontrol show job` or `sacct` (which works without an accounting daemon through the
// job-completion file). The parsers take the commands' text, so they are tested on recorded
// outputs of the real commands.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace astro::remote {

class RemoteShell;

enum class SlurmJobState {
  kPending,
  kRunning,
  kCompleting,
  kCompleted,
  kFailed,
  kTimeout,
  kPreempted,
  kCancelled,
  kNodeFail,
  kOutOfMemory,
  kRequeued,
  kSuspended,
  kUnknown
};
std::string slurmJobStateName(SlurmJobState state);  // "PENDING", "RUNNING", ...
SlurmJobState parseSlurmJobState(const std::string& text);  // "CANCELLED by 0" -> kCancelled

struct SlurmJobStatus {
  std::string jobId;
  SlurmJobState state = SlurmJobState::kUnknown;
  std::string reason;  // squeue's %r / scontrol's Reason ("None", "Priority", "BeginTime")
  int restarts = 0;
  bool finished() const;  // completed, failed, timeout, cancelled, node fail, out of memory
};

// "1234" or "1234;cluster" (sbatch --parsable); throws Error on anything else.
std::string parseSbatchJobId(const std::string& output);
// squeue -h -j ID -o '%i|%T|%r'
std::optional<SlurmJobStatus> parseSqueue(const std::string& output, const std::string& jobId);
// scontrol show job -o ID
std::optional<SlurmJobStatus> parseScontrolShowJob(const std::string& output);
// sacct -n -P -X -j ID -o JobID,State,Reason (with or without -c)
std::optional<SlurmJobStatus> parseSacct(const std::string& output, const std::string& jobId);

std::vector<std::string> sbatchArgv(const std::string& scriptPath);
// The job's state through `shell` (squeue, then scontrol, then sacct); kUnknown when none knows.
SlurmJobStatus querySlurmJob(RemoteShell& shell, const std::string& jobId);

}  // namespace astro::remote
