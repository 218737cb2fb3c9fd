// The torch-free half of a search job (mcts_job.h): reading it from TOML, and the pass@1
// estimate. runSearchJob, which loads the model, lives in mcts_job_run.cpp (astro_search_policy).
#include "core/search/mcts_job.h"

#include <toml++/toml.h>

#include "core/base/error.h"
#include "core/domain/domain_registry.h"
#include "core/endpoint/endpoint_config_toml.h"

namespace astro::search {

namespace {

class TomlReader {
 public:
  TomlReader(const toml::table& table, std::filesystem::path file)
      : table_(table), file_(std::move(file)) {}

  template <typename T>
  void read(const char* key, T& target) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return;
    auto value = node->value<T>();
    if (!value) fail(*node, key, "has the wrong type");
    target = *value;
  }

  void readInt(const char* key, int& target) const {
    std::int64_t wide = target;
    read(key, wide);
    target = static_cast<int>(wide);
  }

  void readPath(const char* key, std::filesystem::path& target) const {
    std::string text;
    read(key, text);
    if (text.empty()) return;
    std::filesystem::path path(text);
    target = path.is_absolute() ? path : file_.parent_path() / path;
  }

  [[noreturn]] void fail(const toml::node& node, const char* key, const std::string& what) const {
    throw ParseError(file_.string(), node.source().begin.line, key, what);
  }

  const toml::table& table() const { return table_; }

 private:
  const toml::table& table_;
  std::filesystem::path file_;
};

}  // namespace

SearchJob readSearchJob(const std::filesystem::path& tomlFile) {
  toml::table document;
  try {
    document = toml::parse_file(tomlFile.string());
  } catch (const toml::parse_error& error) {
    throw ParseError(tomlFile.string(), error.source().begin.line, "toml",
                     std::string(error.description()));
  }
  const toml::table* section = document["search"].as_table();
  const TomlReader reader(section != nullptr ? *section : document, tomlFile);
  SearchJob job;
  reader.readPath("dataset", job.dataset);
  if (const toml::table* served = reader.table()["model"].as_table()) {
    job.endpoint = endpoint::readEndpointConfig(*served, tomlFile.string(),
                                                section != nullptr ? "search.model" : "model",
                                                tomlFile.parent_path());
  } else {
    reader.readPath("model", job.model);
  }
  reader.readPath("tokenizer", job.tokenizer);
  reader.readPath("out", job.out);
  reader.read("run", job.runId);
  reader.read("stage", job.stage);
  reader.read("verifier", job.verifier);
  if (const domain::DomainRegistry& domains = domain::domainRegistry();
      !domains.isChoice(job.verifier)) {
    reader.fail(*reader.table().get("verifier"), "verifier",
                "\"" + job.verifier + "\" is not one of " + domains.quotedChoices());
  }
  reader.read("device", job.device);
  reader.readInt("limit", job.limit);
  reader.readInt("pass_samples", job.passSamples);
  MctsOptions& mcts = job.mcts;
  reader.readInt("iterations", mcts.iterations);
  reader.readInt("max_depth", mcts.maxDepth);
  reader.read("exploration", mcts.exploration);
  reader.readInt("children", mcts.childrenPerExpansion);
  reader.read("temperature", mcts.temperature);
  std::string rollout = mcts.rollout == MctsOptions::Rollout::kNone ? "none" : "policy";
  reader.read("rollout", rollout);
  if (rollout != "policy" && rollout != "none") {
    reader.fail(*reader.table().get("rollout"), "rollout", "must be \"policy\" or \"none\"");
  }
  mcts.rollout = rollout == "none" ? MctsOptions::Rollout::kNone : MctsOptions::Rollout::kPolicy;
  reader.read("rollout_temperature", mcts.rolloutTemperature);
  reader.read("keep_rollout_nodes", mcts.keepRolloutNodes);
  reader.read("validate_steps", mcts.validateSteps);
  reader.read("keep_invalid_steps", mcts.keepInvalidSteps);
  reader.readInt("max_step_tokens", mcts.maxStepTokens);
  reader.readInt("trees_per_batch", mcts.treesPerBatch);
  reader.readInt("self_evaluation_votes", mcts.selfEvaluation.votes);
  reader.read("self_evaluation_temperature", mcts.selfEvaluation.temperature);
  reader.readInt("self_evaluation_max_tokens", mcts.selfEvaluation.maxTokens);
  std::int64_t seed = static_cast<std::int64_t>(mcts.seed);
  reader.read("seed", seed);
  mcts.seed = static_cast<std::uint64_t>(seed);
  return job;
}

int countCorrectSingleSamples(std::span<const math::Problem> problems, StepPolicy& policy,
                              const math::Verifier& verifier, int samples,
                              const MctsOptions& options) {
  if (samples <= 0 || problems.empty()) return 0;
  std::vector<PolicyState> states;
  for (const math::Problem& problem : problems) {
    for (int sample = 0; sample < samples; ++sample) {
      states.push_back({&problem, {}, options.seed * 7919 + static_cast<std::uint64_t>(sample)});
    }
  }
  RolloutSampling sampling{.temperature = options.rolloutTemperature,
                           .maxStepTokens = options.maxStepTokens,
                           .maxSteps = std::vector<int>(states.size(), options.maxDepth)};
  const auto solutions = policy.rollout(states, sampling);
  int correct = 0;
  for (std::size_t i = 0; i < solutions.size(); ++i) {
    std::vector<std::string_view> steps;
    for (const ProposedStep& step : solutions[i]) steps.push_back(step.text);
    correct += verifier.grade(*states[i].problem, joinSteps(steps, options.stepDelimiter)).correct;
  }
  return correct;
}

}  // namespace astro::search
