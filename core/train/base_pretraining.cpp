#include "core/train/base_pretraining.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/dist/job.h"
#include "core/model/language_model.h"
#include "core/model/model_config.h"
#include "core/tokenizer/tokenizer.h"
#include "core/world/countdown_puzzle.h"
#include "core/world/countdown_solver.h"
#include "core/world/countdown_verifier.h"
#include "core/world/reference_solution.h"
#include "core/world/world_resources.h"

namespace astro::train {

namespace fs = std::filesystem;

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Epochs written into the corpus as distinct passes (the rest the trainer repeats).
int corpusPasses(const BasePretrainingOptions& options) {
  return options.variedPasses ? options.epochs : 1;
}

}  // namespace

void writeDirectCorpus(const fs::path& path, const std::vector<world::GeneratedProblem>& problems,
                       int passes, std::uint64_t seed) {
  std::string lines;
  auto append = [&](const world::CountdownPuzzle& puzzle, const std::string& solution) {
    nlohmann::json record = {{"messages",
                              {{{"role", "user"}, {"content", world::renderQuestion(puzzle)}},
                               {{"role", "assistant"}, {"content", solution}}}}};
    lines += record.dump() + "\n";
  };
  for (const auto& problem : problems) append(problem.puzzle, problem.solution);
  // Later passes: the same puzzles with their numbers in a fresh order and a fresh reference
  // solution drawn uniformly from all solution paths, so repeated passes teach the rules rather
  // than one text per puzzle.
  world::WorldRandom random(seed ^ 0x5eed0fd1a7a5ULL);
  for (int pass = 1; pass < passes; ++pass) {
    for (const auto& problem : problems) {
      world::CountdownPuzzle shuffled = problem.puzzle;
      for (std::size_t i = shuffled.numbers.size(); i > 1; --i) {
        std::swap(shuffled.numbers[i - 1], shuffled.numbers[random.below(i)]);
      }
      world::CountdownSolver solver(shuffled);
      append(shuffled, world::renderSolution(shuffled, solver.sampleSolution(random)));
    }
  }
  writeFileAtomically(path, lines);
}

void initialiseWorldModel(const fs::path& folder, const std::string& configName,
                          std::uint64_t seed) {
  if (fs::exists(folder / "model.safetensors")) return;
  fs::create_directories(folder);
  auto config = model::readModelConfig(world::worldModelConfigPath(configName));
  model::LanguageModel::randomInit(config, seed).save(folder);
  for (const char* name : {"tokenizer.json", "tokenizer_config.json"}) {
    fs::copy_file(world::worldResourceDir() / name, folder / name,
                  fs::copy_options::overwrite_existing);
  }
}

world::GeneratedDataset baseDataset(const BasePretrainingOptions& options) {
  // Test first: the train split takes ~90% of the puzzles these knobs admit, and the rest of
  // the stream would be a held-out split of mostly repeated-number puzzles (59% vs 24%).
  return world::generateDataset(options.seed, options.trainProblems, options.testProblems,
                                options.generator, world::SplitOrder::kTestFirst);
}

std::vector<world::GeneratedProblem> baseCorpusProblems(const BasePretrainingOptions& options,
                                                        const world::GeneratedDataset& dataset) {
  const auto unseen = std::size_t(std::max(options.unseenProblems, 0));
  if (unseen >= dataset.train.size()) {
    throw UsageError("pretrain: keeping the first " + std::to_string(unseen) + " of " +
                     std::to_string(dataset.train.size()) +
                     " training puzzles unseen leaves none to train on; raise the training "
                     "puzzles (--train)");
  }
  return {dataset.train.begin() + std::ptrdiff_t(unseen), dataset.train.end()};
}

SftOptions directSftOptions(const BasePretrainingOptions& options) {
  SftOptions sft;
  sft.initialModel = options.outputDir / "init";
  sft.data = options.outputDir / "direct_sft.jsonl";
  sft.outputDir = options.outputDir / "training";
  sft.learningRate = options.learningRate;
  sft.warmupSteps = options.warmupSteps;
  // Varied passes are written into the corpus, so the trainer makes one pass over them.
  sft.epochs = options.epochs / corpusPasses(options);
  sft.maxSequenceLength = options.rowLength;
  sft.rowLength = options.rowLength;
  sft.pack = options.packRows;
  sft.sequencesPerStep = options.sequencesPerStep;
  sft.rowsPerMicroBatch = options.rowsPerMicroBatch;
  sft.weightDecay = 0.01;
  sft.seed = options.seed;
  sft.checkpointEvery = 50;
  return sft;
}

BasePretrainingResult pretrainWorldBase(const BasePretrainingOptions& options,
                                        const BasePretrainingCallbacks& callbacks) {
  if (options.outputDir.empty()) throw UsageError("pretrain: an output folder is required");
  auto log = [&](const std::string& message) {
    if (callbacks.log) callbacks.log(message);
  };
  // In a data-parallel job rank 0 writes the data and the initial model, the others wait for it.
  const dist::JobRanks ranks = dist::joinJob("cpu");
  auto dataset = baseDataset(options);
  const auto corpus = baseCorpusProblems(options, dataset);
  if (ranks.rankZero()) {
    fs::create_directories(options.outputDir);
    world::writeDataset(options.outputDir / "data", dataset, options.seed, options.generator,
                        world::SplitOrder::kTestFirst);
    writeDirectCorpus(options.outputDir / "direct_sft.jsonl", corpus, corpusPasses(options),
                      options.seed);
    initialiseWorldModel(options.outputDir / "init", options.modelConfig, options.seed);
  }
  dist::barrier("cpu");
  log("generated " + std::to_string(dataset.train.size()) + " train / " +
      std::to_string(dataset.test.size()) + " test puzzles" +
      (corpus.size() < dataset.train.size()
           ? " (trains on the last " + std::to_string(corpus.size()) + ")"
           : std::string()) +
      "; model '" + options.modelConfig + "'");

  BasePretrainingResult result;
  fs::path trained = options.outputDir / "training" / "final";
  auto trainStart = std::chrono::steady_clock::now();
  // Rank 0's view decides (a follower may look before rank 0 has published final/).
  bool needsTraining = dist::broadcastFromRankZero(
                           "cpu", fs::exists(trained / "model.safetensors") ? "0" : "1") == "1";
  if (needsTraining) {
    SftOptions sft = directSftOptions(options);
    auto trainedRun = runSft(sft, {.onStep = callbacks.onStep, .shouldStop = callbacks.shouldStop});
    result.finalLoss = trainedRun.lastLoss;
    if (trainedRun.stopped) {
      throw Error("pretrain stopped at step " + std::to_string(trainedRun.finalStep) +
                  "; run it again to resume");
    }
  }
  result.trainSeconds = secondsSince(trainStart);
  result.model = options.outputDir / "model";
  if (ranks.rankZero() && !fs::exists(result.model / "model.safetensors")) {
    fs::copy(trained, result.model,
             fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  }
  dist::barrier("cpu");

  auto evaluationStart = std::chrono::steady_clock::now();
  auto policy = model::LanguageModel::load(result.model);
  auto tokenizer = tokenizer::Tokenizer::fromDirectory(result.model);
  std::vector<math::Problem> heldOut;
  for (const auto& problem : dataset.test) {
    heldOut.push_back(world::puzzleToProblem(problem.puzzle, problem.id));
  }
  EvaluationOptions evaluation{.samplesPerProblem = options.evaluationSamples,
                               .temperature = 1.0,
                               .maxNewTokens = options.maxNewTokens,
                               .seed = options.seed,
                               .reportPassAtK = {1, options.evaluationSamples}};
  result.evaluation = evaluatePolicy(policy, tokenizer, heldOut, world::CountdownVerifier(),
                                     evaluation, callbacks.onEvaluation);
  result.evaluationSeconds = secondsSince(evaluationStart);
  return result;
}

}  // namespace astro::train
