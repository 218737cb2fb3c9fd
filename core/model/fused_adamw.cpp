// FusedAdamW (detail/fused_adamw.h): AdamW::step's loop over parameters, with the update of a
// float32 CPU parameter done element by element (AVX2 when the CPU has it).
#include "core/model/detail/fused_adamw.h"

#include <ATen/Parallel.h>

#include <cmath>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace astro::model::detail {

namespace {

struct Update {
  float decay;                         // 1 - lr * weight_decay
  float beta1, beta2;                  // moment decay
  float gradientWeight, squareWeight;  // 1 - beta1, 1 - beta2
  float inverseCorrection2;            // 1 / sqrt(1 - beta2^step)
  float eps;
  float stepSize;  // lr / (1 - beta1^step)
};

// AdamW's arithmetic, in its order: decoupled decay, moments, denominator, step.
template <bool Decay>
inline void updateRange(const Update& u, float* param, const float* grad, float* expAvg,
                        float* expAvgSq, int64_t begin, int64_t end) {
  for (int64_t i = begin; i < end; ++i) {
    float p = Decay ? param[i] * u.decay : param[i];
    float g = grad[i];
    float m = expAvg[i] * u.beta1 + g * u.gradientWeight;
    float v = expAvgSq[i] * u.beta2 + g * g * u.squareWeight;
    expAvg[i] = m;
    expAvgSq[i] = v;
    param[i] = p - u.stepSize * (m / (std::sqrt(v) * u.inverseCorrection2 + u.eps));
  }
}

#if defined(__x86_64__)
// The same arithmetic eight floats at a time (intrinsics: without -fno-math-errno the compiler
// does not vectorize std::sqrt).
template <bool Decay>
__attribute__((target("avx2,fma"))) void updateRangeAvx2(const Update& u, float* param,
                                                         const float* grad, float* expAvg,
                                                         float* expAvgSq, int64_t begin,
                                                         int64_t end) {
  const __m256 decay = _mm256_set1_ps(u.decay), beta1 = _mm256_set1_ps(u.beta1),
               beta2 = _mm256_set1_ps(u.beta2), gradientWeight = _mm256_set1_ps(u.gradientWeight),
               squareWeight = _mm256_set1_ps(u.squareWeight),
               inverseCorrection2 = _mm256_set1_ps(u.inverseCorrection2),
               eps = _mm256_set1_ps(u.eps), stepSize = _mm256_set1_ps(u.stepSize);
  int64_t i = begin;
  for (; i + 8 <= end; i += 8) {
    __m256 p = _mm256_loadu_ps(param + i);
    if (Decay) p = _mm256_mul_ps(p, decay);
    __m256 g = _mm256_loadu_ps(grad + i);
    __m256 m = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(expAvg + i), beta1),
                             _mm256_mul_ps(g, gradientWeight));
    __m256 v = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(expAvgSq + i), beta2),
                             _mm256_mul_ps(_mm256_mul_ps(g, g), squareWeight));
    _mm256_storeu_ps(expAvg + i, m);
    _mm256_storeu_ps(expAvgSq + i, v);
    __m256 denominator = _mm256_add_ps(_mm256_mul_ps(_mm256_sqrt_ps(v), inverseCorrection2), eps);
    _mm256_storeu_ps(param + i,
                     _mm256_sub_ps(p, _mm256_mul_ps(stepSize, _mm256_div_ps(m, denominator))));
  }
  updateRange<Decay>(u, param, grad, expAvg, expAvgSq, i, end);
}
#endif

void updateFloats(const Update& u, bool decay, float* p, const float* g, float* m, float* v,
                  int64_t count) {
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  static const bool avx2 = false;
#endif
  at::parallel_for(0, count, 1 << 16, [&](int64_t begin, int64_t end) {
#if defined(__x86_64__)
    if (avx2) {
      decay ? updateRangeAvx2<true>(u, p, g, m, v, begin, end)
            : updateRangeAvx2<false>(u, p, g, m, v, begin, end);
      return;
    }
#endif
    decay ? updateRange<true>(u, p, g, m, v, begin, end)
          : updateRange<false>(u, p, g, m, v, begin, end);
  });
}

Update makeUpdate(double lr, double beta1, double beta2, double eps, double weightDecay,
                  int64_t step) {
  double correction1 = 1 - std::pow(beta1, double(step));
  double correction2 = 1 - std::pow(beta2, double(step));
  return Update{.decay = float(1 - lr * weightDecay),
                .beta1 = float(beta1),
                .beta2 = float(beta2),
                .gradientWeight = float(1 - beta1),
                .squareWeight = float(1 - beta2),
                .inverseCorrection2 = float(1 / std::sqrt(correction2)),
                .eps = float(eps),
                .stepSize = float(lr / correction1)};
}

void fusedUpdate(const Update& u, bool decay, torch::Tensor& param, const torch::Tensor& grad,
                 torch::Tensor& expAvg, torch::Tensor& expAvgSq) {
  // Written through raw pointers: bump the version counters as the in-place ops would.
  for (auto* tensor : {&param, &expAvg, &expAvgSq}) tensor->unsafeGetTensorImpl()->bump_version();
  updateFloats(u, decay, param.data_ptr<float>(), grad.data_ptr<float>(),
               expAvg.data_ptr<float>(), expAvgSq.data_ptr<float>(), param.numel());
}

bool fusable(const torch::Tensor& tensor) {
  return tensor.device().is_cpu() && tensor.scalar_type() == torch::kFloat32 &&
         tensor.is_contiguous();
}

}  // namespace

void adamwUpdateFloat(const AdamWElementStep& step, float* param, const float* grad,
                      float* expAvg, float* expAvgSq, int64_t count) {
  Update update = makeUpdate(step.learningRate, step.beta1, step.beta2, step.eps,
                             step.weightDecay, step.step);
  updateFloats(update, step.weightDecay != 0, param, grad, expAvg, expAvgSq, count);
}

torch::Tensor FusedAdamW::step(LossClosure closure) {
  torch::NoGradGuard noGrad;
  torch::Tensor loss;
  if (closure != nullptr) {
    at::AutoGradMode enableGrad(true);
    loss = closure();
  }
  for (auto& group : param_groups_) {
    auto& options = static_cast<torch::optim::AdamWOptions&>(group.options());
    for (auto& param : group.params()) {
      if (!param.grad().defined()) continue;
      const auto& grad = param.grad();
      TORCH_CHECK(!grad.is_sparse(), "AdamW does not support sparse gradients");
      const std::string key = c10::guts::to_string(param.unsafeGetTensorImpl());
      if (state_.find(key) == state_.end()) {
        auto state = std::make_unique<torch::optim::AdamWParamState>();
        state->step(0);
        state->exp_avg(torch::zeros_like(param, torch::MemoryFormat::Preserve));
        state->exp_avg_sq(torch::zeros_like(param, torch::MemoryFormat::Preserve));
        if (options.amsgrad()) {
          state->max_exp_avg_sq(torch::zeros_like(param, torch::MemoryFormat::Preserve));
        }
        state_[key] = std::move(state);
      }
      auto& state = static_cast<torch::optim::AdamWParamState&>(*state_[key]);
      state.step(state.step() + 1);
      auto [beta1, beta2] = options.betas();
      double correction1 = 1 - std::pow(beta1, double(state.step()));
      double correction2 = 1 - std::pow(beta2, double(state.step()));
      auto& expAvg = state.exp_avg();
      auto& expAvgSq = state.exp_avg_sq();
      if (!options.amsgrad() && fusable(param) && fusable(grad) && fusable(expAvg) &&
          fusable(expAvgSq)) {
        Update update = makeUpdate(options.lr(), beta1, beta2, options.eps(),
                                   options.weight_decay(), state.step());
        fusedUpdate(update, options.weight_decay() != 0, param, grad, expAvg, expAvgSq);
        continue;
      }
      // AdamW's own ops (torch/csrc/api/src/optim/adamw.cpp).
      if (options.weight_decay() != 0) param.mul_(1 - options.lr() * options.weight_decay());
      expAvg.mul_(beta1).add_(grad, 1 - beta1);
      expAvgSq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
      torch::Tensor denominator;
      if (options.amsgrad()) {
        auto& maxExpAvgSq = state.max_exp_avg_sq();
        torch::max_out(maxExpAvgSq, expAvgSq, maxExpAvgSq);
        denominator = (maxExpAvgSq.sqrt() / std::sqrt(correction2)).add_(options.eps());
      } else {
        denominator = (expAvgSq.sqrt() / std::sqrt(correction2)).add_(options.eps());
      }
      param.addcdiv_(expAvg, denominator, -options.lr() / correction1);
    }
  }
  return loss;
}

}  // namespace astro::model::detail
