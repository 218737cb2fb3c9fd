// `astro resume RUN`: continues a pipeline run where it stopped. Finished stages are skipped, an
// interrupted one resumes from its checkpoint, a failed one runs again; the run is refused when
// another worker holds it or a stage's recorded inputs changed. Output as `astro run`.
#include <iostream>
#include <memory>

#include "app/astro/command_registry.h"
#include "app/astro/mirror_console.h"
#include "app/astro/worker_session.h"
#include "core/base/workspace_paths.h"
#include "core/pipeline/worker.h"
#include "core/remote/remote_launch.h"

namespace {

struct ResumeOptions {
  std::int64_t runId = 0;
  bool noFollow = false;
  astro::cli::WorkerSessionOptions session;
};

void resumeRun(const ResumeOptions& options) {
  auto folder = astro::cli::globalOptions().resolvedWorkspace();
  if (!std::filesystem::exists(astro::workspaceDatabasePath(folder))) {
    throw astro::Error("no run " + std::to_string(options.runId) + " in workspace " +
                       folder.string());
  }
  auto workspace = astro::store::Workspace::open(folder);
  if (workspace.remoteRuns().find(options.runId)) {
    // A mirrored run continues on its host; this process then follows it like `astro run --on`.
    std::cerr << astro::remote::resumeRemoteRun(workspace, options.runId,
                                                astro::remote::HostRegistry());
    astro::pipeline::ConsoleOutput console(
        stdout, stderr, astro::cli::consoleFormat(options.session.format), false);
    console.printLine("run " + std::to_string(options.runId));
    if (options.noFollow) return;
    astro::cli::followMirrorOnConsole(workspace, options.runId, console);
    return;
  }
  auto config = astro::pipeline::storedRunConfig(workspace, options.runId);
  astro::cli::runWorkerSession(workspace, options.runId, config.threads, options.session);
}

const astro::cli::CommandRegistration kResume{
    "11-resume", [](CLI::App& root) {
      auto options = std::make_shared<ResumeOptions>();
      CLI::App* command = root.add_subcommand(
          "resume",
          "Continue a pipeline run after SIGTERM, a crash, a kill or a failed stage: finished\n"
          "stages are kept, the interrupted one resumes from its last checkpoint. The first "
          "stdout\n"
          "line is \"run <ID>\"; then the new events (seq numbers continue the run's log).");
      command->add_option("RUN", options->runId, "Run id (see astro runs list)")
          ->required()
          ->check(CLI::PositiveNumber);
      command->add_flag("--no-follow", options->noFollow,
                        "A mirrored run: return once its host has resumed it");
      astro::cli::addWorkerSessionOptions(*command, options->session);
      command->callback([options] { resumeRun(*options); });
    }};

}  // namespace
