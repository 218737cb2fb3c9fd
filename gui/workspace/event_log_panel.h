// The log/progress panel: the selected run's event log, polled by a QTimer and read on a worker
// thread with EventLog::replay(run, lastSeq), so each poll fetches only the new events.
#pragma once

#include <QWidget>
#include <cstdint>
#include <filesystem>

#include "gui/common/job_tracker.h"

class QPlainTextEdit;
class QProgressBar;
class QTimer;

namespace astro::gui {

class EventLogPanel : public QWidget {
  Q_OBJECT
 public:
  explicit EventLogPanel(QWidget* parent = nullptr);

  void setWorkspace(std::filesystem::path folder);
  void showRun(std::int64_t runId);  // 0: none
  std::int64_t runId() const { return runId_; }
  std::int64_t lastSeq() const { return lastSeq_; }
  QString text() const;
  void setPollInterval(int milliseconds);

 Q_SIGNALS:
  void eventsArrived(int count);

 private:
  void poll();

  std::filesystem::path workspace_;
  std::int64_t runId_ = 0;
  std::int64_t lastSeq_ = 0;
  QPlainTextEdit* log_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QTimer* timer_ = nullptr;
  JobTracker jobs_{this};
};

}  // namespace astro::gui
