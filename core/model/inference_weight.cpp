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
  std::vector<const void*> sources;
  std::vector<uint32_t> versions;
  bool biased = false;
  for (const torch::nn::Linear* linear : linears) {
    const torch::Tensor& weight = (*linear)->weight;
    if (weight.scalar_type() != torch::kFloat32) return {};
    sources.push_back(weight.unsafeGetTensorImpl());
    versions.push_back(weight._version());
    if ((*linear)->bias.defined()) {
      biased = true;
      sources.push_back((*linear)->bias.unsafeGetTensorImpl());
      versions.push_back((*linear)->bias._version());
    }
  }
  torch::Tensor transposed, bias;
  {
    std::lock_guard lock(mutex_);
    if (sources != sources_ || versions != versions_ || !transposed_.defined()) {
      std::vector<torch::Tensor> weights, biases;
      for (const torch::nn::Linear* linear : linears) {
        weights.push_back((*linear)->weight);
        const torch::Tensor& own = (*linear)->bias;
        biases.push_back(own.defined() ? own : torch::zeros({(*linear)->weight.size(0)}));
      }
      transposed_ = torch::cat(weights, 0).t().contiguous();  // [in, sum of outs]
      bias_ = biased ? torch::cat(biases, 0) : torch::Tensor();
      sources_ = std::move(sources);
      versions_ = std::move(versions);
    }
    transposed = transposed_;
    bias = bias_;
  }
  auto out = torch::matmul(x, transposed);
  if (bias.defined()) out.add_(bias);
  return out;
}

}  // namespace astro::model::detail
