// All-reduce bandwidth of the Gloo communicator between 2 processes on this machine (1 KiB ..
// 64 MiB of float32, median of N reps), with algorithm and bus bandwidth as nccl-tests define them
// (busbw = algbw * 2(n-1)/n), beside a local memcpy of the same bytes as the peer. A second table
// sets one bucketed call (what allReduceSum does with several tensors) beside one call per tensor.
// Usage: bench_allreduce [ranks=2]. The program launches its own ranks with launchLocal; nothing
// is gated on absolute times.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/dist/detail/communicator.h"
#include "core/dist/local_launcher.h"

namespace {

using Clock = std::chrono::steady_clock;
using astro::dist::detail::Communicator;

template <typename Work>
double medianSeconds(int reps, Work&& work) {
  std::vector<double> times;
  for (int rep = 0; rep < reps; ++rep) {
    auto start = Clock::now();
    work();
    times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

int repsFor(std::int64_t bytes) {
  return static_cast<int>(std::clamp<std::int64_t>((256ll << 20) / bytes, 5, 50));
}

std::string sizeText(std::int64_t bytes) {
  if (bytes >= (1 << 20)) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes >> 10) + " KiB";
}

void bandwidthTable(Communicator& comm) {
  const int n = comm.worldSize();
  const double busFactor = 2.0 * (n - 1) / n;
  if (comm.isRankZero()) {
    std::printf("all-reduce (sum, float32), %d Gloo processes on 127.0.0.1; peer: local memcpy\n",
                n);
    std::printf("%8s %5s %12s %10s %10s | %14s %10s | %7s\n", "size", "reps", "allreduce us",
                "algbw GB/s", "busbw GB/s", "peer memcpy us", "GB/s", "ratio");
  }
  for (std::int64_t bytes = 1 << 10; bytes <= (64ll << 20); bytes *= 4) {
    int reps = repsFor(bytes);
    std::vector<torch::Tensor> buffer{torch::ones({bytes / 4})};
    comm.allReduceSum(buffer);  // warm-up: first use of this size
    comm.barrier();
    double reduce = medianSeconds(reps, [&] { comm.allReduceSum(buffer); });
    std::vector<char> source(static_cast<std::size_t>(bytes), 1);
    std::vector<char> target(static_cast<std::size_t>(bytes));
    double copy = medianSeconds(reps, [&] {
      std::memcpy(target.data(), source.data(), source.size());
      asm volatile("" : : "r"(target.data()) : "memory");
    });
    double algbw = static_cast<double>(bytes) / reduce / 1e9;
    if (comm.isRankZero()) {
      std::printf("%8s %5d %12.1f %10.3f %10.3f | %14.2f %10.3f | %7.1f\n", sizeText(bytes).c_str(),
                  reps, reduce * 1e6, algbw, algbw * busFactor, copy * 1e6,
                  static_cast<double>(bytes) / copy / 1e9, reduce / copy);
    }
  }
}

void bucketTable(Communicator& comm) {
  if (comm.isRankZero()) {
    std::printf(
        "\nbucket of small tensors: one allReduceSum call (flattened) vs peer: one call "
        "per tensor\n");
    std::printf("%8s %10s %14s | %18s | %7s\n", "tensors", "each", "bucketed us",
                "peer per-tensor us", "ratio");
  }
  for (auto [count, bytes] :
       {std::pair<int, std::int64_t>{64, 16 << 10}, {256, 4 << 10}, {16, 1 << 20}}) {
    std::vector<torch::Tensor> tensors;
    for (int i = 0; i < count; ++i) tensors.push_back(torch::ones({bytes / 4}));
    comm.allReduceSum(tensors);
    comm.barrier();
    double bucketed = medianSeconds(11, [&] { comm.allReduceSum(tensors); });
    comm.barrier();
    double each = medianSeconds(11, [&] {
      for (auto& tensor : tensors) {
        std::vector<torch::Tensor> one{tensor};
        comm.allReduceSum(one);
      }
    });
    if (comm.isRankZero()) {
      std::printf("%8d %10s %14.1f | %18.1f | %7.2f\n", count, sizeText(bytes).c_str(),
                  bucketed * 1e6, each * 1e6, bucketed / each);
    }
  }
}

int runRank() {
  auto environment = astro::dist::distEnvironmentFromProcess();
  const char* threads = std::getenv("ASTRO_THREADS");
  torch::set_num_threads(threads ? std::max(1, std::atoi(threads)) : 1);
  auto comm =
      Communicator::connect(environment, torch::Device(torch::kCPU), std::chrono::seconds(120));
  bandwidthTable(*comm);
  bucketTable(*comm);
  comm->barrier();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (std::getenv("RANK")) return runRank();
    astro::dist::LaunchOptions options;
    options.argv = {argv[0]};
    options.processes = argc > 1 ? std::atoi(argv[1]) : 2;
    options.splitThreads = true;
    auto result = astro::dist::launchLocal(options);
    if (!result.ok()) std::fprintf(stderr, "bench_allreduce: %s\n", result.failure.c_str());
    return result.exitCode();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "bench_allreduce: %s\n", error.what());
    return 1;
  }
}
