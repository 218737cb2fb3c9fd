// Math (MATH-500, MATH, AMC, AIME, GSM8K-style answers): graded by the answer-equivalence
// verifier (core/math/math_verifier.h, docs/verifier.md). Its steps are free text, so it has no
// step validator. It is the fallback of `auto` and claims every problem: the verifier reads any
// final answer and never throws.
#pragma once

#include "core/domain/domain.h"

namespace astro::domain {

class MathDomain : public Domain {
 public:
  static constexpr std::string_view kName = "math";
  std::string_view name() const override { return kName; }
  std::string_view description() const override;
  bool claims(const math::Problem& problem) const override;
  std::unique_ptr<math::Verifier> makeVerifier() const override;
};

}  // namespace astro::domain
