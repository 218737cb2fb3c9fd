// What `astro run` and `astro resume` share: the output format flags, the console that prints
// events, signal handling, torch threads, and turning the worker's outcome into an exit status.
// (Header-only: app/CMakeLists.txt builds every commands/*.cpp and nothing else needs listing.)
#pragma once

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "app/astro/command_registry.h"
#include "app/astro/run_ranks.h"
#include "core/base/error.h"
#include "core/model/runtime.h"
#include "core/pipeline/console_output.h"
#include "core/pipeline/stop_signals.h"
#include "core/pipeline/worker.h"
#include "core/store/workspace.h"

namespace astro::cli {

struct WorkerSessionOptions {
  std::string format = "auto";  // auto: text on a terminal, JSON lines otherwise
  int threads = -1;             // -1: the config's [run] threads
  bool noProgress = false;
  int nproc = 1;  // data-parallel ranks on this machine (run_ranks.h)
};

// --format json|text|auto: auto is text on a terminal, JSON lines otherwise.
inline pipeline::ConsoleFormat consoleFormat(const std::string& format) {
  bool json = format == "json" || (format == "auto" && !::isatty(STDOUT_FILENO));
  return json ? pipeline::ConsoleFormat::kJson : pipeline::ConsoleFormat::kText;
}

inline void addWorkerSessionOptions(CLI::App& command, WorkerSessionOptions& options) {
  command
      .add_option("--format", options.format,
                  "Event output: json (one JSON object per line), text, or auto (text when "
                  "stdout is a terminal)")
      ->check(CLI::IsMember({"auto", "json", "text"}))
      ->capture_default_str();
  command.add_option("--threads", options.threads, "Torch threads (default: the config's)")
      ->check(CLI::Range(0, 4096));
  command.add_flag("--no-progress", options.noProgress, "No progress bar on stderr");
  command
      .add_option("--nproc", options.nproc,
                  "Data-parallel ranks on this machine: pretrain-base, search, sft, rl and\n"
                  "evaluate split their work over N processes (cores / N threads each); under srun\n"
                  "or torchrun run `astro resume ID` on every rank instead")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
}

// Prints "run <ID>", runs the worker with stop signals installed, and throws astro::Error (exit
// status 1) unless the run finished.
inline void runWorkerSession(store::Workspace& workspace, std::int64_t runId, int configThreads,
                             const WorkerSessionOptions& options) {
  if (options.nproc > 1) {
    ::fflush(stdout);
    launchRunRanks(workspace, runId, options.nproc, options.format);
    return;
  }
  if (followRankZero(workspace, runId)) return;
  pipeline::ConsoleOutput console(
      stdout, stderr, consoleFormat(options.format),
      !options.noProgress && ::isatty(STDERR_FILENO));
  console.printLine("run " + std::to_string(runId));
  const std::atomic<bool>& stop = pipeline::installStopSignalHandlers();
  int threads = options.threads >= 0 ? options.threads : configThreads;
  // A launcher that split the cores among the ranks (--nproc) set ASTRO_THREADS: keep its share.
  if (std::getenv("ASTRO_THREADS") != nullptr && std::getenv("WORLD_SIZE") != nullptr) threads = 0;
  // The trainers call initTorchRuntime() again, which reads ASTRO_THREADS: export the choice so
  // it holds for every stage.
  if (threads > 0) ::setenv("ASTRO_THREADS", std::to_string(threads).c_str(), 1);
  model::initTorchRuntime(threads);
  pipeline::WorkerOptions worker{.sink = [&](const store::Event& event) { console.print(event); },
                                 .stop = &stop};
  pipeline::WorkerResult result = pipeline::runWorker(workspace, runId, worker);
  std::string run = "run " + std::to_string(runId);
  switch (result.outcome) {
    case pipeline::WorkerOutcome::kFinished:
      if (!result.message.empty()) console.printLine(result.message);
      return;
    case pipeline::WorkerOutcome::kInterrupted:
      throw Error(run + " interrupted; " + result.message);
    case pipeline::WorkerOutcome::kCancelled:
      throw Error(run + " cancelled; " + result.message);
    case pipeline::WorkerOutcome::kFailed:
      throw Error(run + " failed: " + result.message + " (fix it, then `astro resume " +
                  std::to_string(runId) + "` retries the stage)");
  }
}

}  // namespace astro::cli
