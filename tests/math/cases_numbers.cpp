// Numbers: integers, decimals, fractions, mixed numbers, scientific notation, exact rationals,
// irrationals by tight evaluation, complex numbers.
#include "tests/math/equivalence_cases.h"

namespace astro::math::test {

void addNumberCases() {
  addCase("42", "42", true, "exact");
  addCase("42", "43", false, "rational");
  addCase("-3", "-3.0", true, "rational");
  addCase("-3", "3", false, "rational");
  addCase("0.5", "\\frac{1}{2}", true, "rational");
  addCase("\\frac{1}{2}", "1/2", true, "rational");
  addCase("\\frac{1}{2}", "2/4", true, "rational");
  addCase("\\frac{1}{2}", "\\frac{1}{3}", false, "rational");
  addCase("\\frac 34", "0.75", true, "rational");
  addCase("\\frac9{19}", "\\frac{9}{19}", true, "rational");
  addCase("\\frac{1}{3}", "0.333", false, "rational");
  addCase("\\frac{1}{3}", "0.3333333333", false, "rational");
  addCase("\\frac{2}{3}", "0.67", false, "rational");
  addCase(".0000672", "6.72\\times 10^{-5}", true, "rational");
  addCase(".0000672", "6.72e-5", true, "rational");
  addCase("1.2 \\times 10^{5}", "120000", true, "rational");
  addCase("1.2 \\times 10^{5}", "12000", false, "rational");
  addCase("3e2", "300", true, "rational");
  addCase("1\\frac{4}{5}", "\\frac{9}{5}", true, "rational");
  addCase("137 \\frac{1}{2}", "137.5", true, "rational");
  addCase("1\\frac{4}{5}", "\\frac{4}{5}", false, "rational");
  addCase("-\\frac{24}{25}", "-0.96", true, "rational");
  addCase("-\\frac{24}{25}", "\\frac{24}{25}", false, "rational");
  addCase("\\frac{-3}{8}", "-\\frac{3}{8}", true, "rational");
  addCase("2^{10}", "1024", true, "rational");
  addCase("2^{-2}", "\\frac14", true, "rational");
  addCase("5!", "120", true, "rational");
  addCase("\\binom{5}{2}", "10", true, "rational");
  addCase("\\dbinom{6}{3}", "21", false, "rational");
  addCase("1000000000000000000000000000001", "1000000000000000000000000000000", false,
          "rational");
  addCase("\\sqrt{2}", "2^{1/2}", true, "numeric");
  addCase("\\sqrt{2}", "1.414", false, "numeric");
  addCase("2\\sqrt{5}", "\\sqrt{20}", true, "numeric");
  addCase("2\\sqrt{5}", "\\sqrt{10}", false, "numeric");
  addCase("\\frac{\\sqrt{3}}{3}", "\\frac{1}{\\sqrt{3}}", true, "numeric");
  addCase("\\frac{3\\sqrt{3}}{4}", "\\frac{3}{4}\\sqrt3", true, "numeric");
  addCase("\\sqrt[3]{8}", "2", true, "numeric");
  addCase("\\sqrt[3]{-27}", "-3", true, "numeric");
  addCase("\\sqrt[3]{9}", "\\sqrt{3}", false, "numeric");
  addCase("11\\sqrt2", "\\sqrt{242}", true, "numeric");
  addCase("\\pi", "3.14", false, "numeric");
  addCase("\\pi", "3.141592653589793", true, "numeric");
  addCase("288 \\pi", "288\\pi", true, "exact");
  addCase("18+2\\pi", "2\\pi+18", true, "numeric");
  addCase("\\frac{20000}{\\pi}", "20000/\\pi", true, "numeric");
  addCase("-\\frac{\\pi}{6}", "\\frac{-\\pi}{6}", true, "numeric");
  addCase("-\\frac{\\pi}{6}", "\\frac{\\pi}{6}", false, "numeric");
  addCase("e^2", "e\\cdot e", true, "numeric");
  addCase("\\log_2 8", "3", true, "numeric");
  addCase("\\log_{3} 10", "\\frac{\\ln 10}{\\ln 3}", true, "numeric");
  addCase("\\ln 2", "0.69", false, "numeric");
  addCase("-2 + 7i", "7i - 2", true, "numeric");
  addCase("-2 + 7i", "-2 - 7i", false, "numeric");
  addCase("1 - 12i", "1-12i", true, "exact");
  addCase("\\sin \\frac{\\pi}{6}", "\\frac12", true, "numeric");
  addCase("\\cos^2 1 + \\sin^2 1", "1", true, "numeric");
  addCase("|-5|", "5", true, "numeric");
}

}  // namespace astro::math::test
