// Opening the workspace database and handing out its repositories (workspace.h).
#include "core/store/workspace.h"

#include <mutex>
#include <set>
#include <system_error>

#include "core/base/error.h"
#include "core/base/workspace_paths.h"
#include "core/store/detail/schema.h"
#include "core/store/detail/sqlite.h"

namespace astro::store {

namespace {

// One writer connection per database per process (docs/store.md): two writers in one process
// would only queue on each other's locks, and a transaction the caller thinks atomic could
// interleave with another's. Readers are not counted.
class WriterRegistration {
 public:
  explicit WriterRegistration(const std::filesystem::path& database) {
    std::error_code error;
    key_ = std::filesystem::weakly_canonical(database, error).string();
    if (error) key_ = std::filesystem::absolute(database).string();
    std::lock_guard lock(mutex());
    if (!writers().insert(key_).second) {
      throw Error(database.string() +
                  " is already open for writing in this process (one writer "
                  "connection per process: share that Workspace)");
    }
  }
  ~WriterRegistration() {
    std::lock_guard lock(mutex());
    writers().erase(key_);
  }
  WriterRegistration(const WriterRegistration&) = delete;
  WriterRegistration& operator=(const WriterRegistration&) = delete;

 private:
  static std::mutex& mutex() {
    static std::mutex instance;
    return instance;
  }
  static std::set<std::string>& writers() {
    static std::set<std::string> instance;
    return instance;
  }
  std::string key_;
};

}  // namespace

struct Workspace::State {
  std::filesystem::path folder;
  std::filesystem::path database;
  int schemaVersion = 0;
  std::unique_ptr<WriterRegistration> writer;  // declared before the connection: outlives it
  std::unique_ptr<detail::Connection> connection;
};

Workspace Workspace::open(const std::filesystem::path& folder, const WorkspaceOptions& options) {
  auto state = std::make_unique<State>();
  state->folder = folder;
  state->database = workspaceDatabasePath(folder);
  const std::string file = state->database.string();
  std::error_code error;
  if (options.readOnly) {
    if (!std::filesystem::exists(state->database, error)) {
      throw Error("no workspace database at " + file);
    }
  } else {
    std::filesystem::create_directories(folder, error);
    if (error) throw IoError(folder.string(), "create workspace folder", error.value());
    state->writer = std::make_unique<WriterRegistration>(state->database);
  }
  state->connection = std::make_unique<detail::Connection>(
      state->database,
      detail::ConnectionOptions{.readOnly = options.readOnly, .busyTimeout = options.busyTimeout});
  detail::Connection& connection = *state->connection;
  // The page cache is an upper bound, filled as pages are read: 64 MiB keeps a bulk insert from
  // spilling into the WAL mid-transaction and long series reads in memory (bench_store: ~1.6x).
  connection.executeScript("PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536");

  // Nothing is written before these checks pass: a newer or foreign file stays byte-identical.
  int version = detail::checkSchemaVersion(connection);
  std::uintmax_t size = std::filesystem::file_size(state->database, error);
  if (!error && size > 0 && size <= options.quickCheckMaxBytes) {
    std::string verdict = connection.queryText("PRAGMA quick_check");
    if (verdict != "ok") {
      throw Error(file + " is not an Astro Studio workspace database or is corrupt: " + verdict);
    }
  }

  if (options.readOnly) {
    if (options.migrateOlder && version < latestSchemaVersion()) {
      state.reset();  // the migration's writer works alone
      open(folder, {.busyTimeout = options.busyTimeout, .quickCheckMaxBytes = 0});
      WorkspaceOptions reading = options;
      reading.migrateOlder = false;
      return open(folder, reading);
    }
    if (version != latestSchemaVersion()) {
      throw Error(file + " has schema version " + std::to_string(version) +
                  "; open it once for writing to migrate it to version " +
                  std::to_string(latestSchemaVersion()));
    }
  } else {
    // WAL: readers never block the writer nor it them. synchronous=NORMAL in WAL loses no
    // committed transaction on a process crash (only, at worst, the last ones on power loss).
    std::string mode = connection.queryTextRetryingBusy("PRAGMA journal_mode = WAL");
    if (mode != "wal") throw Error(file + ": cannot switch to WAL mode (still '" + mode + "')");
    connection.executeScript("PRAGMA synchronous = NORMAL");
    detail::migrateToLatest(connection);
  }
  state->schemaVersion = latestSchemaVersion();
  return Workspace(std::move(state));
}

Workspace::Workspace(std::unique_ptr<State> state) : state_(std::move(state)) {}
Workspace::Workspace(Workspace&&) noexcept = default;
Workspace& Workspace::operator=(Workspace&&) noexcept = default;
Workspace::~Workspace() = default;

const std::filesystem::path& Workspace::folder() const { return state_->folder; }
const std::filesystem::path& Workspace::databasePath() const { return state_->database; }
int Workspace::schemaVersion() const { return state_->schemaVersion; }
int Workspace::latestSchemaVersion() { return detail::schemaMigrations().back().version; }

detail::Connection& Workspace::connection() { return *state_->connection; }

void Workspace::transaction(const std::function<void()>& body) {
  detail::Transaction transaction(connection());
  body();
  transaction.commit();
}

void Workspace::snapshot(const std::function<void()>& body) {
  detail::Connection& db = connection();
  if (db.inTransaction()) {
    body();
    return;
  }
  db.executeScript("BEGIN DEFERRED");
  try {
    body();
  } catch (...) {
    db.executeScript("ROLLBACK");
    throw;
  }
  db.executeScript("COMMIT");
}

std::string Workspace::checkIntegrity(bool quick) {
  auto statement = connection().prepare(quick ? "PRAGMA quick_check" : "PRAGMA integrity_check");
  std::string report;
  while (statement.step()) {
    if (!report.empty()) report += "\n";
    report += statement.text(0);
  }
  return report;
}

}  // namespace astro::store
