// `astro world generate` and `astro world stats`: the built-in countdown world's datasets and how
// hard they are. Other files add more `world` subcommands through commandGroup(root, "world").
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/astro/command_registry.h"
#include "app/astro/world_knobs.h"
#include "core/world/countdown_generator.h"
#include "core/world/world_statistics.h"

namespace {

using astro::cli::addGeneratorKnobs;

constexpr const char* kWorldDescription =
    "The built-in miniature world: countdown puzzles (reach a target from given numbers with\n"
    "+ - * /), exactly verified, small enough to run the whole pipeline on a laptop CPU";

struct GenerateOptions {
  std::uint64_t seed = 1;
  std::string out;
  int train = 1000;
  int test = 200;
  bool testFirst = false;
  astro::world::GeneratorOptions knobs;
};

void runGenerate(const GenerateOptions& options) {
  const auto order = options.testFirst ? astro::world::SplitOrder::kTestFirst
                                       : astro::world::SplitOrder::kTrainFirst;
  auto dataset = astro::world::generateDataset(options.seed, options.train, options.test,
                                               options.knobs, order);
  astro::world::writeDataset(options.out, dataset, options.seed, options.knobs, order);
  std::cout << "wrote " << dataset.train.size() << " train and " << dataset.test.size()
            << " test puzzles to " << options.out << "\n";
}

struct StatsOptions {
  std::uint64_t seed = 1;
  int count = 200;
  int rollouts = 200;
  bool json = false;
  astro::world::GeneratorOptions knobs;
};

void runStats(const StatsOptions& options) {
  auto dataset = astro::world::generateDataset(options.seed, options.count, 0, options.knobs);
  auto stats = astro::world::measureStatistics(dataset.train, options.rollouts, options.seed);
  auto rounded = [](double value) { return std::round(value * 10000.0) / 10000.0; };
  nlohmann::ordered_json report = {
      {"problems", stats.problems},
      {"random_play_pass_rate", rounded(stats.randomPlayPassRate)},
      {"first_step_solvable_fraction", rounded(stats.solvableFraction)},
      {"mean_fewest_steps", rounded(stats.meanFewestSteps)},
      {"mean_solution_paths", rounded(stats.meanSolutionCount)},
      {"median_solution_paths", stats.medianSolutionCount},
      {"min_solution_paths", stats.minSolutionCount},
      {"max_solution_paths", stats.maxSolutionCount},
      {"mean_solution_chars", rounded(stats.meanSolutionChars)},
  };
  if (options.json) {
    std::cout << report.dump() << "\n";
    return;
  }
  for (auto& [key, value] : report.items()) {
    std::printf("%-30s %s\n", key.c_str(), value.dump().c_str());
  }
}

void addWorldCommands(CLI::App& root) {
  CLI::App& world = astro::cli::commandGroup(root, "world", kWorldDescription);

  auto generate = std::make_shared<GenerateOptions>();
  CLI::App* generateCommand = world.add_subcommand(
      "generate",
      "Write solvable puzzles with reference solutions as DIR/train.jsonl and DIR/test.jsonl "
      "(disjoint; same seed, same bytes) plus DIR/manifest.json");
  generateCommand->add_option("--seed", generate->seed, "Random seed")->capture_default_str();
  generateCommand->add_option("--out", generate->out, "Output folder")->required();
  generateCommand->add_option("--train", generate->train, "Training puzzles")
      ->check(CLI::Range(0, 10000000))
      ->capture_default_str();
  generateCommand->add_option("--test", generate->test, "Test puzzles")
      ->check(CLI::Range(0, 10000000))
      ->capture_default_str();
  generateCommand->add_flag(
      "--test-first", generate->testFirst,
      "Draw the test puzzles first (keeps a small test split a uniform draw when --train takes "
      "almost every puzzle the knobs admit; train then depends on --test)");
  addGeneratorKnobs(*generateCommand, generate->knobs);
  generateCommand->callback([generate] { runGenerate(*generate); });

  auto stats = std::make_shared<StatsOptions>();
  CLI::App* statsCommand = world.add_subcommand(
      "stats",
      "Measure how hard generated puzzles are: random legal play's pass rate, the first-step "
      "solvable fraction, solution paths per puzzle");
  statsCommand->add_option("--seed", stats->seed, "Random seed")->capture_default_str();
  statsCommand->add_option("--count", stats->count, "Puzzles to generate and measure")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  statsCommand->add_option("--rollouts", stats->rollouts, "Random games per puzzle")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  statsCommand->add_flag("--json", stats->json, "Print one JSON object");
  addGeneratorKnobs(*statsCommand, stats->knobs);
  statsCommand->callback([stats] { runStats(*stats); });
}

const astro::cli::CommandRegistration kWorld{"40-world", addWorldCommands};

}  // namespace
