// Scalar metrics by step (metric_repository.h). A series (run, name) gets an id once; its points
// are rows keyed (series_id, step), so a bulk append is one B-tree insert per point with integer
// keys and a series read is one range scan.
#include "core/store/metric_repository.h"

#include <map>
#include <utility>

#include "core/store/detail/require_run.h"
#include "core/store/detail/sqlite.h"

namespace astro::store {

namespace {

// Series ids of one append, looked up or created once per (run, name).
class SeriesIds {
 public:
  explicit SeriesIds(detail::Connection& connection) : connection_(connection) {}

  std::int64_t idFor(std::int64_t runId, const std::string& name) {
    if (last_ && last_->first.first == runId && last_->first.second == name) return last_->second;
    auto key = std::make_pair(runId, name);
    auto found = ids_.find(key);
    if (found == ids_.end()) found = ids_.emplace(key, lookUpOrCreate(runId, name)).first;
    last_ = &*found;
    return found->second;
  }

 private:
  std::int64_t lookUpOrCreate(std::int64_t runId, const std::string& name) {
    auto select =
        connection_.prepare("SELECT id FROM metric_series WHERE run_id = ?1 AND name = ?2");
    select.bindInteger(1, runId).bindText(2, name);
    if (select.step()) return select.integer(0);
    detail::requireRun(connection_, runId);
    auto insert = connection_.prepare("INSERT INTO metric_series (run_id, name) VALUES (?1, ?2)");
    insert.bindInteger(1, runId).bindText(2, name);
    insert.execute();
    return connection_.lastInsertRowId();
  }

  detail::Connection& connection_;
  std::map<std::pair<std::int64_t, std::string>, std::int64_t> ids_;
  const std::pair<const std::pair<std::int64_t, std::string>, std::int64_t>* last_ = nullptr;
};

// A point logged twice at one step keeps the later value.
constexpr const char* kInsertPoint =
    "INSERT OR REPLACE INTO metrics (series_id, step, stage_id, value) VALUES (?1, ?2, ?3, ?4)";

std::optional<std::int64_t> seriesId(detail::Connection& connection, std::int64_t runId,
                                     const std::string& name) {
  auto select = connection.prepare("SELECT id FROM metric_series WHERE run_id = ?1 AND name = ?2");
  select.bindInteger(1, runId).bindText(2, name);
  if (!select.step()) return std::nullopt;
  return select.integer(0);
}

}  // namespace

void MetricRepository::append(std::span<const MetricRow> rows) {
  detail::Transaction transaction(connection_);
  SeriesIds seriesIds(connection_);
  auto insert = connection_.prepare(kInsertPoint);
  for (const MetricRow& row : rows) {
    insert.bindInteger(1, seriesIds.idFor(row.runId, row.name)).bindInteger(2, row.step);
    insert.bindOptionalInteger(3, row.stageId).bindReal(4, row.value);
    insert.execute();
  }
  transaction.commit();
}

void MetricRepository::append(std::int64_t runId, std::optional<std::int64_t> stageId,
                              const std::string& name, std::span<const MetricPoint> points) {
  detail::Transaction transaction(connection_);
  std::int64_t series = SeriesIds(connection_).idFor(runId, name);
  auto insert = connection_.prepare(kInsertPoint);
  for (const MetricPoint& point : points) {
    // execute() clears the bindings, so every parameter is bound again for each point.
    insert.bindInteger(1, series).bindInteger(2, point.step);
    insert.bindOptionalInteger(3, stageId).bindReal(4, point.value);
    insert.execute();
  }
  transaction.commit();
}

std::vector<MetricPoint> MetricRepository::series(std::int64_t runId, const std::string& name) {
  std::vector<MetricPoint> points;
  std::optional<std::int64_t> series = seriesId(connection_, runId, name);
  if (!series) return points;
  auto select =
      connection_.prepare("SELECT step, value FROM metrics WHERE series_id = ?1 ORDER BY step");
  select.bindInteger(1, *series);
  while (select.step()) points.push_back({select.integer(0), select.real(1)});
  return points;
}

std::vector<MetricSeriesInfo> MetricRepository::seriesInfo(std::int64_t runId) {
  auto select = connection_.prepare(
      "SELECT s.name, count(m.step) FROM metric_series s LEFT JOIN metrics m ON m.series_id = s.id "
      "WHERE s.run_id = ?1 GROUP BY s.id ORDER BY s.name");
  select.bindInteger(1, runId);
  std::vector<MetricSeriesInfo> names;
  while (select.step()) names.push_back({select.text(0), select.integer(1)});
  return names;
}

std::int64_t MetricRepository::count(std::int64_t runId) {
  auto select = connection_.prepare(
      "SELECT count(*) FROM metrics WHERE series_id IN "
      "(SELECT id FROM metric_series WHERE run_id = ?1)");
  select.bindInteger(1, runId);
  select.step();
  return select.integer(0);
}

}  // namespace astro::store
