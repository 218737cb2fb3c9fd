// Runs a job on the QtConcurrent pool and applies its result on the GUI thread only when no newer
// job was started since (hotspot's JobTracker): a superseded result is dropped, not applied.
// Each job gets a cancel flag that is raised when a newer job supersedes it.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>
#include <atomic>
#include <functional>
#include <memory>

namespace astro::gui {

class JobTracker {
 public:
  explicit JobTracker(QObject* context) : context_(context) {}
  ~JobTracker() { cancelCurrent(); }

  // `job(const std::atomic<bool>& cancel)` runs on a pool thread and returns a value;
  // `apply(value)` runs on the context's thread if this job is still the latest one.
  template <typename Job, typename Apply>
  void start(Job job, Apply apply) {
    using Result = std::invoke_result_t<Job, const std::atomic<bool>&>;
    cancelCurrent();
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    cancel_ = cancel;
    const quint64 id = ++latest_;
    auto* watcher = new QFutureWatcher<Result>(context_);
    QObject::connect(watcher, &QFutureWatcher<Result>::finished, context_,
                     [this, watcher, id, apply = std::move(apply)]() mutable {
                       watcher->deleteLater();
                       if (id != latest_) return;
                       running_ = false;
                       apply(watcher->result());
                     });
    running_ = true;
    watcher->setFuture(
        QtConcurrent::run([job = std::move(job), cancel]() mutable { return job(*cancel); }));
  }

  // Raises the running job's cancel flag and makes sure its result is never applied.
  void cancelCurrent() {
    if (cancel_) cancel_->store(true);
    cancel_.reset();
    ++latest_;
    running_ = false;
  }
  bool isRunning() const { return running_; }

 private:
  QPointer<QObject> context_;
  std::shared_ptr<std::atomic<bool>> cancel_;
  quint64 latest_ = 0;
  bool running_ = false;
};

}  // namespace astro::gui
