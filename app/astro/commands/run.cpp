// `astro run CONFIG`: the headless worker. Creates a pipeline run from a TOML config
// (docs/pipeline.md), prints "run <ID>" as its first stdout line, then runs the stages, printing
// every event: JSON lines when stdout is not a terminal (the stream `astro events` replays), short
// text lines when it is; a progress bar with ETA goes to stderr when that is a terminal.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "app/astro/command_registry.h"
#include "app/astro/mirror_console.h"
#include "app/astro/worker_session.h"
#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/pipeline/pipeline_config.h"
#include "core/pipeline/stop_signals.h"
#include "core/pipeline/worker.h"
#include "core/remote/remote_launch.h"
#include "core/store/workspace.h"

namespace {

struct RunCommandOptions {
  std::filesystem::path config;
  std::string name;
  std::filesystem::path baseDir;  // empty: the config's folder
  std::string on;                 // a host profile: run there, mirror here
  bool createOnly = false;
  bool noFollow = false;
  astro::cli::WorkerSessionOptions session;
};

// `--on HOST`: launch there (remote_launch.h), print "run <ID>" (the local mirror's id), then
// follow the run into this workspace unless --no-follow.
void runOnHost(const RunCommandOptions& options) {
  astro::remote::HostRegistry registry;
  astro::remote::HostProfile profile = registry.get(options.on);
  auto workspace = astro::store::Workspace::open(astro::cli::globalOptions().resolvedWorkspace());
  auto launched = astro::remote::launchRemoteRun(
      workspace, profile, registry,
      {.config = options.config,
       .baseDir = options.baseDir,
       .name = options.name,
       .progress = [](const std::string& line) { std::cerr << line << std::endl; }});
  astro::pipeline::ConsoleOutput console(stdout, stderr,
                                         astro::cli::consoleFormat(options.session.format),
                                         !options.session.noProgress && ::isatty(STDERR_FILENO));
  console.printLine("run " + std::to_string(launched.localRunId));
  for (const auto& event : workspace.events().replay(launched.localRunId)) console.print(event);
  if (options.noFollow) {
    std::cerr << "run " << launched.localRunId << " runs on " << profile.name << " as run "
              << launched.remoteRunId << "; follow it with `astro remote mirror "
              << launched.localRunId << "`" << std::endl;
    return;
  }
  astro::cli::followMirrorOnConsole(workspace, launched.localRunId, console);
}

void runPipeline(const RunCommandOptions& options) {
  if (!options.on.empty()) {
    if (options.createOnly) throw astro::UsageError("--create-only and --on do not go together");
    runOnHost(options);
    return;
  }
  astro::pipeline::PipelineConfig config =
      options.baseDir.empty() ? astro::pipeline::loadPipelineConfig(options.config)
                              : astro::pipeline::parsePipelineConfig(
                                    astro::readFile(options.config), options.config.string(),
                                    std::filesystem::absolute(options.baseDir));
  if (!options.name.empty()) {
    astro::pipeline::validateRunName(options.name);
    config.name = options.name;
  }
  auto workspace = astro::store::Workspace::open(astro::cli::globalOptions().resolvedWorkspace());
  // With --base-dir the config is recorded as if it lay there: resume resolves its relative paths
  // against the recorded file's folder.
  std::filesystem::path recorded =
      options.baseDir.empty()
          ? options.config
          : std::filesystem::absolute(options.baseDir) / options.config.filename();
  std::int64_t runId = astro::pipeline::createRun(workspace, config, recorded);
  if (options.createOnly) {
    std::printf("run %lld\n", static_cast<long long>(runId));
    return;
  }
  astro::cli::runWorkerSession(workspace, runId, config.threads, options.session);
}

const astro::cli::CommandRegistration kRun{
    "10-run", [](CLI::App& root) {
      auto options = std::make_shared<RunCommandOptions>();
      CLI::App* command = root.add_subcommand(
          "run",
          "Run a pipeline config (TOML: pretrain-base, search, linearize, sft, rl, evaluate,\n"
          "analyze) as a new run of the workspace. The first stdout line is \"run <ID>\"; then "
          "one\n"
          "event per line. SIGTERM or Ctrl-C checkpoints and stops; `astro resume ID` continues.");
      command->add_option("CONFIG", options->config, "Pipeline config (resources/pipelines/*.toml)")
          ->required()
          ->check(CLI::ExistingFile);
      command->add_option("--name", options->name,
                          "Run name (default: [run] name or the file stem)");
      command
          ->add_option("--base-dir", options->baseDir,
                       "Folder the config's relative paths resolve against (default: the "
                       "config's folder; the studio passes its preset's folder)")
          ->check(CLI::ExistingDirectory);
      command->add_option("--on", options->on,
                          "Run on a host profile (astro hosts list): inputs are sent there, the "
                          "worker starts detached, and the run is mirrored into this workspace");
      command->add_flag("--no-follow", options->noFollow,
                        "With --on: return after the launch (astro remote mirror RUN follows)");
      command->add_flag("--create-only", options->createOnly,
                        "Create the run, print \"run <ID>\" and exit (astro resume ID runs it)");
      astro::cli::addWorkerSessionOptions(*command, options->session);
      command->callback([options] { runPipeline(*options); });
    }};

}  // namespace
