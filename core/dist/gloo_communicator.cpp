// The Gloo process group for CPU tensors: rendezvous through the TCPStore, then a full mesh of TCP
// pairs on a Gloo device. ProcessGroupGloo.hpp declares nothing without USE_C10D_GLOO, defined
// here only (not project-wide) so the shared torch precompiled header stays valid.
#define USE_C10D_GLOO 1

#include <cstdlib>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>

#include "core/dist/detail/process_group_communicator.h"

namespace astro::dist::detail {

namespace {

bool isLoopback(const std::string& address) {
  return address == "localhost" || address.rfind("127.", 0) == 0 || address == "::1";
}

// Where this rank listens: loopback when the whole job is on this machine (always reachable),
// else GLOO_SOCKET_IFNAME as PyTorch reads it, else the address this host's name resolves to.
std::shared_ptr<::gloo::transport::Device> glooDevice(const DistEnvironment& environment) {
  if (isLoopback(environment.masterAddress)) {
    return c10d::ProcessGroupGloo::createDeviceForHostname(environment.masterAddress);
  }
  if (const char* interface = std::getenv("GLOO_SOCKET_IFNAME"); interface && *interface) {
    return c10d::ProcessGroupGloo::createDeviceForInterface(interface);
  }
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

}  // namespace

std::shared_ptr<Communicator> connectGloo(const DistEnvironment& environment,
                                          std::chrono::milliseconds timeout) {
  GroupPlace place{environment.rank, environment.worldSize, timeout};
  auto store = connectStore(environment, place);
  try {
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    options->devices.push_back(glooDevice(environment));
    // One worker thread: the all-reduces a trainer starts during backward (gradient buckets) run
    // one after another in the order they were started, the same order on every rank, while the
    // backward pass keeps the cores.
    options->threads = 1;
    auto group =
        c10::make_intrusive<c10d::ProcessGroupGloo>(store, place.rank, place.worldSize, options);
    return std::make_shared<ProcessGroupCommunicator<c10d::ProcessGroupGloo>>(
        store, std::move(group), place, torch::Device(torch::kCPU));
  } catch (...) {
    rethrowCollectiveError(place, joinOperation(environment));
  }
}

}  // namespace astro::dist::detail
