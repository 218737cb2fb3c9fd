// `astro evaluate`: pass@1 over k samples, pass@k and greedy accuracy of a model on a dataset.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/astro/command_registry.h"
#include "core/math/dataset_loader.h"
#include "core/model/language_model.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/evaluation.h"
#include "core/train/verifier_choice.h"

namespace {

struct EvaluateCommand {
  std::string model, dataset, verifier = "auto", samplesOut;
  int limit = 0;
  astro::train::EvaluationOptions options;
};

void runEvaluate(EvaluateCommand& c) {
  auto loaded = astro::math::loadDataset(c.dataset);
  auto problems = loaded.problems;
  if (c.limit > 0 && std::size_t(c.limit) < problems.size()) problems.resize(std::size_t(c.limit));
  auto verifier = astro::train::chooseVerifier(problems, c.verifier);
  auto model = astro::model::LanguageModel::load(c.model);
  auto tokenizer = astro::tokenizer::Tokenizer::fromDirectory(c.model);
  if (c.options.samplesPerProblem > 1) c.options.reportPassAtK = {1, c.options.samplesPerProblem};
  auto result = astro::train::evaluatePolicy(
      model, tokenizer, problems, *verifier, c.options,
      [](const astro::train::EvaluationProgress& p) {
        std::cerr << "\revaluate: " << p.done << "/" << p.total << std::flush;
      });
  std::cerr << "\n";
  if (!c.samplesOut.empty()) {
    std::ofstream out(c.samplesOut);
    for (const auto& s : result.samples) {
      out << nlohmann::json{{"problem_id", problems[s.problemIndex].id}, {"sample", s.sampleIndex},
                            {"completion", s.completion}, {"correct", s.correct},
                            {"extracted", s.extracted}, {"rule", s.rule}, {"tokens", s.tokens}}
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
          << "\n";
    }
  }
  nlohmann::ordered_json report = {{"dataset", c.dataset}, {"problems", problems.size()},
                                   {"verifier", verifier->name()},
                                   {"samples_per_problem", c.options.samplesPerProblem},
                                   {"pass@1", result.passAt1}};
  for (auto [k, value] : result.passAtK) {
    if (k != 1) report["pass@" + std::to_string(k)] = value;
  }
  if (c.options.greedy) report["greedy"] = result.greedyAccuracy;
  report["mean_completion_tokens"] = result.meanCompletionTokens;
  std::cout << report.dump() << "\n";
}

const astro::cli::CommandRegistration kEvaluate{"45-evaluate", [](CLI::App& root) {
  auto c = std::make_shared<EvaluateCommand>();
  CLI::App* command = root.add_subcommand(
      "evaluate", "Evaluate a model on a dataset (MATH-500, AMC 2023, AIME 2024, GSM8K, the\n"
                  "miniature world's test split, any JSONL): pass@1 averaged over k samples,\n"
                  "pass@k and greedy accuracy; the last stdout line is one JSON object");
  command->add_option("--model", c->model, "Model folder (HF layout with tokenizer.json)")
      ->required();
  command->add_option("--dataset", c->dataset, "Dataset JSONL")->required()->check(CLI::ExistingFile);
  command->add_option("--samples", c->options.samplesPerProblem, "k samples per problem")
      ->capture_default_str()->check(CLI::Range(1, 4096));
  command->add_option("--temperature", c->options.temperature)->capture_default_str();
  command->add_option("--top-p", c->options.topP)->capture_default_str();
  command->add_option("--max-new-tokens", c->options.maxNewTokens)->capture_default_str();
  command->add_option("--seed", c->options.seed)->capture_default_str();
  command->add_option("--limit", c->limit, "Evaluate only the first N problems");
  command->add_option("--verifier", c->verifier, "auto, math or countdown")->capture_default_str();
  command->add_flag("!--no-greedy", c->options.greedy, "Skip the greedy answer");
  command->add_option("--samples-out", c->samplesOut, "Write every graded sample as JSONL");
  command->callback([c] { runEvaluate(*c); });
}};

}  // namespace
