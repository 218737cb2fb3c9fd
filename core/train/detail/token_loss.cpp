#include "core/train/detail/token_loss.h"

namespace astro::train::detail {

torch::Tensor toTensor(const std::vector<std::int32_t>& values, int rows, int columns,
                       const torch::Device& device) {
  auto cpu = torch::from_blob(const_cast<std::int32_t*>(values.data()), {rows, columns},
                              torch::kInt32);
  return cpu.to(device, torch::kInt64);
}

torch::Tensor packedTokenLossSum(model::detail::LlamaModel& model, const PackedBatch& batch,
                                 const torch::Device& device) {
  model::detail::ForwardInput input;
  input.inputIds = toTensor(batch.inputIds, batch.rows, batch.columns, device);
  input.positionIds = toTensor(batch.positionIds, batch.rows, batch.columns, device);
  input.sequenceIds = toTensor(batch.sequenceIds, batch.rows, batch.columns, device);
  auto targets = toTensor(batch.targetIds, batch.rows, batch.columns, device);  // [rows, columns]
  auto logits = model->forward(input);  // [rows, columns, vocab] float32
  return torch::nn::functional::cross_entropy(
      logits.reshape({-1, logits.size(-1)}), targets.reshape({-1}),
      torch::nn::functional::CrossEntropyFuncOptions().ignore_index(kIgnoreTarget).reduction(
          torch::kSum));
}

}  // namespace astro::train::detail
