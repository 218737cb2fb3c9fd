// Tokenizing, checking and seeding a request's choices (completion_plan.h).
#include "core/serve/completion_plan.h"

#include <algorithm>
#include <random>

#include "core/serve/api_error.h"
#include "core/serve/completion_response.h"

namespace astro::serve {

namespace {

constexpr int64_t kDefaultCompletionTokens = 16;  // OpenAI's and vLLM's default for completions

std::vector<std::vector<int32_t>> tokenizePrompts(const CompletionRequest& request,
                                                  const tokenizer::Tokenizer& tokenizer) {
  std::vector<std::vector<int32_t>> prompts;
  if (request.endpoint == Endpoint::kChatCompletions) {
    std::string text = tokenizer::renderChat(tokenizer.chatFormat(), request.messages, true);
    prompts.push_back(tokenizer.encode(text));
    return prompts;
  }
  for (const PromptInput& input : request.prompts) {
    if (input.isTokenIds) {
      prompts.push_back(input.ids);
      continue;
    }
    std::vector<int32_t> ids;
    if (auto bos = tokenizer.bosId()) ids.push_back(*bos);
    auto encoded = tokenizer.encode(input.text);
    ids.insert(ids.end(), encoded.begin(), encoded.end());
    prompts.push_back(std::move(ids));
  }
  return prompts;
}

void checkIds(const std::vector<int32_t>& ids, int32_t vocabSize, const std::string& param) {
  for (int32_t id : ids) {
    if (id < 0 || id >= vocabSize) {
      throw ApiError(400,
                     "'" + param + "' holds token id " + std::to_string(id) +
                         ", outside the model's vocabulary of " + std::to_string(vocabSize),
                     param);
    }
  }
}

// max_tokens for a prompt of `promptLength` tokens, checked against the context.
int64_t maxTokensFor(const CompletionRequest& request, int64_t promptLength,
                     const ServeLimits& limits, const std::string& promptParam) {
  bool chat = request.endpoint == Endpoint::kChatCompletions;
  if (promptLength >= limits.contextTokens) {
    throw ApiError(400,
                   "the prompt has " + std::to_string(promptLength) +
                       " tokens; the model's context is " + std::to_string(limits.contextTokens) +
                       " tokens, with room to generate",
                   promptParam);
  }
  int64_t maxTokens = request.maxTokens.value_or(chat ? limits.contextTokens - promptLength
                                                      : kDefaultCompletionTokens);
  if (promptLength + maxTokens > limits.contextTokens) {
    std::string param = request.maxTokens ? "max_tokens" : promptParam;
    throw ApiError(400,
                   "the prompt (" + std::to_string(promptLength) + " tokens) plus max_tokens (" +
                       std::to_string(maxTokens) + ") is over the model's context of " +
                       std::to_string(limits.contextTokens) + " tokens",
                   param);
  }
  return maxTokens;
}

}  // namespace

CompletionPlan planCompletion(const CompletionRequest& request,
                              const tokenizer::Tokenizer& tokenizer, const ServeLimits& limits,
                              uint64_t seed) {
  bool chat = request.endpoint == Endpoint::kChatCompletions;
  auto prompts = tokenizePrompts(request, tokenizer);
  checkIds(request.stopTokenIds, limits.vocabSize, "stop_token_ids");

  model::GenerationOptions base;
  base.temperature = request.temperature;
  base.topP = request.topP;
  base.topK = request.topK;
  base.stopAtEos = !request.ignoreEos;
  if (!request.ignoreEos) base.stopIds = tokenizer.stopIds();
  base.stopIds.insert(base.stopIds.end(), request.stopTokenIds.begin(), request.stopTokenIds.end());
  base.stopStrings = request.stop;
  if (!request.stop.empty()) {
    base.decode = [tokenizer](std::span<const int32_t> ids) {
      return decodeGenerated(tokenizer, ids, /*skipSpecialTokens=*/true);
    };
  }
  base.returnLogprobs = request.logprobs;

  CompletionPlan plan;
  for (std::size_t p = 0; p < prompts.size(); ++p) {
    std::string param = chat                  ? "messages"
                        : prompts.size() == 1 ? "prompt"
                                              : "prompt[" + std::to_string(p) + "]";
    if (prompts[p].empty()) throw ApiError(400, "'" + param + "' is empty", param);
    checkIds(prompts[p], limits.vocabSize, param);
    int64_t maxTokens = maxTokensFor(request, int64_t(prompts[p].size()), limits, param);
    plan.promptTokens += int64_t(prompts[p].size());
    for (int64_t j = 0; j < request.n; ++j) {
      ChoicePlan choice{.promptIndex = p, .prompt = prompts[p], .options = base};
      choice.options.maxNewTokens = maxTokens;
      choice.options.rowSeeds = {request.seeds.empty() ? seed + uint64_t(plan.choices.size())
                                                       : request.seeds[p] + uint64_t(j)};
      plan.choices.push_back(std::move(choice));
    }
  }
  return plan;
}

uint64_t randomSeed() {
  std::random_device device;
  return ((uint64_t(device()) << 32) | device()) >> 1;  // positive as a JSON int64, like `seed`
}

}  // namespace astro::serve
