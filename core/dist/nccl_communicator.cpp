// The NCCL process group for CUDA tensors (built only with ASTRO_WITH_CUDA). NCCL hangs on a dead
// peer unless the group waits with a limit: blocking wait makes work->wait() throw after the
// timeout, as Gloo does. Not yet run on a GPU (issue #19): check it on the first CUDA host.
#ifdef ASTRO_WITH_CUDA
#define USE_C10D_NCCL 1

#include <c10/cuda/CUDAFunctions.h>

#include <cstdlib>
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>

#include "core/dist/detail/process_group_communicator.h"

namespace astro::dist::detail {

std::shared_ptr<Communicator> connectNccl(const DistEnvironment& environment,
                                          const torch::Device& device,
                                          std::chrono::milliseconds timeout) {
  GroupPlace place{environment.rank, environment.worldSize, timeout};
  // libtorch 1.x reads NCCL_BLOCKING_WAIT, 2.x TORCH_NCCL_BLOCKING_WAIT; a user's choice stays.
  ::setenv("NCCL_BLOCKING_WAIT", "1", 0);
  ::setenv("TORCH_NCCL_BLOCKING_WAIT", "1", 0);
  torch::Device cuda =
      device.has_index()
          ? device
          : torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(environment.localRank));
  c10::cuda::set_device(cuda.index());
  auto store = connectStore(environment, place);
  try {
    auto options = c10d::ProcessGroupNCCL::Options::create();
    options->timeout = timeout;
    auto group =
        c10::make_intrusive<c10d::ProcessGroupNCCL>(store, place.rank, place.worldSize, options);
    return std::make_shared<ProcessGroupCommunicator<c10d::ProcessGroupNCCL>>(
        store, std::move(group), place, cuda);
  } catch (...) {
    rethrowCollectiveError(place, joinOperation(environment));
  }
}

}  // namespace astro::dist::detail

#endif  // ASTRO_WITH_CUDA
