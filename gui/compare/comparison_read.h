// The Compare view's read: the runs' comparison (core/analysis/run_comparison.h) from the
// workspace opened read-only on a worker thread, with any error as text instead of a throw.
#pragma once

#include <QString>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/analysis/run_comparison.h"

namespace astro::gui {

struct ComparisonRead {
  analysis::RunComparison comparison;
  QString error;  // the workspace or a run could not be read: nothing in `comparison` is shown
};

ComparisonRead readComparison(const std::filesystem::path& folder,
                              const std::vector<std::int64_t>& runIds,
                              const std::atomic<bool>& cancel);

}  // namespace astro::gui
