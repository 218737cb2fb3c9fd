// LanguageModelPolicy (policy_language_model.h): chat prompts, one batched generate per call with
// a seed per row from its state's seed, and the split of generated tokens into steps at the
// delimiter with their log-likelihoods.
#include "core/search/policy_language_model.h"

#include <algorithm>
#include <numeric>

#include "core/base/error.h"

namespace astro::search {

namespace {

std::string trimTrailingWhitespace(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' ||
                           text.back() == '\t')) {
    text.pop_back();
  }
  return text;
}

std::string trimLeadingNewlines(std::string text) {
  const std::size_t first = text.find_first_not_of("\r\n");
  return first == std::string::npos ? std::string() : text.substr(first);
}

// Steps are stored as JSON text, which must be UTF-8; a model may stop mid-character (at the
// token limit) or emit stray bytes. Every byte that does not start a well-formed character
// becomes U+FFFD.
std::string validUtf8(std::string_view bytes) {
  std::string text;
  text.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto lead = static_cast<unsigned char>(bytes[i]);
    std::size_t length = lead < 0x80           ? 1
                         : (lead >> 5) == 0x6  ? 2
                         : (lead >> 4) == 0xe  ? 3
                         : (lead >> 3) == 0x1e ? 4
                                               : 0;
    bool wellFormed =
        length > 0 && i + length <= bytes.size() && lead != 0xc0 && lead != 0xc1 && lead <= 0xf4;
    for (std::size_t k = 1; wellFormed && k < length; ++k) {
      wellFormed = (static_cast<unsigned char>(bytes[i + k]) & 0xc0) == 0x80;
    }
    if (wellFormed && length == 3) {
      const auto second = static_cast<unsigned char>(bytes[i + 1]);
      wellFormed = !(lead == 0xe0 && second < 0xa0) && !(lead == 0xed && second >= 0xa0);
    } else if (wellFormed && length == 4) {
      const auto second = static_cast<unsigned char>(bytes[i + 1]);
      wellFormed = !(lead == 0xf0 && second < 0x90) && !(lead == 0xf4 && second >= 0x90);
    }
    if (wellFormed) {
      text.append(bytes.substr(i, length));
      i += length;
    } else {
      text += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return text;
}

// "Valid." / " yes, ..." -> true; "invalid", "no", anything else -> false.
bool isValidVote(std::string_view answer) {
  std::string word;
  for (char c : answer) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (letter) {
      word += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    } else if (!word.empty()) {
      break;
    }
  }
  return word == "valid" || word == "yes";
}

double sum(std::span<const float> values) {
  return std::accumulate(values.begin(), values.end(), 0.0);
}

}  // namespace

LanguageModelPolicy::LanguageModelPolicy(const model::Sampler& model,
                                         const tokenizer::Tokenizer& tokenizer,
                                         LanguageModelPolicyOptions options)
    : model_(model), tokenizer_(tokenizer), options_(std::move(options)) {
  if (options_.stepDelimiter.empty()) {
    throw UsageError("LanguageModelPolicyOptions.stepDelimiter must not be empty");
  }
}

std::string LanguageModelPolicy::promptText(const PolicyState& state) const {
  std::vector<tokenizer::ChatMessage> messages;
  if (!options_.systemPrompt.empty()) messages.push_back({"system", options_.systemPrompt});
  messages.push_back({"user", state.problem->question});
  std::string prompt = tokenizer::renderChat(tokenizer_.chatFormat(), messages, true);
  for (std::string_view step : state.steps) {
    prompt += step;
    prompt += options_.stepDelimiter;
  }
  return prompt;
}

std::string LanguageModelPolicy::judgePromptText(const PolicyState& state) const {
  std::string question = "Problem:\n" + state.problem->question + "\n\nSolution:\n";
  question += joinSteps(state.steps, options_.stepDelimiter);
  question += "\n\n" + options_.judgeQuestion;
  std::vector<tokenizer::ChatMessage> messages;
  if (!options_.systemPrompt.empty()) messages.push_back({"system", options_.systemPrompt});
  messages.push_back({"user", question});
  return tokenizer::renderChat(tokenizer_.chatFormat(), messages, true);
}

std::vector<std::vector<bool>> LanguageModelPolicy::judgeSolutions(
    std::span<const PolicyState> states, const SelfEvaluationSampling& sampling) {
  std::vector<std::vector<std::int32_t>> prompts;
  prompts.reserve(states.size() * static_cast<std::size_t>(std::max(0, sampling.votes)));
  for (const PolicyState& state : states) {
    const std::vector<std::int32_t> prompt = tokenizer_.encode(judgePromptText(state));
    for (int vote = 0; vote < sampling.votes; ++vote) prompts.push_back(prompt);
  }
  std::vector<std::vector<bool>> votes(states.size());
  if (prompts.empty()) return votes;
  model::GenerationOptions generation =
      generationOptions(sampling.temperature, sampling.maxTokens, states, sampling.votes);
  generation.returnLogprobs = false;
  const std::vector<model::Generation> answers = model_.generate(prompts, generation);
  for (std::size_t row = 0; row < answers.size(); ++row) {
    const std::string text = tokenizer_.decode(answers[row].ids, /*skipSpecialTokens=*/true);
    votes[row / static_cast<std::size_t>(sampling.votes)].push_back(isValidVote(text));
  }
  return votes;
}

model::GenerationOptions LanguageModelPolicy::generationOptions(double temperature,
                                                                int maxNewTokens,
                                                                std::span<const PolicyState> states,
                                                                int rowsPerState) const {
  model::GenerationOptions generation;
  generation.maxNewTokens = maxNewTokens;
  generation.temperature = temperature;
  generation.topP = options_.topP;
  // Every row samples from its own seed: copy `copy` of a state from copySeed(state.seed, copy).
  // So a state's steps depend on its own seed only, never on the states batched with it (how
  // many trees share a round, or which problems a rank was given), and a served policy can send
  // the copies as one request with n = k (core/endpoint/endpoint_sampler.h).
  generation.rowSeeds.reserve(states.size() * static_cast<std::size_t>(rowsPerState));
  for (const PolicyState& state : states) {
    for (int copy = 0; copy < rowsPerState; ++copy) {
      generation.rowSeeds.push_back(model::copySeed(state.seed, static_cast<std::uint64_t>(copy)));
    }
  }
  generation.stopAtEos = true;
  generation.stopIds = tokenizer_.stopIds();
  generation.decode = [this](std::span<const std::int32_t> ids) { return tokenizer_.decode(ids); };
  generation.returnLogprobs = true;
  generation.maxBatchSize = options_.maxBatchSize;
  generation.reusePrefixes = options_.reusePrefixes;
  generation.prefixStoreBytes = options_.prefixStoreBytes;
  return generation;
}

std::vector<std::vector<ProposedStep>> LanguageModelPolicy::proposeSteps(
    std::span<const PolicyState> states, const StepSampling& sampling) {
  std::vector<std::vector<std::int32_t>> prompts;
  prompts.reserve(states.size() * static_cast<std::size_t>(sampling.count));
  for (const PolicyState& state : states) {
    const std::vector<std::int32_t> prompt = tokenizer_.encode(promptText(state));
    for (int copy = 0; copy < sampling.count; ++copy) prompts.push_back(prompt);
  }
  model::GenerationOptions generation =
      generationOptions(sampling.temperature, sampling.maxStepTokens, states, sampling.count);
  generation.stopStrings = {options_.stepDelimiter};
  const std::vector<model::Generation> generations = model_.generate(prompts, generation);

  std::vector<std::vector<ProposedStep>> proposals(states.size());
  for (std::size_t row = 0; row < generations.size(); ++row) {
    const model::Generation& generated = generations[row];
    std::string text = tokenizer_.decode(generated.ids, /*skipSpecialTokens=*/true);
    const std::size_t delimiter = text.find(options_.stepDelimiter);
    if (delimiter != std::string::npos) text.resize(delimiter);
    ProposedStep step;
    step.text = validUtf8(trimTrailingWhitespace(trimLeadingNewlines(std::move(text))));
    step.tokenCount = static_cast<int>(generated.ids.size());
    step.logLikelihood = sum(generated.logprobs);
    step.final = generated.finishReason == model::FinishReason::kStopToken ||
                 (!options_.finalMarker.empty() &&
                  step.text.find(options_.finalMarker) != std::string::npos);
    proposals[row / static_cast<std::size_t>(sampling.count)].push_back(std::move(step));
  }
  return proposals;
}

std::vector<std::vector<ProposedStep>> LanguageModelPolicy::rollout(
    std::span<const PolicyState> states, const RolloutSampling& sampling) {
  if (sampling.maxSteps.size() != states.size()) {
    throw Error("LanguageModelPolicy::rollout: maxSteps has " +
                std::to_string(sampling.maxSteps.size()) + " entries for " +
                std::to_string(states.size()) + " states");
  }
  std::vector<std::vector<std::int32_t>> prompts;
  // Each rollout's own token budget, so its length never depends on the states batched with it.
  std::vector<std::int64_t> budgets;
  for (std::size_t i = 0; i < states.size(); ++i) {
    prompts.push_back(tokenizer_.encode(promptText(states[i])));
    budgets.push_back(std::clamp(sampling.maxSteps[i] * sampling.maxStepTokens, 1,
                                 std::max(1, options_.maxRolloutTokens)));
  }
  const std::int64_t longest =
      budgets.empty() ? 1 : *std::max_element(budgets.begin(), budgets.end());
  model::GenerationOptions generation =
      generationOptions(sampling.temperature, static_cast<int>(longest), states, 1);
  generation.rowMaxNewTokens = std::move(budgets);
  const std::vector<model::Generation> generations = model_.generate(prompts, generation);

  std::vector<std::vector<ProposedStep>> rollouts(states.size());
  for (std::size_t i = 0; i < generations.size(); ++i) {
    rollouts[i] = splitIntoSteps(generations[i], sampling.maxSteps[i]);
  }
  return rollouts;
}

std::vector<ProposedStep> LanguageModelPolicy::splitIntoSteps(const model::Generation& generated,
                                                              int maxSteps) const {
  // Text of the continuation with the byte offset where every token starts (special tokens
  // such as <|eot_id|> add no text).
  std::string text;
  std::vector<std::size_t> tokenStart;
  tokenStart.reserve(generated.ids.size());
  for (std::int32_t id : generated.ids) {
    tokenStart.push_back(text.size());
    if (!tokenizer_.isSpecial(id)) text += tokenizer_.decode(std::span(&id, 1));
  }
  std::vector<ProposedStep> steps;
  std::size_t segmentBegin = 0;
  std::size_t token = 0;
  int pendingTokens = 0;  // tokens of empty segments, carried to the next step
  double pendingLogLikelihood = 0.0;
  const std::size_t delimiterLength = options_.stepDelimiter.size();
  while (segmentBegin <= text.size() && static_cast<int>(steps.size()) < maxSteps) {
    const std::size_t delimiter = text.find(options_.stepDelimiter, segmentBegin);
    const bool last = delimiter == std::string::npos;
    const std::size_t segmentEnd = last ? text.size() : delimiter;
    const std::size_t nextBegin = last ? text.size() + 1 : delimiter + delimiterLength;
    // A token belongs to the segment its first byte falls in.
    while (token < tokenStart.size() && (last || tokenStart[token] < nextBegin)) {
      ++pendingTokens;
      if (token < generated.logprobs.size()) pendingLogLikelihood += generated.logprobs[token];
      ++token;
    }
    std::string stepText = validUtf8(trimTrailingWhitespace(
        trimLeadingNewlines(text.substr(segmentBegin, segmentEnd - segmentBegin))));
    segmentBegin = nextBegin;
    if (stepText.empty()) {
      if (last && !steps.empty() && generated.finishReason == model::FinishReason::kStopToken) {
        steps.back().final = true;  // the model stopped right after the last step's delimiter
      }
      continue;
    }
    ProposedStep step;
    step.text = std::move(stepText);
    step.tokenCount = pendingTokens;
    step.logLikelihood = pendingLogLikelihood;
    step.final = (last && generated.finishReason == model::FinishReason::kStopToken) ||
                 (!options_.finalMarker.empty() &&
                  step.text.find(options_.finalMarker) != std::string::npos);
    pendingTokens = 0;
    pendingLogLikelihood = 0.0;
    steps.push_back(std::move(step));
    if (steps.back().final) break;
  }
  return steps;
}

}  // namespace astro::search
