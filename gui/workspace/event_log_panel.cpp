#include "gui/workspace/event_log_panel.h"

#include <QPlainTextEdit>
#include <QProgressBar>
#include <QTimer>
#include <QVBoxLayout>

#include "gui/workspace/workspace_data.h"

namespace astro::gui {

EventLogPanel::EventLogPanel(QWidget* parent) : QWidget(parent) {
  setObjectName("eventLogPanel");
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  progress_ = new QProgressBar(this);
  progress_->setFormat(tr("%v / %m"));
  progress_->setRange(0, 1);
  progress_->setValue(0);
  log_ = new QPlainTextEdit(this);
  log_->setObjectName("eventLog");
  log_->setReadOnly(true);
  log_->setMaximumBlockCount(20000);  // a long run's log stays cheap to show
  log_->setFont(QFont("monospace"));
  layout->addWidget(progress_);
  layout->addWidget(log_);
  timer_ = new QTimer(this);
  timer_->setInterval(1000);
  connect(timer_, &QTimer::timeout, this, &EventLogPanel::poll);
}

void EventLogPanel::setWorkspace(std::filesystem::path folder) {
  workspace_ = std::move(folder);
  showRun(0);
}

void EventLogPanel::setPollInterval(int milliseconds) { timer_->setInterval(milliseconds); }

QString EventLogPanel::text() const { return log_->toPlainText(); }

void EventLogPanel::showRun(std::int64_t runId) {
  if (runId == runId_ && runId != 0) return;
  jobs_.cancelCurrent();
  runId_ = runId;
  lastSeq_ = 0;
  log_->clear();
  progress_->setRange(0, 1);
  progress_->setValue(0);
  if (runId_ == 0) {
    timer_->stop();
    return;
  }
  timer_->start();
  poll();
}

void EventLogPanel::poll() {
  if (runId_ == 0 || jobs_.isRunning()) return;  // one read in flight at a time
  auto folder = workspace_;
  auto runId = runId_;
  auto since = lastSeq_;
  jobs_.start(
      [folder, runId, since](const std::atomic<bool>&) {
        return readEventsSince(folder, runId, since);
      },
      [this](EventBatch batch) {
        if (batch.runId != runId_) return;
        if (!batch.error.isEmpty()) {
          log_->appendPlainText(tr("error reading the event log: %1").arg(batch.error));
          return;
        }
        if (batch.events.empty()) return;
        QStringList lines;
        for (const auto& event : batch.events) {
          lines << formatEvent(event);
          if (event.kind == store::EventKind::kProgress && event.payload.contains("total")) {
            auto total = event.payload.value("total", 0);
            auto done = event.payload.value("done", 0);
            progress_->setRange(0, std::max(1, total));
            progress_->setValue(std::clamp(done, 0, std::max(1, total)));
          }
        }
        lastSeq_ = batch.events.back().seq;
        log_->appendPlainText(lines.join('\n'));
        Q_EMIT eventsArrived(static_cast<int>(batch.events.size()));
      });
}

}  // namespace astro::gui
