// `astro search`: MCTS over reasoning steps on a dataset (core/search/mcts_job.h). Finished trees
// go to a run of the workspace (--run ID, or --new-run NAME) or to a JSONL file in the interchange
// format (--out), each as it finishes; running the same command again resumes, skipping problems
// whose tree is already there. With --nproc N the problems are split across N ranks and rank 0
// alone writes the trees, as one process would have (core/search/sharded_search.h).
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "app/astro/command_registry.h"
#include "app/astro/endpoint_flags.h"
#include "app/astro/rank_launch.h"
#include "app/astro/verifier_flag.h"
#include "core/base/error.h"
#include "core/dist/dist_environment.h"
#include "core/model/runtime.h"
#include "core/search/mcts_job.h"
#include "core/store/workspace.h"

namespace {

struct SearchCommandOptions {
  std::filesystem::path config;
  astro::search::SearchJob flags;
  std::string rollout = "policy";
  std::string newRun;  // create a run of this name for the trees
  int threads = 0;
  bool quiet = false;
  astro::cli::RankFlags ranks;
  astro::cli::EndpointFlags endpoint;
};

// Values given on the command line override those of --config.
astro::search::SearchJob resolveJob(const SearchCommandOptions& options, const CLI::App& command) {
  astro::search::SearchJob job = options.config.empty()
                                     ? astro::search::SearchJob{}
                                     : astro::search::readSearchJob(options.config);
  const astro::search::SearchJob& flags = options.flags;
  auto given = [&](const char* name) { return command.get_option(name)->count() > 0; };
  if (given("--dataset")) job.dataset = flags.dataset;
  if (given("--model")) job.model = flags.model;
  if (given("--tokenizer")) job.tokenizer = flags.tokenizer;
  if (auto served = astro::cli::endpointFromFlags(options.endpoint, job.tokenizer)) {
    if (given("--model")) throw astro::UsageError("search: give --model or --endpoint, not both");
    job.endpoint = std::move(served);
    job.model.clear();
  }
  // A destination given here replaces the config's (--out one, or a run).
  if (given("--out")) {
    job.out = flags.out;
    if (!given("--run")) job.runId = 0;
  }
  if (given("--run") || given("--new-run")) {
    job.runId = given("--run") ? flags.runId : 0;
    if (!given("--out")) job.out.clear();
  }
  if (given("--stage")) job.stage = flags.stage;
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
  if (given("--keep-invalid-steps")) job.mcts.keepInvalidSteps = true;
  if (given("--self-eval-votes")) job.mcts.selfEvaluation.votes = flags.mcts.selfEvaluation.votes;
  if (given("--self-eval-temperature")) {
    job.mcts.selfEvaluation.temperature = flags.mcts.selfEvaluation.temperature;
  }
  return job;
}

// Where ranks > 0 of `--nproc N` log: beside the JSONL file, or in the workspace.
std::filesystem::path rankLogFolder(const astro::search::SearchJob& job) {
  if (!job.out.empty()) return job.out.string() + ".rank-logs";
  return astro::cli::globalOptions().resolvedWorkspace() / "rank-logs" / "search";
}

void printSummary(const astro::search::SearchJob& job, const std::string& destination,
                  const astro::search::SearchJobSummary& summary) {
  std::printf("problems            %d (domain %s)\n", summary.problems, summary.domain.c_str());
  std::printf("already stored      %d\n", summary.search.alreadyStored);
  std::printf("searched now        %d (solved %d)\n", summary.search.searched,
              summary.search.solved);
  std::printf("trees in %s  %d, solved by search %d (%.3f)\n", destination.c_str(),
              summary.treesStored, summary.treesSolved,
              summary.treesStored > 0 ? double(summary.treesSolved) / summary.treesStored : 0.0);
  if (job.mcts.selfEvaluation.votes > 0) {
    std::printf("self-evaluation     %lld correct terminals judged (%d votes), %lld rejected\n",
                summary.search.stats.solutionsJudged, job.mcts.selfEvaluation.votes,
                summary.search.stats.solutionsRejected);
  }
  if (const auto& stats = summary.search.stats; stats.stepsRejected > 0) {
    std::printf("invalid steps       %lld refused by the step validator, %lld kept as dead ends\n",
                stats.stepsRejected, stats.deadEndsKept);
  }
  if (summary.passSamples > 0) {
    std::printf("policy pass@1       %.3f (%d/%d single samples of the searched problems)\n",
                summary.passAt1(), summary.passCorrect, summary.passSamples);
  }
}

void runSearch(const SearchCommandOptions& options, const CLI::App& command) {
  astro::search::SearchJob job = resolveJob(options, command);
  const bool toRun = job.runId > 0 || !options.newRun.empty();
  if (job.dataset.empty() || (job.model.empty() && !job.endpoint) ||
      (job.out.empty() && !toRun)) {
    throw astro::UsageError(
        "search: --dataset, --model (or --endpoint) and one of --out, --run, --new-run are "
        "required (or --config)");
  }
  if (toRun && !job.out.empty()) {
    throw astro::UsageError(
        "search: give --out or a run (--run/--new-run), not both; `astro trees export` writes "
        "a run's trees as JSONL");
  }
  if (job.runId > 0 && !options.newRun.empty()) {
    throw astro::UsageError("search: give --run or --new-run, not both");
  }
  if (auto code = astro::cli::launchRanksIfAsked(options.ranks, rankLogFolder(job))) {
    std::exit(*code);
  }
  job.shardAcrossRanks = true;  // a no-op in a job of one process
  // Ranks > 0 search their share and send it to rank 0: no store, run or output of their own.
  const bool writer = astro::dist::distEnvironmentFromProcess().isRankZero();
  std::optional<astro::store::Workspace> workspace;
  if (toRun && writer) {
    workspace.emplace(
        astro::store::Workspace::open(astro::cli::globalOptions().resolvedWorkspace()));
    if (!options.newRun.empty()) {
      job.runId = workspace->runs().create({.name = options.newRun, .host = "local"}).id;
      // The id is what a resume needs (astro search ... --run ID): print it before searching.
      std::fprintf(stderr, "search: trees go to run %lld (%s) of workspace %s\n",
                   static_cast<long long>(job.runId), options.newRun.c_str(),
                   workspace->folder().c_str());
    }
  }
  astro::model::initTorchRuntime(options.threads);
  auto progress = [&](const astro::search::MctsStats& stats) {
    if (options.quiet || !writer) return;
    std::fprintf(stderr, "search: %d/%d trees, %lld simulations, %lld policy tokens\n",
                 stats.treesFinished, stats.treesTotal, stats.simulations, stats.policyTokens);
  };
  astro::search::SearchJobSummary summary;
  if (workspace) {
    workspace->runs().updateStatus(job.runId, astro::store::RunStatus::kRunning);
    try {
      summary = astro::search::runSearchJob(job, *workspace, progress);
    } catch (...) {
      workspace->runs().updateStatus(job.runId, astro::store::RunStatus::kFailed);
      throw;
    }
    workspace->runs().updateStatus(job.runId, astro::store::RunStatus::kFinished);
  } else {
    summary = astro::search::runSearchJob(job, progress);
  }
  if (!writer) return;
  printSummary(
      job,
      workspace ? "run " + std::to_string(job.runId) + " (" + job.stage + ")" : job.out.string(),
      summary);
}

void addSearchCommand(CLI::App& root) {
  auto options = std::make_shared<SearchCommandOptions>();
  CLI::App* command = root.add_subcommand(
      "search",
      "Run MCTS over reasoning steps on a dataset with a model; store finished trees in a run of "
      "the workspace (--run/--new-run) or a JSONL file (--out), and resume where a previous "
      "search stopped");
  auto& job = options->flags;
  command
      ->add_option("--config", options->config,
                   "TOML file with a [search] table (flags given here override it)")
      ->check(CLI::ExistingFile);
  command->add_option("--dataset", job.dataset, "JSONL dataset of problems");
  command->add_option("--model", job.model, "Checkpoint folder (config.json, model.safetensors)");
  command->add_option("--tokenizer", job.tokenizer,
                      "Folder with tokenizer.json (default: the model folder)");
  astro::cli::addEndpointFlags(command, options->endpoint);
  command->add_option("--out", job.out, "JSONL file of finished trees (appended)");
  command
      ->add_option("--run", job.runId,
                   "Store finished trees in this run of the workspace (resumes it)")
      ->check(CLI::PositiveNumber);
  command->add_option("--new-run", options->newRun,
                      "Create a run with this name and store finished trees in it");
  command->add_option("--stage", job.stage, "Stage name the trees are stored under")
      ->capture_default_str();
  astro::cli::addVerifierFlag(command, job.verifier);
  command->add_option("--device", job.device, "cpu or cuda[:N]")->capture_default_str();
  command->add_option("--limit", job.limit, "Search the first N problems only (0: all)")
      ->check(CLI::Range(0, 100000000));
  command
      ->add_option("--pass-samples", job.passSamples,
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
  command->add_flag("--keep-invalid-steps", mcts.keepInvalidSteps,
                    "Keep each step the domain's step validator refuses as a dead end of the "
                    "tree (terminal, no answer, reward -1) instead of dropping it, so the "
                    "policy's own wrong steps become detours of the ASTRO traces");
  command
      ->add_option("--self-eval-votes", mcts.selfEvaluation.votes,
                   "Quality filter: the policy judges each correct solution K times and only "
                   "unanimous 'valid' votes keep it correct (ASTRO); 0: off")
      ->check(CLI::Range(0, 64))
      ->capture_default_str();
  command
      ->add_option("--self-eval-temperature", mcts.selfEvaluation.temperature,
                   "Sampling temperature of the self-evaluation votes")
      ->check(CLI::Range(0.0, 100.0))
      ->capture_default_str();
  command->add_option("--threads", options->threads, "Torch threads (0: all cores)")
      ->check(CLI::Range(0, 1024));
  command->add_flag("--quiet", options->quiet, "No progress lines on stderr");
  astro::cli::addNprocFlag(command, options->ranks);
  command->callback([options, command] { runSearch(*options, *command); });
}

const astro::cli::CommandRegistration kSearch{"50-search", addSearchCommand};

}  // namespace
