// Building /v1/completions request bodies (completion_request.h).
#include "core/endpoint/completion_request.h"

#include <nlohmann/json.hpp>

#include "core/base/error.h"

namespace astro::endpoint {

std::uint64_t requestSeed(const model::GenerationOptions& options, std::size_t row) {
  return options.rowSeeds.empty() ? model::rowSeed(options.seed, row) : options.rowSeeds.at(row);
}

std::int64_t requestMaxTokens(const model::GenerationOptions& options, std::size_t row) {
  return options.rowMaxNewTokens.empty() ? options.maxNewTokens : options.rowMaxNewTokens.at(row);
}

std::string completionRequestBody(const std::string& modelName,
                                  std::span<const RequestPrompt> prompts,
                                  const model::GenerationOptions& options, std::size_t choices,
                                  bool seedPerPrompt) {
  if (prompts.empty()) throw Error("completionRequestBody: no prompt");
  const std::size_t first = prompts.front().row;
  nlohmann::json body = {{"model", modelName}};
  auto ids = [](const RequestPrompt& prompt) {
    return std::vector<std::int32_t>(prompt.ids.begin(), prompt.ids.end());
  };
  if (prompts.size() == 1) {
    body["prompt"] = ids(prompts.front());
  } else {
    nlohmann::json list = nlohmann::json::array();
    for (const RequestPrompt& prompt : prompts) list.push_back(ids(prompt));
    body["prompt"] = std::move(list);
  }
  body["n"] = choices;
  body["max_tokens"] = requestMaxTokens(options, first);
  body["temperature"] = options.temperature;
  body["top_p"] = options.topP;
  if (seedPerPrompt && prompts.size() > 1) {
    nlohmann::json seeds = nlohmann::json::array();
    for (const RequestPrompt& prompt : prompts) {
      seeds.push_back(static_cast<std::int64_t>(requestSeed(options, prompt.row)));
    }
    body["seeds"] = std::move(seeds);
  } else {
    body["seed"] = static_cast<std::int64_t>(requestSeed(options, first));
  }
  body["include_stop_str_in_output"] = true;
  body["return_tokens_as_token_ids"] = true;
  // logprobs 0 still lists the sampled tokens, which is where the ids come from.
  body["logprobs"] = options.returnLogprobs ? 1 : 0;
  body["stream"] = false;
  if (options.topK > 0) body["top_k"] = options.topK;
  if (!options.stopStrings.empty()) body["stop"] = options.stopStrings;
  if (!options.stopIds.empty()) body["stop_token_ids"] = options.stopIds;
  if (!options.stopAtEos) body["ignore_eos"] = true;
  return body.dump();
}

}  // namespace astro::endpoint
