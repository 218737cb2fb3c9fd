#!/usr/bin/python3
"""Reference values for tests/analysis/statistics_test.cpp, computed independently with numpy and
scipy (Debian python3-scipy 1.10.1, numpy 1.24.2). Run: /usr/bin/python3 statistics_reference.py
The printed numbers are hard-coded in the C++ test with this script named as their provenance."""
import numpy as np
from scipy import special, stats

BACKTRACKS = [0.8, 1.1, 1.6, 2.0, 2.3, 2.9]
ACCURACY = [0.52, 0.55, 0.61, 0.60, 0.66, 0.71]
TIES_X = [1, 2, 2, 3, 4, 4, 5]
TIES_Y = [2.0, 1.0, 3.5, 3.5, 5.0, 4.0, 6.0]
SAMPLE_BACKTRACKS = [0, 1, 3, 2, 0, 4, 1, 2, 5, 0, 3, 1]
SAMPLE_CORRECT = [0, 1, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1]
BETA_CASES = [(0.5, 0.5, 0.3), (2.0, 3.0, 0.4), (10.0, 0.5, 0.9), (2.0, 0.5, 0.999),
              (50.0, 40.0, 0.55), (0.1, 7.0, 0.01)]
T_CASES = [(2.5, 4), (0.3, 10), (-4.2, 3), (12.0, 30)]
QUANTILE_DATA = [3.0, 1.0, 4.0, 1.5, 9.0, 2.6, 5.0]


def show(name, value):
    print(f"{name} = {value:.17g}")


r = stats.pearsonr(BACKTRACKS, ACCURACY)
ci = r.confidence_interval(0.95)
show("pearson.r", r.statistic)
show("pearson.p", r.pvalue)
show("pearson.ciLow", ci.low)
show("pearson.ciHigh", ci.high)

s = stats.spearmanr(TIES_X, TIES_Y)
show("spearman_ties.rho", s.correlation)
show("spearman_ties.p", s.pvalue)
print("rankdata(TIES_X) =", stats.rankdata(TIES_X).tolist())
# Fisher interval of the Spearman coefficient (same formula as for Pearson, n = 7).
z = np.arctanh(s.correlation)
half = stats.norm.ppf(0.975) / np.sqrt(len(TIES_X) - 3)
show("spearman_ties.ciLow", np.tanh(z - half))
show("spearman_ties.ciHigh", np.tanh(z + half))

pb = stats.pointbiserialr(SAMPLE_CORRECT, SAMPLE_BACKTRACKS)
show("pointbiserial.r", pb.correlation)
show("pointbiserial.p", pb.pvalue)

for a, b, x in BETA_CASES:
    show(f"betainc({a}, {b}, {x})", special.betainc(a, b, x))
for t, df in T_CASES:
    show(f"t_two_sided_p({t}, {df})", 2 * stats.t.sf(abs(t), df))
for p in [0.975, 0.5, 0.001, 1e-10, 0.9999]:
    show(f"norm.ppf({p})", stats.norm.ppf(p))
for q in [0.025, 0.5, 0.975]:
    show(f"percentile({q})", np.percentile(QUANTILE_DATA, 100 * q))

# Detrended (partial) Pearson: residuals of x and y on the step by least squares, then the
# t test with n - 3 df and the Fisher interval with standard error 1 / sqrt(n - 4).
STEPS = [0, 1, 2, 3, 4, 5, 6, 7, 8]
TREND_BACKTRACKS = [0.10, 0.35, 0.30, 0.62, 0.55, 0.90, 0.82, 1.15, 1.10]
TREND_ACCURACY = [0.24, 0.22, 0.31, 0.29, 0.38, 0.35, 0.45, 0.41, 0.52]


def residual(values, trend):
    slope, intercept = np.polyfit(trend, values, 1)
    return np.asarray(values) - (slope * np.asarray(trend) + intercept)


n = len(STEPS)
rp = stats.pearsonr(residual(TREND_BACKTRACKS, STEPS), residual(TREND_ACCURACY, STEPS)).statistic
tp = rp * np.sqrt((n - 3) / (1 - rp * rp))
half = stats.norm.ppf(0.975) / np.sqrt(n - 4)
show("detrended.r", rp)
show("detrended.p", 2 * stats.t.sf(abs(tp), n - 3))
show("detrended.ciLow", np.tanh(np.arctanh(rp) - half))
show("detrended.ciHigh", np.tanh(np.arctanh(rp) + half))
show("raw_trend.r", stats.pearsonr(TREND_BACKTRACKS, TREND_ACCURACY).statistic)
