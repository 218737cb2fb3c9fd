// The process's data-parallel job for code that keeps libtorch out (the pipeline worker, stage
// code, base pretraining): which rank this is, and the few collectives such code needs. It joins
// the same communicator the trainers use (detail/job_communicator.h): the first caller decides
// the backend from its device.
#pragma once

#include <string>
#include <vector>

namespace astro::dist {

struct JobRanks {
  int rank = 0;
  int worldSize = 1;
  bool rankZero() const { return rank == 0; }
  bool distributed() const { return worldSize > 1; }
};

// Joins (once) the job the launcher's environment describes; a process without launcher
// variables is rank 0 of 1 and opens no socket. `device`: "cpu" or "cuda[:N]".
JobRanks joinJob(const std::string& device);

// Rank 0's bytes on every rank (the others pass anything). Collective.
std::string broadcastFromRankZero(const std::string& device, const std::string& bytes);
// Every rank's bytes in rank order, on every rank. Collective.
std::vector<std::string> allGatherBytes(const std::string& device, const std::string& bytes);
// Waits until every rank has called it. Collective.
void barrier(const std::string& device);

}  // namespace astro::dist
