// Batched, KV-cached generation: prompts are left-padded into one batch, prefilled in one forward
// pass, then decoded one token per step for every live sequence; finished sequences leave the
// batch (and the cache). Sampling: temperature, top-k, top-p with a per-call seeded generator.
#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>

#include "core/base/error.h"
#include "core/model/detail/language_model_impl.h"

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

struct LiveSequence {
  std::size_t result;  // index into the results
  int64_t nextPosition;
};

bool endsWithStopString(const Generation& generation, const GenerationOptions& options) {
  if (options.stopStrings.empty()) return false;
  std::string text = options.decode(generation.ids);
  return std::any_of(options.stopStrings.begin(), options.stopStrings.end(),
                     [&](const std::string& stop) { return text.find(stop) != std::string::npos; });
}

void generateBatch(detail::LlamaModel& module, const torch::Device& device,
                   const std::vector<std::vector<int32_t>>& prompts, std::size_t first,
                   std::size_t count, const GenerationOptions& options,
                   const std::vector<int32_t>& stopIds, at::Generator& generator,
                   std::vector<Generation>& results) {
  const ModelConfig& config = module->config();
  int64_t batch = int64_t(count);
  int64_t longest = 0;
  for (std::size_t i = 0; i < count; ++i) {
    longest = std::max<int64_t>(longest, int64_t(prompts[first + i].size()));
  }
  // Left padding: every prompt ends in the last column, so one decode step serves all rows.
  auto ids = torch::zeros({batch, longest}, torch::kLong);
  auto valid = torch::zeros({batch, longest}, torch::kBool);
  auto positions = torch::zeros({batch, longest}, torch::kLong);
  std::vector<LiveSequence> live;
  for (int64_t row = 0; row < batch; ++row) {
    const auto& prompt = prompts[first + std::size_t(row)];
    int64_t length = int64_t(prompt.size()), pad = longest - length;
    auto promptIds = detail::idsToTensor(prompt, config.vocabSize);
    ids[row].narrow(0, pad, length).copy_(promptIds);
    valid[row].narrow(0, pad, length).fill_(true);
    positions[row].narrow(0, pad, length).copy_(torch::arange(length, torch::kLong));
    live.push_back({first + std::size_t(row), length});
  }
  auto cache = KvCache::allocate(config, batch, longest + options.maxNewTokens,
                                 module->outputEmbedding().options());
  ForwardInput prefill;
  prefill.inputIds = ids.to(device);
  prefill.positionIds = positions.to(device);
  prefill.tokenValid = valid.to(device);
  prefill.lastPositionOnly = true;
  auto logits = module->forward(prefill, &cache);  // [B, 1, V]

  for (int64_t step = 0;; ++step) {
    auto lastLogits = logits.select(1, 0).to(torch::kCPU);         // [B, V] float32
    auto next = sampleNextTokens(lastLogits, options, generator);  // [B]
    torch::Tensor chosenLogprobs;
    if (options.returnLogprobs) {
      chosenLogprobs =
          torch::log_softmax(lastLogits, -1).gather(1, next.unsqueeze(1)).squeeze(1).contiguous();
    }
    auto nextIds = next.contiguous();
    std::vector<int64_t> keep;
    for (std::size_t row = 0; row < live.size(); ++row) {
      Generation& generation = results[live[row].result];
      int32_t token = int32_t(nextIds.data_ptr<int64_t>()[row]);
      generation.ids.push_back(token);
      if (options.returnLogprobs) {
        generation.logprobs.push_back(chosenLogprobs.data_ptr<float>()[row]);
      }
      if (std::find(stopIds.begin(), stopIds.end(), token) != stopIds.end()) {
        generation.finishReason = FinishReason::kStopToken;
      } else if (endsWithStopString(generation, options)) {
        generation.finishReason = FinishReason::kStopString;
      } else if (int64_t(generation.ids.size()) >= options.maxNewTokens) {
        generation.finishReason = FinishReason::kLength;
      } else {
        keep.push_back(int64_t(row));
      }
    }
    if (keep.empty()) return;
    if (keep.size() < live.size()) {
      auto rows = torch::tensor(keep, torch::kLong);
      nextIds = nextIds.index_select(0, rows);
      cache.keepRows(rows.to(device));
      std::vector<LiveSequence> kept;
      for (int64_t row : keep) kept.push_back(live[std::size_t(row)]);
      live = std::move(kept);
    }
    std::vector<int64_t> nextPositions;
    for (auto& sequence : live) nextPositions.push_back(sequence.nextPosition++);
    auto stepPositions = torch::tensor(nextPositions, torch::kLong).unsqueeze(1);  // [B, 1]
    ForwardInput decodeStep;
    decodeStep.inputIds = nextIds.unsqueeze(1).to(device);
    decodeStep.positionIds = stepPositions.to(device);
    decodeStep.lastPositionOnly = true;
    logits = module->forward(decodeStep, &cache);
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
