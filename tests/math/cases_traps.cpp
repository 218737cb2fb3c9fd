// Known traps of other graders that must not happen here, and malformed input, which is simply
// "not equivalent" with a reason.
#include "tests/math/equivalence_cases.h"

namespace astro::math::test {

void addTrapCases() {
  // Percent answers: the number with or without the sign, never scaled by 100.
  addCase("50\\%", "0.5", false, "rational");
  addCase("50\\%", "5000", false, "rational");
  addCase("0.5", "50\\%", false, "rational");
  addCase("12.5\\%", "12.5", true, "exact");
  // (1,2) is an open interval or a point; [1,2] is closed. Never equal.
  addCase("(1,2)", "[1,2]", false, "tuple");
  addCase("[1,2]", "(1,2)", false, "interval");
  addCase("[1,2)", "(1,2]", false, "interval");
  // One-letter variables are not units.
  addCase("5", "5x", false, "expression");
  addCase("5x", "5", false, "expression");
  addCase("3m", "3", false, "expression");
  addCase("2a", "2b", false, "expression");
  addCase("7 \\text{ m}", "7", false, "expression");
  // Factorials too large for floating point must not compare by a loose tolerance.
  addCase("\\frac{1}{2004!}", "\\frac{1}{2006!}", false, "structural");
  addCase("\\frac{1}{2004!}", "1/2004!", true, "structural");
  addCase("2004!", "2005!", false, "structural");
  addCase("10^{400}", "10^{401}", false, "structural");
  addCase("33!", "8683317618811886495518194401280000000", true, "rational");
  // Beyond 2^53 floating point cannot separate neighbouring integers: no tolerance there.
  addCase("3^{100}", "3^{100}+1", false, "structural");
  addCase("3^{100}\\sqrt{2}", "\\sqrt{2}\\cdot 3^{100}", true, "structural");
  addCase("12\\text{ ways}", "12", true, "exact");
  addCase("12\\text{ ways}", "13", false, "rational");
  addCase("\\sqrt{-1}", "i", true, "numeric");
  addCase("\\sqrt{-4}", "-2i", false, "numeric");
  addCase("33!", "8683317618811886495518194401280000001", false, "rational");
  // Two different equations must not both reduce to "0 = 0".
  addCase("y = x", "y = -x", false, "equation");
  addCase("x + y = 1", "x - y = 1", false, "equation");
  addCase("x = 2", "x = 3", false, "equation");
  addCase("x^2 = 4", "x = 2", false, "equation");
  // Malformed LaTeX: not equivalent, with a reason, no crash.
  addCase("5", "\\frac{5", false, "text");
  addCase("5", "}{", false, "text");
  addCase("\\frac{1}{2}", "\\sqrt", false, "text");
  addCase("5", "((((((((((((((((((((((((((((((((((((((((((((((((((5", false, "text");
  addCase("x+1", "x++", false, "text");
  addCase("5", "", false, "empty");
  addCase("", "5", false, "empty");
  addCase("2", "\\frac{1}{0}", false, "structural");
  addCase("5", "5^{5^{5^{5}}}", false, "structural");
  addCase("1", "\\log_1 1", false, "structural");
  addCase("1", "(-2)^{\\log_1 1}", false, "structural");  // fuzz finding: NaN exponent
  addCase("-2", "(-8)^{1/3}", true, "numeric");
  addCase("\\infty", "\\infty", true, "exact");
  addCase("\\infty", "-\\infty", false, "structural");
  addCase("0", "0.0000000000001", false, "rational");
}

}  // namespace astro::math::test
