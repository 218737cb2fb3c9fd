#include "core/train/pass_at_k.h"

#include <string>

#include "core/base/error.h"

namespace astro::train {

double passAtK(int samples, int correct, int k) {
  if (samples < 1 || correct < 0 || correct > samples || k < 1 || k > samples) {
    throw UsageError("pass@k needs 0 <= correct <= samples and 1 <= k <= samples (got n=" +
                     std::to_string(samples) + ", c=" + std::to_string(correct) +
                     ", k=" + std::to_string(k) + ")");
  }
  if (samples - correct < k) return 1.0;
  // C(n-c, k) / C(n, k) = prod_{i=n-c+1}^{n} (1 - k / i)
  double allWrong = 1.0;
  for (int i = samples - correct + 1; i <= samples; ++i) allWrong *= 1.0 - double(k) / double(i);
  return 1.0 - allWrong;
}

}  // namespace astro::train
