// How a progress bar shows a run: the current stage and its done/total while it runs, "finished"
// (full) once it finished, "failed: <last error>" when it failed; never a stale count of a stage
// that ended long ago. Shared by the log dock and the Launch view's follow panel.
#pragma once

#include <QString>
#include <cstdint>

class QProgressBar;

namespace astro::gui {

struct RunProgressState {
  QString status;  // a store::runStatusName: "running", "finished", "failed", ...; empty: unknown
  QString stage;
  int position = 0;  // 1-based position of `stage`; 0 when unknown
  int stageCount = 0;
  std::int64_t done = 0;
  std::int64_t total = 0;
  QString error;  // a failed run's last error
};

// The bar's text for `state` (QProgressBar format: %v and %m stand for done and total).
QString runProgressFormat(const RunProgressState& state);
void showRunProgress(QProgressBar* bar, const RunProgressState& state);

}  // namespace astro::gui
