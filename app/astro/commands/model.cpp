// `astro model ...`: model checkpoints. `model init` writes a randomly initialised model in
// Hugging Face layout (config.json + model.safetensors) from a config.json-style file.
#include <iostream>

#include "app/astro/command_registry.h"
#include "core/model/language_model.h"
#include "core/model/runtime.h"

namespace {

struct InitOptions {
  std::string config;
  uint64_t seed = 0;
  std::string out;
};

void runInit(const InitOptions& options) {
  astro::model::initTorchRuntime();
  auto config = astro::model::readModelConfig(options.config);
  auto model = astro::model::LanguageModel::randomInit(config, options.seed);
  model.save(options.out);
  std::cout << "wrote " << options.out << " (" << config.architectureName() << ", "
            << config.parameterCount() << " parameters, seed " << options.seed << ")\n";
}

const astro::cli::CommandRegistration kModel{
    "30-model", [](CLI::App& root) {
      CLI::App& group =
          astro::cli::commandGroup(root, "model", "Model checkpoints (Hugging Face layout)");
      auto options = std::make_shared<InitOptions>();
      CLI::App* init = group.add_subcommand(
          "init", "Write a randomly initialised model (normal(0, initializer_range), unit norms)");
      init->add_option("--config", options->config, "config.json-style file with the architecture")
          ->required()
          ->check(CLI::ExistingFile);
      init->add_option("--seed", options->seed, "Seed of the initialisation")->required();
      init->add_option("--out", options->out,
                       "Folder to write config.json and model.safetensors to")
          ->required();
      init->callback([options] { runInit(*options); });
    }};

}  // namespace
