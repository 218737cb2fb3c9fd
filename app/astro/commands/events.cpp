// `astro events RUN [--since N] [--follow]`: a run's event log from seq N+1 on, one JSON line per
// event exactly as the worker printed it (or text with --format text). --follow keeps polling the
// store until no worker holds the run, so `ssh host astro events 3 --since 120 --follow`
// re-attaches to a remote worker without missing or repeating an event.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "app/astro/command_registry.h"
#include "core/base/error.h"
#include "core/base/workspace_paths.h"
#include "core/pipeline/console_output.h"
#include "core/pipeline/run_layout.h"
#include "core/pipeline/worker_lock.h"
#include "core/store/workspace.h"

namespace {

struct EventsOptions {
  std::int64_t runId = 0;
  std::int64_t since = 0;
  bool follow = false;
  std::string format = "json";
  double poll = 0.25;
};

void printEvents(const EventsOptions& options) {
  auto folder = astro::cli::globalOptions().resolvedWorkspace();
  std::string run = "run " + std::to_string(options.runId);
  if (!std::filesystem::exists(astro::workspaceDatabasePath(folder))) {
    throw astro::Error("no " + run + " in workspace " + folder.string());
  }
  auto workspace =
      astro::store::Workspace::open(folder, {.readOnly = true, .quickCheckMaxBytes = 0});
  workspace.runs().get(options.runId);  // "no run N in workspace ..."
  astro::pipeline::ConsoleOutput console(stdout, stderr,
                                         options.format == "text"
                                             ? astro::pipeline::ConsoleFormat::kText
                                             : astro::pipeline::ConsoleFormat::kJson,
                                         false);
  astro::pipeline::RunLayout layout(workspace.folder(), options.runId);
  std::int64_t since = options.since;
  auto drain = [&] {
    for (const auto& event : workspace.events().replay(options.runId, since, 1000)) {
      console.print(event);
      since = event.seq;
    }
  };
  auto notStartedSince = std::chrono::steady_clock::now();
  while (true) {
    // Whether a worker holds the run is read before draining: events it wrote before letting go
    // are then all in the store, and the last drain prints them.
    bool live = astro::pipeline::lockHolder(layout.lockFile()).has_value();
    std::int64_t before = since;
    drain();
    if (since != before) continue;  // more may be waiting past the 1000 just read
    if (!options.follow) return;
    if (!live) {
      auto status = workspace.runs().get(options.runId).status;
      // `astro run` creates the run a moment before its worker takes the lock.
      bool starting = status == astro::store::RunStatus::kPending &&
                      std::chrono::steady_clock::now() - notStartedSince < std::chrono::seconds(10);
      if (!starting) return;
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(options.poll));
  }
}

const astro::cli::CommandRegistration kEvents{
    "13-events", [](CLI::App& root) {
      auto options = std::make_shared<EventsOptions>();
      CLI::App* command = root.add_subcommand(
          "events",
          "Print a run's events after seq N as JSON lines ({run, seq, time, kind, payload}), the\n"
          "stream `astro run` prints; --follow waits for new ones until the worker stops.");
      command->add_option("RUN", options->runId, "Run id (see astro runs list)")
          ->required()
          ->check(CLI::PositiveNumber);
      command->add_option("--since", options->since, "Print events with seq > N")
          ->check(CLI::NonNegativeNumber)
          ->capture_default_str();
      command->add_flag("--follow,-f", options->follow,
                        "Keep printing new events while a worker runs");
      command->add_option("--format", options->format, "json or text")
          ->check(CLI::IsMember({"json", "text"}))
          ->capture_default_str();
      command->add_option("--poll", options->poll, "Seconds between polls with --follow")
          ->check(CLI::Range(0.01, 60.0))
          ->capture_default_str();
      command->callback([options] { printEvents(*options); });
    }};

}  // namespace
