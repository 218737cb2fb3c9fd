// The lower half of the Launch view: the followed run's progress (stage k/n, done/total, ETA; the
// bar says "finished" or "failed: ..." once it ended, run_progress_bar.h), its latest metrics and
// its log, all from a RunFollowModel.
#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QTableView;

namespace astro::gui {

class RunFollowModel;

class RunFollowPanel : public QWidget {
  Q_OBJECT
 public:
  explicit RunFollowPanel(RunFollowModel* model, QWidget* parent = nullptr);

  QString statusText() const;
  QString logText() const;

 private:
  void showState();

  RunFollowModel* model_ = nullptr;
  QLabel* status_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QTableView* metrics_ = nullptr;
  QPlainTextEdit* log_ = nullptr;
};

}  // namespace astro::gui
