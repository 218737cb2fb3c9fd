#include "core/base/blas_kernels.h"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string_view>

namespace astro {

std::string openBlasCoreName() {
  // Looked up at run time: the BLAS is whichever libblas.so.3 the system's alternatives select.
  using CoreNameFunction = char* (*)();
  auto function = reinterpret_cast<CoreNameFunction>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  if (function == nullptr) return {};
  const char* name = function();
  return name == nullptr ? std::string() : std::string(name);
}

std::string betterOpenBlasCore() {
#if defined(__x86_64__)
  const std::string current = openBlasCoreName();
  if (current.empty()) return {};
  // OpenBLAS's x86-64 cores that lack AVX2 kernels (its fallbacks for unknown CPU models).
  constexpr std::string_view kPreAvx2[] = {"Prescott", "Core2",        "Penryn",      "Dunnington",
                                           "Nehalem",  "Atom",         "Sandybridge", "Barcelona",
                                           "Opteron",  "Opteron_SSE3", "Bobcat",      "Bulldozer"};
  const bool weak = std::ranges::find(kPreAvx2, std::string_view(current)) != std::end(kPreAvx2);
  if (!weak || !__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return {};
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")) {
    return "SkylakeX";
  }
  return "Haswell";
#else
  return {};
#endif
}

void restartWithFastBlasKernels(char** argv) {
  if (std::getenv("OPENBLAS_CORETYPE") != nullptr) return;
  if (const char* keep = std::getenv("ASTRO_KEEP_BLAS_CORE");
      keep && std::string_view(keep) == "1") {
    return;
  }
  const std::string core = betterOpenBlasCore();
  if (core.empty()) return;
  // Set even if the exec fails, so child processes (workers, stage runners) start right.
  setenv("OPENBLAS_CORETYPE", core.c_str(), 1);
  // The program's own path rather than /proc/self/exe, so ps and top keep showing its name.
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return;
  execv(self.c_str(), argv);
}

}  // namespace astro
