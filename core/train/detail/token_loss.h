// Torch pieces the trainers share (private to core/train): the summed next-token loss of a packed
// batch.
#pragma once

#include <torch/torch.h>

#include "core/model/detail/llama_module.h"
#include "core/train/sequence_packing.h"

namespace astro::train::detail {

// Sum of cross-entropy over the batch's trained targets (float32), attention kept inside each
// packed sequence.
torch::Tensor packedTokenLossSum(model::detail::LlamaModel& model, const PackedBatch& batch,
                                 const torch::Device& device);

torch::Tensor toTensor(const std::vector<std::int32_t>& values, int rows, int columns,
                       const torch::Device& device);

}  // namespace astro::train::detail
