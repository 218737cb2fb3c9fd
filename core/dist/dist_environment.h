// Which process of a data-parallel job this is, read from the launcher's environment (torch-free).
// torchrun and `astro ... --nproc N` set RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and
// MASTER_PORT; in an srun job step (SLURM_STEP_ID set), SLURM_PROCID, SLURM_NTASKS,
// SLURM_LOCALID and the first host of SLURM_JOB_NODELIST stand in for them (MASTER_PORT still wins
// when set; a batch script's own SLURM_PROCID/SLURM_NTASKS do not count). With none of these set
// the job is one process: rank 0 of 1.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace astro::dist {

struct DistEnvironment {
  int rank = 0;
  int worldSize = 1;
  int localRank = 0;
  std::string masterAddress = "127.0.0.1";
  int masterPort = 29500;
  std::string launcher = "single";  // "single", "env" (RANK/WORLD_SIZE) or "slurm"

  bool distributed() const { return worldSize > 1; }
  bool isRankZero() const { return rank == 0; }
};

using EnvironmentLookup = std::function<std::optional<std::string>(const char* name)>;

// Throws UsageError naming the variable and its value when one is malformed or inconsistent
// (rank outside [0, WORLD_SIZE), a port outside 1..65535, WORLD_SIZE without RANK, ...).
DistEnvironment distEnvironmentFrom(const EnvironmentLookup& lookup);
DistEnvironment distEnvironmentFromProcess();  // ::getenv

// "cuda" without an index names this rank's own GPU: "cuda:<LOCAL_RANK>" in a data-parallel job
// (one rank per GPU, as torchrun and srun --gpus-per-task lay them out); anything else, and any
// device of a one-process job, is returned as it is.
std::string deviceForThisRank(const std::string& device, const DistEnvironment& environment);

// The first host of a Slurm node list: "gpu[03-05,09],cpu1" -> "gpu03". Throws UsageError on a
// malformed list.
std::string firstSlurmHost(std::string_view nodeList);

}  // namespace astro::dist
