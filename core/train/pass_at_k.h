// pass@k estimation from n samples of which c are correct (the unbiased estimator of Chen et al.
// 2021: 1 - C(n-c, k) / C(n, k)), computed as a stable product.
#pragma once

namespace astro::train {

// Throws UsageError unless 0 <= c <= n and 1 <= k <= n.
double passAtK(int samples, int correct, int k);

}  // namespace astro::train
