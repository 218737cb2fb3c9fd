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

-- A metric series is one name of one run; its points are keyed (series, step), one value per
-- step, in a WITHOUT ROWID table: one B-tree insert per point and series reads are a range scan.
CREATE TABLE metric_series (
  id       INTEGER PRIMARY KEY,
  run_id   INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  name     TEXT    NOT NULL,
  UNIQUE (run_id, name)
);

-- No foreign key on series_id: checking it per point halves bulk insert speed (bench_store).
-- Only MetricRepository writes points, with ids it took from metric_series; the trigger below
-- removes a series' points with it (and a run's series go with the run by their foreign key).
CREATE TABLE metrics (
  series_id INTEGER NOT NULL,
  step      INTEGER NOT NULL,
  stage_id  INTEGER,  -- the stage that logged the point; no FK: rows go with their run
  value     REAL    NOT NULL,
  PRIMARY KEY (series_id, step)
) WITHOUT ROWID;
CREATE TRIGGER metric_series_points_cascade AFTER DELETE ON metric_series BEGIN
  DELETE FROM metrics WHERE series_id = old.id;
END;

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

// Search trees stored in full (core/store/tree_repository.h): one row per tree, keyed by run,
// stage and problem (a resumed search finds what it already stored; a second tree for the same
// problem is refused), and its nodes keyed (tree_id, id) WITHOUT ROWID: one B-tree insert per node
// and a tree read is one range scan. As with metrics, no per-node foreign key (bench_trees): only
// TreeRepository writes nodes, and a trigger deletes them with their tree.
constexpr std::string_view kVersionTrees = R"sql(
CREATE TABLE trees (
  id                INTEGER PRIMARY KEY,
  run_id            INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  stage             TEXT    NOT NULL,
  problem_id        TEXT    NOT NULL,
  problem           TEXT    NOT NULL,
  reference_answer  TEXT    NOT NULL,
  node_count        INTEGER NOT NULL,
  max_depth         INTEGER NOT NULL,
  terminal_count    INTEGER NOT NULL,
  correct_count     INTEGER NOT NULL,
  root_visits       INTEGER NOT NULL,
  created           INTEGER NOT NULL,
  UNIQUE (run_id, stage, problem_id)
);
CREATE INDEX trees_by_run ON trees (run_id, id);

CREATE TABLE tree_nodes (
  tree_id  INTEGER NOT NULL,
  id       INTEGER NOT NULL CHECK (id >= 0),
  parent   INTEGER,
  text     TEXT    NOT NULL,
  visits   INTEGER NOT NULL,
  value    REAL    NOT NULL,
  prior    REAL    NOT NULL,
  depth    INTEGER NOT NULL,
  terminal INTEGER NOT NULL CHECK (terminal IN (0, 1)),
  answer   TEXT,
  correct  INTEGER CHECK (correct IN (0, 1)),
  PRIMARY KEY (tree_id, id)
) WITHOUT ROWID;
CREATE TRIGGER trees_nodes_cascade AFTER DELETE ON trees BEGIN
  DELETE FROM tree_nodes WHERE tree_id = old.id;
END;
)sql";

// Pipeline runs (core/pipeline, docs/pipeline.md): the config file and every input of each stage
// by path and content hash, so a resume refuses a stage whose inputs changed since they were
// recorded. stage_id NULL is the run's own input; the unique index treats it as stage 0.
constexpr std::string_view kVersionRunInputs = R"sql(
CREATE TABLE run_inputs (
  id         INTEGER PRIMARY KEY,
  run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  stage_id   INTEGER REFERENCES stages (id) ON DELETE CASCADE,
  name       TEXT    NOT NULL,
  path       TEXT    NOT NULL,
  sha256     TEXT    NOT NULL,
  size_bytes INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX run_inputs_key ON run_inputs (run_id, COALESCE(stage_id, 0), name);
)sql";

// Evaluation samples and GRPO rollouts (core/store/sample_repository.h): one row per completion.
// A set (run, stage, kind, checkpoint, step, benchmark) is what one evaluation unit or one RL step
// writes; a resumed stage replaces its set. stage_id has no foreign key on purpose: stages go only
// with their run, and a cascade from stages would scan this table once per stage (no index leads
// with stage_id). Indexes serve the studio: a run's rows in id order (keyset pages), one
// checkpoint's rows in id order, one GRPO step's groups.
constexpr std::string_view kVersionSamples = R"sql(
CREATE TABLE samples (
  id           INTEGER PRIMARY KEY,
  run_id       INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  stage_id     INTEGER,
  kind         TEXT    NOT NULL CHECK (kind IN ('eval', 'rollout')),
  checkpoint   TEXT    NOT NULL DEFAULT '',
  step         INTEGER,
  benchmark    TEXT    NOT NULL DEFAULT '',
  problem_id   TEXT    NOT NULL,
  sample_index INTEGER NOT NULL,
  group_index  INTEGER NOT NULL DEFAULT 0,
  prompt       TEXT    NOT NULL,
  completion   TEXT    NOT NULL,
  answer       TEXT    NOT NULL DEFAULT '',
  correct      INTEGER CHECK (correct IN (0, 1)),
  reward       REAL,
  advantage    REAL,
  steps        INTEGER NOT NULL DEFAULT 0,
  backtracks   INTEGER NOT NULL DEFAULT 0,
  restarts     INTEGER NOT NULL DEFAULT 0,
  reflections  INTEGER NOT NULL DEFAULT 0,
  tokens       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX samples_by_run ON samples (run_id);
CREATE INDEX samples_by_checkpoint ON samples (run_id, checkpoint);
CREATE INDEX samples_by_step ON samples (run_id, step, group_index);
)sql";

// What a search tree's problem is about, when its dataset says (MATH: subject and level 1-5), so
// the studio's problems table filters on them in SQL. Trees stored before carry '' and 0.
constexpr std::string_view kVersionTreeTopics = R"sql(
ALTER TABLE trees ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE trees ADD COLUMN level INTEGER NOT NULL DEFAULT 0;
)sql";

// Runs that execute on another host (an SSH host or a Slurm cluster) and are mirrored here
// (core/remote, docs/remote.md): where they run and the mirror's cursor. One row per mirrored run,
// going with it; the cursor is written in the transaction that stores what it covers.
constexpr std::string_view kVersionRemoteRuns = R"sql(
CREATE TABLE remote_runs (
  run_id           INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
  profile          TEXT    NOT NULL,
  kind             TEXT    NOT NULL CHECK (kind IN ('ssh', 'slurm')),
  destination      TEXT    NOT NULL DEFAULT '',
  remote_workspace TEXT    NOT NULL,
  remote_run_id    INTEGER NOT NULL,
  slurm_job_id     TEXT    NOT NULL DEFAULT '',
  slurm_state      TEXT    NOT NULL DEFAULT '',
  slurm_reason     TEXT    NOT NULL DEFAULT '',
  cursor_seq       INTEGER NOT NULL DEFAULT 0,
  cursor_tree      INTEGER NOT NULL DEFAULT 0,
  cursor_sample    INTEGER NOT NULL DEFAULT 0,
  last_contact     INTEGER,
  last_error       TEXT    NOT NULL DEFAULT ''
);
)sql";

constexpr Migration kMigrations[] = {
    {1, "runs, stages, events, metrics, artifacts, datasets", kVersion1},
    {2, "search trees and their nodes", kVersionTrees},
    {3, "inputs of pipeline runs and their stages", kVersionRunInputs},
    {4, "evaluation samples and GRPO rollouts", kVersionSamples},
    {5, "subject and level of search trees", kVersionTreeTopics},
    {6, "runs mirrored from remote hosts", kVersionRemoteRuns},
};

}  // namespace

std::span<const Migration> schemaMigrations() { return kMigrations; }

}  // namespace astro::store::detail
