#include "tests/pipeline/pipeline_test_support.h"

#include <signal.h>

#include <QElapsedTimer>
#include <algorithm>
#include <cstdio>
#include <map>

#include "core/base/error.h"
#include "core/pipeline/event_line.h"
#include "core/store/workspace.h"
#include "tests/support/test_support.h"

namespace astro::test {

namespace fs = std::filesystem;

QString cliPath() { return ASTRO_CLI_PATH; }

QStringList withWorkspace(const fs::path& workspace, QStringList arguments) {
  return QStringList{"--workspace", QString::fromStdString(workspace.string())} + arguments;
}

WorkerProcess::WorkerProcess(QStringList arguments) : process_(std::make_unique<QProcess>()) {
  process_->start(cliPath(), arguments);
  process_->waitForStarted(10000);
}

WorkerProcess::~WorkerProcess() {
  if (process_->state() != QProcess::NotRunning) {
    process_->kill();
    process_->waitForFinished(10000);
  }
}

bool WorkerProcess::nextLine(std::string* line, int timeoutMs) {
  QElapsedTimer timer;
  timer.start();
  while (true) {
    std::size_t newline = pending_.find('\n');
    if (newline != std::string::npos) {
      *line = pending_.substr(0, newline);
      pending_.erase(0, newline + 1);
      lines_.push_back(*line);
      return true;
    }
    if (process_->state() == QProcess::NotRunning) {
      QByteArray rest = process_->readAllStandardOutput();
      if (rest.isEmpty()) return false;
      pending_ += rest.toStdString();
      continue;
    }
    if (timer.elapsed() > timeoutMs) return false;
    process_->waitForReadyRead(50);
    pending_ += process_->readAllStandardOutput().toStdString();
    errors_ += QString::fromUtf8(process_->readAllStandardError());
  }
}

int WorkerProcess::finish(int timeoutMs) {
  process_->waitForFinished(timeoutMs);
  std::string line;
  while (nextLine(&line, 0)) {
  }
  errors_ += QString::fromUtf8(process_->readAllStandardError());
  if (process_->exitStatus() == QProcess::CrashExit) return -1;
  return process_->exitCode();
}

void WorkerProcess::signal(int signalNumber) {
  ::kill(static_cast<pid_t>(process_->processId()), signalNumber);
}

qint64 WorkerProcess::pid() const { return process_->processId(); }

QString WorkerProcess::errors() {
  errors_ += QString::fromUtf8(process_->readAllStandardError());
  return errors_;
}

std::optional<store::Event> eventOf(const std::string& line) {
  if (line.empty() || line.front() != '{') return std::nullopt;
  return pipeline::parseEventLine(line);
}

fs::path makeTinyWorldFixture(const fs::path& dir) {
  const QString folder = QString::fromStdString(dir.string());
  const QString resources = ASTRO_SOURCE_DIR "/resources/world";
  auto init = runProgram(cliPath(), {"model", "init", "--config", resources + "/models/tiny.json",
                                     "--seed", "1", "--out", folder + "/model"});
  if (init.exitCode != 0) throw Error("model init failed: " + init.err.toStdString());
  for (const char* name : {"tokenizer.json", "tokenizer_config.json"}) {
    fs::copy_file(fs::path(ASTRO_SOURCE_DIR) / "resources/world" / name, dir / "model" / name,
                  fs::copy_options::overwrite_existing);
  }
  auto generate = runProgram(
      cliPath(), {"world", "generate", "--seed", "5", "--out", folder + "/puzzles", "--train", "8",
                  "--test", "4", "--numbers", "3", "--max-target", "30"});
  if (generate.exitCode != 0) throw Error("world generate failed: " + generate.err.toStdString());
  return dir / "model";
}

namespace {

std::string number(double value) {
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%.17g", value);
  return buffer;
}

}  // namespace

std::vector<std::string> storeSnapshot(const fs::path& workspace, std::int64_t runId) {
  auto store = store::Workspace::open(workspace, {.readOnly = true});
  std::vector<std::string> lines;
  store::Run run = store.runs().get(runId);
  lines.push_back("run " + run.name + " " + store::runStatusName(run.status) + " " +
                  store::runKindName(run.kind) + " host=" + run.host +
                  " stage=" + run.currentStage + " progress=" + std::to_string(run.progressDone) +
                  "/" + std::to_string(run.progressTotal));
  lines.push_back("config " + run.config);
  std::map<std::int64_t, int> positions;
  for (const store::Stage& stage : store.stages().list(runId)) {
    positions[stage.id] = stage.position;
    lines.push_back("stage " + std::to_string(stage.position) + " " + stage.kind + " " +
                    store::stageStatusName(stage.status) + " checkpoint=" + stage.checkpoint);
  }
  auto position = [&](std::optional<std::int64_t> stageId) {
    return stageId ? std::to_string(positions[*stageId]) : std::string("-");
  };
  for (const auto& series : store.metrics().seriesInfo(runId)) {
    std::string line = "metric " + series.name;
    for (const auto& point : store.metrics().series(runId, series.name)) {
      line += " " + std::to_string(point.step) + ":" + number(point.value);
    }
    lines.push_back(line);
  }
  std::vector<std::string> sorted;
  for (const auto& artifact : store.artifacts().list(runId)) {
    sorted.push_back("artifact " + position(artifact.stageId) + " " + artifact.kind + " " +
                     artifact.path + " " + artifact.sha256 + " " +
                     std::to_string(artifact.sizeBytes));
  }
  for (const auto& input : store.runInputs().list(runId)) {
    sorted.push_back("input " + position(input.stageId) + " " + input.name + " " + input.path +
                     " " + input.sha256 + " " + std::to_string(input.sizeBytes));
  }
  for (const auto& summary : store.trees().list(runId)) {
    auto tree = store.trees().get(summary.id);
    std::string line =
        "tree " + summary.stage + " " + summary.problemId + " " + std::to_string(tree.nodes.size());
    for (const auto& node : tree.nodes) {
      line += " [" + std::to_string(node.id) + " " +
              (node.parent ? std::to_string(*node.parent) : "-") + " " +
              std::to_string(node.visits) + " " + number(node.value) + " " + number(node.prior) +
              " " + (node.terminal ? "T" : "N") + " " + node.answer.value_or("") + " " +
              (node.correct ? (*node.correct ? "1" : "0") : "-") + " " + node.text + "]";
    }
    sorted.push_back(line);
  }
  // Samples and rollouts (row ids and their order left out: a redone unit or step re-inserts).
  for (const auto& sample : store.samples().list(runId, {}, {.limit = -1})) {
    const auto& set = sample.set;
    const auto& row = sample.row;
    auto optional = [](const std::optional<double>& value) {
      return value ? number(*value) : std::string("-");
    };
    sorted.push_back("sample " + position(set.stageId) + " " +
                     std::string(store::sampleKindName(set.kind)) + " " + set.checkpoint + " " +
                     (set.step ? std::to_string(*set.step) : "-") + " " + set.benchmark + " " +
                     row.problemId + " " + std::to_string(row.group) + " " +
                     std::to_string(row.sampleIndex) + " " +
                     (row.correct ? (*row.correct ? "1" : "0") : "-") + " " + optional(row.reward) +
                     " " + optional(row.advantage) + " " + std::to_string(row.steps) + " " +
                     std::to_string(row.backtracks) + " " + std::to_string(row.restarts) + " " +
                     std::to_string(row.reflections) + " " + std::to_string(row.tokens) + " [" +
                     row.answer + "] [" + row.prompt + "] [" + row.completion + "]");
  }
  std::sort(sorted.begin(), sorted.end());
  lines.insert(lines.end(), sorted.begin(), sorted.end());
  return lines;
}

std::string firstDifference(const std::vector<std::string>& expected,
                            const std::vector<std::string>& actual) {
  for (std::size_t i = 0; i < std::max(expected.size(), actual.size()); ++i) {
    std::string left = i < expected.size() ? expected[i] : "(none)";
    std::string right = i < actual.size() ? actual[i] : "(none)";
    if (left != right) {
      return "line " + std::to_string(i) + ":\n  expected " + left.substr(0, 600) +
             "\n  actual   " + right.substr(0, 600);
    }
  }
  return {};
}

}  // namespace astro::test
