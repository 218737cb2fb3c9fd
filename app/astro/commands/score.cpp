// `astro score`: teacher-forced log-probabilities of a token sequence under a model, as a JSON
// array of log p(ids[t] | ids[<t]) for t = 1 .. n-1.
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/astro/command_registry.h"
#include "core/model/language_model.h"
#include "core/model/runtime.h"
#include "core/model/token_list.h"

namespace {

struct ScoreOptions {
  std::string model;
  std::string ids;
  std::string device = "cpu";
};

void runScore(const ScoreOptions& options) {
  auto ids = astro::model::parseTokenList(options.ids, "--ids");
  astro::model::initTorchRuntime();
  auto model = astro::model::LanguageModel::load(options.model, options.device);
  nlohmann::json logprobs = model.score(ids);
  std::cout << logprobs.dump() << "\n";
}

const astro::cli::CommandRegistration kScore{
    "31-score", [](CLI::App& root) {
      auto options = std::make_shared<ScoreOptions>();
      CLI::App* score = root.add_subcommand(
          "score", "Print log p(ids[t] | ids[<t]) for t = 1..n-1 as a JSON array (float32)");
      score->add_option("--model", options->model, "Checkpoint folder (config.json, *.safetensors)")
          ->required()
          ->check(CLI::ExistingDirectory);
      score->add_option("--ids", options->ids, "Token ids, comma-separated (at least two)")
          ->required();
      score->add_option("--device", options->device, "cpu or cuda[:N]");
      score->callback([options] { runScore(*options); });
    }};

}  // namespace
