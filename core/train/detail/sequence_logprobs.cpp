#include "core/train/detail/sequence_logprobs.h"

#include <algorithm>

namespace astro::train::detail {

CompletionBatch makeCompletionBatch(const std::vector<std::vector<std::int32_t>>& prompts,
                                    const std::vector<std::vector<std::int32_t>>& completions,
                                    const torch::Device& device) {
  std::size_t rows = prompts.size();
  std::size_t width = 2;
  for (std::size_t i = 0; i < rows; ++i) {
    width = std::max(width, prompts[i].size() + completions[i].size());
  }
  auto ids = torch::zeros({int64_t(rows), int64_t(width)}, torch::kInt64);
  auto valid = torch::zeros({int64_t(rows), int64_t(width)}, torch::kBool);
  auto mask = torch::zeros({int64_t(rows), int64_t(width) - 1}, torch::kFloat32);
  auto idsView = ids.accessor<int64_t, 2>();
  auto validView = valid.accessor<bool, 2>();
  auto maskView = mask.accessor<float, 2>();
  for (std::size_t r = 0; r < rows; ++r) {
    std::size_t t = 0;
    for (auto id : prompts[r]) idsView[r][t] = id, validView[r][t++] = true;
    for (auto id : completions[r]) {
      idsView[r][t] = id;
      validView[r][t] = true;
      maskView[r][t - 1] = 1.0f;  // position t-1 predicts completion token t
      ++t;
    }
  }
  CompletionBatch batch;
  batch.inputIds = ids.to(device);
  batch.tokenValid = valid.to(device);
  batch.positionIds = torch::arange(int64_t(width), torch::kInt64).unsqueeze(0).expand({int64_t(rows), -1}).contiguous().to(device);
  batch.targets = batch.inputIds.narrow(1, 1, int64_t(width) - 1);
  batch.mask = mask.to(device);
  return batch;
}

TokenLogprobs completionLogprobs(model::detail::LlamaModel& model, const CompletionBatch& batch,
                                 bool withEntropy) {
  model::detail::ForwardInput input;
  input.inputIds = batch.inputIds;
  input.positionIds = batch.positionIds;
  input.tokenValid = batch.tokenValid;
  auto logits = model->forward(input);  // [N, L, V] float32
  auto logSoftmax = torch::log_softmax(logits.narrow(1, 0, logits.size(1) - 1), -1);  // [N, L-1, V]
  TokenLogprobs result;
  result.logprobs = logSoftmax.gather(2, batch.targets.unsqueeze(2)).squeeze(2) * batch.mask;
  if (withEntropy) {
    torch::NoGradGuard noGrad;
    result.entropy = -(logSoftmax.exp() * logSoftmax).sum(-1) * batch.mask;
  }
  return result;
}

}  // namespace astro::train::detail
