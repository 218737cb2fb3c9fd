// Samples and rollouts in the run store (sample_repository.h). Writes are one transaction with one
// cached insert statement; reads build their WHERE clause from the filter's set fields only, so
// SQLite sees plain equalities it can answer from an index (an `(?N IS NULL OR col = ?N)` form
// would make it scan), and each filter shape is prepared once per connection.
#include "core/store/sample_repository.h"

#include <algorithm>
#include <variant>

#include "core/base/error.h"
#include "core/store/detail/require_run.h"
#include "core/store/detail/sqlite.h"

namespace astro::store {

namespace {

constexpr const char* kColumns =
    "id, run_id, stage_id, kind, checkpoint, step, benchmark, problem_id, sample_index, "
    "group_index, prompt, completion, answer, correct, reward, advantage, steps, backtracks, "
    "restarts, reflections, tokens";

void bindOptionalReal(detail::Statement& statement, int index, const std::optional<double>& value) {
  if (value) {
    statement.bindReal(index, *value);
  } else {
    statement.bindNull(index);
  }
}

StoredSample readSample(const detail::Statement& row) {
  StoredSample sample;
  sample.id = row.integer(0);
  sample.set = SampleSet{.runId = row.integer(1),
                         .stageId = row.optionalInteger(2),
                         .kind = sampleKindFromName(row.text(3)),
                         .checkpoint = row.text(4),
                         .step = row.optionalInteger(5),
                         .benchmark = row.text(6)};
  SampleRow& r = sample.row;
  r.problemId = row.text(7);
  r.sampleIndex = static_cast<int>(row.integer(8));
  r.group = static_cast<int>(row.integer(9));
  r.prompt = row.text(10);
  r.completion = row.text(11);
  r.answer = row.text(12);
  if (!row.isNull(13)) r.correct = row.integer(13) != 0;
  if (!row.isNull(14)) r.reward = row.real(14);
  if (!row.isNull(15)) r.advantage = row.real(15);
  r.steps = static_cast<int>(row.integer(16));
  r.backtracks = static_cast<int>(row.integer(17));
  r.restarts = static_cast<int>(row.integer(18));
  r.reflections = static_cast<int>(row.integer(19));
  r.tokens = row.integer(20);
  return sample;
}

// A WHERE clause over run_id (?1) and the filter's set fields; their values are bound from ?3 on
// (?2 is the caller's: the keyset bound).
using FilterValue = std::variant<std::int64_t, std::string>;

std::string buildWhere(const SampleFilter& filter, std::vector<FilterValue>& values) {
  std::string where = "run_id = ?1";
  auto parameter = [&](FilterValue value) {
    values.push_back(std::move(value));
    return "?" + std::to_string(values.size() + 2);
  };
  if (filter.kind) where += " AND kind = " + parameter(std::string(sampleKindName(*filter.kind)));
  if (filter.checkpoint) where += " AND checkpoint = " + parameter(*filter.checkpoint);
  if (filter.step) where += " AND step = " + parameter(*filter.step);
  if (filter.benchmark) where += " AND benchmark = " + parameter(*filter.benchmark);
  if (filter.ungradedOnly) {
    where += " AND correct IS NULL";
  } else if (filter.correct) {
    where += *filter.correct ? " AND correct = 1" : " AND correct = 0";
  }
  if (!filter.text.empty()) {
    const std::string p = parameter(detail::likePattern(filter.text));
    where += " AND (problem_id LIKE " + p + " ESCAPE '\\' OR prompt LIKE " + p +
             " ESCAPE '\\' OR completion LIKE " + p + " ESCAPE '\\' OR answer LIKE " + p +
             " ESCAPE '\\')";
  }
  return where;
}

void bindFilterValues(detail::Statement& statement, const std::vector<FilterValue>& values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    const int index = static_cast<int>(i) + 3;
    if (const auto* number = std::get_if<std::int64_t>(&values[i])) {
      statement.bindInteger(index, *number);
    } else {
      statement.bindText(index, std::get<std::string>(values[i]));
    }
  }
}

void insertRows(detail::Connection& connection, const SampleSet& set,
                std::span<const SampleRow> rows) {
  detail::requireRun(connection, set.runId);
  auto insert = connection.prepare(
      "INSERT INTO samples (run_id, stage_id, kind, checkpoint, step, benchmark, problem_id, "
      "sample_index, group_index, prompt, completion, answer, correct, reward, advantage, steps, "
      "backtracks, restarts, reflections, tokens) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
      "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)");
  const std::string_view kind = sampleKindName(set.kind);
  for (const SampleRow& row : rows) {
    // execute() clears the bindings: every parameter is bound again for each row.
    insert.bindInteger(1, set.runId).bindOptionalInteger(2, set.stageId).bindText(3, kind);
    insert.bindText(4, set.checkpoint).bindOptionalInteger(5, set.step).bindText(6, set.benchmark);
    insert.bindText(7, row.problemId).bindInteger(8, row.sampleIndex).bindInteger(9, row.group);
    insert.bindText(10, row.prompt).bindText(11, row.completion).bindText(12, row.answer);
    insert.bindOptionalInteger(
        13, row.correct ? std::optional<std::int64_t>(*row.correct ? 1 : 0) : std::nullopt);
    bindOptionalReal(insert, 14, row.reward);
    bindOptionalReal(insert, 15, row.advantage);
    insert.bindInteger(16, row.steps).bindInteger(17, row.backtracks);
    insert.bindInteger(18, row.restarts).bindInteger(19, row.reflections);
    insert.bindInteger(20, row.tokens);
    insert.execute();
  }
}

std::int64_t removeSet(detail::Connection& connection, const SampleSet& set) {
  auto remove = connection.prepare(
      "DELETE FROM samples WHERE run_id = ?1 AND checkpoint = ?2 AND stage_id IS ?3 AND "
      "kind = ?4 AND step IS ?5 AND benchmark = ?6");
  remove.bindInteger(1, set.runId).bindText(2, set.checkpoint).bindOptionalInteger(3, set.stageId);
  remove.bindText(4, sampleKindName(set.kind)).bindOptionalInteger(5, set.step);
  remove.bindText(6, set.benchmark);
  remove.execute();
  return connection.changes();
}

}  // namespace

std::string_view sampleKindName(SampleKind kind) {
  return kind == SampleKind::kRollout ? "rollout" : "eval";
}

SampleKind sampleKindFromName(std::string_view name) {
  if (name == "eval") return SampleKind::kEval;
  if (name == "rollout") return SampleKind::kRollout;
  throw Error("unknown sample kind '" + std::string(name) + "' (expected eval or rollout)");
}

void SampleRepository::add(const SampleSet& set, std::span<const SampleRow> rows) {
  detail::Transaction transaction(connection_);
  insertRows(connection_, set, rows);
  transaction.commit();
}

void SampleRepository::replace(const SampleSet& set, std::span<const SampleRow> rows) {
  detail::Transaction transaction(connection_);
  removeSet(connection_, set);
  insertRows(connection_, set, rows);
  transaction.commit();
}

std::int64_t SampleRepository::remove(const SampleSet& set) {
  detail::Transaction transaction(connection_);
  std::int64_t removed = removeSet(connection_, set);
  transaction.commit();
  return removed;
}

namespace {

constexpr double kMissingKey = -1e300;

// The SQL expression a page in `order` sorts by (sampleOrderKey computes the same in C++).
std::string orderKeyExpression(SampleOrder order) {
  switch (order) {
    case SampleOrder::kId:
      return "id";
    case SampleOrder::kReward:
      return "ifnull(reward, -1e300)";
    case SampleOrder::kAdvantage:
      return "ifnull(advantage, -1e300)";
    case SampleOrder::kSteps:
      return "steps";
    case SampleOrder::kBacktracks:
      return "backtracks";
    case SampleOrder::kReflections:
      return "reflections";
    case SampleOrder::kTokens:
      return "tokens";
  }
  return "id";
}

}  // namespace

double sampleOrderKey(const StoredSample& sample, SampleOrder order) {
  switch (order) {
    case SampleOrder::kId:
      return static_cast<double>(sample.id);
    case SampleOrder::kReward:
      return sample.row.reward.value_or(kMissingKey);
    case SampleOrder::kAdvantage:
      return sample.row.advantage.value_or(kMissingKey);
    case SampleOrder::kSteps:
      return sample.row.steps;
    case SampleOrder::kBacktracks:
      return sample.row.backtracks;
    case SampleOrder::kReflections:
      return sample.row.reflections;
    case SampleOrder::kTokens:
      return static_cast<double>(sample.row.tokens);
  }
  return 0.0;
}

std::vector<StoredSample> SampleRepository::list(std::int64_t runId, const SampleFilter& filter,
                                                 const SamplePage& page) {
  std::vector<FilterValue> values;
  const std::string where = buildWhere(filter, values);
  const std::string limit = " LIMIT " + std::to_string(page.limit < 0 ? -1 : page.limit);
  std::string sql = std::string("SELECT ") + kColumns + " FROM samples WHERE " + where;
  const bool byId = page.order == SampleOrder::kId && !page.descending;
  const int keyIndex = static_cast<int>(values.size()) + 3;
  if (byId) {
    sql += " AND id > ?2 ORDER BY id" + limit;
  } else {
    // Keyset over (key, id): rows after the previous page's last one in this order.
    const std::string key = orderKeyExpression(page.order);
    const char* beyond = page.descending ? " < " : " > ";
    if (page.afterKey) {
      const std::string k = "?" + std::to_string(keyIndex);
      sql += " AND (" + key + beyond + k + " OR (" + key + " = " + k + " AND id" + beyond +
             "?2))";
    }
    const char* direction = page.descending ? " DESC" : "";
    sql += " ORDER BY " + key + direction + ", id" + direction + limit;
  }
  auto select = connection_.prepare(sql);
  select.bindInteger(1, runId);
  if (byId || page.afterKey) select.bindInteger(2, page.afterId);  // absent from a first page
  bindFilterValues(select, values);
  if (!byId && page.afterKey) select.bindReal(keyIndex, *page.afterKey);
  std::vector<StoredSample> samples;
  while (select.step()) samples.push_back(readSample(select));
  return samples;
}

std::int64_t SampleRepository::count(std::int64_t runId, const SampleFilter& filter) {
  std::vector<FilterValue> values;
  const std::string where = buildWhere(filter, values);
  auto select = connection_.prepare("SELECT count(*) FROM samples WHERE " + where);  // ?2 unused
  select.bindInteger(1, runId);
  bindFilterValues(select, values);
  select.step();
  return select.integer(0);
}

std::vector<SampleSetInfo> SampleRepository::sets(std::int64_t runId) {
  auto select = connection_.prepare(
      "SELECT stage_id, kind, checkpoint, step, benchmark, count(*), sum(correct IS 1) "
      "FROM samples WHERE run_id = ?1 GROUP BY stage_id, kind, checkpoint, step, benchmark "
      "ORDER BY min(id)");
  select.bindInteger(1, runId);
  std::vector<SampleSetInfo> sets;
  while (select.step()) {
    sets.push_back(SampleSetInfo{.set = {.runId = runId,
                                         .stageId = select.optionalInteger(0),
                                         .kind = sampleKindFromName(select.text(1)),
                                         .checkpoint = select.text(2),
                                         .step = select.optionalInteger(3),
                                         .benchmark = select.text(4)},
                                 .samples = select.integer(5),
                                 .correct = select.integer(6)});
  }
  return sets;
}

std::vector<std::int64_t> SampleRepository::rolloutSteps(std::int64_t runId) {
  auto select = connection_.prepare(
      "SELECT DISTINCT step FROM samples WHERE run_id = ?1 AND step IS NOT NULL AND "
      "kind = 'rollout' ORDER BY step");
  select.bindInteger(1, runId);
  std::vector<std::int64_t> steps;
  while (select.step()) steps.push_back(select.integer(0));
  return steps;
}

std::vector<StoredSample> SampleRepository::rollouts(std::int64_t runId, std::int64_t step) {
  auto select = connection_.prepare(std::string("SELECT ") + kColumns +
                                    " FROM samples WHERE run_id = ?1 AND step = ?2 AND "
                                    "kind = 'rollout' ORDER BY group_index, sample_index, id");
  select.bindInteger(1, runId).bindInteger(2, step);
  std::vector<StoredSample> samples;
  while (select.step()) samples.push_back(readSample(select));
  return samples;
}

}  // namespace astro::store
