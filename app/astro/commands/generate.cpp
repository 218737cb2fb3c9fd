// `astro generate`: continue one prompt (text through the checkpoint's tokenizer.json, or token
// ids) with the built-in engine; prints the text, or one JSON object with ids and text.
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/astro/command_registry.h"
#include "core/base/error.h"
#include "core/model/language_model.h"
#include "core/model/runtime.h"
#include "core/model/token_list.h"
#include "core/tokenizer/tokenizer.h"

namespace {

struct GenerateOptions {
  std::string model;
  std::string prompt;
  std::string promptIds;
  std::string format = "text";
  std::string device = "cpu";
  std::vector<std::string> stop;
  astro::model::GenerationOptions generation;
};

void runGenerate(const GenerateOptions& options) {
  if (options.prompt.empty() == options.promptIds.empty()) {
    throw astro::UsageError("give exactly one of --prompt and --prompt-ids");
  }
  std::filesystem::path folder = options.model;
  std::optional<astro::tokenizer::Tokenizer> tokenizer;
  if (std::filesystem::exists(folder / "tokenizer.json")) {
    tokenizer = astro::tokenizer::Tokenizer::fromDirectory(folder);
  } else if (!options.prompt.empty() || !options.stop.empty()) {
    throw astro::UsageError((folder / "tokenizer.json").string() +
                            " is missing: --prompt and --stop need a tokenizer; use --prompt-ids");
  }
  std::vector<int32_t> prompt;
  if (!options.promptIds.empty()) {
    prompt = astro::model::parseTokenList(options.promptIds, "--prompt-ids");
  } else {
    if (auto bos = tokenizer->bosId()) prompt.push_back(*bos);
    auto encoded = tokenizer->encode(options.prompt);
    prompt.insert(prompt.end(), encoded.begin(), encoded.end());
  }

  astro::model::GenerationOptions generation = options.generation;
  generation.stopStrings = options.stop;
  if (tokenizer) {
    for (int32_t id : tokenizer->stopIds()) generation.stopIds.push_back(id);
    generation.decode = [&tokenizer](std::span<const int32_t> ids) {
      return tokenizer->decode(ids);
    };
  }
  astro::model::initTorchRuntime();
  auto model = astro::model::LanguageModel::load(folder, options.device);
  auto result = model.generate({prompt}, generation).front();

  std::string text;
  if (tokenizer) text = tokenizer->decode(result.ids, /*skipSpecialTokens=*/true);
  if (options.format == "json") {
    nlohmann::ordered_json output = {{"ids", result.ids},
                                     {"finish_reason", finishReasonName(result.finishReason)}};
    if (tokenizer) output["text"] = text;
    std::cout << output.dump() << "\n";
  } else if (tokenizer) {
    std::cout << text << "\n";
  } else {
    for (std::size_t i = 0; i < result.ids.size(); ++i)
      std::cout << (i ? " " : "") << result.ids[i];
    std::cout << "\n";
  }
}

const astro::cli::CommandRegistration kGenerate{
    "30-generate", [](CLI::App& root) {
      auto options = std::make_shared<GenerateOptions>();
      auto& generation = options->generation;
      CLI::App* command = root.add_subcommand(
          "generate", "Continue a prompt with a model (greedy at temperature 0, else sampled)");
      command
          ->add_option("--model", options->model, "Checkpoint folder (config.json, *.safetensors)")
          ->required()
          ->check(CLI::ExistingDirectory);
      command->add_option("--prompt", options->prompt, "Prompt text (needs tokenizer.json)");
      command->add_option("--prompt-ids", options->promptIds, "Prompt token ids, comma-separated");
      command->add_option("--max-new-tokens", generation.maxNewTokens, "Tokens to generate at most")
          ->check(CLI::Range(int64_t(1), int64_t(1) << 20));
      command->add_option("--temperature", generation.temperature, "0 = greedy")
          ->check(CLI::Range(0.0, 100.0));
      command->add_option("--top-p", generation.topP, "Nucleus sampling mass in (0, 1]")
          ->check(CLI::Range(1e-9, 1.0));
      command->add_option("--top-k", generation.topK, "Sample among the k likeliest (0 = all)")
          ->check(CLI::Range(int64_t(0), int64_t(1) << 30));
      command->add_option("--seed", generation.seed, "Seed for sampling");
      command->add_option("--stop", options->stop,
                          "Stop string (repeatable; needs tokenizer.json)");
      command->add_option("--format", options->format, "text or json")
          ->check(CLI::IsMember({"text", "json"}));
      command->add_option("--device", options->device, "cpu or cuda[:N]");
      command->callback([options] { runGenerate(*options); });
    }};

}  // namespace
