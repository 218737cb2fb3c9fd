// runSearchJob (mcts_job.h): loads the dataset, tokenizer and model, resolves the problems'
// domain (its verifier and step validator, core/domain/domain_registry.h), runs the resumable
// batched search into the tree store (a JSONL file or a run), then estimates the policy's pass@1;
// in a sharded job each rank does both for its share (sharded_search.h).
#include <memory>
#include <optional>
#include <tuple>
#include <utility>

#include "core/base/error.h"
#include "core/dist/dist_environment.h"
#include "core/domain/dataset_reading.h"
#include "core/domain/domain_registry.h"
#include "core/math/dataset_loader.h"
#include "core/endpoint/model_source.h"
#include "core/search/mcts_job.h"
#include "core/search/policy_language_model.h"
#include "core/search/sharded_search.h"
#include "core/search/tree_json.h"
#include "core/search/tree_store_jsonl.h"
#include "core/search/tree_store_run.h"
#include "core/store/workspace.h"
#include "core/tokenizer/tokenizer.h"

namespace astro::search {

namespace {

bool sharded(const SearchJob& job) {
  return job.shardAcrossRanks && dist::distEnvironmentFromProcess().distributed();
}

// Loads what the search needs and runs it into `store` (nullptr on ranks > 0 of a sharded job);
// `countStored` reports (trees, solved) held by the store afterwards (rank 0 only).
SearchJobSummary runInto(const SearchJob& job, FinishedTreeStore* store,
                         const std::function<std::pair<int, int>()>& countStored,
                         const std::function<void(const MctsStats&)>& onProgress,
                         const std::atomic<bool>* stop) {
  job.mcts.validate();
  if (job.dataset.empty()) throw UsageError("search: no dataset given");
  if (job.model.empty() && !job.endpoint) throw UsageError("search: no model folder given");
  std::vector<math::Problem> problems = domain::loadDataset(job.dataset).problems;
  if (job.limit > 0 && static_cast<int>(problems.size()) > job.limit) problems.resize(job.limit);
  const domain::Domain& problemDomain = domain::resolveDomain(job.verifier, problems);
  const auto verifier = problemDomain.makeVerifier();
  MctsOptions mcts = job.mcts;
  mcts.stepDelimiter = problemDomain.stepDelimiter();  // the domain's steps, as it renders them
  const endpoint::ModelSource source{.folder = job.model, .endpoint = job.endpoint};
  const auto tokenizer = tokenizer::Tokenizer::fromDirectory(
      job.tokenizer.empty() ? source.tokenizerFolder() : job.tokenizer);
  const auto model = endpoint::openSampler(source, job.device);
  LanguageModelPolicy policy(*model, tokenizer,
                             LanguageModelPolicyOptions{.stepDelimiter = mcts.stepDelimiter});

  SearchJobSummary summary;
  summary.problems = static_cast<int>(problems.size());
  summary.domain = problemDomain.name();
  std::vector<math::Problem> searched;
  MctsCallbacks callbacks;
  callbacks.onProgress = onProgress;
  callbacks.stop = stop;
  // A domain whose steps are checkable one by one has a validator (MctsOptions::validateSteps).
  const auto stepValidator = mcts.validateSteps ? problemDomain.makeStepValidator() : nullptr;
  callbacks.validator = stepValidator.get();
  callbacks.onTreeFinished = [&](std::size_t index, const SearchTree&) {
    searched.push_back(problems[index]);
  };
  if (!sharded(job)) {
    summary.search = searchIntoStore(problems, policy, *verifier, mcts, *store, callbacks);
  } else {
    summary.search = searchIntoStoreAcrossRanks(problems, policy, *verifier, mcts, store,
                                                callbacks, job.device);
  }
  if (store != nullptr) std::tie(summary.treesStored, summary.treesSolved) = countStored();
  if (!summary.search.stopped) {
    // Each rank samples the problems it searched (seeds from the search seed and sample index).
    summary.passSamples = static_cast<int>(searched.size()) * job.passSamples;
    summary.passCorrect =
        countCorrectSingleSamples(searched, policy, *verifier, job.passSamples, mcts);
    if (sharded(job)) {
      summary.passSamples = static_cast<int>(sumAcrossRanks(summary.passSamples, job.device));
      summary.passCorrect = static_cast<int>(sumAcrossRanks(summary.passCorrect, job.device));
    }
  }
  return summary;
}

}  // namespace

SearchJobSummary runSearchJob(const SearchJob& job,
                              const std::function<void(const MctsStats&)>& onProgress,
                              const std::atomic<bool>* stop) {
  if (sharded(job) && !dist::distEnvironmentFromProcess().isRankZero()) {
    return runInto(job, nullptr, {}, onProgress, stop);  // rank 0 stores what this rank finds
  }
  if (job.runId > 0) {
    if (job.workspace.empty()) throw UsageError("search: a run needs its workspace folder");
    store::Workspace workspace = store::Workspace::open(job.workspace);
    return runSearchJob(job, workspace, onProgress, stop);
  }
  if (job.out.empty()) throw UsageError("search: no output file or run given");
  std::optional<JsonlTreeStore> store;
  store.emplace(job.out);
  auto countStored = [&] {
    store.reset();  // closed: every tree is on disk
    std::pair<int, int> counts;
    forEachTreeJsonl(job.out, [&](SearchTree&& tree) {
      ++counts.first;
      counts.second += !tree.correctTerminals().empty();
    });
    return counts;
  };
  return runInto(job, &*store, countStored, onProgress, stop);
}

SearchJobSummary runSearchJob(const SearchJob& job, store::Workspace& workspace,
                              const std::function<void(const MctsStats&)>& onProgress,
                              const std::atomic<bool>* stop) {
  if (sharded(job) && !dist::distEnvironmentFromProcess().isRankZero()) {
    return runInto(job, nullptr, {}, onProgress, stop);
  }
  RunTreeStore store(workspace, job.runId, job.stage);
  auto countStored = [&] {
    std::pair<int, int> counts;
    for (const store::TreeSummary& tree : workspace.trees().list(job.runId, {.stage = job.stage})) {
      ++counts.first;
      counts.second += tree.stats.solved();
    }
    return counts;
  };
  return runInto(job, &store, countStored, onProgress, stop);
}

}  // namespace astro::search
