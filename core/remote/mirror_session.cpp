// The mirror's follow loop (mirror_session.h).
#include "core/remote/mirror_session.h"

#include <thread>

#include "core/base/error.h"
#include "core/pipeline/run_layout.h"
#include "core/pipeline/worker_lock.h"
#include "core/remote/mirror_apply.h"
#include "core/remote/remote_launch.h"
#include "core/remote/slurm_state.h"
#include "core/remote/ssh_errors.h"

namespace astro::remote {

namespace {

bool stopped(const MirrorSessionOptions& options) {
  return options.stop && options.stop->load();
}

void sleepUnlessStopped(std::chrono::milliseconds total, const MirrorSessionOptions& options) {
  auto end = std::chrono::steady_clock::now() + total;
  while (!stopped(options) && std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

std::vector<std::string> exportArgv(const RemoteRunHandle& handle, const store::MirrorCursor& cursor,
                                    bool follow) {
  std::vector<std::string> argv = {handle.profile.astro, "--workspace", handle.profile.workspace,
                                   "remote", "export", std::to_string(handle.run.remoteRunId),
                                   "--since-seq", std::to_string(cursor.seq),
                                   "--since-tree", std::to_string(cursor.tree),
                                   "--since-sample", std::to_string(cursor.sample)};
  if (follow) argv.push_back("--follow");
  return argv;
}

// The Slurm job's state, stored; true when the job has ended for good.
bool refreshSlurm(store::Workspace& local, RemoteRunHandle& handle,
                  const MirrorSessionOptions& options, std::string& lastState) {
  if (handle.run.kind != "slurm" || handle.run.slurmJobId.empty()) return true;
  SlurmJobStatus status = querySlurmJob(*handle.shell, handle.run.slurmJobId);
  std::string state = slurmJobStateName(status.state);
  local.remoteRuns().setSlurmJob(handle.run.runId, handle.run.slurmJobId, state, status.reason);
  if (state + status.reason != lastState && options.onNotice) {
    options.onNotice("Slurm job " + handle.run.slurmJobId + ": " + state +
                     (status.reason.empty() || status.reason == "None" ? "" : " (" + status.reason + ")"));
  }
  lastState = state + status.reason;
  return status.finished();
}

}  // namespace

MirrorSessionResult followMirroredRun(store::Workspace& local, std::int64_t localRunId,
                                      const HostRegistry& registry,
                                      const MirrorSessionOptions& options) {
  pipeline::RunLayout layout(local.folder(), localRunId);
  pipeline::WorkerLock lock = pipeline::WorkerLock::acquire(
      layout.runFolder() / "mirror.lock", "the mirror of run " + std::to_string(localRunId));
  RemoteRunHandle handle = openRemoteRun(local, localRunId, registry);
  MirrorApplier applier(local, localRunId);
  MirrorSessionResult result;
  std::string slurmState;
  bool announced = false;
  // The first retry after a link that was working goes at once (a dropped connection is the
  // common case and the host is usually still there); then 1 s, doubling up to maxBackoff.
  std::chrono::seconds backoff{0};
  auto nextBackoff = [&] {
    backoff = std::min(std::max(backoff * 2, std::chrono::seconds(1)), options.maxBackoff);
  };
  while (!stopped(options)) {
    // Slurm first: a job that is still pending has nothing to export, and one that ended is the
    // sign that the next round is the last.
    bool jobOver = true;
    try {
      jobOver = refreshSlurm(local, handle, options, slurmState);
    } catch (const RemoteError& error) {
      local.remoteRuns().setContact(localRunId, error.what());
      if (options.onNotice) options.onNotice(std::string(error.what()) + "; retrying");
      if (!options.follow) throw;
      sleepUnlessStopped(backoff, options);
      nextBackoff();
      continue;
    }
    bool follow = options.follow && (handle.run.kind == "ssh" || !jobOver);
    if (options.onNotice && (follow || result.reconnects > 0) && !announced) {
      options.onNotice("following run " + std::to_string(handle.run.remoteRunId) + " on " +
                       handle.shell->where() + " from event " +
                       std::to_string(applier.cursor().seq + 1));
      announced = true;
    }
    applier.beginStream();
    std::unique_ptr<ProcessStream> stream =
        handle.shell->stream(exportArgv(handle, applier.cursor(), follow));
    bool stalled = false;
    bool progressed = false;
    try {
      while (auto line = stream->readLine(options.stallTimeout)) {
        for (const store::Event& event : applier.apply(*line)) {
          if (options.onEvent) options.onEvent(event);
        }
        progressed = true;
        if (stopped(options)) break;
      }
      stalled = stream->timedOut();
    } catch (...) {
      stream->kill();
      throw;
    }
    if (stalled || stopped(options)) stream->kill();
    ProcessResult finished = stream->finish();
    result.cursor = applier.cursor();
    if (applier.lastRun().is_object()) {
      result.status = applier.lastRun().value("status", result.status);
    }
    if (stopped(options)) break;
    // The link failed when ssh says so, when nothing came for too long, or when the host's
    // export died by a signal (its session was killed) or stopped without its "end" record.
    bool linkFailed = stalled || isSshFailure(finished) || finished.exitCode >= 128 ||
                      (finished.exitCode == 0 && !applier.ended());
    if (!linkFailed && finished.exitCode != 0) {
      if (finished.exitCode == 126 || finished.exitCode == 127) {
        throw missingProgram(handle.shell->where(), handle.profile.astro, finished);
      }
      throw Error(handle.shell->where() + ": remote export of run " +
                  std::to_string(handle.run.remoteRunId) + " failed: " + finished.err.substr(0, 600));
    }
    if (linkFailed) {
      std::string why = stalled ? handle.shell->where() + ": nothing arrived for " +
                                      std::to_string(options.stallTimeout.count()) + " s"
                                : sshFailure(handle.shell->where(), finished).what();
      local.remoteRuns().setContact(localRunId, why);
      if (!options.follow ||
          (options.maxReconnects >= 0 && result.reconnects >= options.maxReconnects)) {
        throw RemoteError(RemoteFailure::kDropped, why);
      }
      ++result.reconnects;
      announced = false;
      if (progressed) backoff = std::chrono::seconds(0);
      if (options.onNotice) {
        options.onNotice(why + "; reconnecting in " + std::to_string(backoff.count()) +
                         " s from event " + std::to_string(applier.cursor().seq));
      }
      sleepUnlessStopped(backoff, options);
      nextBackoff();
      continue;
    }
    backoff = std::chrono::seconds(0);
    result.runOver = applier.runOver();
    if (!options.follow) break;
    if (result.runOver && jobOver) break;
    // A Slurm run between jobs (requeued, pending): wait for the next one.
    sleepUnlessStopped(options.slurmPoll, options);
  }
  return result;
}

}  // namespace astro::remote
