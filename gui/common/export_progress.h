// A file export run on the pool with its progress and a Cancel button in the view's status line
// (hotspot's JobTracker underneath): the render and the write never block the GUI thread, a
// newer export or Cancel supersedes the running one, and an export cancelled before its write
// writes nothing. Graphviz reports no progress while it lays out, so the bar is a busy one.
#pragma once

#include <QString>
#include <QWidget>
#include <atomic>
#include <functional>
#include <string>

#include "gui/common/job_tracker.h"

class QLabel;
class QProgressBar;
class QPushButton;

namespace astro::gui {

class ExportProgress : public QWidget {
  Q_OBJECT
 public:
  // Returns the file's bytes; runs on a pool thread and may poll `cancel`.
  using Render = std::function<std::string(const std::atomic<bool>& cancel)>;

  explicit ExportProgress(QWidget* parent = nullptr);

  // Renders and writes `path` (atomically) on the pool; `what` names it ("tree as SVG").
  void start(const QString& what, const QString& path, Render render);
  void cancel();
  bool isRunning() const { return jobs_.isRunning(); }

 Q_SIGNALS:
  // Once per export: `error` empty when written, else why not ("cancelled" included).
  void finished(const QString& path, const QString& error);

 private:
  QLabel* label_ = nullptr;
  QProgressBar* bar_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QString path_;
  JobTracker jobs_{this};
};

}  // namespace astro::gui
