// The search stage: MCTS over the dataset (core/search/mcts_job.h) into the run's trees in the
// store (one transaction per finished tree: a kill loses only trees in progress, a resume skips
// the problems already stored), then trees.jsonl in dataset order (the same bytes however the
// search was batched or interrupted), the search's solve rate and the policy's own pass@1.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/domain/dataset_reading.h"
#include "core/domain/domain_registry.h"
#include "core/math/dataset_loader.h"
#include "core/endpoint/model_source.h"
#include "core/pipeline/run_layout.h"
#include "core/pipeline/stages/stages.h"
#include "core/search/mcts_job.h"
#include "core/search/policy_language_model.h"
#include "core/search/tree_json.h"
#include "core/search/tree_store_run.h"
#include "core/store/workspace.h"
#include "core/tokenizer/tokenizer.h"

namespace astro::pipeline {

namespace fs = std::filesystem;

namespace {

constexpr int kPassChunk = 64;  // problems per pass@1 rollout call

std::string fraction(int part, int whole) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%d/%d (%.3f)", part, whole,
                whole > 0 ? double(part) / whole : 0.0);
  return buffer;
}

// The policy: the run's model folder, or the endpoint the config names.
endpoint::ModelSource modelSource(const SearchStage& config, StageContext& context) {
  if (config.endpoint) return {.folder = {}, .endpoint = config.endpoint};
  return {.folder = context.input("model"), .endpoint = std::nullopt};
}

// pass@1 of the policy alone over every searched problem, in fixed chunks so the result does not
// depend on how often the stage was interrupted.
int countPolicyCorrect(const SearchStage& config, const std::vector<math::Problem>& problems,
                       const domain::Domain& domain, StageContext& context) {
  const auto verifier = domain.makeVerifier();
  search::MctsOptions mcts = config.mcts;
  mcts.stepDelimiter = domain.stepDelimiter();  // as the search job cut the steps
  const endpoint::ModelSource source = modelSource(config, context);
  auto tokenizer = tokenizer::Tokenizer::fromDirectory(
      context.inputs.contains("tokenizer") ? context.input("tokenizer") : source.folder);
  auto model = endpoint::openSampler(source, context.device);
  search::LanguageModelPolicy policy(
      *model, tokenizer,
      search::LanguageModelPolicyOptions{.stepDelimiter = mcts.stepDelimiter});
  int correct = 0;
  for (std::size_t first = 0; first < problems.size(); first += kPassChunk) {
    context.throwIfStopped();
    std::size_t count = std::min<std::size_t>(kPassChunk, problems.size() - first);
    correct += search::countCorrectSingleSamples(
        std::span<const math::Problem>(problems).subspan(first, count), policy, *verifier,
        config.passSamples, mcts);
    context.progress(static_cast<std::int64_t>(first + count),
                     static_cast<std::int64_t>(problems.size()), "policy pass@1");
  }
  return correct;
}

}  // namespace

void runSearchStage(const SearchStage& config, StageContext& context) {
  search::SearchJob job;
  job.dataset = context.input("dataset");
  const endpoint::ModelSource source = modelSource(config, context);
  if (source.endpoint && context.rankZero) {
    context.log("policy: " + endpoint::describeEndpointConfig(*source.endpoint));
  }
  job.model = source.folder;
  job.endpoint = source.endpoint;
  if (context.inputs.contains("tokenizer")) job.tokenizer = context.input("tokenizer");
  job.runId = context.stage.runId;
  job.stage = context.stage.kind;
  job.verifier = config.verifier;
  job.device = context.device;
  job.limit = config.limit;
  job.passSamples = 0;  // estimated below over every problem, not only this call's
  job.mcts = config.mcts;

  std::vector<math::Problem> problems = domain::loadDataset(job.dataset).problems;
  if (config.limit > 0 && problems.size() > std::size_t(config.limit))
    problems.resize(config.limit);
  const int total = static_cast<int>(problems.size());
  if (context.rankZero) {
    const std::string domainName(domain::resolveDomain(config.verifier, problems).name());
    context.log("domain " + domainName + " grades the terminals (verifier = \"" + config.verifier +
                    "\")",
                {{"domain", domainName}});
  }
  const int stored = static_cast<int>(
      context.workspace.trees().count(context.stage.runId, std::string(context.stage.kind)));
  if (stored > 0) context.log("resuming the search: " + std::to_string(stored) + " trees stored");

  // In a data-parallel run every rank searches its share; rank 0 alone stores the trees.
  job.shardAcrossRanks = true;
  auto onProgress = [&](const search::MctsStats& stats) {
    context.progress(stored + stats.treesFinished, total, "search");
  };
  auto summary = context.rankZero ? search::runSearchJob(job, context.workspace, onProgress, &context.stop)
                                  : search::runSearchJob(job, onProgress, &context.stop);
  if (summary.search.stopped) throw StopRequested();
  if (!context.rankZero) return;

  std::string lines;
  int solved = 0;
  int treeCount = 0;
  for (const math::Problem& problem : problems) {
    auto stored =
        context.workspace.trees().find(context.stage.runId, context.stage.kind, problem.id);
    if (!stored) continue;
    search::SearchTree tree = search::treeFromStore(*stored);
    lines += search::treeToJsonText(tree) + "\n";
    solved += !tree.correctTerminals().empty();
    ++treeCount;
  }
  const fs::path treesFile = context.folder / stageOutput(StageKind::kSearch, "trees");
  writeFileAtomically(treesFile, lines);

  nlohmann::ordered_json result = {
      {"problems", total},
      {"trees", treeCount},
      {"trees_solved", solved},
      {"solve_rate", treeCount > 0 ? double(solved) / treeCount : 0.0}};
  context.metric("solve_rate", 0, result["solve_rate"].get<double>());
  std::string message = "searched " + std::to_string(treeCount) + " problems (" +
                        std::to_string(config.mcts.iterations) +
                        " iterations each): trees with a correct answer " +
                        fraction(solved, treeCount);
  if (config.passSamples > 0) {
    int correct = countPolicyCorrect(config, problems,
                                     domain::resolveDomain(config.verifier, problems), context);
    int samples = total * config.passSamples;
    double passAt1 = samples > 0 ? double(correct) / samples : 0.0;
    result["policy_samples"] = samples;
    result["policy_pass@1"] = passAt1;
    context.metric("policy_pass@1", 0, passAt1);
    message += "; the policy alone: pass@1 " + fraction(correct, samples);
  }
  context.log(message, {{"result", result}});
  writeFileAtomically(context.folder / "result.json", result.dump(2) + "\n");
  context.artifact("trees", treesFile);
  context.artifact("report", context.folder / "result.json");
}

}  // namespace astro::pipeline
