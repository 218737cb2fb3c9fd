// The run store's private SQLite layer: RAII handles for sqlite3* and sqlite3_stmt*, a connection
// with a prepared-statement cache, and transactions. Only core/store/*.cpp include this header, so
// no other part of the project sees a SQLite type or writes SQL.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace astro::store::detail {

struct DatabaseCloser {
  void operator()(sqlite3* database) const { sqlite3_close_v2(database); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using DatabaseHandle = std::unique_ptr<sqlite3, DatabaseCloser>;
using StatementHandle = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

class Connection;

// A cached prepared statement lent for one use. The destructor resets it and clears its bindings:
// a SELECT left mid-iteration would otherwise hold its read snapshot open and stall checkpoints.
// Parameter and column indexes are those of SQLite (parameters from 1, columns from 0).
class Statement {
 public:
  // `lease` (may be null) is the cache's in-use flag, cleared again on destruction; `owned` holds
  // a statement that is not cached, finalized on destruction.
  Statement(const Connection& connection, sqlite3_stmt* statement, bool* lease = nullptr,
            StatementHandle owned = nullptr);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bindInteger(int index, std::int64_t value);
  Statement& bindReal(int index, double value);
  Statement& bindText(int index, std::string_view value);  // the view must outlive step()
  Statement& bindNull(int index);
  Statement& bindOptionalInteger(int index, const std::optional<std::int64_t>& value);

  // Advances to the next row: true when one is ready, false when done; throws on error.
  bool step();
  // Runs a statement that returns no rows, then resets it for the next bindings.
  void execute();
  void reset();

  std::int64_t integer(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  bool isNull(int column) const;
  std::optional<std::int64_t> optionalInteger(int column) const;

 private:
  const Connection& connection_;
  sqlite3_stmt* statement_;
  bool* lease_;
  StatementHandle owned_;
};

struct ConnectionOptions {
  bool readOnly = false;
  std::chrono::milliseconds busyTimeout{10000};
};

class Connection {
 public:
  Connection(std::filesystem::path file, const ConnectionOptions& options);

  const std::filesystem::path& file() const { return file_; }
  sqlite3* handle() const { return database_.get(); }
  std::chrono::milliseconds busyTimeout() const { return busyTimeout_; }

  // The statement for `sql`, prepared once per connection and reused afterwards. While one is
  // lent out, preparing the same SQL again (a nested use) gets a fresh, uncached statement.
  Statement prepare(const std::string& sql);
  // Runs SQL without results (pragmas, DDL, BEGIN/COMMIT); several statements allowed.
  void executeScript(const std::string& sql);
  // First column of the first row of a one-off query, as text (pragmas that report a value).
  std::string queryText(const std::string& sql);
  std::int64_t queryInteger(const std::string& sql);
  // queryText for a statement that asks for the write lock from inside its own read, where SQLite
  // returns SQLITE_BUSY at once instead of calling the busy handler (PRAGMA journal_mode = WAL on
  // a new file while another opener switches it). Retries with a growing pause, up to the busy
  // timeout in all.
  std::string queryTextRetryingBusy(const std::string& sql);

  std::int64_t lastInsertRowId() const;
  std::int64_t changes() const;
  bool inTransaction() const;

  // Throws astro::Error for result code `code`; the message names the database file, and
  // SQLITE_NOTADB/SQLITE_CORRUPT say that the file is not a workspace database or is corrupt.
  [[noreturn]] void fail(int code, std::string_view action) const;

 private:
  std::filesystem::path file_;
  std::chrono::milliseconds busyTimeout_;
  // Destroyed after the cache (members go in reverse order): statements finalize first.
  DatabaseHandle database_;
  struct CachedStatement {
    StatementHandle statement;
    bool leased = false;
  };
  StatementHandle compile(const std::string& sql, unsigned flags);
  std::unordered_map<std::string, CachedStatement> statements_;
};

// One write transaction: BEGIN IMMEDIATE (the write lock is taken up front, so two writers queue
// on the busy timeout instead of failing with SQLITE_BUSY_SNAPSHOT), or a SAVEPOINT when the
// connection is already inside one, so repository writes compose into a caller's transaction.
// Rolls back unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& connection_;
  bool nested_ = false;
  bool open_ = true;
};

// `%text%` for a LIKE ... ESCAPE '\' that matches `text` literally (its % _ \ escaped).
std::string likePattern(const std::string& text);

}  // namespace astro::store::detail
