// `astro remote check|info|export|mirror`: reaching hosts and mirroring runs from them
// (core/remote, docs/remote.md). `info` and `export` are what this machine runs on a host
// through ssh; `check` and `mirror` are what a user types.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <thread>

#include "app/astro/command_registry.h"
#include "app/astro/mirror_console.h"
#include "core/base/error.h"
#include "core/base/workspace_paths.h"
#include "core/model/runtime.h"
#include "core/pipeline/console_output.h"
#include "core/pipeline/stop_signals.h"
#include "core/remote/mirror_export.h"
#include "core/remote/mirror_session.h"
#include "core/remote/remote_info.h"

namespace {

using nlohmann::json;

void checkRemote(const std::string& name, bool asJson) {
  astro::remote::HostRegistry registry;
  astro::remote::HostCheck check = astro::remote::checkHost(registry.get(name), registry);
  if (asJson) {
    std::cout << astro::remote::hostCheckJson(check).dump(2) << "\n";
  } else {
    std::cout << astro::remote::hostCheckText(check);
  }
  if (!check.ok()) {
    throw astro::Error(check.error.empty() ? "host " + name + " is not usable (see above)"
                                           : check.error);
  }
}

void printInfo() {
  astro::model::initTorchRuntime(1);
  auto info = astro::remote::collectHostInfo(astro::cli::globalOptions().resolvedWorkspace());
  std::cout << astro::remote::hostInfoJson(info).dump() << "\n";
}

struct ExportOptions {
  std::int64_t runId = 0;
  astro::store::MirrorCursor since;
  bool follow = false;
  double poll = 0.5;
  double heartbeat = 5;
};

void writeLine(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
}

void exportRun(const ExportOptions& options) {
  auto folder = astro::cli::globalOptions().resolvedWorkspace();
  if (!std::filesystem::exists(astro::workspaceDatabasePath(folder))) {
    throw astro::Error("no workspace at " + folder.string());
  }
  auto workspace = astro::store::Workspace::open(folder, {.readOnly = true});
  workspace.runs().get(options.runId);
  const std::atomic<bool>& stop = astro::pipeline::installStopSignalHandlers();
  astro::store::MirrorCursor cursor = options.since;
  std::string lastRunRecord;
  auto lastWritten = std::chrono::steady_clock::now();
  bool first = true;
  while (true) {
    std::vector<std::string> lines;
    auto result = astro::remote::exportRunChanges(
        workspace, options.runId, cursor, [&](const std::string& line) { lines.push_back(line); });
    cursor = result.cursor;
    // The run record is the second to last line: an idle round that changes nothing is left
    // out, except as a heartbeat every few seconds.
    std::string runRecord = lines.size() >= 2 ? lines[lines.size() - 2] : "";
    auto now = std::chrono::steady_clock::now();
    bool due = first || result.records > 0 || runRecord != lastRunRecord || result.runOver ||
               now - lastWritten > std::chrono::duration<double>(options.heartbeat);
    if (due) {
      for (const auto& line : lines) writeLine(line);
      std::fflush(stdout);
      lastWritten = now;
      lastRunRecord = runRecord;
    }
    first = false;
    if (!options.follow || result.runOver || stop.load()) {
      writeLine(json{{"type", "end"}, {"run_over", result.runOver}}.dump());
      std::fflush(stdout);
      return;
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(options.poll));
  }
}

struct MirrorOptions {
  std::int64_t runId = 0;
  bool once = false;
  std::string format = "auto";
};

void mirrorRun(const MirrorOptions& options) {
  auto workspace = astro::store::Workspace::open(astro::cli::globalOptions().resolvedWorkspace());
  astro::pipeline::ConsoleOutput console(stdout, stderr, astro::cli::consoleFormat(options.format),
                                         ::isatty(STDERR_FILENO));
  console.printLine("run " + std::to_string(options.runId));
  astro::cli::followMirrorOnConsole(workspace, options.runId, console, !options.once);
}

const astro::cli::CommandRegistration kRemote{
    "41-remote", [](CLI::App& root) {
      CLI::App& group = astro::cli::commandGroup(
          root, "remote", "Reach host profiles and mirror the runs that execute on them");

      auto check = std::make_shared<std::pair<std::string, bool>>();
      CLI::App* checkCommand = group.add_subcommand(
          "check",
          "Reach a host profile and report: reachable or why not (refused, unknown host, auth\n"
          "failed, timed out), astro version and store schema there against here, libtorch,\n"
          "CUDA, each GPU with its free memory, free disk in the remote workspace.");
      checkCommand->add_option("NAME", check->first, "Host profile")->required();
      checkCommand->add_flag("--json", check->second, "As JSON");
      checkCommand->callback([check] { checkRemote(check->first, check->second); });

      CLI::App* info = group.add_subcommand(
          "info", "This machine's report for `astro remote check` (JSON; run on a host)");
      auto jsonFlag = std::make_shared<bool>(true);
      info->add_flag("--json", *jsonFlag, "JSON (the only format)");
      info->callback(printInfo);

      auto exported = std::make_shared<ExportOptions>();
      CLI::App* exportCommand = group.add_subcommand(
          "export",
          "A run's changes after a cursor as mirror records (JSON lines; run on a host by the\n"
          "mirror). --follow keeps sending until no worker holds the run.");
      exportCommand->add_option("RUN", exported->runId, "Run id")->required()->check(CLI::PositiveNumber);
      exportCommand->add_option("--since-seq", exported->since.seq, "Events after this seq")
          ->check(CLI::NonNegativeNumber);
      exportCommand->add_option("--since-tree", exported->since.tree, "Trees after this id")
          ->check(CLI::NonNegativeNumber);
      exportCommand->add_option("--since-sample", exported->since.sample, "Samples after this id")
          ->check(CLI::NonNegativeNumber);
      exportCommand->add_flag("--follow", exported->follow, "Keep sending while the run is worked on");
      exportCommand->add_option("--poll", exported->poll, "Seconds between rounds")
          ->check(CLI::Range(0.01, 60.0))
          ->capture_default_str();
      exportCommand->callback([exported] { exportRun(*exported); });

      auto mirror = std::make_shared<MirrorOptions>();
      CLI::App* mirrorCommand = group.add_subcommand(
          "mirror",
          "Mirror a remote run into this workspace from the last event it holds, following it\n"
          "until it ends (reconnecting after a dropped link). Prints \"run <ID>\", then events.");
      mirrorCommand->add_option("RUN", mirror->runId, "Local run id")->required()->check(CLI::PositiveNumber);
      mirrorCommand->add_flag("--once", mirror->once, "One round, then return");
      mirrorCommand
          ->add_option("--format", mirror->format, "Event output: json, text or auto")
          ->check(CLI::IsMember({"auto", "json", "text"}))
          ->capture_default_str();
      mirrorCommand->callback([mirror] { mirrorRun(*mirror); });
    }};

}  // namespace
