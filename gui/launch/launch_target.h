// Where the Launch view starts pipeline runs: an interface, so that this machine, a remote host
// over ssh or a Slurm cluster are interchangeable. A target starts a worker that outlives the
// studio, cancels and resumes it, lists the runs still being worked on, and gives a follower of a
// run's event log from a seq on. Everything answers through signals; nothing blocks the caller.
#pragma once

#include <QObject>
#include <QString>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/store/event_log.h"

namespace astro::gui {

// A config to run: the TOML text as edited and the folder its relative paths resolve against
// (the preset's folder).
struct LaunchRequest {
  QString configText;
  QString baseDir;
  QString name;  // file stem for the copy the target keeps ("miniature-quick")
};

struct RunningRun {
  std::int64_t runId = 0;
  QString name;
};

// Follows one run's event log: eventsArrived carries each event once, in seq order, from the seq
// after `sinceSeq` on. It keeps following until destroyed; a resumed run's events keep coming.
class RunEventSource : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;
  ~RunEventSource() override;
  virtual std::int64_t runId() const = 0;
  virtual std::int64_t lastSeq() const = 0;

 Q_SIGNALS:
  void eventsArrived(const std::vector<astro::store::Event>& events);
  void readFailed(const QString& message);
};

class LaunchTarget : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;
  ~LaunchTarget() override;
  virtual QString description() const = 0;  // "this machine", "gpu-host-3", ...

  // Starts a detached worker on the request: started(runId, request) once it has created the run,
  // else startFailed(message, request).
  virtual void start(const LaunchRequest& request) = 0;
  // Asks the run's worker to checkpoint and stop / starts a worker that continues the run.
  // Failures (a finished run, a run already worked on) come back as commandFailed.
  virtual void cancel(std::int64_t runId) = 0;
  virtual void resume(std::int64_t runId) = 0;
  // runningFound(runs) with the runs whose status is running.
  virtual void findRunning() = 0;
  virtual std::unique_ptr<RunEventSource> follow(std::int64_t runId, std::int64_t sinceSeq) = 0;

 Q_SIGNALS:
  void started(std::int64_t runId, const astro::gui::LaunchRequest& request);
  void startFailed(const QString& message, const astro::gui::LaunchRequest& request);
  void commandFailed(const QString& message);
  void runningFound(const std::vector<astro::gui::RunningRun>& runs);
};

}  // namespace astro::gui
