// `astro runs list` and `astro runs show ID`: the runs stored in the workspace, as a table or JSON.
// Reading only; the store's repositories do the work (core/store).
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/astro/command_registry.h"
#include "core/base/error.h"
#include "core/base/workspace_paths.h"
#include "core/pipeline/console_output.h"
#include "core/pipeline/run_state.h"
#include "core/store/workspace.h"

namespace {

using astro::store::Run;
using nlohmann::ordered_json;

struct ListOptions {
  bool json = false;
};

struct ShowOptions {
  std::int64_t runId = 0;
  bool json = false;
  int events = 10;
};

using astro::pipeline::RunState;

std::string progressText(const Run& run, const RunState& state) {
  if (run.progressTotal <= 0) return "-";
  std::string text = std::to_string(run.progressDone) + "/" + std::to_string(run.progressTotal);
  if (!state.phase.empty()) text = state.phase + " " + text;
  return text;
}

std::string stageText(const Run& run, const RunState& state) {
  if (run.currentStage.empty()) return "-";
  if (state.stagePosition <= 0) return run.currentStage;
  return run.currentStage + " (" + std::to_string(state.stagePosition) + "/" +
         std::to_string(state.stageCount) + ")";
}

std::string etaText(const RunState& state) {
  return state.etaSeconds ? astro::pipeline::formatDuration(*state.etaSeconds) : "-";
}

ordered_json runJson(const Run& run, const RunState& state) {
  ordered_json json = {{"id", run.id},
                       {"name", run.name},
                       {"kind", astro::store::runKindName(run.kind)},
                       {"status", astro::store::runStatusName(state.status)},
                       {"current_stage", run.currentStage},
                       {"stage_position", state.stagePosition},
                       {"stages", state.stageCount},
                       {"phase", state.phase},
                       {"progress_done", run.progressDone},
                       {"progress_total", run.progressTotal},
                       {"eta_seconds", nullptr},
                       {"worker_pid", nullptr},
                       {"host", run.host},
                       {"created", astro::store::formatTimestamp(run.created)},
                       {"updated", astro::store::formatTimestamp(run.updated)}};
  if (state.etaSeconds) json["eta_seconds"] = *state.etaSeconds;
  if (state.workerPid) json["worker_pid"] = *state.workerPid;
  return json;
}

void printTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t column = 0; column < row.size(); ++column) {
      widths[column] = std::max(widths[column], row[column].size());
    }
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t column = 0; column < row.size(); ++column) {
      line += row[column];
      if (column + 1 < row.size())
        line += std::string(widths[column] - row[column].size() + 2, ' ');
    }
    std::cout << line << "\n";
  }
}

void listRuns(const ListOptions& options) {
  auto workspace = astro::store::Workspace::open(astro::cli::globalOptions().resolvedWorkspace());
  auto runs = workspace.runs().list();
  if (options.json) {
    ordered_json list = ordered_json::array();
    for (const Run& run : runs)
      list.push_back(runJson(run, astro::pipeline::describeRun(workspace, run)));
    std::cout << list.dump() << "\n";
    return;
  }
  if (runs.empty()) {
    std::cout << "no runs in workspace " << workspace.folder().string() << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows = {
      {"ID", "NAME", "STATUS", "STAGE", "PROGRESS", "ETA", "CREATED"}};
  for (const Run& run : runs) {
    RunState state = astro::pipeline::describeRun(workspace, run);
    rows.push_back({std::to_string(run.id), run.name, astro::store::runStatusName(state.status),
                    stageText(run, state), progressText(run, state), etaText(state),
                    astro::store::formatTimestamp(run.created)});
  }
  printTable(rows);
}

void showRun(const ShowOptions& options) {
  auto folder = astro::cli::globalOptions().resolvedWorkspace();
  // Showing must not create a workspace as a side effect: no database means no such run.
  if (!std::filesystem::exists(astro::workspaceDatabasePath(folder))) {
    throw astro::Error("no run " + std::to_string(options.runId) + " in workspace " +
                       folder.string());
  }
  auto workspace = astro::store::Workspace::open(folder);
  Run run = workspace.runs().get(options.runId);
  RunState state = astro::pipeline::describeRun(workspace, run);
  auto stages = workspace.stages().list(run.id);
  auto events = workspace.events().last(run.id, options.events);
  auto metrics = workspace.metrics().seriesInfo(run.id);

  if (options.json) {
    ordered_json report = {{"run", runJson(run, state)},
                           {"config", run.config},
                           {"stages", ordered_json::array()},
                           {"events", ordered_json::array()},
                           {"metrics", ordered_json::array()}};
    for (const auto& stage : stages) {
      report["stages"].push_back(
          {{"id", stage.id},
           {"position", stage.position},
           {"kind", stage.kind},
           {"status", astro::store::stageStatusName(stage.status)},
           {"started", stage.started ? astro::store::formatTimestamp(*stage.started) : ""},
           {"finished", stage.finished ? astro::store::formatTimestamp(*stage.finished) : ""},
           {"checkpoint", stage.checkpoint}});
    }
    for (const auto& event : events) {
      report["events"].push_back({{"seq", event.seq},
                                  {"time", astro::store::formatTimestamp(event.time)},
                                  {"kind", astro::store::eventKindName(event.kind)},
                                  {"payload", event.payload}});
    }
    for (const auto& series : metrics) {
      report["metrics"].push_back({{"name", series.name}, {"count", series.count}});
    }
    if (auto remote = workspace.remoteRuns().find(run.id)) {
      report["remote"] = {{"profile", remote->profile},
                          {"kind", remote->kind},
                          {"destination", remote->destination},
                          {"workspace", remote->remoteWorkspace},
                          {"run", remote->remoteRunId},
                          {"slurm_job", remote->slurmJobId},
                          {"slurm_state", remote->slurmState},
                          {"slurm_reason", remote->slurmReason},
                          {"last_contact", remote->lastContact
                                               ? astro::store::formatTimestamp(*remote->lastContact)
                                               : ""},
                          {"last_error", remote->lastError}};
    }
    std::cout << report.dump() << "\n";
    return;
  }

  std::cout << "run " << run.id << ": " << run.name << "\n";
  std::string status = astro::store::runStatusName(state.status);
  if (state.workerPid) status += " (worker pid " + std::to_string(*state.workerPid) + ")";
  printTable({{"  status", status},
              {"  kind", astro::store::runKindName(run.kind)},
              {"  stage", stageText(run, state)},
              {"  progress", progressText(run, state)},
              {"  eta", etaText(state)},
              {"  host", run.host.empty() ? "-" : run.host},
              {"  created", astro::store::formatTimestamp(run.created)},
              {"  updated", astro::store::formatTimestamp(run.updated)}});
  if (auto remote = workspace.remoteRuns().find(run.id)) {
    std::string where = remote->profile + " (" + remote->kind + " " + remote->destination +
                        "), its run " + std::to_string(remote->remoteRunId) + " in " +
                        remote->remoteWorkspace;
    std::string job = remote->slurmJobId.empty()
                          ? "-"
                          : remote->slurmJobId + " " + remote->slurmState +
                                (remote->slurmReason.empty() || remote->slurmReason == "None"
                                     ? ""
                                     : " (" + remote->slurmReason + ")");
    std::string contact =
        remote->lastContact ? astro::store::formatTimestamp(*remote->lastContact) : "never";
    if (!remote->lastError.empty()) contact += "; last error: " + remote->lastError;
    printTable({{"  runs on", where}, {"  slurm job", job}, {"  mirrored", contact}});
  }
  std::cout << "stages:" << (stages.empty() ? " none" : "") << "\n";
  std::vector<std::vector<std::string>> stageRows;
  for (const auto& stage : stages) {
    stageRows.push_back({"  " + std::to_string(stage.position), stage.kind,
                         astro::store::stageStatusName(stage.status),
                         stage.started ? astro::store::formatTimestamp(*stage.started) : "-",
                         stage.finished ? astro::store::formatTimestamp(*stage.finished) : "-",
                         stage.checkpoint.empty() ? "-" : stage.checkpoint});
  }
  printTable(stageRows);
  std::cout << "last events:" << (events.empty() ? " none" : "") << "\n";
  std::vector<std::vector<std::string>> eventRows;
  for (const auto& event : events) {
    eventRows.push_back({"  " + std::to_string(event.seq),
                         astro::store::formatTimestamp(event.time),
                         astro::store::eventKindName(event.kind), event.payload.dump()});
  }
  printTable(eventRows);
  std::cout << "metrics:" << (metrics.empty() ? " none" : "") << "\n";
  std::vector<std::vector<std::string>> metricRows;
  for (const auto& series : metrics) {
    metricRows.push_back({"  " + series.name, std::to_string(series.count) + " points"});
  }
  printTable(metricRows);
}

const astro::cli::CommandRegistration kRuns{
    "20-runs", [](CLI::App& root) {
      CLI::App& runs =
          astro::cli::commandGroup(root, "runs", "Inspect the runs stored in the workspace");

      auto listOptions = std::make_shared<ListOptions>();
      CLI::App* list = runs.add_subcommand(
          "list", "List the runs: id, name, status, current stage, progress, created");
      list->add_flag("--json", listOptions->json, "Print a JSON array instead of a table");
      list->callback([listOptions] { listRuns(*listOptions); });

      auto showOptions = std::make_shared<ShowOptions>();
      CLI::App* show = runs.add_subcommand(
          "show", "Show one run: its fields, stages, last events and metric names with counts");
      show->add_option("ID", showOptions->runId, "Run id (see astro runs list)")
          ->required()
          ->check(CLI::PositiveNumber);
      show->add_flag("--json", showOptions->json, "Print one JSON object instead of text");
      show->add_option("--events", showOptions->events, "How many of the last events to show")
          ->check(CLI::Range(0, 1000000))
          ->capture_default_str();
      show->callback([showOptions] { showRun(*showOptions); });
    }};

}  // namespace
