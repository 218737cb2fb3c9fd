// MathDomain (math_domain.h).
#include "core/domain/math_domain.h"

#include "core/math/math_verifier.h"

namespace astro::domain {

std::string_view MathDomain::description() const {
  return "math answers (MATH-500, AMC, AIME) by answer equivalence";
}

bool MathDomain::claims(const math::Problem&) const { return true; }

std::unique_ptr<math::Verifier> MathDomain::makeVerifier() const {
  return std::make_unique<math::MathVerifier>();
}

}  // namespace astro::domain
