// Building /v1/completions request bodies (completion_request.h).
#include "core/endpoint/completion_request.h"

#include <nlohmann/json.hpp>

namespace astro::endpoint {

std::uint64_t requestSeed(const model::GenerationOptions& options, std::size_t row) {
  return options.rowSeeds.empty() ? model::rowSeed(options.seed, row) : options.rowSeeds.at(row);
}

std::int64_t requestMaxTokens(const model::GenerationOptions& options, std::size_t row) {
  return options.rowMaxNewTokens.empty() ? options.maxNewTokens : options.rowMaxNewTokens.at(row);
}

std::string completionRequestBody(const std::string& modelName,
                                  std::span<const std::int32_t> prompt,
                                  const model::GenerationOptions& options, std::size_t row,
                                  std::size_t choices) {
  nlohmann::json body = {
      {"model", modelName},
      {"prompt", std::vector<std::int32_t>(prompt.begin(), prompt.end())},
      {"n", choices},
      {"max_tokens", requestMaxTokens(options, row)},
      {"temperature", options.temperature},
      {"top_p", options.topP},
      {"seed", static_cast<std::int64_t>(requestSeed(options, row))},
      {"include_stop_str_in_output", true},
      {"return_tokens_as_token_ids", true},
      // logprobs 0 still lists the sampled tokens, which is where the ids come from.
      {"logprobs", options.returnLogprobs ? 1 : 0},
      {"stream", false},
  };
  if (options.topK > 0) body["top_k"] = options.topK;
  if (!options.stopStrings.empty()) body["stop"] = options.stopStrings;
  if (!options.stopIds.empty()) body["stop_token_ids"] = options.stopIds;
  if (!options.stopAtEos) body["ignore_eos"] = true;
  return body.dump();
}

}  // namespace astro::endpoint
