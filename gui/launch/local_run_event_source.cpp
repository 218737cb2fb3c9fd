#include "gui/launch/local_run_event_source.h"

#include "gui/workspace/workspace_data.h"

namespace astro::gui {

namespace {
constexpr std::int64_t kBatch = 2000;
}

LocalRunEventSource::LocalRunEventSource(std::filesystem::path workspace, std::int64_t runId,
                                         std::int64_t sinceSeq, QObject* parent)
    : RunEventSource(parent), workspace_(std::move(workspace)), runId_(runId), lastSeq_(sinceSeq) {
  timer_ = new QTimer(this);
  timer_->setInterval(500);
  connect(timer_, &QTimer::timeout, this, &LocalRunEventSource::poll);
  timer_->start();
  QTimer::singleShot(0, this, &LocalRunEventSource::poll);
}

void LocalRunEventSource::poll() {
  if (jobs_.isRunning()) return;  // one read in flight at a time
  auto folder = workspace_;
  auto runId = runId_;
  auto since = lastSeq_;
  jobs_.start(
      [folder, runId, since](const std::atomic<bool>&) {
        return readEventsSince(folder, runId, since, kBatch);
      },
      [this](EventBatch batch) {
        if (!batch.error.isEmpty()) {
          Q_EMIT readFailed(batch.error);
          return;
        }
        if (batch.events.empty()) return;
        lastSeq_ = batch.events.back().seq;
        bool full = static_cast<std::int64_t>(batch.events.size()) >= kBatch;
        Q_EMIT eventsArrived(batch.events);
        if (full) QTimer::singleShot(0, this, &LocalRunEventSource::poll);
      });
}

}  // namespace astro::gui
