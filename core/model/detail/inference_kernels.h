// Elementwise steps of a CPU float32 inference forward pass (RMSNorm, SwiGLU's gate, rotary
// embedding), one loop each instead of the four to six libtorch ops and temporaries they take as
// tensor expressions: at decode sizes (a few rows of 128 floats) the per-op cost is most of their
// time. Training (autograd) and other devices keep the tensor expressions in llama.cpp.
#pragma once

#include <torch/torch.h>

namespace astro::model::detail {

// Whether these kernels serve `x` (CPU, float32, grad mode off).
bool inferenceKernelsApply(const torch::Tensor& x);

// weight * x / sqrt(mean(x^2) + eps) over the last dimension of x [..., n]; weight [n].
torch::Tensor rmsNorm(const torch::Tensor& x, const torch::Tensor& weight, double eps);

// silu(gate) * up, where gateUp [..., 2n] holds gate then up side by side. Returns [..., n]
// (two ops and one temporary instead of three and two).
torch::Tensor siluGate(const torch::Tensor& gateUp);

// Rotary embedding: out = x * cos + rotateHalf(x) * sin, with x [B, T, heads, D] (unit stride in
// D), cos and sin [B, 1, T, D] (contiguous) and out [B, heads, T, D] (unit stride in D), which may
// be a view of a KV cache's slots.
void rotaryInto(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                const torch::Tensor& out);

}  // namespace astro::model::detail
