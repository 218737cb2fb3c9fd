// The run progress bar's text and range (run_progress_bar.h).
#include "gui/workspace/run_progress_bar.h"

#include <QObject>
#include <QProgressBar>
#include <QStringList>
#include <algorithm>

namespace astro::gui {
namespace {

QString escaped(QString text) { return text.replace(QLatin1Char('%'), QStringLiteral("%%")); }

QString stageText(const RunProgressState& state) {
  if (state.stage.isEmpty()) return {};
  QString stage = escaped(state.stage);
  return state.position > 0 && state.stageCount > 0
             ? QObject::tr("stage %1/%2 %3").arg(state.position).arg(state.stageCount).arg(stage)
             : QObject::tr("stage %1").arg(stage);
}

}  // namespace

QString runProgressFormat(const RunProgressState& state) {
  if (state.status == QLatin1String("finished")) return QObject::tr("finished");
  if (state.status == QLatin1String("failed")) {
    QString error = escaped(state.error.simplified());
    if (error.size() > 160) error = error.left(157) + QStringLiteral("…");
    return error.isEmpty() ? QObject::tr("failed") : QObject::tr("failed: %1").arg(error);
  }
  // Running: "stage 2/4 sft: 40 / 100"; interrupted, cancelled, pending: "interrupted at stage…".
  QStringList parts;
  bool running = state.status.isEmpty() || state.status == QLatin1String("running");
  QString stage = stageText(state);
  if (!running) {
    parts << (stage.isEmpty() ? escaped(state.status)
                              : QObject::tr("%1 at %2").arg(escaped(state.status), stage));
  } else if (!stage.isEmpty()) {
    parts << stage;
  }
  if (state.total > 0) parts << QStringLiteral("%v / %m");
  // Nothing else known: "running" before its first stage, "" without a run.
  return parts.isEmpty() ? escaped(state.status) : parts.join(QStringLiteral(": "));
}

void showRunProgress(QProgressBar* bar, const RunProgressState& state) {
  // QProgressBar holds ints; totals past 2^30 are shown in proportion.
  int total = static_cast<int>(std::clamp<std::int64_t>(state.total, 1, 1 << 30));
  int done = static_cast<int>(std::clamp<std::int64_t>(state.done, 0, total));
  if (state.status == QLatin1String("finished")) done = total;
  bar->setRange(0, total);
  bar->setValue(done);
  bar->setFormat(runProgressFormat(state));
  bar->setToolTip(state.error);
}

}  // namespace astro::gui
