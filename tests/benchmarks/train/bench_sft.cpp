// The SFT trainer's throughput beside PyTorch eager (tests/benchmarks/train/peer_sft.py) on the
// same model, weights and batches: the miniature world's direct-solution corpus, trained as
// `astro world pretrain` trains it (one example per row, micro-batches, AdamW, gradient clipping).
//   bench_sft --prepare DIR           corpus, initial models and the trainer's exact batches
//   bench_sft --run DIR --peer FILE   trains with runSft and prints the table beside the peer
// run_sft_bench.sh does all three steps.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/base/atomic_file.h"
#include "core/base/blas_kernels.h"
#include "core/model/language_model.h"
#include "core/model/model_config.h"
#include "core/model/runtime.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/base_pretraining.h"
#include "core/train/sequence_packing.h"
#include "core/train/sft_data.h"
#include "core/train/sft_trainer.h"
#include "core/world/countdown_generator.h"
#include "core/world/countdown_puzzle.h"
#include "core/world/world_resources.h"

namespace fs = std::filesystem;
using namespace astro;

namespace {

constexpr int kProblems = 640;
constexpr int kSteps = 12;        // optimizer steps timed on each side
constexpr int kWarmupSteps = 2;   // left out of the median (allocator and cache warm-up)
const std::vector<std::string> kConfigs = {"tiny", "small"};

// The recipe of `astro world pretrain` (core/train/base_pretraining.cpp), one epoch of it.
train::SftOptions sftOptions(const fs::path& dir, const std::string& config) {
  train::BasePretrainingOptions recipe;
  recipe.outputDir = dir / config;
  train::SftOptions options = train::directSftOptions(recipe);
  options.data = dir / "corpus.jsonl";
  options.outputDir = dir / config / "ours";
  options.epochs = 1;
  options.checkpointEvery = 0;
  return options;
}

void prepare(const fs::path& dir) {
  fs::create_directories(dir);
  auto dataset = world::generateDataset(7, kProblems, 1, train::BasePretrainingOptions{}.generator);
  train::writeDirectCorpus(dir / "corpus.jsonl", dataset.train);

  for (const auto& config : kConfigs) {
    fs::path init = dir / config / "init";
    train::initialiseWorldModel(init, config, 11);
    // The exact micro-batches runSft trains on in its first kSteps steps.
    auto options = sftOptions(dir, config);
    auto tokenizer = tokenizer::Tokenizer::fromDirectory(init);
    auto examples = train::loadSftJsonl(options.data, tokenizer,
                                         {.maxSequenceLength = options.maxSequenceLength}, nullptr);
    auto order = train::epochExampleOrder(examples.size(), options.seed, 0);
    train::PackingOptions packing{.rowLength = options.rowLength,
                                  .rowsPerBatch = options.rowsPerMicroBatch,
                                  .pack = options.pack};
    std::ofstream ids(dir / config / "batches.i32", std::ios::binary);
    nlohmann::json steps = nlohmann::json::array();
    std::int64_t offset = 0;
    for (int step = 0; step < kSteps; ++step) {
      std::vector<std::size_t> group(order.begin() + step * options.sequencesPerStep,
                                     order.begin() + (step + 1) * options.sequencesPerStep);
      nlohmann::json micro = nlohmann::json::array();
      for (const auto& batch : train::packExamples(examples, group, packing)) {
        const std::array<const std::vector<std::int32_t>*, 4> parts = {
            &batch.inputIds, &batch.positionIds, &batch.sequenceIds, &batch.targetIds};
        for (const auto* values : parts) {
          ids.write(reinterpret_cast<const char*>(values->data()),
                    std::streamsize(values->size() * sizeof(std::int32_t)));
        }
        micro.push_back(nlohmann::json{{"rows", batch.rows}, {"columns", batch.columns}, {"offset", offset}});
        offset += 4LL * batch.rows * batch.columns;
      }
      steps.push_back(micro);
    }
    nlohmann::json manifest = {{"steps", steps},
                               {"learning_rate", options.learningRate},
                               {"betas", {options.beta1, options.beta2}},
                               {"epsilon", options.epsilon},
                               {"weight_decay", options.weightDecay},
                               {"gradient_clip", options.gradientClip}};
    writeFileAtomically(dir / config / "batches.json", manifest.dump(1));
  }
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0 : values[values.size() / 2];
}

void run(const fs::path& dir, const fs::path& peerFile) {
  nlohmann::json peer = nlohmann::json::object();
  if (!peerFile.empty()) peer = nlohmann::json::parse(std::ifstream(peerFile));
  model::initTorchRuntime();
  auto recipe = sftOptions(dir, kConfigs.front());
  std::cout << "SFT trainer tokens/s ("
            << (recipe.pack ? "packed rows of " + std::to_string(recipe.rowLength)
                            : std::string("one example per row"))
            << ", " << recipe.sequencesPerStep << " sequences/step, micro-batches of "
            << recipe.rowsPerMicroBatch << " rows, AdamW + clipping), median of steps "
            << kWarmupSteps + 1 << ".." << kSteps << ", " << model::runtimeInfo().threads
            << " threads\n";
  std::cout << std::left << std::setw(10) << "model" << std::right << std::setw(14)
            << "ours tok/s" << std::setw(14) << "peer tok/s" << std::setw(8) << "ratio"
            << std::setw(14) << "loss@1 ours" << std::setw(14) << "loss@1 peer" << "\n";
  for (const auto& config : kConfigs) {
    auto options = sftOptions(dir, config);
    fs::remove_all(options.outputDir);
    std::vector<double> rates;
    double firstLoss = 0;
    train::SftCallbacks callbacks;
    callbacks.onStep = [&](const train::SftStepMetrics& metrics) {
      if (metrics.step == 1) firstLoss = metrics.loss;
      if (metrics.step > kWarmupSteps) rates.push_back(metrics.tokensPerSecond);
    };
    callbacks.shouldStop = [&] { return int(rates.size()) + kWarmupSteps >= kSteps; };
    train::runSft(options, callbacks);
    double ours = median(rates);
    double theirs = peer.value(config + ".tokens_per_s", 0.0);
    std::cout << std::left << std::setw(10) << config << std::right << std::fixed
              << std::setprecision(0) << std::setw(14) << ours << std::setw(14) << theirs
              << std::setprecision(2) << std::setw(8) << (theirs > 0 ? ours / theirs : 0.0)
              << std::setprecision(4) << std::setw(14) << firstLoss << std::setw(14)
              << peer.value(config + ".first_loss", 0.0) << "\n";
    // The ratio compares like with like only when both sides trained the same model on the same
    // batches: their first-step losses agree.
    if (peer.contains(config + ".first_loss") &&
        std::abs(firstLoss - peer.value(config + ".first_loss", 0.0)) >
            1e-3 * std::abs(firstLoss)) {
      throw std::runtime_error(config +
                               ": first-step losses differ, the two sides trained "
                               "different models or batches");
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  astro::restartWithFastBlasKernels(argv);
  std::vector<std::string> args(argv + 1, argv + argc);
  auto value = [&](const std::string& flag) {
    auto it = std::find(args.begin(), args.end(), flag);
    return it != args.end() && it + 1 != args.end() ? *(it + 1) : std::string();
  };
  try {
    if (!value("--prepare").empty()) {
      prepare(value("--prepare"));
    } else if (!value("--run").empty()) {
      run(value("--run"), value("--peer"));
    } else {
      std::cerr << "usage: bench_sft --prepare DIR | --run DIR [--peer FILE]\n";
      return 2;
    }
  } catch (const std::exception& error) {
    std::cerr << "bench_sft: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
