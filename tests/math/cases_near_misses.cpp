// Near misses across every topic: answers one step away from the gold one (a sign, a bracket,
// a digit, a factor), all of which must be judged wrong.
#include "tests/math/equivalence_cases.h"

namespace astro::math::test {

void addNearMissCases() {
  addCase("10,\\!080", "10800", false, "rational");
  addCase("1{,}000", "100", false, "rational");
  addCase("2,125", "2,126", false, "rational");
  addCase("\\$32,\\!348", "\\$32,\\!384", false, "rational");
  addCase("5.4 \\text{ cents}", "54 cents", false, "rational");
  addCase("15\\mbox{ cm}^2", "15\\mbox{ cm}^3 + 1", false, "rational");
  addCase("106^\\circ", "107^\\circ", false, "rational");
  addCase("\\frac{270}7\\text{ degrees}", "\\frac{270}{8}", false, "rational");
  addCase("\\text{(A)}", "B", false, "choice");
  addCase("\\text{(C)}", "\\text{(D)}", false, "choice");
  addCase("\\text{Evelyn}", "Evelin", false, "text");
  addCase("\\text{ellipse}", "parabola", false, "text");
  addCase("-\\frac{35}{9}", "\\frac{35}{9}", false, "rational");
  addCase("-\\frac{3}{8}", "-\\frac{8}{3}", false, "rational");
  addCase("\\frac{448}{15625}", "\\frac{448}{15624}", false, "rational");
  addCase("\\frac{3840}{289}", "13.287", false, "rational");
  addCase("\\frac{1997}{2}", "998", false, "rational");
  addCase("1\\frac{4}{5}", "1.8001", false, "rational");
  addCase("\\sqrt{51}", "\\sqrt{50}", false, "numeric");
  addCase("\\sqrt{53}", "53", false, "numeric");
  addCase("2\\sqrt{113}", "\\sqrt{2\\cdot 113}", false, "numeric");
  addCase("11 \\sqrt{5} + 11", "11\\sqrt{5} - 11", false, "numeric");
  addCase("1+2\\sqrt{3}", "2+\\sqrt{3}", false, "numeric");
  addCase("16 \\sqrt{3}", "16\\sqrt{2}", false, "numeric");
  addCase("\\frac{\\sqrt{21}}{5}", "\\frac{\\sqrt{21}}{6}", false, "numeric");
  addCase("288 \\pi", "288", false, "numeric");
  addCase("-\\sqrt{3}", "\\sqrt{-3}", false, "numeric");
  addCase("6\\sqrt{2}", "8.485", false, "numeric");
  addCase("\\frac{\\pi}{4}", "45", false, "numeric");
  addCase("e", "2.718", false, "numeric");
  addCase("x^3+3x-6", "x^3+3x+6", false, "expression");
  addCase("15x - 80", "15x - 81", false, "expression");
  addCase("15x - 80", "15(x - 80)", false, "expression");
  addCase("8n^2 + 4n + 1", "8n^2 + 4n", false, "expression");
  addCase("\\frac{x+1}{x-1}", "\\frac{x-1}{x+1}", false, "expression");
  addCase("x^2", "2x", false, "expression");
  addCase("\\sin x", "\\cos x", false, "expression");
  addCase("\\ln x", "\\log x", false, "expression");
  addCase("a^2 - b^2", "(a-b)^2", false, "expression");
  addCase("y = 2x + 3", "x = 2y + 3", false, "equation");
  addCase("(1,-16,-4,43)", "(1,-16,-4)", false, "tuple");
  addCase("(15,-29)", "15, -29", false, "shape");
  addCase("\\left( 3, \\frac{\\pi}{2} \\right)", "(3, \\pi)", false, "tuple");
  addCase("(2,12) \\cup (12,102)", "(2,102)", false, "shape");
  addCase("(5,\\infty)", "(5,\\infty]", false, "interval");
  addCase("(-\\infty, 0]", "(-\\infty, 1]", false, "interval");
  addCase("3, 5, 7", "3, 5, 7, 9", false, "set");
  addCase("\\{1\\pm\\sqrt{5},-2\\}", "\\{1+\\sqrt{5},1-\\sqrt{5},2\\}", false, "set");
  addCase("\\begin{pmatrix} -7 \\\\ 16 \\\\ 5 \\end{pmatrix}",
          "\\begin{pmatrix} -7 \\\\ 16 \\\\ -5 \\end{pmatrix}", false, "matrix");
  addCase("\\begin{pmatrix} -18 \\\\ -49 \\\\ 96 \\end{pmatrix}",
          "\\begin{pmatrix} -18 \\\\ -49 \\end{pmatrix}", false, "matrix");
}

}  // namespace astro::math::test
