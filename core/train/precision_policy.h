// The trainers' precision policy, in one place (issue #19; docs/distributed.md#precision).
//
// CPU: weights, gradients and AdamW moments in float32; the weights are their own master copy.
// CUDA: the module computes in bfloat16 (weights and activations; norms, softmax and the loss in
// float32 inside the module), and the optimizer keeps float32 master weights and float32 moments,
// updated from float32 gradients and copied back to the bfloat16 weights after each step. The
// reason is arithmetic: bfloat16 has 8 significant bits, so next to a weight of 0.02 its spacing is
// 2^-6 * 2^-7 = 1.2e-4, and an update of lr 2e-7 (the ASTRO RL rate) rounds away entirely when it
// is applied to bfloat16 weights; on the float32 master it accumulates (tests/train/
// precision_policy_test.cpp shows both).
#pragma once

#include <string>

namespace astro::train {

enum class Precision {
  Auto,      // float32 on CPU, bfloat16 compute + float32 master on CUDA
  Float32,   // float32 everywhere
  BFloat16,  // bfloat16 compute + float32 master weights and moments (any device)
};

Precision parsePrecision(const std::string& name);  // "auto" | "float32" | "bfloat16"
std::string precisionName(Precision precision);

struct PrecisionPolicy {
  bool bf16Compute = false;     // module weights and activations in bfloat16
  bool separateMaster = false;  // the optimizer updates a float32 copy, not the weights
};

// `device`: "cpu" or "cuda[:N]".
PrecisionPolicy resolvePrecision(Precision precision, const std::string& device);

}  // namespace astro::train
