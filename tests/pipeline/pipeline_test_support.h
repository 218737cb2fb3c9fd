// What the pipeline suites share: an `astro` worker process whose stdout is read line by line as
// it runs (to kill or signal it at a chosen event), a tiny random-init model and puzzle set, and
// a run's store contents as comparable text lines (timestamps and row ids left out).
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/store/event_log.h"

namespace astro::test {

QString cliPath();
QStringList withWorkspace(const std::filesystem::path& workspace, QStringList arguments);

// One `astro` process (run, resume, ...): started, then read event by event.
class WorkerProcess {
 public:
  explicit WorkerProcess(QStringList arguments);
  ~WorkerProcess();

  // The next stdout line (without the newline); false when the process ended and all lines
  // were read, or after `timeoutMs` without one.
  bool nextLine(std::string* line, int timeoutMs = 300000);
  // Reads the rest and waits for the exit; returns the exit code (-1 when it crashed or was
  // killed).
  int finish(int timeoutMs = 600000);
  void signal(int signalNumber);  // SIGKILL, SIGTERM, ...
  qint64 pid() const;

  const std::vector<std::string>& lines() const { return lines_; }  // every line read so far
  QString errors();                                                 // stderr so far

 private:
  std::unique_ptr<QProcess> process_;
  std::string pending_;
  std::vector<std::string> lines_;
  std::size_t delivered_ = 0;
  QString errors_;
};

// The event of a JSON line printed by a worker, or nullopt for other lines ("run 3").
std::optional<store::Event> eventOf(const std::string& line);

// A random-init tiny world model with the world tokenizer (dir/model) and puzzles
// (dir/puzzles/train.jsonl, test.jsonl). Returns dir/model.
std::filesystem::path makeTinyWorldFixture(const std::filesystem::path& dir);

// The run's rows as text: the run (no timestamps), its stages, metric points, artifacts, inputs,
// trees and nodes, one line each, sorted where the store's order depends on timing.
std::vector<std::string> storeSnapshot(const std::filesystem::path& workspace, std::int64_t runId);
// The first differing line of two snapshots ("" when equal), for a readable failure.
std::string firstDifference(const std::vector<std::string>& expected,
                            const std::vector<std::string>& actual);

}  // namespace astro::test
