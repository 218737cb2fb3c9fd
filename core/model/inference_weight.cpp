// InferenceWeight (detail/inference_weight.h).
#include "core/model/detail/inference_weight.h"

#include <array>

namespace astro::model::detail {

torch::Tensor InferenceWeight::product(const torch::Tensor& x, std::span<const Part> parts) {
  if (torch::GradMode::is_enabled() || !x.device().is_cpu() || x.scalar_type() != torch::kFloat32) {
    return {};
  }
  for (const Part& part : parts) {
    if (part.weight->scalar_type() != torch::kFloat32) return {};
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
    for (const Part& part : parts) {
      compare(*part.weight);
      compare(*part.bias);
    }
    if (stale || index != sources_.size()) {
      std::vector<torch::Tensor> weights, biases;
      bool biased = false;
      sources_.clear();
      for (const Part& part : parts) {
        weights.push_back(*part.weight);
        biases.push_back(part.bias->defined() ? *part.bias : torch::zeros({part.weight->size(0)}));
        biased = biased || part.bias->defined();
        for (const torch::Tensor* tensor : {part.weight, part.bias}) {
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

torch::Tensor InferenceWeight::apply(const torch::Tensor& x, const torch::Tensor& weight,
                                     const torch::Tensor& bias) {
  const Part part{&weight, &bias};
  auto out = product(x, {&part, 1});
  return out.defined() ? out : torch::nn::functional::linear(x, weight, bias);
}

torch::Tensor InferenceWeight::applyFused(const torch::Tensor& x,
                                          std::initializer_list<const torch::nn::Linear*> linears) {
  constexpr std::size_t kMaxParts = 4;  // q/k/v is the most that share an input
  if (linears.size() > kMaxParts) return {};
  std::array<Part, kMaxParts> parts{};
  std::size_t count = 0;
  for (const torch::nn::Linear* linear : linears) {
    parts[count++] = {&(*linear)->weight, &(*linear)->bias};
  }
  return product(x, {parts.data(), count});
}

}  // namespace astro::model::detail
