// Fused elementwise inference steps (detail/inference_kernels.h): plain loops over rows of the
// last dimension, which the compiler vectorises; the arithmetic per element is the tensor
// expressions' (results equal theirs up to float rounding). SwiGLU's gate keeps libtorch's
// vectorised silu.
#include "core/model/detail/inference_kernels.h"

#include <cmath>

namespace astro::model::detail {

bool inferenceKernelsApply(const torch::Tensor& x) {
  return !torch::GradMode::is_enabled() && x.device().is_cpu() &&
         x.scalar_type() == torch::kFloat32 && !x.requires_grad();
}

torch::Tensor rmsNorm(const torch::Tensor& x, const torch::Tensor& weight, double eps) {
  auto input = x.contiguous();
  auto out = torch::empty_like(input);
  const int64_t n = input.size(-1), rows = input.numel() / std::max<int64_t>(1, n);
  auto scale = weight.contiguous();
  const float* in = input.data_ptr<float>();
  const float* w = scale.data_ptr<float>();
  float* o = out.data_ptr<float>();
  for (int64_t row = 0; row < rows; ++row) {
    const float* xr = in + row * n;
    float* outRow = o + row * n;
    float partial[8] = {0, 0, 0, 0, 0, 0, 0, 0};  // independent sums, so the loop vectorises
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
      for (int j = 0; j < 8; ++j) partial[j] += xr[i + j] * xr[i + j];
    }
    for (; i < n; ++i) partial[0] += xr[i] * xr[i];
    float sumOfSquares = 0;
    for (float sum : partial) sumOfSquares += sum;
    const float inverse = 1.0f / std::sqrt(sumOfSquares / float(n) + float(eps));
    for (int64_t i = 0; i < n; ++i) outRow[i] = w[i] * (xr[i] * inverse);
  }
  return out;
}

torch::Tensor siluGate(const torch::Tensor& gateUp) {
  // libtorch's silu is vectorised (a scalar exp per element cost more than the op it saves at
  // batch 64); the product then runs in place instead of in a third tensor.
  const int64_t width = gateUp.size(-1) / 2;
  auto out = torch::silu(gateUp.narrow(-1, 0, width));
  return out.mul_(gateUp.narrow(-1, width, width));
}

void rotaryInto(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                const torch::Tensor& out) {
  const int64_t batch = x.size(0), time = x.size(1), heads = x.size(2), dim = x.size(3);
  const int64_t half = dim / 2;
  TORCH_CHECK(x.stride(3) == 1 && out.stride(3) == 1 && cos.is_contiguous() && sin.is_contiguous(),
              "rotaryInto: x and out need unit stride in the head dimension");
  const float* in = x.data_ptr<float>();
  const float* cosine = cos.data_ptr<float>();
  const float* sine = sin.data_ptr<float>();
  float* o = out.data_ptr<float>();
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t t = 0; t < time; ++t) {
      const float* c = cosine + (b * time + t) * dim;
      const float* s = sine + (b * time + t) * dim;
      for (int64_t h = 0; h < heads; ++h) {
        const float* xr = in + b * x.stride(0) + t * x.stride(1) + h * x.stride(2);
        float* outRow = o + b * out.stride(0) + h * out.stride(1) + t * out.stride(2);
        for (int64_t d = 0; d < half; ++d) outRow[d] = xr[d] * c[d] + -xr[d + half] * s[d];
        for (int64_t d = half; d < dim; ++d) outRow[d] = xr[d] * c[d] + xr[d - half] * s[d];
      }
    }
  }
}

}  // namespace astro::model::detail
