#include "core/model/runtime.h"

#include <torch/torch.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

namespace astro::model {

namespace {
// The BLAS that libtorch resolved at load time, read off the process's own memory map: on Debian
// libblas.so.3 is an alternative that may point at the reference BLAS (slow) or OpenBLAS.
std::string mappedBlasLibrary() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  std::string found;
  while (std::getline(maps, line)) {
    auto slash = line.find('/');
    if (slash == std::string::npos) continue;
    std::string path = line.substr(slash);
    for (const char* marker : {"openblas", "libblas", "mkl_", "blis"}) {
      if (path.find(marker) != std::string::npos) {
        std::error_code error;
        auto canonical = std::filesystem::canonical(path, error);
        found = error ? path : canonical.string();
        if (found.find("openblas") != std::string::npos) return found;
      }
    }
  }
  return found.empty() ? "unknown" : found;
}
}  // namespace

void initTorchRuntime(int threads) {
  int cores = int(std::max(1u, std::thread::hardware_concurrency()));
  if (threads <= 0) {
    // ASTRO_THREADS lets a user leave cores to other work on a shared machine: OpenMP spin-waits
    // collapse libtorch's throughput when its threads outnumber the idle cores.
    if (const char* fromEnvironment = std::getenv("ASTRO_THREADS")) threads = std::atoi(fromEnvironment);
  }
  torch::set_num_threads(threads > 0 ? threads : cores);
  static bool interopSet = false;
  if (!interopSet) {
#if defined(__GLIBC__)
    // Tensors of a few hundred KiB (attention scores, activations) are freed and allocated
    // again every forward pass; by default glibc serves them with fresh mmaps or trims them off
    // the heap, and every reuse pays page faults (a tenth of a batch-64 decode step). Keep
    // them in the heap instead.
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
    // Inter-op threads may be set only once per process, before any parallel work.
    try {
      torch::set_num_interop_threads(1);
    } catch (const std::exception&) {
    }
    interopSet = true;
  }
}

RuntimeInfo runtimeInfo() {
  RuntimeInfo info;
  info.torchVersion = TORCH_VERSION;
  info.threads = torch::get_num_threads();
  info.blasLibrary = mappedBlasLibrary();
  if (torch::cuda::is_available()) {
    for (int i = 0; i < int(torch::cuda::device_count()); ++i) {
      info.cudaDevices.push_back({i, "cuda:" + std::to_string(i), 0});
    }
  }
  return info;
}

double measureMatmulGflops(int n, int repeats) {
  torch::NoGradGuard noGrad;
  auto a = torch::randn({n, n});
  auto b = torch::randn({n, n});
  auto warm = torch::matmul(a, b);  // loads BLAS, spins up threads
  std::vector<double> seconds;
  for (int i = 0; i < repeats; ++i) {
    auto start = std::chrono::steady_clock::now();
    auto c = torch::matmul(a, b);
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  double median = seconds[seconds.size() / 2];
  return 2.0 * double(n) * n * n / median / 1e9;
}

}  // namespace astro::model
