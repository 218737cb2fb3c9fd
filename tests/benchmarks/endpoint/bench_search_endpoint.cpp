// bench_search_endpoint: MCTS simulations/s with the policy in-process (LanguageModelPolicy over
// LanguageModel::generate) against the same search with the policy behind a loopback HTTP server
// (EndpointSampler -> `astro serve`'s CompletionServer -> DecodeEngine), same random-init model,
// same problems, same budgets: what serving costs a search (issue #20 asks for within 20%).
// Prints the sides, median of --repeats, and the ratios served / in-process: served as the client
// sends it (the k copies of one prompt as one request, n = k) and with one request per row (n = 1,
// max_choices_per_request = 1), and the CPU time per simulation of each (client, server and engine
// threads together: what serving costs on one machine).
//   bench_search_endpoint [--trees 16] [--iterations 4] [--children 4] [--depth 4]
//                         [--step-tokens 12] [--repeats 3] [--threads 0]
//                         [--config resources/world/models/tiny.json]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

#include "core/base/blas_kernels.h"
#include "core/endpoint/endpoint_sampler.h"
#include "core/math/math_verifier.h"
#include "core/model/decode_engine.h"
#include "core/model/language_model.h"
#include "core/model/runtime.h"
#include "core/search/mcts.h"
#include "core/search/policy_language_model.h"
#include "core/serve/completion_server.h"
#include "core/tokenizer/tokenizer.h"
#include "tests/benchmarks/search/bench_problems.h"

namespace {

namespace fs = std::filesystem;

struct BenchOptions {
  int trees = 16;
  int iterations = 4;
  int children = 4;
  int depth = 4;
  int stepTokens = 12;
  int repeats = 3;
  int threads = 0;
  fs::path config = ASTRO_SOURCE_DIR "/resources/world/models/tiny.json";
  fs::path tokenizer = ASTRO_SOURCE_DIR "/resources/world";
};

BenchOptions parseArguments(int argc, char** argv) {
  BenchOptions options;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) throw std::runtime_error(flag + " needs a value");
    const std::string value = argv[i + 1];
    if (flag == "--trees") options.trees = std::stoi(value);
    else if (flag == "--iterations") options.iterations = std::stoi(value);
    else if (flag == "--children") options.children = std::stoi(value);
    else if (flag == "--depth") options.depth = std::stoi(value);
    else if (flag == "--step-tokens") options.stepTokens = std::stoi(value);
    else if (flag == "--repeats") options.repeats = std::stoi(value);
    else if (flag == "--threads") options.threads = std::stoi(value);
    else if (flag == "--config") options.config = value;
    else if (flag == "--tokenizer") options.tokenizer = value;
    else throw std::runtime_error("unknown flag " + flag);
  }
  return options;
}

// CPU seconds this process has used (every thread: client, server and engine alike).
double processCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) * 1e-6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

struct Measurement {
  double seconds = 0;
  double cpuSeconds = 0;
  astro::search::MctsStats stats;
  double simulationsPerSecond() const { return stats.simulations / seconds; }
};

Measurement searchWith(const astro::model::Sampler& sampler,
                       const astro::tokenizer::Tokenizer& tokenizer,
                       const std::vector<astro::math::Problem>& problems,
                       const astro::search::MctsOptions& options) {
  const astro::math::MathVerifier verifier;
  astro::search::LanguageModelPolicy policy(sampler, tokenizer);
  const double cpuStart = processCpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  const auto result = astro::search::searchBatch(problems, policy, verifier, options);
  Measurement measurement;
  measurement.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  measurement.cpuSeconds = processCpuSeconds() - cpuStart;
  measurement.stats = result.stats;
  return measurement;
}

// A fresh model behind a loopback server for one search: nothing cached from an earlier run.
Measurement searchThroughServer(const astro::model::ModelConfig& config,
                                const astro::tokenizer::Tokenizer& tokenizer,
                                const fs::path& tokenizerFolder,
                                const std::vector<astro::math::Problem>& problems,
                                const astro::search::MctsOptions& options, int inFlight,
                                int maxChoicesPerRequest) {
  const auto model = astro::model::LanguageModel::randomInit(config, 1);
  astro::model::DecodeEngine engine(model, {.maxBatchRows = 256});
  astro::serve::CompletionServerOptions serverOptions;
  serverOptions.modelName = "bench";
  serverOptions.httpThreads = std::max(64, inFlight + 8);
  astro::serve::CompletionServer server(engine, tokenizer, serverOptions);
  const int port = server.bind("127.0.0.1", 0);
  std::thread serving([&] { server.serve(); });
  astro::endpoint::EndpointConfig endpoint;
  endpoint.url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
  endpoint.modelName = "bench";
  endpoint.tokenizer = tokenizerFolder;
  endpoint.maxInFlight = inFlight;
  endpoint.maxChoicesPerRequest = maxChoicesPerRequest;
  Measurement measurement;
  {
    astro::endpoint::EndpointSampler sampler(endpoint, tokenizer);
    measurement = searchWith(sampler, tokenizer, problems, options);
  }
  server.stop();
  serving.join();
  const astro::model::DecodeEngineStats stats = engine.stats();
  std::printf("    engine: %lld steps, %lld tokens, %lld joins, largest batch %lld rows, "
              "%lld of %lld prompt tokens from its prefix store\n",
              static_cast<long long>(stats.steps), static_cast<long long>(stats.tokens),
              static_cast<long long>(stats.joins), static_cast<long long>(stats.largestBatch),
              static_cast<long long>(stats.storedPromptTokens),
              static_cast<long long>(stats.promptTokens));
  return measurement;
}

}  // namespace

int main(int argc, char** argv) {
  astro::restartWithFastBlasKernels(argv);
  try {
    const BenchOptions bench = parseArguments(argc, argv);
    astro::model::initTorchRuntime(bench.threads);
    const auto tokenizer = astro::tokenizer::Tokenizer::fromDirectory(bench.tokenizer);
    const auto config = astro::model::readModelConfig(bench.config);
    const auto problems = astro::bench::benchProblems(bench.trees);
    astro::search::MctsOptions options;
    options.iterations = bench.iterations;
    options.maxDepth = bench.depth;
    options.childrenPerExpansion = bench.children;
    options.maxStepTokens = bench.stepTokens;
    options.treesPerBatch = bench.trees;
    options.seed = 5;
    // Enough requests in flight for a whole batch of expansions (trees x k rows).
    const int inFlight = bench.trees * bench.children;
    std::printf("OpenBLAS kernels: %s\n", astro::openBlasCoreName().c_str());
    std::printf("model: %s (%lld parameters); %d trees x %d iterations, k=%d, depth %d, "
                "%d tokens/step, %d requests in flight; median of %d\n",
                bench.config.c_str(), static_cast<long long>(config.parameterCount()),
                bench.trees, bench.iterations, bench.children, bench.depth, bench.stepTokens,
                inFlight, bench.repeats);
    std::vector<double> local, served, perRow, localCpu, servedCpu, perRowCpu;
    for (int repeat = 0; repeat < bench.repeats; ++repeat) {
      const auto model = astro::model::LanguageModel::randomInit(config, 1);
      const Measurement inProcess = searchWith(model, tokenizer, problems, options);
      const Measurement throughServer = searchThroughServer(config, tokenizer, bench.tokenizer,
                                                            problems, options, inFlight, 16);
      // The same search with one request per row (n = 1), as before copies went together.
      const Measurement rowByRow = searchThroughServer(config, tokenizer, bench.tokenizer,
                                                       problems, options, inFlight, 1);
      if (inProcess.stats.simulations != throughServer.stats.simulations ||
          inProcess.stats.simulations != rowByRow.stats.simulations) {
        throw std::runtime_error("the sides ran different budgets");
      }
      local.push_back(inProcess.simulationsPerSecond());
      served.push_back(throughServer.simulationsPerSecond());
      perRow.push_back(rowByRow.simulationsPerSecond());
      perRowCpu.push_back(1e3 * rowByRow.cpuSeconds / rowByRow.stats.simulations);
      localCpu.push_back(1e3 * inProcess.cpuSeconds / inProcess.stats.simulations);
      servedCpu.push_back(1e3 * throughServer.cpuSeconds / throughServer.stats.simulations);
      std::printf("  run %d: in-process %.1f sims/s, through the server %.1f sims/s "
                  "(one request per row: %.1f)\n",
                  repeat + 1, local.back(), served.back(), perRow.back());
    }
    std::printf("%-32s %10s %12s %12s %8s %8s\n", "metric", "served", "served n=1",
                "in-process", "ratio", "n=1");
    std::printf("%-32s %10.1f %12.1f %12.1f %7.2fx %7.2fx\n", "simulations/s (median)",
                median(served), median(perRow), median(local), median(served) / median(local),
                median(perRow) / median(local));
    std::printf("%-32s %10.2f %12.2f %12.2f %7.2fx %7.2fx\n", "CPU ms per simulation (median)",
                median(servedCpu), median(perRowCpu), median(localCpu),
                median(servedCpu) / median(localCpu), median(perRowCpu) / median(localCpu));
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "bench_search_endpoint: %s\n", error.what());
    return 1;
  }
}
