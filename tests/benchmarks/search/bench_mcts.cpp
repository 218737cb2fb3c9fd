// bench_mcts: MCTS simulations/s and policy tokens/s with the real LanguageModelPolicy (a
// random-init Llama), many trees advancing together against one tree at a time, same problems,
// same budgets. Prints metric, batched, one-at-a-time, ratio (median of --repeats runs).
//   bench_mcts [--trees 16] [--iterations 4] [--children 4] [--depth 4] [--step-tokens 12]
//              [--repeats 3] [--threads 0] [--config resources/world/models/tiny.json]
//              [--tokenizer DIR-with-tokenizer.json] [--mode both|batched|alone]
// --mode batched or alone runs one side only (to profile it); the ratio needs both.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "core/base/blas_kernels.h"
#include "core/math/math_verifier.h"
#include "core/model/language_model.h"
#include "core/model/runtime.h"
#include "core/search/mcts.h"
#include "core/search/policy_language_model.h"
#include "core/tokenizer/tokenizer.h"
#include "tests/benchmarks/search/bench_problems.h"

namespace {

struct BenchOptions {
  int trees = 16;
  int iterations = 4;
  int children = 4;
  int depth = 4;
  int stepTokens = 12;
  int repeats = 3;
  int threads = 0;
  std::string mode = "both";
  std::filesystem::path config;
  std::filesystem::path tokenizer;
};

struct Measurement {
  double seconds = 0;
  double cpuSeconds = 0;  // process CPU time: steadier than wall time on a shared machine
  astro::search::MctsStats stats;
  double simulationsPerSecond() const { return stats.simulations / seconds; }
  double tokensPerSecond() const { return stats.policyTokens / seconds; }
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::filesystem::path firstExisting(std::initializer_list<std::filesystem::path> candidates) {
  for (const auto& candidate : candidates) {
    if (std::filesystem::exists(candidate)) return candidate;
  }
  return {};
}

BenchOptions parseArguments(int argc, char** argv) {
  BenchOptions options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--trees")
      options.trees = std::stoi(value);
    else if (flag == "--iterations")
      options.iterations = std::stoi(value);
    else if (flag == "--children")
      options.children = std::stoi(value);
    else if (flag == "--depth")
      options.depth = std::stoi(value);
    else if (flag == "--step-tokens")
      options.stepTokens = std::stoi(value);
    else if (flag == "--repeats")
      options.repeats = std::stoi(value);
    else if (flag == "--threads")
      options.threads = std::stoi(value);
    else if (flag == "--mode")
      options.mode = value;
    else if (flag == "--config")
      options.config = value;
    else if (flag == "--tokenizer")
      options.tokenizer = value;
    else
      throw std::runtime_error("unknown flag " + flag);
  }
  if (options.mode != "both" && options.mode != "batched" && options.mode != "alone") {
    throw std::runtime_error("--mode is both, batched or alone, not " + options.mode);
  }
  const std::filesystem::path resources = ASTRO_SOURCE_DIR "/resources/world";
  if (options.config.empty()) options.config = firstExisting({resources / "models/tiny.json"});
  if (options.tokenizer.empty()) {
    options.tokenizer = firstExisting({resources / "tokenizer.json"});
    if (options.tokenizer.empty()) {
      options.tokenizer = firstExisting({ASTRO_SHARED_DATA "/tokenizers/llama3/tokenizer.json"});
    }
    options.tokenizer = options.tokenizer.parent_path();
  }
  return options;
}

// The fallback when the world's tiny config is absent: a 2-layer, 64-wide Llama.
astro::model::ModelConfig tinyConfig(std::int64_t vocabSize, std::vector<std::int64_t> eos) {
  astro::model::ModelConfig config;
  config.vocabSize = vocabSize;
  config.hiddenSize = 64;
  config.intermediateSize = 172;
  config.numHiddenLayers = 2;
  config.numAttentionHeads = 4;
  config.numKeyValueHeads = 2;
  config.headDim = 16;
  config.maxPositionEmbeddings = 1024;
  config.eosTokenIds = std::move(eos);
  return config;
}

// One search with a fresh model (same seed, same weights) and policy, so neither mode finds keys
// and values the other left in the engine's prefix store.
Measurement measure(const std::vector<astro::math::Problem>& problems,
                    const astro::model::ModelConfig& config,
                    const astro::tokenizer::Tokenizer& tokenizer,
                    const astro::math::Verifier& verifier,
                    const astro::search::MctsOptions& options) {
  const auto model = astro::model::LanguageModel::randomInit(config, 1);
  astro::search::LanguageModelPolicy policy(model, tokenizer);
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpuStart = std::clock();
  const auto result = astro::search::searchBatch(problems, policy, verifier, options);
  Measurement measurement;
  measurement.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  measurement.cpuSeconds = double(std::clock() - cpuStart) / CLOCKS_PER_SEC;
  measurement.stats = result.stats;
  return measurement;
}

}  // namespace

int main(int argc, char** argv) {
  astro::restartWithFastBlasKernels(argv);
  try {
    const BenchOptions bench = parseArguments(argc, argv);
    astro::model::initTorchRuntime(bench.threads);
    const auto tokenizer = astro::tokenizer::Tokenizer::fromDirectory(bench.tokenizer);
    std::vector<std::int64_t> eos;
    for (std::int32_t id : tokenizer.stopIds()) eos.push_back(id);
    const astro::model::ModelConfig config = bench.config.empty()
                                                 ? tinyConfig(tokenizer.vocabSize(), eos)
                                                 : astro::model::readModelConfig(bench.config);
    const astro::math::MathVerifier verifier;
    const auto problems = astro::bench::benchProblems(bench.trees);

    astro::search::MctsOptions options;
    options.iterations = bench.iterations;
    options.maxDepth = bench.depth;
    options.childrenPerExpansion = bench.children;
    options.maxStepTokens = bench.stepTokens;
    options.seed = 5;
    std::printf("model: %s (%lld parameters, vocab %lld), tokenizer %s\n",
                bench.config.empty() ? "built-in 2x64 Llama" : bench.config.c_str(),
                static_cast<long long>(config.parameterCount()),
                static_cast<long long>(config.vocabSize), bench.tokenizer.c_str());
    const std::string blasCore = astro::openBlasCoreName();
    std::printf("threads: %d torch; BLAS kernels: %s\n", astro::model::runtimeInfo().threads,
                blasCore.empty() ? "not OpenBLAS" : blasCore.c_str());
    std::printf("budget: %d trees x %d iterations, k=%d, depth %d, %d tokens/step; median of %d\n",
                bench.trees, bench.iterations, bench.children, bench.depth, bench.stepTokens,
                bench.repeats);

    std::vector<double> batchedSims, batchedTokens, aloneSims, aloneTokens, batchedCpu, aloneCpu;
    for (int repeat = 0; repeat < bench.repeats; ++repeat) {
      auto run = [&](int treesPerBatch, bool wanted) {
        options.treesPerBatch = treesPerBatch;
        return wanted ? measure(problems, config, tokenizer, verifier, options) : Measurement{};
      };
      const Measurement batched = run(bench.trees, bench.mode != "alone");
      const Measurement alone = run(1, bench.mode != "batched");
      if (bench.mode == "both" && batched.stats.simulations != alone.stats.simulations) {
        throw std::runtime_error("the two sides ran different budgets (" +
                                 std::to_string(batched.stats.simulations) + " vs " +
                                 std::to_string(alone.stats.simulations) + " simulations)");
      }
      batchedSims.push_back(batched.simulationsPerSecond());
      batchedTokens.push_back(batched.tokensPerSecond());
      aloneSims.push_back(alone.simulationsPerSecond());
      aloneTokens.push_back(alone.tokensPerSecond());
      batchedCpu.push_back(batched.stats.simulations / batched.cpuSeconds);
      aloneCpu.push_back(alone.stats.simulations / alone.cpuSeconds);
      std::printf(
          "run %d: batched %.2f s (cpu %.2f s; %lld sims, %lld tokens, %lld+%lld calls), "
          "one-at-a-time %.2f s (cpu %.2f s; %lld sims, %lld tokens, %lld+%lld calls)\n",
          repeat + 1, batched.seconds, batched.cpuSeconds, batched.stats.simulations,
          batched.stats.policyTokens, batched.stats.proposeCalls, batched.stats.rolloutCalls,
          alone.seconds, alone.cpuSeconds, alone.stats.simulations, alone.stats.policyTokens,
          alone.stats.proposeCalls, alone.stats.rolloutCalls);
    }
    if (bench.mode != "both") return 0;  // one side only: the runs above are the figures
    std::printf("\n%-22s %14s %14s %8s\n", "metric", "batched", "one-at-a-time", "ratio");
    const double sims = median(batchedSims), simsAlone = median(aloneSims);
    const double tokens = median(batchedTokens), tokensAlone = median(aloneTokens);
    std::printf("%-22s %14.2f %14.2f %7.2fx\n", "simulations/s", sims, simsAlone, sims / simsAlone);
    std::printf("%-22s %14.1f %14.1f %7.2fx\n", "policy tokens/s", tokens, tokensAlone,
                tokens / tokensAlone);
    const double cpuSims = median(batchedCpu), cpuSimsAlone = median(aloneCpu);
    std::printf("%-22s %14.2f %14.2f %7.2fx\n", "simulations/cpu-s", cpuSims, cpuSimsAlone,
                cpuSims / cpuSimsAlone);
    std::printf("target: batched >= 4x one-at-a-time in simulations/s\n");
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "bench_mcts: " << error.what() << "\n";
    return 1;
  }
}
