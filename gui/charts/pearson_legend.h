// The Pearson statistics of a checkpoint chart in the figure's own words, as a reader of the
// paper would write them: "r = -0.71, 95% CI [-0.98, 0.64], n = 5"; "r = 0.50, n = 3 (a 95% CI
// needs n >= 4)"; and, where r does not exist, why: "r undefined (no variation in backtracks),
// n = 3".
#pragma once

#include <QString>
#include <vector>

namespace astro::gui {

// `xQuantity` and `yQuantity` name the variables for the degenerate cases ("backtracks",
// "accuracy"). xs and ys have the same length.
QString pearsonLegend(const std::vector<double>& xs, const std::vector<double>& ys,
                      const QString& xQuantity, const QString& yQuantity);

}  // namespace astro::gui
