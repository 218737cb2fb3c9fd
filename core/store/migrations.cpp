// Every schema version of the workspace database, oldest first. Append a migration for each schema
// change (one entry, the next version number); never edit a shipped one. Times are INTEGER
// milliseconds since the Unix epoch (timestamp.h); JSON columns are checked with json_valid.
#include "core/store/detail/schema.h"

namespace astro::store::detail {

namespace {

constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE runs (
  id             INTEGER PRIMARY KEY,
  name           TEXT    NOT NULL,
  kind           TEXT    NOT NULL DEFAULT 'native' CHECK (kind IN ('native', 'imported')),
  status         TEXT    NOT NULL DEFAULT 'pending',
  config         TEXT    NOT NULL DEFAULT '',
  host           TEXT    NOT NULL DEFAULT '',
  current_stage  TEXT    NOT NULL DEFAULT '',
  progress_done  INTEGER NOT NULL DEFAULT 0,
  progress_total INTEGER NOT NULL DEFAULT 0,
  created        INTEGER NOT NULL,
  updated        INTEGER NOT NULL
);

CREATE TABLE stages (
  id         INTEGER PRIMARY KEY,
  run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  kind       TEXT    NOT NULL,
  status     TEXT    NOT NULL DEFAULT 'pending',
  started    INTEGER,
  finished   INTEGER,
  checkpoint TEXT    NOT NULL DEFAULT '',
  UNIQUE (run_id, position)
);

CREATE TABLE events (
  id      INTEGER PRIMARY KEY,
  run_id  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq     INTEGER NOT NULL CHECK (seq >= 1),
  time    INTEGER NOT NULL,
  kind    TEXT    NOT NULL,
  payload TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
  UNIQUE (run_id, seq)
);

CREATE TABLE metrics (
  run_id   INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  stage_id INTEGER REFERENCES stages (id) ON DELETE CASCADE,
  step     INTEGER NOT NULL,
  name     TEXT    NOT NULL,
  value    REAL    NOT NULL
);
-- Covers series reads (run, name) ordered by step without touching the table.
CREATE INDEX metrics_series ON metrics (run_id, name, step, value);
CREATE INDEX metrics_stage ON metrics (stage_id) WHERE stage_id IS NOT NULL;

CREATE TABLE artifacts (
  id         INTEGER PRIMARY KEY,
  run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  stage_id   INTEGER REFERENCES stages (id) ON DELETE SET NULL,
  kind       TEXT    NOT NULL,
  path       TEXT    NOT NULL,
  sha256     TEXT    NOT NULL,
  size_bytes INTEGER NOT NULL DEFAULT 0,
  created    INTEGER NOT NULL,
  UNIQUE (run_id, path)
);

CREATE TABLE datasets (
  id         INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL,
  path       TEXT    NOT NULL,
  sha256     TEXT    NOT NULL UNIQUE,
  format     TEXT    NOT NULL,
  records    INTEGER NOT NULL,
  registered INTEGER NOT NULL
);
)sql";

constexpr Migration kMigrations[] = {
    {1, "runs, stages, events, metrics, artifacts, datasets", kVersion1},
};

}  // namespace

std::span<const Migration> schemaMigrations() { return kMigrations; }

}  // namespace astro::store::detail
