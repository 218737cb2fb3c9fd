// `astro run CONFIG`: the headless worker. Creates a pipeline run from a TOML config
// (docs/pipeline.md), prints "run <ID>" as its first stdout line, then runs the stages, printing
// every event: JSON lines when stdout is not a terminal (the stream `astro events` replays), short
// text lines when it is; a progress bar with ETA goes to stderr when that is a terminal.
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "app/astro/command_registry.h"
#include "app/astro/worker_session.h"
#include "core/base/error.h"
#include "core/pipeline/pipeline_config.h"
#include "core/pipeline/worker.h"
#include "core/store/workspace.h"

namespace {

struct RunCommandOptions {
  std::filesystem::path config;
  std::string name;
  astro::cli::WorkerSessionOptions session;
};

void runPipeline(const RunCommandOptions& options) {
  astro::pipeline::PipelineConfig config = astro::pipeline::loadPipelineConfig(options.config);
  if (!options.name.empty()) {
    astro::pipeline::validateRunName(options.name);
    config.name = options.name;
  }
  auto workspace = astro::store::Workspace::open(astro::cli::globalOptions().resolvedWorkspace());
  std::int64_t runId = astro::pipeline::createRun(workspace, config, options.config);
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
      astro::cli::addWorkerSessionOptions(*command, options->session);
      command->callback([options] { runPipeline(*options); });
    }};

}  // namespace
