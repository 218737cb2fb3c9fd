// The regularized incomplete beta function and the Student t tail it gives: p-values of
// correlation coefficients without a statistics library (checked against scipy in
// tests/reference/statistics_reference.py).
#pragma once

namespace astro::analysis {

// I_x(a, b) for a, b > 0 and 0 <= x <= 1 (continued fraction, relative accuracy ~1e-14).
double regularizedIncompleteBeta(double a, double b, double x);

// Two-sided p-value P(|T| >= |t|) of Student's t distribution with `degreesOfFreedom` > 0.
double studentTTwoSidedP(double t, double degreesOfFreedom);

}  // namespace astro::analysis
