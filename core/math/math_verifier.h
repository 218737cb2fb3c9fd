// The verifier for math answers (MATH, GSM8K, AMC/AIME): extracts the final answer from a model
// output and compares it with the gold answer by the rules of equivalence.h. This is the GRPO
// reward, the MCTS terminal label and the evaluation judge.
#pragma once

#include <string>
#include <string_view>

#include "core/math/equivalence.h"
#include "core/math/verifier.h"

namespace astro::math {

// Grades a full model output (or a bare answer) against a gold answer; never throws.
Verdict gradeAnswer(std::string_view gold, std::string_view output);

class MathVerifier : public Verifier {
 public:
  explicit MathVerifier(EquivalenceOptions options = {}) : options_(options) {}
  std::string name() const override { return "math"; }
  Verdict grade(const Problem& problem, std::string_view output) const override;
  Verdict grade(std::string_view gold, std::string_view output) const;

 private:
  EquivalenceOptions options_;
};

}  // namespace astro::math
