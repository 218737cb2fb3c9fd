// A search job over a dataset, as `astro search` and the pipeline's search stage run it: what to
// search (dataset, model, tokenizer), where finished trees go (a run of the workspace database or
// a JSONL file; either way resumable), the MCTS options, and a summary that sets search's solve
// rate beside the policy's pass@1.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "core/endpoint/endpoint_config.h"
#include "core/search/mcts.h"
#include "core/search/mcts_resume.h"

namespace astro::store {
class Workspace;
}

namespace astro::search {

struct SearchJob {
  std::filesystem::path dataset;    // JSONL problems (core/math loaders; countdown sets too)
  std::filesystem::path model;      // Hugging Face checkpoint folder (config.json, safetensors)
  // Instead of `model`: an OpenAI-compatible server samples the policy (docs/serving.md).
  std::optional<endpoint::EndpointConfig> endpoint;
  // Folder with tokenizer.json; empty: the endpoint's tokenizer, else the model folder.
  std::filesystem::path tokenizer;
  std::filesystem::path out;        // JSONL of finished trees (interchange format); appended
  // Instead of `out`: finished trees go to run `runId` of the workspace folder (0: use `out`),
  // tagged with `stage`, one tree per problem id.
  std::filesystem::path workspace;
  std::int64_t runId = 0;
  std::string stage = "search";
  std::string verifier = "auto";  // "auto" or a registered domain (core/domain/domain_registry.h)
  std::string device = "cpu";
  int limit = 0;        // first N problems only; 0: all
  int passSamples = 4;  // single samples per searched problem for pass@1; 0: none
  // Split the problems across the ranks of this process's data-parallel job (RANK/WORLD_SIZE or
  // SLURM_*; core/search/sharded_search.h): every rank runs the job, rank 0 alone opens and writes
  // the store, and it ends up as a one-process job's would. No effect in a job of one process.
  bool shardAcrossRanks = false;
  MctsOptions mcts;
};

// Reads a TOML file whose [search] table (or top level) holds the job: dataset, model (a folder,
// or an endpoint table: endpoint_config.h), tokenizer, out, run, stage, verifier, device, limit, pass_samples, and the MCTS keys iterations,
// max_depth, exploration, children, temperature, rollout ("policy" or "none"),
// rollout_temperature, keep_rollout_nodes, validate_steps,
// keep_invalid_steps, max_step_tokens, trees_per_batch, seed,
// and the self-evaluation filter's self_evaluation_votes (0: off), self_evaluation_temperature and
// self_evaluation_max_tokens. Relative
// paths are relative to the file. Throws ParseError naming the file, line and key.
SearchJob readSearchJob(const std::filesystem::path& tomlFile);

struct SearchJobSummary {
  int problems = 0;
  std::string domain;  // the problems' domain, whose verifier and step validator the search used
  ResumableSearchSummary search;
  int treesStored = 0;  // in `out` (or the run's stage) after the run, all runs together
  int treesSolved = 0;  // of those, trees holding a correct terminal
  int passSamples = 0;  // single samples drawn for the pass@1 estimate
  int passCorrect = 0;
  double passAt1() const { return passSamples > 0 ? double(passCorrect) / passSamples : 0.0; }
};

// Runs the job; `onProgress` sees the search's counters after every round, `stop` is checked
// between rounds (trees finished so far are already stored). With job.runId set it opens
// job.workspace for writing: a process that already holds that workspace passes it instead.
// With job.shardAcrossRanks in a job of several ranks, ranks > 0 call the first overload and never
// open job.out or job.workspace; onProgress runs on rank 0 only, `stop` is read on rank 0 between
// chunks of treesPerBatch * worldSize problems, and the tree counts of the summary are rank 0's.
SearchJobSummary runSearchJob(const SearchJob& job,
                              const std::function<void(const MctsStats&)>& onProgress = {},
                              const std::atomic<bool>* stop = nullptr);
// Stores the trees in run job.runId of `workspace` (job.out and job.workspace are not used).
SearchJobSummary runSearchJob(const SearchJob& job, store::Workspace& workspace,
                              const std::function<void(const MctsStats&)>& onProgress = {},
                              const std::atomic<bool>* stop = nullptr);

// pass@1 of `policy` alone: `samples` whole solutions per problem, one batched rollout call,
// graded by `verifier`. Returns the number of correct samples.
int countCorrectSingleSamples(std::span<const math::Problem> problems, StepPolicy& policy,
                              const math::Verifier& verifier, int samples,
                              const MctsOptions& options);

}  // namespace astro::search
