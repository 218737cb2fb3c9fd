// `astro search`: MCTS over reasoning steps on a dataset (core/search/mcts_job.h). Finished trees
// go to a JSONL file in the interchange format, one per line as each finishes; running the same
// command again resumes, skipping problems whose tree is already there.
#include <cstdio>
#include <iostream>
#include <memory>

#include "app/astro/command_registry.h"
#include "core/base/error.h"
#include "core/model/runtime.h"
#include "core/search/mcts_job.h"

namespace {

struct SearchCommandOptions {
  std::filesystem::path config;
  astro::search::SearchJob flags;
  std::string rollout = "policy";
  int threads = 0;
  bool quiet = false;
};

// Values given on the command line override those of --config.
astro::search::SearchJob resolveJob(const SearchCommandOptions& options, const CLI::App& command) {
  astro::search::SearchJob job =
      options.config.empty() ? astro::search::SearchJob{}
                             : astro::search::readSearchJob(options.config);
  const astro::search::SearchJob& flags = options.flags;
  auto given = [&](const char* name) { return command.get_option(name)->count() > 0; };
  if (given("--dataset")) job.dataset = flags.dataset;
  if (given("--model")) job.model = flags.model;
  if (given("--tokenizer")) job.tokenizer = flags.tokenizer;
  if (given("--out")) job.out = flags.out;
  if (given("--verifier")) job.verifier = flags.verifier;
  if (given("--device")) job.device = flags.device;
  if (given("--limit")) job.limit = flags.limit;
  if (given("--pass-samples")) job.passSamples = flags.passSamples;
  if (given("--iterations")) job.mcts.iterations = flags.mcts.iterations;
  if (given("--max-depth")) job.mcts.maxDepth = flags.mcts.maxDepth;
  if (given("--exploration")) job.mcts.exploration = flags.mcts.exploration;
  if (given("--children")) job.mcts.childrenPerExpansion = flags.mcts.childrenPerExpansion;
  if (given("--temperature")) job.mcts.temperature = flags.mcts.temperature;
  if (given("--rollout")) {
    job.mcts.rollout = options.rollout == "none" ? astro::search::MctsOptions::Rollout::kNone
                                                 : astro::search::MctsOptions::Rollout::kPolicy;
  }
  if (given("--max-step-tokens")) job.mcts.maxStepTokens = flags.mcts.maxStepTokens;
  if (given("--trees-per-batch")) job.mcts.treesPerBatch = flags.mcts.treesPerBatch;
  if (given("--seed")) job.mcts.seed = flags.mcts.seed;
  return job;
}

void runSearch(const SearchCommandOptions& options, const CLI::App& command) {
  const astro::search::SearchJob job = resolveJob(options, command);
  if (job.dataset.empty() || job.model.empty() || job.out.empty()) {
    throw astro::UsageError("search: --dataset, --model and --out are required (or --config)");
  }
  astro::model::initTorchRuntime(options.threads);
  auto progress = [&](const astro::search::MctsStats& stats) {
    if (options.quiet) return;
    std::fprintf(stderr, "search: %d/%d trees, %lld simulations, %lld policy tokens\n",
                 stats.treesFinished, stats.treesTotal, stats.simulations, stats.policyTokens);
  };
  const auto summary = astro::search::runSearchJob(job, progress);
  std::printf("problems            %d\n", summary.problems);
  std::printf("already stored      %d\n", summary.search.alreadyStored);
  std::printf("searched now        %d (solved %d)\n", summary.search.searched,
              summary.search.solved);
  std::printf("trees in %s  %d, solved by search %d (%.3f)\n", job.out.c_str(),
              summary.treesStored, summary.treesSolved,
              summary.treesStored > 0 ? double(summary.treesSolved) / summary.treesStored : 0.0);
  if (summary.passSamples > 0) {
    std::printf("policy pass@1       %.3f (%d/%d single samples of the searched problems)\n",
                summary.passAt1(), summary.passCorrect, summary.passSamples);
  }
}

void addSearchCommand(CLI::App& root) {
  auto options = std::make_shared<SearchCommandOptions>();
  CLI::App* command = root.add_subcommand(
      "search",
      "Run MCTS over reasoning steps on a dataset with a model; append finished trees to a JSONL "
      "file (interchange format) and resume where a previous run stopped");
  auto& job = options->flags;
  command->add_option("--config", options->config,
                      "TOML file with a [search] table (flags given here override it)")
      ->check(CLI::ExistingFile);
  command->add_option("--dataset", job.dataset, "JSONL dataset of problems");
  command->add_option("--model", job.model, "Checkpoint folder (config.json, model.safetensors)");
  command->add_option("--tokenizer", job.tokenizer,
                      "Folder with tokenizer.json (default: the model folder)");
  command->add_option("--out", job.out, "JSONL file of finished trees (appended)");
  command->add_option("--verifier", job.verifier, "auto, math or countdown")
      ->check(CLI::IsMember({"auto", "math", "countdown"}))
      ->capture_default_str();
  command->add_option("--device", job.device, "cpu or cuda[:N]")->capture_default_str();
  command->add_option("--limit", job.limit, "Search the first N problems only (0: all)")
      ->check(CLI::Range(0, 100000000));
  command->add_option("--pass-samples", job.passSamples,
                      "Single samples per searched problem for the pass@1 estimate")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  auto& mcts = job.mcts;
  command->add_option("--iterations", mcts.iterations, "MCTS iterations per problem")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  command->add_option("--max-depth", mcts.maxDepth, "Maximum steps on a path")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  command->add_option("--exploration", mcts.exploration, "PUCT exploration constant c")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();
  command->add_option("--children", mcts.childrenPerExpansion, "Steps sampled per expansion (k)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  command->add_option("--temperature", mcts.temperature, "Expansion sampling temperature")
      ->check(CLI::Range(0.0, 100.0))
      ->capture_default_str();
  command->add_option("--rollout", options->rollout, "policy (roll out to an answer) or none")
      ->check(CLI::IsMember({"policy", "none"}))
      ->capture_default_str();
  command->add_option("--max-step-tokens", mcts.maxStepTokens, "Token limit of one step")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  command->add_option("--trees-per-batch", mcts.treesPerBatch, "Trees advancing together")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  command->add_option("--seed", mcts.seed, "Random seed")->capture_default_str();
  command->add_option("--threads", options->threads, "Torch threads (0: all cores)")
      ->check(CLI::Range(0, 1024));
  command->add_flag("--quiet", options->quiet, "No progress lines on stderr");
  command->callback([options, command] { runSearch(*options, *command); });
}

const astro::cli::CommandRegistration kSearch{"50-search", addSearchCommand};

}  // namespace
