// Normalisation: sizing and spacing commands, \text{} and units, degrees, percent, dollars,
// thousands separators, trailing periods, "x = 5" against "5".
#include "tests/math/equivalence_cases.h"

namespace astro::math::test {

void addNormalizationCases() {
  addCase("\\left( 3, \\frac{\\pi}{2} \\right)", "(3,\\frac{\\pi}{2})", true, "exact");
  addCase("\\dfrac{17}{50}", "\\frac{17}{50}", true, "exact");
  addCase("\\tfrac{1}{2}", "\\frac12", true, "rational");
  addCase("\\displaystyle\\frac{3}{4}", "3/4", true, "rational");
  addCase("10,\\!080", "10080", true, "exact");
  addCase("1{,}000", "1000", true, "exact");
  addCase("11,\\! 111,\\! 111,\\! 100", "11111111100", true, "exact");
  addCase("2,125", "2125", true, "exact");
  addCase("1,450,000", "1450000", true, "exact");
  addCase("\\$32,\\!348", "32348", true, "exact");
  addCase("\\$18.90", "18.9", true, "rational");
  addCase("\\$18.90", "\\$18.19", false, "rational");
  addCase("5.4 \\text{ cents}", "5.4", true, "exact");
  addCase("15\\mbox{ cm}^2", "15", true, "exact");
  addCase("864 \\mbox{ inches}^2", "864 square inches", true, "exact");
  addCase("12", "12 dollars", true, "exact");
  addCase("\\frac{270}7\\text{ degrees}", "\\frac{270}{7}", true, "rational");
  addCase("90^\\circ", "90", true, "exact");
  addCase("30^{\\circ}", "30^\\circ", true, "exact");
  addCase("120^\\circ", "60^\\circ", false, "rational");
  addCase("10\\%", "10", true, "exact");
  addCase("25\\%", "25%", true, "exact");
  addCase("5", "5.", true, "exact");
  addCase("\\frac{1}{2}.", "0.5", true, "rational");
  addCase("025", "25", true, "rational");
  addCase("7", "007", true, "rational");
  addCase("5", "x = 5.0", true, "rational");
  addCase("x = 5", "5", true, "exact");
  addCase("5", "x = 6", false, "rational");
  addCase("\\text{(B)}", "B", true, "choice");
  addCase("\\text{(C)}", "C", true, "choice");
  addCase("\\text{(E)}", "\\textbf{(E)}", true, "exact");
  addCase("\\text{(B)}", "(D)", false, "choice");
  addCase("B", "(B) 12", true, "choice");
  addCase("\\text{(A)}", "A) 5", true, "choice");
  addCase("\\textbf{(B)}\\ 12", "B", true, "choice");
  addCase("\\textbf{(B)}\\ 12", "(C) 12", false, "choice");
  addCase("\\text{Evelyn}", "Evelyn", true, "exact");
  addCase("\\text{east}", "East", true, "text");
  addCase("\\text{even}", "odd", false, "text");
  addCase("\\text{Navin}", "\\text{Evelyn}", false, "text");
  addCase("$\\frac{3}{4}$", "\\frac{3}{4}", true, "exact");
  addCase("\\boxed{7}", "7", true, "exact");
  addCase("3\\sqrt{13}", "3 \\sqrt{13}", true, "exact");
  addCase("\\sqrt2", "\\sqrt{2}", true, "numeric");
  addCase("x^{2}", "x^2", true, "exact");
  addCase("4210_{5}", "4210_5", true, "exact");
  addCase("4210_{5}", "555", false, "expression");
  addCase("\\$5", "5 \\text{ dollars}", true, "exact");
  addCase("6\\,\\text{cm}", "6", true, "exact");
  addCase("2\\;\\text{hours}", "3", false, "rational");
}

}  // namespace astro::math::test
