// Follows a run's event log in a local workspace: a QTimer asks EventLog::replay(run, lastSeq) on a
// pool thread (one read in flight), so each poll reads only the new events; a full batch polls
// again at once, so a long log catches up quickly.
#pragma once

#include <QTimer>
#include <filesystem>

#include "gui/common/job_tracker.h"
#include "gui/launch/launch_target.h"

namespace astro::gui {

class LocalRunEventSource : public RunEventSource {
  Q_OBJECT
 public:
  LocalRunEventSource(std::filesystem::path workspace, std::int64_t runId, std::int64_t sinceSeq,
                      QObject* parent = nullptr);

  std::int64_t runId() const override { return runId_; }
  std::int64_t lastSeq() const override { return lastSeq_; }
  void setPollInterval(int milliseconds) { timer_->setInterval(milliseconds); }

 private:
  void poll();

  std::filesystem::path workspace_;
  std::int64_t runId_ = 0;
  std::int64_t lastSeq_ = 0;
  QTimer* timer_ = nullptr;
  JobTracker jobs_{this};
};

}  // namespace astro::gui
