// The workspace database (workspace.sqlite in a workspace folder): opening it (WAL, foreign keys,
// busy timeout, integrity and version checks, forward migrations) and handing out the typed
// repositories that read and write it. The only way into the run store; see docs/store.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "core/store/artifact_repository.h"
#include "core/store/dataset_repository.h"
#include "core/store/event_log.h"
#include "core/store/metric_repository.h"
#include "core/store/remote_run_repository.h"
#include "core/store/run_input_repository.h"
#include "core/store/run_repository.h"
#include "core/store/sample_repository.h"
#include "core/store/stage_repository.h"
#include "core/store/tree_repository.h"

namespace astro::store {

struct WorkspaceOptions {
  // A reader never writes (not even a migration); a process holds at most one writer per
  // database, and any number of readers.
  bool readOnly = false;
  // How long a writer waits for another process's write transaction before failing.
  std::chrono::milliseconds busyTimeout{10000};
  // PRAGMA quick_check runs at open for files up to this size (it reads every page).
  std::uintmax_t quickCheckMaxBytes = 64ull << 20;
  // A reader that finds an older schema migrates it first through a short-lived writer, then
  // reads (the studio, which only reads, opening a workspace an older build wrote). A newer
  // schema is still refused.
  bool migrateOlder = false;
};

class Workspace {
 public:
  // Opens (a writer creates the folder and the database) workspaceDatabasePath(folder). Throws
  // astro::Error naming the file when it is corrupt, not a workspace database, newer than this
  // build, already open for writing in this process, or locked past the busy timeout.
  static Workspace open(const std::filesystem::path& folder, const WorkspaceOptions& options = {});

  Workspace(Workspace&&) noexcept;
  Workspace& operator=(Workspace&&) noexcept;
  ~Workspace();

  const std::filesystem::path& folder() const;
  const std::filesystem::path& databasePath() const;
  int schemaVersion() const;
  static int latestSchemaVersion();

  RunRepository runs() { return RunRepository(connection()); }
  StageRepository stages() { return StageRepository(connection()); }
  EventLog events() { return EventLog(connection()); }
  MetricRepository metrics() { return MetricRepository(connection()); }
  ArtifactRepository artifacts() { return ArtifactRepository(connection()); }
  DatasetRepository datasets() { return DatasetRepository(connection()); }
  RunInputRepository runInputs() { return RunInputRepository(connection()); }
  TreeRepository trees() { return TreeRepository(connection()); }
  SampleRepository samples() { return SampleRepository(connection()); }
  RemoteRunRepository remoteRuns() { return RemoteRunRepository(connection()); }

  // Runs `body` in one write transaction: repository writes inside it join it, and all of them
  // are stored or (when body throws) none.
  void transaction(const std::function<void()>& body);
  // Runs `body` in one read transaction (readers too): every read inside it sees the database as
  // of one moment, whatever writers commit meanwhile (WAL snapshot). A mirror export reads a run
  // this way so that a sample set replaced mid-read is never half old, half new.
  void snapshot(const std::function<void()>& body);

  // PRAGMA integrity_check (or quick_check): "ok", or SQLite's list of problems.
  std::string checkIntegrity(bool quick = false);

  // For repositories only: each is constructed from the connection (so adding one is a header,
  // a .cpp and an accessor above). Its type is private to core/store.
  detail::Connection& connection();

 private:
  struct State;
  explicit Workspace(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace astro::store
