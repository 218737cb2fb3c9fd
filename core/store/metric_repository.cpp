// Scalar metrics by step (metric_repository.h).
#include "core/store/metric_repository.h"

#include <unordered_set>

#include "core/store/detail/require_run.h"
#include "core/store/detail/sqlite.h"

namespace astro::store {

namespace {
constexpr const char* kInsertMetric =
    "INSERT INTO metrics (run_id, stage_id, step, name, value) VALUES (?1, ?2, ?3, ?4, ?5)";
}  // namespace

void MetricRepository::append(std::span<const MetricRow> rows) {
  detail::Transaction transaction(connection_);
  std::unordered_set<std::int64_t> checkedRuns;
  auto statement = connection_.prepare(kInsertMetric);
  for (const MetricRow& row : rows) {
    if (checkedRuns.insert(row.runId).second) detail::requireRun(connection_, row.runId);
    statement.bindInteger(1, row.runId).bindOptionalInteger(2, row.stageId);
    statement.bindInteger(3, row.step).bindText(4, row.name).bindReal(5, row.value);
    statement.execute();
  }
  transaction.commit();
}

void MetricRepository::append(std::int64_t runId, std::optional<std::int64_t> stageId,
                              const std::string& name, std::span<const MetricPoint> points) {
  detail::Transaction transaction(connection_);
  detail::requireRun(connection_, runId);
  auto statement = connection_.prepare(kInsertMetric);
  for (const MetricPoint& point : points) {
    // execute() clears the bindings, so every parameter is bound again for each row.
    statement.bindInteger(1, runId).bindOptionalInteger(2, stageId).bindText(4, name);
    statement.bindInteger(3, point.step).bindReal(5, point.value);
    statement.execute();
  }
  transaction.commit();
}

std::vector<MetricPoint> MetricRepository::series(std::int64_t runId, const std::string& name) {
  auto statement = connection_.prepare(
      "SELECT step, value FROM metrics WHERE run_id = ?1 AND name = ?2 ORDER BY step");
  statement.bindInteger(1, runId).bindText(2, name);
  std::vector<MetricPoint> points;
  while (statement.step()) points.push_back({statement.integer(0), statement.real(1)});
  return points;
}

std::vector<MetricSeriesInfo> MetricRepository::seriesInfo(std::int64_t runId) {
  auto statement = connection_.prepare(
      "SELECT name, count(*) FROM metrics WHERE run_id = ?1 GROUP BY name ORDER BY name");
  statement.bindInteger(1, runId);
  std::vector<MetricSeriesInfo> names;
  while (statement.step()) names.push_back({statement.text(0), statement.integer(1)});
  return names;
}

std::int64_t MetricRepository::count(std::int64_t runId) {
  auto statement = connection_.prepare("SELECT count(*) FROM metrics WHERE run_id = ?1");
  statement.bindInteger(1, runId);
  statement.step();
  return statement.integer(0);
}

}  // namespace astro::store
