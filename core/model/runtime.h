// Process-wide libtorch set-up and facts about it: thread count, BLAS in use, CUDA devices.
// Call initTorchRuntime() once at start-up of every program that runs models.
#pragma once

#include <string>
#include <vector>

namespace astro::model {

struct CudaDeviceInfo {
  int index = 0;
  std::string name;
  double memoryGiB = 0;
};

struct RuntimeInfo {
  std::string torchVersion;
  int threads = 0;
  std::string blasLibrary;  // the BLAS shared object actually mapped into the process
  std::vector<CudaDeviceInfo> cudaDevices;
};

// Sets intra-op threads to `threads` (0 = number of cores) and inter-op threads to 1.
// threads <= 0: $ASTRO_THREADS when set, else one per core.
void initTorchRuntime(int threads = 0);

RuntimeInfo runtimeInfo();

// Times an n x n float32 matrix product on the CPU; returns GFLOP/s (median of `repeats`).
double measureMatmulGflops(int n = 1024, int repeats = 5);

}  // namespace astro::model
