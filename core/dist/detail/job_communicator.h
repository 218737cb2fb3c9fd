// The communicator of this process's data-parallel job: joined once, from the launcher's
// environment (dist_environment.h), and shared by every trainer and sharded stage the process
// runs. A process started without RANK/WORLD_SIZE or SLURM_* is a job of one and never opens a
// socket.
#pragma once

#include <torch/torch.h>

#include <chrono>
#include <memory>

#include "core/dist/detail/communicator.h"

namespace astro::dist::detail {

// The first call joins (Gloo for a CPU device, NCCL for a CUDA one); later calls return the same
// communicator whatever their device. Throws astro::Error when joining fails.
std::shared_ptr<Communicator> jobCommunicator(const torch::Device& device);

// How long any collective (and the rendezvous) may wait: $ASTRO_DIST_TIMEOUT seconds, default
// 1800 (rank 0 writing a large checkpoint keeps the others waiting in the next collective).
std::chrono::milliseconds jobTimeout();

}  // namespace astro::dist::detail
