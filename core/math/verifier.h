// The judge behind every reward, MCTS terminal label and evaluation. Search, RL and evaluation
// see only this interface, so they do not know which world they run in.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/math/problem.h"

namespace astro::math {

struct Verdict {
  bool correct = false;
  bool answerFound = false;     // false: no final answer could be extracted from the output
  std::string extracted;        // the final answer as found in the output
  std::string rule;             // which rule decided ("exact", "rational", "expression", ...)
  std::size_t answerOffset = 0; // where in the output the answer starts (bytes)
};

class Verifier {
 public:
  virtual ~Verifier() = default;
  virtual std::string name() const = 0;
  // Grades a full model output (or a bare answer) against the problem's gold answer.
  virtual Verdict grade(const Problem& problem, std::string_view output) const = 0;
};

}  // namespace astro::math
