// Structures: ordered tuples and points, intervals with their bracket kinds and infinities,
// unions, sets and unordered lists, \pm pairs, matrices and vectors.
#include "tests/math/equivalence_cases.h"

namespace astro::math::test {

void addStructureCases() {
  addCase("(15,-29)", "(15, -29)", true, "exact");
  addCase("(15,-29)", "(-29,15)", false, "tuple");
  addCase("(1,-16,-4,43)", "(1, -16, -4, 43)", true, "exact");
  addCase("(6,31,-1)", "(6,31,1)", false, "tuple");
  addCase("\\left( \\frac{3}{2}, -13 \\right)", "(1.5,-13)", true, "tuple");
  addCase("\\left( 3, \\frac{\\pi}{2} \\right)", "(3, \\pi/2)", true, "tuple");
  addCase("(1,2)", "(1,2,3)", false, "tuple");
  addCase("(-\\infty, 0]", "(-\\infty,0]", true, "exact");
  addCase("(-\\infty, 0]", "(-\\infty, 0)", false, "interval");
  addCase("(2,\\infty)", "(2, \\infty)", true, "exact");
  addCase("(2,\\infty)", "[2,\\infty)", false, "interval");
  addCase("(-\\sqrt{3}, \\sqrt{3})", "(-\\sqrt3,\\sqrt3)", true, "tuple");
  addCase("\\left(\\frac{3}{5},\\frac{8}{3}\\right]", "(0.6, \\frac{8}{3}]", true, "interval");
  addCase("\\left(\\frac{3}{5},\\frac{8}{3}\\right]", "(0.6, \\frac{8}{3})", false, "interval");
  addCase("\\left[ \\frac{\\pi^2}{8}, \\frac{5 \\pi^2}{4} \\right]",
          "[\\pi^2/8, 5\\pi^2/4]", true, "interval");
  addCase("x \\in [-2,7]", "[-2,7]", true, "interval");
  addCase("x \\in [-2,7]", "[-2,7)", false, "interval");
  addCase("(-\\infty, 2) \\cup (3, \\infty)", "(3,\\infty)\\cup(-\\infty,2)", true, "union");
  addCase("(-\\infty, 2) \\cup (3, \\infty)", "(-\\infty, 2] \\cup (3, \\infty)", false,
          "union");
  addCase("(0,9) \\cup (9,36)", "(0,36)", false, "shape");
  addCase("(2,12) \\cup (12,102)", "(2,12)\\cup(12,102)", true, "exact");
  addCase("3, 5, 7", "7, 5, 3", true, "set");
  addCase("3, 5, 7", "3, 5", false, "set");
  addCase("3, 5, 7", "3, 5, 8", false, "set");
  addCase("1,2,3", "3,2,1", true, "set");
  addCase("\\{1\\pm\\sqrt{5},-2\\}", "-2, 1+\\sqrt5, 1-\\sqrt5", true, "set");
  addCase("\\{1\\pm\\sqrt{5},-2\\}", "-2, 1+\\sqrt5", false, "set");
  addCase("\\{1, 2\\}", "\\{2, 1\\}", true, "set");
  addCase("\\{3\\}", "3.0", true, "rational");
  addCase("1 \\pm \\sqrt{19}", "1+\\sqrt{19}, 1-\\sqrt{19}", true, "set");
  addCase("1 \\pm \\sqrt{19}", "1+\\sqrt{19}", false, "shape");
  addCase("3 \\pm 2 \\sqrt{2}", "3 - 2\\sqrt2, 3+2\\sqrt2", true, "set");
  addCase("-1, 2", "x = -1, x = 2", true, "set");
  addCase("\\begin{pmatrix} -1 & 0 \\\\ 0 & -1 \\end{pmatrix}",
          "\\begin{bmatrix} -1 & 0 \\\\ 0 & -1 \\end{bmatrix}", true, "matrix");
  addCase("\\begin{pmatrix} -1 & 0 \\\\ 0 & -1 \\end{pmatrix}",
          "\\begin{pmatrix} -1 & 0 \\\\ 0 & 1 \\end{pmatrix}", false, "matrix");
  addCase("\\begin{pmatrix} 1/5 \\\\ -18/5 \\end{pmatrix}",
          "\\begin{pmatrix} 0.2 \\\\ -3.6 \\end{pmatrix}", true, "matrix");
  addCase("\\begin{pmatrix} 16/49 \\\\ 48/49 \\\\ 24/49 \\end{pmatrix}",
          "\\begin{pmatrix} \\frac{16}{49} \\\\ \\frac{48}{49} \\\\ \\frac{24}{49} \\end{pmatrix}",
          true, "matrix");
  addCase("\\begin{pmatrix} -2 \\\\ -14 \\\\ -7 \\end{pmatrix}",
          "\\begin{pmatrix} -2 & -14 & -7 \\end{pmatrix}", false, "matrix");
  addCase("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}",
          "\\begin{pmatrix} 1 & 3 \\\\ 2 & 4 \\end{pmatrix}", false, "matrix");
  addCase("\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "\\begin{pmatrix} 1 \\\\ 2 \\\\ \\end{pmatrix}",
          true, "matrix");
  addCase("(1,2)", "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", false, "shape");
}

}  // namespace astro::math::test
