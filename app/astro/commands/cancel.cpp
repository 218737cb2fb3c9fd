// `astro cancel RUN`: stops a run's worker from any process. It marks the run for cancellation
// (runs/<id>/cancel-requested), sends SIGTERM to the pid holding the run's worker lock, and waits
// for the worker to checkpoint and let go; a run no worker holds is marked cancelled directly.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "app/astro/command_registry.h"
#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/workspace_paths.h"
#include "core/pipeline/run_events.h"
#include "core/pipeline/run_layout.h"
#include "core/pipeline/worker_lock.h"
#include "core/remote/remote_launch.h"

namespace {

struct CancelOptions {
  std::int64_t runId = 0;
  double timeout = 600;
  bool wait = true;
};

void cancelRun(const CancelOptions& options) {
  auto folder = astro::cli::globalOptions().resolvedWorkspace();
  std::string run = "run " + std::to_string(options.runId);
  if (!std::filesystem::exists(astro::workspaceDatabasePath(folder))) {
    throw astro::Error("no " + run + " in workspace " + folder.string());
  }
  auto workspace = astro::store::Workspace::open(folder);
  astro::store::Run stored = workspace.runs().get(options.runId);
  if (workspace.remoteRuns().find(options.runId)) {
    std::cout << astro::remote::cancelRemoteRun(workspace, options.runId,
                                                astro::remote::HostRegistry());
    return;
  }
  if (stored.kind != astro::store::RunKind::kNative) {
    throw astro::Error(run + " is an imported run; there is nothing to cancel");
  }
  if (stored.status == astro::store::RunStatus::kFinished) {
    throw astro::Error(run + " already finished");
  }
  astro::pipeline::RunLayout layout(workspace.folder(), options.runId);
  std::filesystem::create_directories(layout.runFolder());
  astro::writeFileAtomically(layout.cancelFile(), "cancel\n");

  std::optional<pid_t> pid = astro::pipeline::lockHolder(layout.lockFile());
  if (!pid) {
    workspace.runs().updateStatus(options.runId, astro::store::RunStatus::kCancelled);
    astro::pipeline::RunEvents(workspace, options.runId)
        .log("cancelled while no worker ran", {{"status", "cancelled"}});
    std::cout << run << " was not running; marked cancelled\n";
    return;
  }
  if (*pid > 0 && ::kill(*pid, SIGTERM) != 0) {
    throw astro::IoError("process " + std::to_string(*pid), "signal", errno);
  }
  std::cout << "asked process " << *pid << " to stop " << run << std::endl;
  if (!options.wait) return;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(options.timeout);
  while (astro::pipeline::lockHolder(layout.lockFile())) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw astro::Error(run + " is still stopping after " + std::to_string(int(options.timeout)) +
                         " s (process " + std::to_string(*pid) + ")");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::cout << run << " " << astro::store::runStatusName(workspace.runs().get(options.runId).status)
            << "\n";
}

const astro::cli::CommandRegistration kCancel{
    "12-cancel", [](CLI::App& root) {
      auto options = std::make_shared<CancelOptions>();
      CLI::App* command = root.add_subcommand(
          "cancel",
          "Stop a pipeline run from any process: its worker checkpoints and exits, and the run is\n"
          "marked cancelled (`astro resume` can still continue it).");
      command->add_option("RUN", options->runId, "Run id (see astro runs list)")
          ->required()
          ->check(CLI::PositiveNumber);
      command->add_option("--timeout", options->timeout, "Seconds to wait for the worker to stop")
          ->check(CLI::Range(0.0, 1e6))
          ->capture_default_str();
      command->add_flag("!--no-wait", options->wait, "Return once the worker has been signalled");
      command->callback([options] { cancelRun(*options); });
    }};

}  // namespace
