// Helpers shared by every StepPolicy (policy.h).
#include "core/search/policy.h"

#include "core/base/error.h"

namespace astro::search {

std::string joinSteps(std::span<const std::string_view> steps, std::string_view delimiter) {
  std::string text;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (i > 0) text += delimiter;
    text += steps[i];
  }
  return text;
}

std::vector<std::vector<bool>> StepPolicy::judgeSolutions(std::span<const PolicyState>,
                                                          const SelfEvaluationSampling&) {
  throw UsageError("this policy cannot judge solutions: turn the self-evaluation filter off");
}

}  // namespace astro::search
