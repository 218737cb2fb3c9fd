// The log/progress dock (event_log_panel.h).
#include "gui/workspace/event_log_panel.h"

#include <QLabel>
#include <QListView>
#include <QProgressBar>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

#include "gui/common/error_label.h"
#include "gui/workspace/event_log_model.h"
#include "gui/workspace/run_progress_bar.h"

namespace astro::gui {

EventLogPanel::EventLogPanel(QWidget* parent) : QWidget(parent) {
  setObjectName("eventLogPanel");
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  progress_ = new QProgressBar(this);
  progress_->setObjectName("logProgress");
  showRunProgress(progress_, {});
  error_ = createErrorLabel(this, "eventLogError");
  model_ = new EventLogModel(this);
  view_ = new QListView(this);
  view_->setObjectName("eventLog");
  view_->setModel(model_);
  view_->setUniformItemSizes(true);  // thousands of rows stay cheap to lay out
  view_->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
  view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  view_->setFont(QFont(QStringLiteral("monospace")));
  layout->addWidget(progress_);
  layout->addWidget(error_);
  layout->addWidget(view_, 1);
  timer_ = new QTimer(this);
  timer_->setInterval(1000);
  connect(timer_, &QTimer::timeout, model_, &EventLogModel::pollNewer);

  connect(model_, &EventLogModel::progressChanged, this,
          [this] { showRunProgress(progress_, model_->progress()); });
  connect(model_, &EventLogModel::readErrorChanged, this, [this](const QString& message) {
    setErrorText(error_,
                 message.isEmpty() ? QString() : tr("Cannot read the event log: %1").arg(message));
  });
  connect(model_, &QAbstractItemModel::rowsAboutToBeInserted, this,
          [this](const QModelIndex&, int first) {
            const QScrollBar* bar = view_->verticalScrollBar();
            followTail_ = first > 0 ? bar->value() >= bar->maximum() : followTail_;
            QModelIndex top = view_->indexAt(QPoint(1, 1));
            keepSeq_ =
                first == 0 && top.isValid() ? top.data(EventLogModel::kSeqRole).toLongLong() : 0;
          });
  connect(model_, &EventLogModel::newerAppended, this, [this](int count) {
    if (followTail_) view_->scrollToBottom();
    Q_EMIT eventsArrived(count);
  });
  connect(model_, &EventLogModel::olderPrepended, this, [this] {
    // The rows above were inserted: the row that was on top stays on top.
    if (keepSeq_ > 0) {
      view_->scrollTo(model_->index(static_cast<int>(keepSeq_ - model_->firstSeq())),
                      QAbstractItemView::PositionAtTop);
    }
    fetchOlderAtTop();  // a short page may leave the list at its top still
  });
  connect(view_->verticalScrollBar(), &QScrollBar::valueChanged, this,
          &EventLogPanel::fetchOlderAtTop);
}

void EventLogPanel::fetchOlderAtTop() {
  const QScrollBar* bar = view_->verticalScrollBar();
  if (bar->maximum() > 0 && bar->value() == bar->minimum()) model_->fetchOlder();
}

void EventLogPanel::setWorkspace(std::filesystem::path folder) {
  model_->setWorkspace(std::move(folder));
  timer_->stop();
}

void EventLogPanel::setPollInterval(int milliseconds) { timer_->setInterval(milliseconds); }

std::int64_t EventLogPanel::runId() const { return model_->runId(); }

std::int64_t EventLogPanel::lastSeq() const { return model_->lastSeq(); }

QString EventLogPanel::text() const { return model_->text(); }

QString EventLogPanel::progressText() const { return progress_->text(); }

QString EventLogPanel::errorText() const { return error_->text(); }

void EventLogPanel::showRun(std::int64_t runId) {
  if (runId == model_->runId() && runId != 0) return;
  followTail_ = true;
  model_->setRun(runId);
  if (runId == 0) {
    timer_->stop();
  } else {
    timer_->start();
  }
}

}  // namespace astro::gui
