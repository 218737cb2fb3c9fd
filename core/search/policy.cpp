// Helpers shared by every StepPolicy (policy.h).
#include "core/search/policy.h"

namespace astro::search {

std::string joinSteps(std::span<const std::string_view> steps, std::string_view delimiter) {
  std::string text;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (i > 0) text += delimiter;
    text += steps[i];
  }
  return text;
}

}  // namespace astro::search
