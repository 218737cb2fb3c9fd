// The log/progress dock: the selected run's events in a list over EventLogModel, opened at the
// tail with older pages fetched as the list is scrolled to its top, and new events polled by a
// QTimer (the list follows them while it is scrolled to the bottom). The progress bar shows the
// run's current stage while it runs and "finished" or "failed: ..." once it ended; a failed read
// is shown above the list, where the events would be.
#pragma once

#include <QWidget>
#include <cstdint>
#include <filesystem>

class QLabel;
class QListView;
class QProgressBar;
class QTimer;

namespace astro::gui {

class EventLogModel;

class EventLogPanel : public QWidget {
  Q_OBJECT
 public:
  explicit EventLogPanel(QWidget* parent = nullptr);

  void setWorkspace(std::filesystem::path folder);
  void showRun(std::int64_t runId);  // 0: none
  std::int64_t runId() const;
  std::int64_t lastSeq() const;
  QString text() const;          // the lines held (the tail and what was scrolled up to)
  QString progressText() const;  // as the bar shows it
  QString errorText() const;
  EventLogModel* model() const { return model_; }
  QListView* view() const { return view_; }
  void setPollInterval(int milliseconds);

 Q_SIGNALS:
  void eventsArrived(int count);

 private:
  void fetchOlderAtTop();

  EventLogModel* model_ = nullptr;
  QListView* view_ = nullptr;
  QLabel* error_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QTimer* timer_ = nullptr;
  bool followTail_ = true;    // the list was at its bottom before new rows came
  std::int64_t keepSeq_ = 0;  // the top row's seq while an older page is inserted above it
};

}  // namespace astro::gui
