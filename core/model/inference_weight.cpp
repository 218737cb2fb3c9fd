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

torch::Tensor FusedInferenceWeight::apply(const torch::Tensor& x,
                                          std::initializer_list<const torch::nn::Linear*> linears) {
  if (torch::GradMode::is_enabled() || !x.device().is_cpu() || x.scalar_type() != torch::kFloat32) {
    return {};
  }
  for (const torch::nn::Linear* linear : linears) {
    if ((*linear)->weight.scalar_type() != torch::kFloat32) return {};
  }
  torch::Tensor transposed, bias;
  {
    std::lock_guard lock(mutex_);
    // Stale when any weight or bias is another tensor or has moved since the copy was built;
    // checked in place, since this runs per layer per decode step.
    bool stale = !transposed_.defined();
    std::size_t index = 0;
    auto compare = [&](const torch::Tensor& tensor) {
      if (!tensor.defined()) return;
      stale = stale || index >= sources_.size() ||
              sources_[index] != Source{tensor.unsafeGetTensorImpl(), tensor._version()};
      ++index;
    };
    for (const torch::nn::Linear* linear : linears) {
      compare((*linear)->weight);
      compare((*linear)->bias);
    }
    if (stale || index != sources_.size()) {
      std::vector<torch::Tensor> weights, biases;
      bool biased = false;
      sources_.clear();
      for (const torch::nn::Linear* linear : linears) {
        const torch::Tensor& weight = (*linear)->weight;
        const torch::Tensor& own = (*linear)->bias;
        weights.push_back(weight);
        biases.push_back(own.defined() ? own : torch::zeros({weight.size(0)}));
        biased = biased || own.defined();
        for (const torch::Tensor* tensor : {&weight, &own}) {
          if (tensor->defined())
            sources_.push_back({tensor->unsafeGetTensorImpl(), tensor->_version()});
        }
      }
      transposed_ = torch::cat(weights, 0).t().contiguous();  // [in, sum of outs]
      bias_ = biased ? torch::cat(biases, 0) : torch::Tensor();
    }
    transposed = transposed_;
    bias = bias_;
  }
  auto out = torch::matmul(x, transposed);
  if (bias.defined()) out.add_(bias);
  return out;
}

}  // namespace astro::model::detail
