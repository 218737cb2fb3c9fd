// bench_search_endpoint: MCTS simulations/s with the policy in-process (LanguageModelPolicy over
// LanguageModel::generate) against the same search with the policy behind a loopback HTTP server
// (EndpointSampler -> `astro serve`'s CompletionServer -> DecodeEngine), same random-init model,
// same problems, same budgets: what serving costs a search (issue #20 asks for within 20%).
// Prints the sides, median of --repeats, and the ratios served / in-process for three ways of
// sending a call's rows: as the client sends them to `astro serve` (the whole call in one request,
// a prompt array with a seed per prompt), one request per prompt (the k copies of one prompt as
// n = k; what other servers get) and one request per row (n = 1); and the CPU time per simulation
// of each (client, server and engine threads together: what serving costs on one machine). The
// "engine" side runs the same search on the server's DecodeEngine without HTTP (each call's rows
// submitted together), which tells what the engine costs from what the HTTP path costs.
//   bench_search_endpoint [--trees 16] [--iterations 4] [--children 4] [--depth 4]
//                         [--step-tokens 12] [--repeats 3] [--threads 0]
//                         [--only SIDE[,SIDE...]]  (engine, served, per prompt, per row)
//                         [--config resources/world/models/tiny.json]
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

#include "core/base/blas_kernels.h"
#include "core/endpoint/completion_request.h"
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
  std::string only;  // --only engine,served: run in-process and those sides (for profiling)
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
    else if (flag == "--only") options.only = value;
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

// The engine without HTTP: every row submitted at once (submitAll), as the server admits a
// whole-call request, to tell the engine's cost from the HTTP path's.
class EngineSampler final : public astro::model::Sampler {
 public:
  explicit EngineSampler(astro::model::DecodeEngine& engine) : engine_(engine) {}
  std::vector<astro::model::Generation> generate(
      const std::vector<std::vector<std::int32_t>>& prompts,
      const astro::model::GenerationOptions& options) const override {
    std::vector<astro::model::Generation> results(prompts.size());
    std::mutex mutex;
    std::condition_variable done;
    std::size_t left = prompts.size();
    std::string error;
    std::vector<astro::model::DecodeRequest> requests;
    for (std::size_t row = 0; row < prompts.size(); ++row) {
      astro::model::DecodeRequest request;
      request.prompt = prompts[row];
      request.options = options;
      request.options.rowSeeds = {astro::endpoint::requestSeed(options, row)};
      request.options.maxNewTokens = astro::endpoint::requestMaxTokens(options, row);
      request.options.rowMaxNewTokens.clear();
      request.onToken = [](std::int32_t, float) {};
      request.onFinish = [&, row](const astro::model::Generation& generation) {
        std::lock_guard lock(mutex);
        results[row] = generation;
        if (--left == 0) done.notify_one();
      };
      request.onError = [&](const std::string& message) {
        std::lock_guard lock(mutex);
        if (error.empty()) error = message;
        if (--left == 0) done.notify_one();
      };
      requests.push_back(std::move(request));
    }
    engine_.submitAll(std::move(requests));
    std::unique_lock lock(mutex);
    done.wait(lock, [&] { return left == 0; });
    if (!error.empty()) throw std::runtime_error("engine: " + error);
    return results;
  }

 private:
  astro::model::DecodeEngine& engine_;
};

Measurement searchThroughEngine(const astro::model::ModelConfig& config,
                                const astro::tokenizer::Tokenizer& tokenizer,
                                const std::vector<astro::math::Problem>& problems,
                                const astro::search::MctsOptions& options) {
  const auto model = astro::model::LanguageModel::randomInit(config, 1);
  astro::model::DecodeEngine engine(model, {.maxBatchRows = 256});
  EngineSampler sampler(engine);
  return searchWith(sampler, tokenizer, problems, options);
}

// A fresh model behind a loopback server for one search: nothing cached from an earlier run.
Measurement searchThroughServer(const astro::model::ModelConfig& config,
                                const astro::tokenizer::Tokenizer& tokenizer,
                                const fs::path& tokenizerFolder,
                                const std::vector<astro::math::Problem>& problems,
                                const astro::search::MctsOptions& options, int inFlight,
                                int maxChoicesPerRequest, int promptsPerRequest) {
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
  endpoint.promptsPerRequest = promptsPerRequest;
  Measurement measurement;
  {
    astro::endpoint::EndpointSampler sampler(endpoint, tokenizer);
    measurement = searchWith(sampler, tokenizer, problems, options);
  }
  server.stop();
  serving.join();
  const astro::model::DecodeEngineStats stats = engine.stats();
  std::printf("      engine: %lld steps, %lld tokens, %lld joins, largest batch %lld rows, "
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
    // The sides: in-process, then the server with each way of sending a call's rows.
    struct Side {
      const char* name;
      int maxChoices = 16;
      int promptsPerRequest = 0;
      std::vector<double> rate, cpu;
    };
    std::vector<Side> sides = {{"in-process"},
                               {"engine"},
                               {"served", 16, 0},
                               {"per prompt", 16, 1},
                               {"per row", 1, 1}};
    if (!bench.only.empty()) {
      // --only "engine,served": in-process and the sides named, comma-separated.
      const std::string named = "," + bench.only + ",";
      const std::size_t asked = std::count(named.begin(), named.end(), ',') - 1;
      std::erase_if(sides, [&](const Side& side) {
        return &side != &sides.front() &&
               named.find("," + std::string(side.name) + ",") == std::string::npos;
      });
      if (sides.size() != asked + 1) throw std::runtime_error("--only: no such side in " + bench.only);
    }
    for (int repeat = 0; repeat < bench.repeats; ++repeat) {
      std::printf("  run %d\n", repeat + 1);
      long long simulations = -1;
      for (Side& side : sides) {
        Measurement measurement;
        if (&side == &sides.front()) {
          const auto model = astro::model::LanguageModel::randomInit(config, 1);
          measurement = searchWith(model, tokenizer, problems, options);
          simulations = measurement.stats.simulations;
        } else if (std::string(side.name) == "engine") {
          measurement = searchThroughEngine(config, tokenizer, problems, options);
        } else {
          measurement = searchThroughServer(config, tokenizer, bench.tokenizer, problems, options,
                                            inFlight, side.maxChoices, side.promptsPerRequest);
        }
        if (measurement.stats.simulations != simulations) {
          throw std::runtime_error("the sides ran different budgets");
        }
        side.rate.push_back(measurement.simulationsPerSecond());
        side.cpu.push_back(1e3 * measurement.cpuSeconds / measurement.stats.simulations);
        std::printf("    %-12s %7.1f sims/s, %6.2f CPU ms per simulation\n", side.name,
                    side.rate.back(), side.cpu.back());
      }
    }
    std::printf("%-32s", "metric");
    for (const Side& side : sides) std::printf(" %12s", side.name);
    for (std::size_t i = 1; i < sides.size(); ++i) {
      std::printf(" %12s", (std::string(sides[i].name) + " /in").c_str());
    }
    std::printf("\n");
    auto row = [&](const char* metric, auto values, const char* format) {
      std::printf("%-32s", metric);
      for (const Side& side : sides) std::printf(format, median(values(side)));
      for (std::size_t i = 1; i < sides.size(); ++i) {
        std::printf(" %11.2fx", median(values(sides[i])) / median(values(sides.front())));
      }
      std::printf("\n");
    };
    row("simulations/s (median)", [](const Side& side) { return side.rate; }, " %12.1f");
    row("CPU ms per simulation (median)", [](const Side& side) { return side.cpu; }, " %12.2f");
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "bench_search_endpoint: %s\n", error.what());
    return 1;
  }
}
