// InferenceWeight (detail/inference_weight.h).
#include "core/model/detail/inference_weight.h"

namespace astro::model::detail {

torch::Tensor InferenceWeight::apply(const torch::Tensor& x, const torch::Tensor& weight,
                                     const torch::Tensor& bias) {
  if (torch::GradMode::is_enabled() || !x.device().is_cpu() || x.scalar_type() != torch::kFloat32 ||
      weight.scalar_type() != torch::kFloat32) {
    return torch::nn::functional::linear(x, weight, bias);
  }
  torch::Tensor transposed;
  {
    std::lock_guard lock(mutex_);
    if (source_ != weight.unsafeGetTensorImpl() || version_ != weight._version() ||
        !transposed_.defined()) {
      transposed_ = weight.t().contiguous();  // [in, out]
      source_ = weight.unsafeGetTensorImpl();
      version_ = weight._version();
    }
    transposed = transposed_;
  }
  auto out = torch::matmul(x, transposed);
  if (bias.defined()) out.add_(bias);
  return out;
}

}  // namespace astro::model::detail
