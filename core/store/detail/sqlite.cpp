// RAII SQLite connection, cached statements and transactions for the run store (detail/sqlite.h).
#include "core/store/detail/sqlite.h"

#include <algorithm>
#include <thread>

#include "core/base/error.h"

namespace astro::store::detail {

Statement::Statement(const Connection& connection, sqlite3_stmt* statement, bool* lease,
                     StatementHandle owned)
    : connection_(connection), statement_(statement), lease_(lease), owned_(std::move(owned)) {
  if (lease_) *lease_ = true;
}

Statement::~Statement() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
  if (lease_) *lease_ = false;
}

Statement& Statement::bindInteger(int index, std::int64_t value) {
  int code = sqlite3_bind_int64(statement_, index, value);
  if (code != SQLITE_OK) connection_.fail(code, "bind parameter");
  return *this;
}

Statement& Statement::bindReal(int index, double value) {
  int code = sqlite3_bind_double(statement_, index, value);
  if (code != SQLITE_OK) connection_.fail(code, "bind parameter");
  return *this;
}

Statement& Statement::bindText(int index, std::string_view value) {
  // SQLITE_STATIC: no copy; callers keep the text alive until the statement has stepped.
  int code = sqlite3_bind_text64(statement_, index, value.data(), value.size(), SQLITE_STATIC,
                                 SQLITE_UTF8);
  if (code != SQLITE_OK) connection_.fail(code, "bind parameter");
  return *this;
}

Statement& Statement::bindNull(int index) {
  int code = sqlite3_bind_null(statement_, index);
  if (code != SQLITE_OK) connection_.fail(code, "bind parameter");
  return *this;
}

Statement& Statement::bindOptionalInteger(int index, const std::optional<std::int64_t>& value) {
  return value ? bindInteger(index, *value) : bindNull(index);
}

bool Statement::step() {
  int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  // sqlite3_reset returns the same error; do it now so the message stays that of the step.
  std::string sql = sqlite3_sql(statement_) ? sqlite3_sql(statement_) : "";
  connection_.fail(code, "run '" + sql.substr(0, 60) + "'");
}

void Statement::execute() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(statement_, column);
}

double Statement::real(int column) const { return sqlite3_column_double(statement_, column); }

std::string Statement::text(int column) const {
  const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  return bytes ? std::string(bytes, sqlite3_column_bytes(statement_, column)) : std::string();
}

bool Statement::isNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::optional<std::int64_t> Statement::optionalInteger(int column) const {
  if (isNull(column)) return std::nullopt;
  return integer(column);
}

Connection::Connection(std::filesystem::path file, const ConnectionOptions& options)
    : file_(std::move(file)), busyTimeout_(options.busyTimeout) {
  int flags =
      SQLITE_OPEN_EXRESCODE |
      (options.readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* raw = nullptr;
  int code = sqlite3_open_v2(file_.c_str(), &raw, flags, nullptr);
  database_.reset(raw);  // sqlite3_open_v2 hands out a handle even on failure; it must be closed
  if (code != SQLITE_OK) {
    if (!database_) throw Error("cannot open " + file_.string() + ": out of memory");
    fail(code, "open");
  }
  sqlite3_extended_result_codes(database_.get(), 1);
  sqlite3_busy_timeout(database_.get(), static_cast<int>(busyTimeout_.count()));
}

StatementHandle Connection::compile(const std::string& sql, unsigned flags) {
  sqlite3_stmt* raw = nullptr;
  int code = sqlite3_prepare_v3(database_.get(), sql.c_str(), static_cast<int>(sql.size() + 1),
                                flags, &raw, nullptr);
  StatementHandle statement(raw);
  if (code != SQLITE_OK) fail(code, "prepare '" + sql.substr(0, 60) + "'");
  return statement;
}

Statement Connection::prepare(const std::string& sql) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    StatementHandle statement = compile(sql, SQLITE_PREPARE_PERSISTENT);
    found = statements_.emplace(sql, CachedStatement{std::move(statement)}).first;
  }
  CachedStatement& cached = found->second;
  if (cached.leased) {
    StatementHandle fresh = compile(sql, 0);
    sqlite3_stmt* raw = fresh.get();
    return Statement(*this, raw, nullptr, std::move(fresh));
  }
  return Statement(*this, cached.statement.get(), &cached.leased);
}

void Connection::executeScript(const std::string& sql) {
  char* message = nullptr;
  int code = sqlite3_exec(database_.get(), sql.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);  // sqlite3_errmsg still holds the text for fail()
  if (code != SQLITE_OK) fail(code, "run '" + sql.substr(0, 60) + "'");
}

std::string Connection::queryText(const std::string& sql) {
  StatementHandle statement = compile(sql, 0);
  Statement once(*this, statement.get());
  return once.step() ? once.text(0) : std::string();
}

std::string Connection::queryTextRetryingBusy(const std::string& sql) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline = Clock::now() + busyTimeout_;
  std::chrono::milliseconds pause{2};
  for (;;) {
    StatementHandle statement = compile(sql, 0);
    int code = sqlite3_step(statement.get());
    if (code == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(statement.get(), 0);
      return text ? reinterpret_cast<const char*>(text) : std::string();
    }
    if (code == SQLITE_DONE) return {};
    if ((code & 0xff) != SQLITE_BUSY || Clock::now() >= deadline) {
      fail(code, "run '" + sql.substr(0, 60) + "'");
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds{50});
  }
}

std::int64_t Connection::queryInteger(const std::string& sql) {
  StatementHandle statement = compile(sql, 0);
  Statement once(*this, statement.get());
  return once.step() ? once.integer(0) : 0;
}

std::int64_t Connection::lastInsertRowId() const {
  return sqlite3_last_insert_rowid(database_.get());
}

std::int64_t Connection::changes() const { return sqlite3_changes64(database_.get()); }

bool Connection::inTransaction() const { return sqlite3_get_autocommit(database_.get()) == 0; }

void Connection::fail(int code, std::string_view action) const {
  std::string detail = database_ ? sqlite3_errmsg(database_.get()) : sqlite3_errstr(code);
  std::string file = file_.string();
  switch (code & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      throw Error(file + " is not an Astro Studio workspace database or is corrupt: " + detail);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw Error(file + " is locked by another writer (waited " +
                  std::to_string(busyTimeout_.count()) + " ms to " + std::string(action) +
                  "): " + detail);
    case SQLITE_CANTOPEN:
      throw Error("cannot open workspace database " + file + ": " + detail);
    case SQLITE_READONLY:
      throw Error(file + " is read-only (" + std::string(action) + "): " + detail);
    case SQLITE_FULL:
      throw Error(file + ": disk full (" + std::string(action) + "): " + detail);
    default:
      throw Error(file + ": cannot " + std::string(action) + ": " + detail);
  }
}

Transaction::Transaction(Connection& connection) : connection_(connection) {
  nested_ = connection_.inTransaction();
  connection_.executeScript(nested_ ? "SAVEPOINT astro_nested" : "BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (!open_) return;
  // Errors here are ignored: a rollback that fails leaves SQLite to roll back on close.
  sqlite3_exec(connection_.handle(),
               nested_ ? "ROLLBACK TO astro_nested; RELEASE astro_nested" : "ROLLBACK", nullptr,
               nullptr, nullptr);
}

void Transaction::commit() {
  connection_.executeScript(nested_ ? "RELEASE astro_nested" : "COMMIT");
  open_ = false;
}

std::string likePattern(const std::string& text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

}  // namespace astro::store::detail
