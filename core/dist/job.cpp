// The torch-free job facade (job.h) over the process's communicator.
#include "core/dist/job.h"

#include "core/dist/detail/job_communicator.h"

namespace astro::dist {

namespace {
detail::Communicator& communicator(const std::string& device) {
  return *detail::jobCommunicator(torch::Device(device));
}
}  // namespace

JobRanks joinJob(const std::string& device) {
  auto& joined = communicator(device);
  return JobRanks{.rank = joined.rank(), .worldSize = joined.worldSize()};
}

std::string broadcastFromRankZero(const std::string& device, const std::string& bytes) {
  auto& joined = communicator(device);
  return joined.worldSize() > 1 ? joined.broadcastBytes(bytes) : bytes;
}

std::vector<std::string> allGatherBytes(const std::string& device, const std::string& bytes) {
  auto& joined = communicator(device);
  return joined.worldSize() > 1 ? joined.allGatherBytes(bytes) : std::vector<std::string>{bytes};
}

void barrier(const std::string& device) {
  auto& joined = communicator(device);
  if (joined.worldSize() > 1) joined.barrier();
}

}  // namespace astro::dist
