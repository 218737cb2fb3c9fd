// Expressions with variables, compared at sample points, and equations compared up to a nonzero
// constant factor of lhs - rhs.
#include "tests/math/equivalence_cases.h"

namespace astro::math::test {

void addExpressionCases() {
  addCase("x^2+2x+1", "(x+1)^2", true, "expression");
  addCase("x^2+2x+1", "(x-1)^2", false, "expression");
  addCase("\\frac{1}{x-1}", "\\frac{1}{x+1}", false, "expression");
  addCase("\\frac{1}{x-1}", "(x-1)^{-1}", true, "expression");
  addCase("\\frac{x^2-1}{x-1}", "x+1", true, "expression");
  addCase("\\frac{11+9a}{20}", "\\frac{9a+11}{20}", true, "expression");
  addCase("\\frac{11+9a}{20}", "\\frac{9a+11}{21}", false, "expression");
  addCase("6r^2-4r-24", "2(3r^2-2r-12)", true, "expression");
  addCase("6r^2-4r-24", "6r^2-4r+24", false, "expression");
  addCase("(a+5)(b+2)", "ab+2a+5b+10", true, "expression");
  addCase("(a+5)(b+2)", "(a+2)(b+5)", false, "expression");
  addCase("x^3+3x-6", "x^3 + 3x - 6", true, "exact");
  addCase("8n^2 + 4n + 1", "4n(2n+1)+1", true, "expression");
  addCase("x^5 - x^4 + x^3 - x^2 + x - 1", "(x-1)(x^4+x^2+1)", true, "expression");
  addCase("x^5 - x^4 + x^3 - x^2 + x - 1", "(x+1)(x^4+x^2+1)", false, "expression");
  addCase("\\sin^2 x + \\cos^2 x", "1", true, "expression");
  addCase("\\sin 2x", "2\\sin x\\cos x", true, "expression");
  addCase("\\sin 2x", "2\\sin x", false, "expression");
  addCase("\\tan x", "\\frac{\\sin x}{\\cos x}", true, "expression");
  addCase("\\cos(2\\theta)", "1-2\\sin^2\\theta", true, "expression");
  addCase("e^{x+y}", "e^x e^y", true, "expression");
  addCase("\\ln(xy)", "\\ln x + \\ln y", true, "expression");
  addCase("|x|", "x", false, "expression");
  addCase("\\sqrt{x^2}", "x", false, "expression");
  addCase("x+y", "2x", false, "expression");
  addCase("xy", "yx", true, "expression");
  addCase("x_1 + x_2", "x_2 + x_1", true, "expression");
  addCase("x_1 + x_2", "x_1 + x_3", false, "expression");
  addCase("\\frac{x}{2}", "0.5x", true, "expression");
  addCase("\\sqrt[3]{x}", "x^{1/3}", true, "expression");
  addCase("\\sqrt[3]{x}", "x^{1/2}", false, "expression");
  addCase("2\\pi r", "2r\\pi", true, "expression");
  addCase("\\frac{n(n+1)}{2}", "\\binom{n+1}{2}", true, "expression");
  addCase("y = 2x + 3", "y=3+2x", true, "equation");
  addCase("y = 2x + 3", "2x - y + 3 = 0", true, "equation");
  addCase("y = 2x + 3", "y = 2x - 3", false, "equation");
  addCase("y = -2x", "2x + y = 0", true, "equation");
  addCase("y = -2x", "y = 2x", false, "equation");
  addCase("5x - 7y + 11z + 4 = 0", "-5x + 7y - 11z - 4 = 0", true, "equation");
  addCase("5x - 7y + 11z + 4 = 0", "10x - 14y + 22z + 8 = 0", true, "equation");
  addCase("5x - 7y + 11z + 4 = 0", "5x - 7y + 11z - 4 = 0", false, "equation");
  addCase("x^2 + y^2 = 4", "y^2 = 4 - x^2", true, "equation");
  addCase("x^2 + y^2 = 4", "x^2 + y^2 = 2", false, "equation");
  addCase("y = 2x + 3", "3 + 2x", true, "expression");
  addCase("2x + 3", "y = 2x + 4", false, "expression");
  addCase("2 + 2 = 4", "4 = 2 + 2", true, "equation");
  addCase("2 + 2 = 5", "1 + 3 = 4", false, "equation");
  addCase("x = x", "y = y", false, "equation");
  addCase("x^2 - 5x + 6 = 0", "(x-2)(x-3) = 0", true, "equation");
  addCase("x^2 - 5x + 6 = 0", "(x-2)(x+3) = 0", false, "equation");
}

}  // namespace astro::math::test
