// A pipeline run as a Slurm batch job: the #SBATCH lines of a profile and a script that runs the
// same worker (`astro resume RUN`, which starts a pending run and continues an interrupted one),
// passes a stop request (SIGTERM, or USR1 before the time limit) on to it so it checkpoints,
// requeues the job when its time limit is near, and ends the job as CANCELLED when the run was
// cancelled. A requeued job runs the same script again and the run continues from its checkpoint.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/remote/host_profile.h"

namespace astro::remote {

struct SlurmJobRequest {
  std::string jobName;      // the run's name
  std::string astro;        // the astro program on the cluster
  std::string workspace;    // the run's workspace on the cluster's shared file system
  std::int64_t runId = 0;   // the run, already created in that workspace
  std::string outputFile;   // Slurm's stdout/stderr file (may hold %j)
  int signalSeconds = 120;  // SIGUSR1 this long before the time limit: checkpoint and requeue
                            // (0: none; sbatch(1): it may come up to 60 s earlier)
  // Data-parallel ranks on the node (`astro resume --nproc`); slurmBatchScript sets it to the
  // profile's GPUs per node on a one-node job with several GPUs.
  int ranks = 1;
};

// The whole script, every value quoted for bash; throws UsageError on a value it cannot carry.
std::string slurmBatchScript(const SlurmSettings& settings, const SlurmJobRequest& job);

}  // namespace astro::remote
