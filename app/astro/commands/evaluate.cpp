// `astro evaluate`: pass@1 over k samples, pass@k and greedy accuracy of a model on a dataset,
// every sample with its trace statistics (--samples-out). With --sweep, every saved checkpoint
// of a training run (a trainer's output folder, or a run of the workspace) in training order,
// then the Pearson correlations across checkpoints of backtracks and length with accuracy. With
// --nproc N (or under torchrun/srun) the problems of --model are split across the ranks and rank 0
// alone writes the samples and the report, the same as one process writes.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/astro/command_registry.h"
#include "app/astro/endpoint_flags.h"
#include "app/astro/rank_launch.h"
#include "app/astro/verifier_flag.h"
#include "core/analysis/exact_detector.h"
#include "core/base/error.h"
#include "core/dist/dist_environment.h"
#include "core/domain/dataset_reading.h"
#include "core/domain/domain_registry.h"
#include "core/endpoint/model_source.h"
#include "core/math/dataset_loader.h"
#include "core/pipeline/run_layout.h"
#include "core/store/workspace.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/checkpoint_sweep.h"
#include "core/train/evaluation.h"
#include "core/train/evaluation_records.h"

namespace {

namespace fs = std::filesystem;

struct EvaluateCommand {
  std::string model, dataset, verifier = "auto", samplesOut;
  std::string sweep, sweepStart, sweepOut;
  int limit = 0;
  std::string device = "cpu";
  astro::train::EvaluationOptions options;
  astro::cli::RankFlags ranks;
  astro::cli::EndpointFlags endpoint;
  std::string tokenizer;  // with --endpoint
};

// Where ranks > 0 of `--nproc N` log: beside --samples-out, else in the temporary folder.
fs::path rankLogFolder(const EvaluateCommand& c) {
  if (!c.samplesOut.empty()) return c.samplesOut + ".rank-logs";
  return fs::temp_directory_path() / ("astro-evaluate-" + std::to_string(::getpid()) + "-ranks");
}

void printProgress(const astro::train::EvaluationProgress& p) {
  std::cerr << "\revaluate: " << p.done << "/" << p.total << std::flush;
}

nlohmann::ordered_json summaryLine(const astro::train::EvaluationResult& result, bool greedy) {
  nlohmann::ordered_json line = {{"pass@1", result.passAt1}};
  for (auto [k, value] : result.passAtK) {
    if (k != 1) line["pass@" + std::to_string(k)] = value;
  }
  if (greedy) line["greedy"] = result.greedyAccuracy;
  line["mean_completion_tokens"] = result.meanCompletionTokens;
  line["mean_backtracks"] = result.meanBacktracks;
  line["mean_restarts"] = result.meanRestarts;
  if (const auto& b = result.behaviour) {  // rates null where undefined (no return)
    auto rate = [](double value) {
      return std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json();
    };
    line["wrong_branch_share"] = rate(b->wrongBranchShare());
    line["recovery_rate"] = rate(b->recoveryRate());
  }
  return line;
}

// JSON has no NaN: an undefined coefficient (constant variable, too few points) is null.
nlohmann::ordered_json correlationJson(const astro::analysis::Correlation& c) {
  auto number = [](double value) {
    return std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json();
  };
  return {{"n", c.n},
          {"r", number(c.r)},
          {"ci_low", number(c.ciLow)},
          {"ci_high", number(c.ciHigh)},
          {"p_value", number(c.pValue)}};
}

// A trainer output folder as given, or the newest rl stage (else sft stage) of run ID.
fs::path sweepFolder(const std::string& target) {
  if (fs::is_directory(target)) return target;
  bool number = !target.empty() && std::all_of(target.begin(), target.end(),
                                               [](unsigned char c) { return std::isdigit(c); });
  if (!number) throw astro::UsageError("--sweep: " + target + " is neither a folder nor a run id");
  std::int64_t runId = std::stoll(target);
  fs::path workspaceFolder = astro::cli::globalOptions().resolvedWorkspace();
  auto workspace = astro::store::Workspace::open(workspaceFolder, {.readOnly = true});
  astro::pipeline::RunLayout layout(workspace.folder(), runId);
  for (auto kind : {astro::pipeline::StageKind::kRl, astro::pipeline::StageKind::kSft}) {
    auto stages = workspace.stages().list(runId);
    for (auto stage = stages.rbegin(); stage != stages.rend(); ++stage) {
      if (stage->kind == astro::pipeline::stageKindName(kind)) {
        return layout.stageFolder(stage->position, kind);
      }
    }
  }
  throw astro::Error("run " + target + " has no rl or sft stage to sweep");
}

void runSweep(EvaluateCommand& c, const std::vector<astro::math::Problem>& problems,
              const astro::math::Verifier& verifier) {
  auto checkpoints = astro::train::listSweepCheckpoints(sweepFolder(c.sweep), c.sweepStart);
  astro::train::SweepOptions sweep{
      .evaluation = c.options, .resultsDir = c.sweepOut, .device = c.device};
  std::ofstream samples;
  if (!c.samplesOut.empty()) samples.open(c.samplesOut);
  auto points = astro::train::sweepCheckpoints(
      checkpoints, problems, verifier, sweep,
      {.onStart =
           [](const astro::train::SweepCheckpoint& checkpoint, std::size_t index,
              std::size_t count) {
             std::cerr << "evaluate: " << checkpoint.label << " (" << index + 1 << "/" << count
                       << ")\n";
           },
       .onProgress = printProgress,
       .onPoint =
           [&](const astro::train::SweepPoint& point) {
             if (!point.reused) std::cerr << "\n";
             if (samples.is_open()) {
               samples << astro::train::evaluationSamplesJsonl(point.evaluation, problems,
                                                               point.checkpoint.label);
             }
             nlohmann::ordered_json line = {{"checkpoint", point.checkpoint.label},
                                            {"step", point.checkpoint.step}};
             line.update(summaryLine(point.evaluation, c.options.greedy));
             line["reused"] = point.reused;
             std::cout << line.dump() << std::endl;
           }});
  auto correlations = astro::train::correlateSweep(points);
  nlohmann::ordered_json report = {{"dataset", c.dataset},
                                   {"problems", problems.size()},
                                   {"checkpoints", points.size()},
                                   {"pearson",
                                    {{"backtracks", correlationJson(correlations.backtracks)},
                                     {"length", correlationJson(correlations.length)}}},
                                   {"pearson_step_trend_removed",
                                    {{"backtracks",
                                      correlationJson(correlations.backtracksDetrended)},
                                     {"length", correlationJson(correlations.lengthDetrended)}}}};
  std::cout << report.dump() << "\n";
}

void runEvaluate(EvaluateCommand& c) {
  const auto served = astro::cli::endpointFromFlags(c.endpoint, c.tokenizer);
  if (int(!c.model.empty()) + int(!c.sweep.empty()) + int(served.has_value()) != 1) {
    throw astro::UsageError("evaluate: give exactly one of --model, --endpoint and --sweep");
  }
  if (!c.tokenizer.empty() && !served) {
    throw astro::UsageError("evaluate: --tokenizer goes with --endpoint (a model folder holds "
                            "its own tokenizer.json)");
  }
  if (c.sweep.empty() && (!c.sweepStart.empty() || !c.sweepOut.empty())) {
    throw astro::UsageError("evaluate: --sweep-start and --sweep-out go with --sweep");
  }
  const auto environment = astro::dist::distEnvironmentFromProcess();
  if (!c.sweep.empty() && (c.ranks.nproc > 1 || environment.distributed())) {
    throw astro::UsageError("evaluate: --sweep runs in one process; --nproc goes with --model");
  }
  if (auto code = astro::cli::launchRanksIfAsked(c.ranks, rankLogFolder(c))) std::exit(*code);
  c.options.shardAcrossRanks = true;  // a no-op in a job of one process
  const bool writer = environment.isRankZero();
  auto loaded = astro::domain::loadDataset(c.dataset);
  auto problems = loaded.problems;
  if (c.limit > 0 && std::size_t(c.limit) < problems.size()) problems.resize(std::size_t(c.limit));
  const astro::domain::Domain& domain = astro::domain::resolveDomain(c.verifier, problems);
  auto verifier = domain.makeVerifier();
  c.options.stepValidator = domain.makeStepValidator();  // judges returns after a wrong branch
  c.options.traceDetector = astro::analysis::ExactDetector::forDomain(domain);  // its traces
  if (c.options.samplesPerProblem > 1) c.options.reportPassAtK = {1, c.options.samplesPerProblem};
  if (!c.sweep.empty()) return runSweep(c, problems, *verifier);

  const astro::endpoint::ModelSource source{.folder = c.model, .endpoint = served};
  auto model = astro::endpoint::openSampler(source, c.device);
  auto tokenizer = astro::tokenizer::Tokenizer::fromDirectory(source.tokenizerFolder());
  auto result = astro::train::evaluatePolicy(
      *model, tokenizer, problems, *verifier, c.options,
      writer ? printProgress : std::function<void(const astro::train::EvaluationProgress&)>());
  if (!writer) return;  // rank 0 holds the same result and writes it
  std::cerr << "\n";
  if (!c.samplesOut.empty()) {
    std::ofstream out(c.samplesOut);
    out << astro::train::evaluationSamplesJsonl(result, problems);
  }
  nlohmann::ordered_json report = {{"dataset", c.dataset},
                                   {"problems", problems.size()},
                                   {"verifier", verifier->name()},
                                   {"samples_per_problem", c.options.samplesPerProblem}};
  report.update(summaryLine(result, c.options.greedy));
  std::cout << report.dump() << "\n";
}

const astro::cli::CommandRegistration kEvaluate{
    "45-evaluate", [](CLI::App& root) {
      auto c = std::make_shared<EvaluateCommand>();
      CLI::App* command = root.add_subcommand(
          "evaluate",
          "Evaluate a model on a dataset (MATH-500, AMC 2023, AIME 2024, GSM8K, the\n"
          "miniature world's test split, any JSONL): pass@1 averaged over k samples,\n"
          "pass@k, greedy accuracy, mean length and backtracks; the last stdout line is\n"
          "one JSON object. --sweep evaluates every checkpoint of a run: one line per\n"
          "checkpoint, then the Pearson correlations across them.");
      command->add_option("--model", c->model, "Model folder (HF layout with tokenizer.json)");
      astro::cli::addEndpointFlags(command, c->endpoint);
      command->add_option("--tokenizer", c->tokenizer,
                          "With --endpoint: folder with the served model's tokenizer.json");
      command->add_option(
          "--sweep", c->sweep,
          "A trainer's output folder (checkpoint-<step>/, final/) or a run id of the\n"
          "workspace (its last rl stage, else its last sft stage)");
      command
          ->add_option("--sweep-start", c->sweepStart,
                       "With --sweep: the model training started from, evaluated first as step 0")
          ->check(CLI::ExistingDirectory);
      command->add_option(
          "--sweep-out", c->sweepOut,
          "With --sweep: keep each checkpoint's result here (<label>.json, .jsonl);\n"
          "a rerun evaluates only what is missing");
      command->add_option("--dataset", c->dataset, "Dataset JSONL")
          ->required()
          ->check(CLI::ExistingFile);
      command->add_option("--samples", c->options.samplesPerProblem, "k samples per problem")
          ->capture_default_str()
          ->check(CLI::Range(1, 4096));
      command->add_option("--temperature", c->options.temperature)->capture_default_str();
      command->add_option("--top-p", c->options.topP)->capture_default_str();
      command->add_option("--max-new-tokens", c->options.maxNewTokens)->capture_default_str();
      command->add_option("--seed", c->options.seed)->capture_default_str();
      command->add_option("--limit", c->limit, "Evaluate only the first N problems");
      astro::cli::addVerifierFlag(command, c->verifier);
      command->add_option("--device", c->device, "cpu or cuda")->capture_default_str();
      command->add_flag("!--no-greedy", c->options.greedy, "Skip the greedy answer");
      command->add_option("--samples-out", c->samplesOut,
                          "Write every graded sample with its trace statistics as JSONL");
      astro::cli::addNprocFlag(command, c->ranks);
      command->callback([c] { runEvaluate(*c); });
    }};

}  // namespace
