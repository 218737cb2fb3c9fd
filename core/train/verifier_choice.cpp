#include "core/train/verifier_choice.h"

#include "core/base/error.h"
#include "core/math/math_verifier.h"
#include "core/world/countdown_puzzle.h"
#include "core/world/countdown_verifier.h"

namespace astro::train {

std::unique_ptr<math::Verifier> chooseVerifier(const std::vector<math::Problem>& problems,
                                               const std::string& name) {
  if (name == "math") return std::make_unique<math::MathVerifier>();
  if (name == "countdown") return std::make_unique<world::CountdownVerifier>();
  if (name != "auto") {
    throw UsageError("unknown verifier '" + name + "' (auto, math or countdown)");
  }
  bool allCountdown = !problems.empty();
  for (const auto& problem : problems) {
    bool hasNumbers = problem.extra.is_object() && problem.extra.contains("numbers");
    if (!hasNumbers && !world::parseQuestion(problem.question)) {
      allCountdown = false;
      break;
    }
  }
  if (allCountdown) return std::make_unique<world::CountdownVerifier>();
  return std::make_unique<math::MathVerifier>();
}

}  // namespace astro::train
