// Batched, KV-cached generation: prompts are prefilled (detail/prefill.h: identical prompts once,
// similar lengths together), then decoded one token per step for every live sequence; finished
// sequences leave the batch (and the cache). Sampling: temperature, top-k, top-p with a per-call
// seeded generator.
#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <optional>
#include <span>

#include "core/base/error.h"
#include "core/model/detail/language_model_impl.h"
#include "core/model/detail/prefill.h"

namespace astro::model {

namespace {

using detail::ForwardInput;
using detail::KvCache;

// Next token per row from logits [rows, vocab] (float32, CPU): argmax at temperature 0, otherwise
// a draw from the temperature-scaled distribution restricted to the top-k and top-p tokens.
torch::Tensor sampleNextTokens(const torch::Tensor& logits, const GenerationOptions& options,
                               at::Generator& generator) {
  if (options.temperature <= 0) return logits.argmax(-1);
  auto scaled = logits / options.temperature;
  int64_t vocab = scaled.size(-1);
  if (options.topK > 0 && options.topK < vocab) {
    auto kth = std::get<0>(scaled.topk(options.topK, -1)).narrow(-1, options.topK - 1, 1);
    scaled = scaled.masked_fill(scaled < kth, -std::numeric_limits<float>::infinity());
  }
  if (options.topP < 1.0) {
    auto [sorted, order] = scaled.sort(-1, /*descending=*/true);
    auto probabilities = torch::softmax(sorted, -1);
    // Drop a token when the tokens ranked above it already hold top_p of the mass; the first
    // token always stays.
    auto massBefore = probabilities.cumsum(-1) - probabilities;
    auto dropSorted = massBefore > options.topP;
    auto drop = torch::zeros_like(dropSorted).scatter(-1, order, dropSorted);
    scaled = scaled.masked_fill(drop, -std::numeric_limits<float>::infinity());
  }
  auto probabilities = torch::softmax(scaled, -1);
  return torch::multinomial(probabilities, 1, false, generator).squeeze(-1);
}

// Whether the generation's text now holds a stop string. Earlier tokens were checked when they
// came, so a new occurrence ends in the newest token's text and starts at most `longestStop` - 1
// bytes before it: only a tail covering those bytes is decoded (3 more for a tail that starts
// inside a UTF-8 character), grown when tokens decode to little text, instead of the whole
// generation per token.
bool reachedStopString(std::span<const int32_t> ids, const GenerationOptions& options,
                       std::size_t longestStop) {
  if (options.stopStrings.empty()) return false;
  std::size_t needed = options.decode(ids.last(1)).size() + longestStop - 1 + 3;
  std::size_t window = std::min(ids.size(), longestStop + 3);
  std::string text = options.decode(ids.last(window));
  while (window < ids.size() && text.size() < needed) {
    window = std::min(ids.size(), 2 * window);
    text = options.decode(ids.last(window));
  }
  return std::any_of(options.stopStrings.begin(), options.stopStrings.end(),
                     [&](const std::string& stop) { return text.find(stop) != std::string::npos; });
}

// Why `generation` ends with its newest token, or nothing when it goes on.
std::optional<FinishReason> finishAfterNewest(const Generation& generation,
                                              const GenerationOptions& options,
                                              const std::vector<int32_t>& stopIds,
                                              std::size_t longestStop) {
  if (std::find(stopIds.begin(), stopIds.end(), generation.ids.back()) != stopIds.end()) {
    return FinishReason::kStopToken;
  }
  if (reachedStopString(generation.ids, options, longestStop)) return FinishReason::kStopString;
  if (int64_t(generation.ids.size()) >= options.maxNewTokens) return FinishReason::kLength;
  return std::nullopt;
}

// Prompts [first, first + count) decoded together. A finished sequence leaves the batch when a
// quarter of the rows have finished (one cache copy per quarter instead of one per sequence);
// until then its row is computed and ignored, and it draws no random numbers, so sampling sees
// exactly the live rows either way.
void generateBatch(detail::LlamaModel& module, const torch::Device& device,
                   const std::vector<std::vector<int32_t>>& prompts, std::size_t first,
                   std::size_t count, const GenerationOptions& options,
                   const std::vector<int32_t>& stopIds, at::Generator& generator,
                   std::vector<Generation>& results) {
  std::vector<const std::vector<int32_t>*> batchPrompts;
  int64_t longest = 0;
  for (std::size_t i = first; i < first + count; ++i) {
    batchPrompts.push_back(&prompts[i]);
    longest = std::max<int64_t>(longest, int64_t(prompts[i].size()));
  }
  std::size_t longestStop = 1;
  for (const std::string& stop : options.stopStrings) {
    longestStop = std::max(longestStop, stop.size());
  }
  detail::Prefill prefill = detail::prefillPrompts(
      module, device, batchPrompts,
      {.capacity = longest + options.maxNewTokens, .sharePrompts = options.sharePromptPrefill});
  KvCache cache = std::move(prefill.cache);
  torch::Tensor logits = prefill.logits;  // [rows, V]

  // Per cache row: its result, whether it still generates, the last token fed and its position.
  std::vector<std::size_t> rowResult;
  std::vector<char> rowLive(count, 1);
  std::vector<int64_t> rowToken(count, 0), rowPosition;
  for (std::size_t row = 0; row < count; ++row) {
    rowResult.push_back(first + row);
    rowPosition.push_back(int64_t(prompts[first + row].size()));
  }
  std::size_t liveCount = count;
  for (;;) {
    std::vector<int64_t> liveRows;
    for (std::size_t row = 0; row < rowLive.size(); ++row) {
      if (rowLive[row]) liveRows.push_back(int64_t(row));
    }
    auto liveLogits = logits;  // [live, V]
    if (liveRows.size() < rowLive.size()) {
      liveLogits = logits.index_select(0, torch::tensor(liveRows, torch::kLong).to(device));
    }
    liveLogits = liveLogits.to(torch::kCPU);                                    // float32
    auto next = sampleNextTokens(liveLogits, options, generator).contiguous();  // [live]
    torch::Tensor chosenLogprobs;
    if (options.returnLogprobs) {
      chosenLogprobs =
          torch::log_softmax(liveLogits, -1).gather(1, next.unsqueeze(1)).squeeze(1).contiguous();
    }
    for (std::size_t i = 0; i < liveRows.size(); ++i) {
      auto row = std::size_t(liveRows[i]);
      Generation& generation = results[rowResult[row]];
      int32_t token = int32_t(next.data_ptr<int64_t>()[i]);
      generation.ids.push_back(token);
      if (options.returnLogprobs)
        generation.logprobs.push_back(chosenLogprobs.data_ptr<float>()[i]);
      rowToken[row] = token;
      if (auto reason = finishAfterNewest(generation, options, stopIds, longestStop)) {
        generation.finishReason = *reason;
        rowLive[row] = 0;
        --liveCount;
      }
    }
    if (liveCount == 0) return;
    std::size_t finished = rowLive.size() - liveCount;
    if (finished >= std::max<std::size_t>(1, rowLive.size() / 4)) {
      std::vector<int64_t> keep;
      for (std::size_t row = 0; row < rowLive.size(); ++row) {
        if (rowLive[row]) keep.push_back(int64_t(row));
      }
      cache.keepRows(torch::tensor(keep, torch::kLong).to(device));
      std::vector<std::size_t> keptResult;
      std::vector<int64_t> keptToken, keptPosition;
      for (int64_t row : keep) {
        keptResult.push_back(rowResult[std::size_t(row)]);
        keptToken.push_back(rowToken[std::size_t(row)]);
        keptPosition.push_back(rowPosition[std::size_t(row)]);
      }
      rowResult = std::move(keptResult);
      rowToken = std::move(keptToken);
      rowPosition = std::move(keptPosition);
      rowLive.assign(keep.size(), 1);
    }
    auto rows = int64_t(rowLive.size());
    ForwardInput decodeStep =
        ForwardInput::of(torch::tensor(rowToken, torch::kLong).view({rows, 1}).to(device),
                         torch::tensor(rowPosition, torch::kLong).view({rows, 1}).to(device));
    decodeStep.lastPositionOnly = true;
    logits = module->forward(decodeStep, &cache).select(1, 0);  // [rows, V]
    for (int64_t& position : rowPosition) ++position;
  }
}

}  // namespace

std::vector<Generation> LanguageModel::generate(const std::vector<std::vector<int32_t>>& prompts,
                                                const GenerationOptions& options) const {
  if (options.maxNewTokens < 1) throw UsageError("max new tokens must be at least 1");
  if (options.temperature < 0) throw UsageError("temperature must not be negative");
  if (!(options.topP > 0 && options.topP <= 1)) throw UsageError("top-p must be in (0, 1]");
  if (options.topK < 0) throw UsageError("top-k must not be negative");
  if (!options.stopStrings.empty() && !options.decode) {
    throw UsageError("stop strings need a decode function (a tokenizer)");
  }
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    if (prompts[i].empty()) throw UsageError("prompt " + std::to_string(i) + " has no tokens");
  }
  std::vector<int32_t> stopIds = options.stopIds;
  if (options.stopAtEos) {
    for (int64_t id : config().eosTokenIds) stopIds.push_back(int32_t(id));
  }
  c10::InferenceMode inference;
  at::Generator generator = at::detail::createCPUGenerator(options.seed);
  std::vector<Generation> results(prompts.size());
  std::size_t batchSize = std::size_t(std::max<int64_t>(1, options.maxBatchSize));
  for (std::size_t first = 0; first < prompts.size(); first += batchSize) {
    std::size_t count = std::min(batchSize, prompts.size() - first);
    generateBatch(impl_->module, impl_->device, prompts, first, count, options, stopIds, generator,
                  results);
  }
  return results;
}

}  // namespace astro::model
