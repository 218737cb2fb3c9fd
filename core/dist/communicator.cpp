// Communicator::single and ::connect (detail/communicator.h): the one-process communicator, the
// TCPStore rendezvous every backend shares, and the words a failed collective throws with.
#include "core/dist/detail/communicator.h"

#include <signal.h>

#include <cctype>
#include <exception>
#include <thread>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include "core/base/error.h"
#include "core/dist/detail/process_group_communicator.h"

namespace astro::dist::detail {

namespace {

class SingleCommunicator final : public Communicator {
 public:
  int rank() const override { return 0; }
  int worldSize() const override { return 1; }
  void allReduceSum(std::vector<torch::Tensor>&) override {}
  std::unique_ptr<Pending> startAllReduceSum(torch::Tensor) override {
    struct Done final : Pending {
      void wait() override {}
    };
    return std::make_unique<Done>();
  }
  void allGather(const torch::Tensor& shard, torch::Tensor& flat) override {
    if (!flat.is_same(shard)) flat.copy_(shard);
  }
  void broadcast(torch::Tensor&, int) override {}
  std::string broadcastBytes(const std::string& bytes) override { return bytes; }
  std::vector<std::string> allGatherBytes(const std::string& bytes) override { return {bytes}; }
  void barrier() override {}
};

std::string durationText(std::chrono::milliseconds timeout) {
  if (timeout.count() % 1000 == 0) return std::to_string(timeout.count() / 1000) + "s";
  return std::to_string(timeout.count()) + "ms";
}

// c10::Error's what() carries a C++ backtrace; the message alone is what a person needs.
std::string detailOf(std::exception_ptr error) {
  std::string text;
  try {
    std::rethrow_exception(error);
  } catch (const c10::Error& e) {
    text = e.what_without_backtrace();
  } catch (const std::exception& e) {
    text = e.what();
  } catch (...) {
    text = "unknown exception";
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

// Gloo writes to its peers without MSG_NOSIGNAL: after a peer died, the next write raises SIGPIPE,
// which killed the surviving rank before its collective could throw (seen in communicator_test).
// A program that chose its own SIGPIPE disposition keeps it.
void ignoreBrokenPipes() {
  struct sigaction current {};
  if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
    ::signal(SIGPIPE, SIG_IGN);
  }
}

}  // namespace

void rethrowCollectiveError(const GroupPlace& place, const std::string& operation) {
  std::string detail = detailOf(std::current_exception());
  throw Error("rank " + std::to_string(place.rank) + " of " + std::to_string(place.worldSize) +
              ": " + operation + " failed: " + detail + " (a rank may have died or not joined " +
              "within " + durationText(place.timeout) + ")");
}

std::string joinOperation(const DistEnvironment& environment) {
  return "joining the job at " + environment.masterAddress + ":" +
         std::to_string(environment.masterPort) + " (MASTER_ADDR:MASTER_PORT)";
}

c10::intrusive_ptr<c10d::Store> connectStore(const DistEnvironment& environment,
                                             const GroupPlace& place) {
  auto deadline = std::chrono::steady_clock::now() + place.timeout;
  c10d::TCPStoreOptions options;
  options.port = static_cast<std::uint16_t>(environment.masterPort);
  options.isServer = place.rank == 0;
  options.numWorkers = static_cast<std::size_t>(place.worldSize);
  // libtorch 1.13's own wait for workers returned after ~4 s with 1 of 2 joined (timeout 3 s), and
  // Gloo then waited its own timeout again: count the ranks here, against one deadline.
  options.waitWorkers = false;
  options.timeout = place.timeout;
  try {
    auto store = c10::make_intrusive<c10d::TCPStore>(environment.masterAddress, options);
    const std::string key = "astro/joined";
    std::int64_t joined = store->add(key, 1);
    while (joined < place.worldSize) {
      if (std::chrono::steady_clock::now() > deadline) {
        throw Error("only " + std::to_string(joined) + " of " + std::to_string(place.worldSize) +
                    " ranks joined");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      joined = store->add(key, 0);
    }
    return store;
  } catch (...) {
    rethrowCollectiveError(place, joinOperation(environment));
  }
}

std::shared_ptr<Communicator> makeSingleCommunicator() {
  return std::make_shared<SingleCommunicator>();
}

std::shared_ptr<Communicator> Communicator::single() { return makeSingleCommunicator(); }

std::shared_ptr<Communicator> Communicator::connect(const DistEnvironment& environment,
                                                    const torch::Device& device,
                                                    std::chrono::milliseconds timeout) {
  if (environment.worldSize <= 1) return single();
  if (timeout.count() <= 0) throw UsageError("dist: the connect timeout must be positive");
  ignoreBrokenPipes();
  if (device.is_cuda()) {
#ifdef ASTRO_WITH_CUDA
    return connectNccl(environment, device, timeout);
#else
    throw UsageError("dist: device " + device.str() +
                     " needs NCCL, and this build has no CUDA (ASTRO_WITH_CUDA is off)");
#endif
  }
  if (!device.is_cpu()) {
    throw UsageError("dist: no collectives for device " + device.str() + " (cpu or cuda)");
  }
  return connectGloo(environment, timeout);
}

}  // namespace astro::dist::detail
