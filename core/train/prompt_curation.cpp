#include "core/train/prompt_curation.h"

#include "core/base/error.h"

namespace astro::train {

CurationResult curatePrompts(const model::Sampler& policy,
                             const tokenizer::Tokenizer& tokenizer,
                             const std::vector<math::Problem>& problems,
                             const math::Verifier& verifier, const CurationOptions& options,
                             const std::function<void(const EvaluationProgress&)>& progress) {
  if (options.minPassRate > options.maxPassRate) {
    throw UsageError("prompt curation: the minimum pass rate exceeds the maximum");
  }
  auto estimate = evaluatePolicy(policy, tokenizer, problems, verifier, options.estimate, progress);
  CurationResult result;
  result.passRates.assign(problems.size(), 0.0);
  for (const auto& sample : estimate.samples) {
    if (sample.sampleIndex >= 0 && sample.correct) {
      result.passRates[sample.problemIndex] += 1.0 / options.estimate.samplesPerProblem;
    }
  }
  for (std::size_t i = 0; i < problems.size(); ++i) {
    double rate = result.passRates[i];
    if (rate < options.minPassRate) {
      ++result.tooHard;
    } else if (rate > options.maxPassRate) {
      ++result.tooEasy;
    } else {
      result.kept.push_back(problems[i]);
    }
  }
  return result;
}

}  // namespace astro::train
