// `astro doctor`: the environment Astro Studio runs in, with a measured BLAS speed.
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/astro/command_registry.h"
#include "core/base/blas_kernels.h"
#include "core/graph/graphviz_version.h"
#include "core/model/runtime.h"
#include "core/store/sqlite_version.h"

namespace {

struct DoctorOptions {
  bool json = false;
  int threads = 0;
};

void runDoctor(const DoctorOptions& options) {
  astro::model::initTorchRuntime(options.threads);
  double gflops = astro::model::measureMatmulGflops();
  auto info = astro::model::runtimeInfo();
  nlohmann::ordered_json report = {
      {"astro", ASTRO_VERSION},
      {"libtorch", info.torchVersion},
#ifdef ASTRO_QT_VERSION
      {"qt", ASTRO_QT_VERSION},
#else
      {"qt", "not built (ASTRO_BUILD_GUI=OFF)"},
#endif
      {"graphviz", astro::graph::graphvizVersion()},
      {"sqlite", astro::store::sqliteVersion()},
      {"blas", info.blasLibrary},
      {"blas_core", astro::openBlasCoreName()},
      {"matmul_gflops_fp32", std::round(gflops * 10) / 10},
      {"threads", info.threads},
      {"cores", std::thread::hardware_concurrency()},
      {"workspace", astro::cli::globalOptions().resolvedWorkspace().string()},
      {"cuda_devices", nlohmann::ordered_json::array()},
  };
  for (const auto& device : info.cudaDevices) {
    report["cuda_devices"].push_back({{"index", device.index}, {"name", device.name}});
  }
  if (options.json) {
    std::cout << report.dump() << "\n";
    return;
  }
  for (auto& [key, value] : report.items()) {
    std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    if (key == "cuda_devices" && value.empty()) text = "none";
    std::cout << key << std::string(20 - std::min<size_t>(19, key.size()), ' ') << text << "\n";
  }
  if (info.blasLibrary.find("openblas") == std::string::npos) {
    std::cout << "warning: libtorch is not using OpenBLAS; install libopenblas0-openmp "
                 "(matrix products run ~25x slower with the reference BLAS)\n";
  }
  if (const std::string better = astro::betterOpenBlasCore(); !better.empty()) {
    std::cout << "warning: OpenBLAS uses its " << astro::openBlasCoreName()
              << " kernels on a CPU with AVX2; set OPENBLAS_CORETYPE=" << better
              << " (astro does so itself unless ASTRO_KEEP_BLAS_CORE=1)\n";
  }
}

const astro::cli::CommandRegistration kDoctor{"00-doctor", [](CLI::App& root) {
  auto options = std::make_shared<DoctorOptions>();
  CLI::App* doctor = root.add_subcommand(
      "doctor", "Print the environment: libtorch, Qt, Graphviz, SQLite, BLAS and its measured "
                "GFLOP/s, threads, CUDA devices");
  doctor->add_flag("--json", options->json, "Print one JSON object instead of a table");
  doctor->add_option("--threads", options->threads, "Torch threads (default: all cores)")
      ->check(CLI::Range(0, 1024));
  doctor->callback([options] { runDoctor(*options); });
}};

}  // namespace
