// Scalar metrics of a run (loss, reward, accuracy, ...) by step: bulk appends in one transaction
// and whole series read back in step order, for the charts.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace astro::store {

namespace detail {
class Connection;
}

struct MetricRow {
  std::int64_t runId = 0;
  std::optional<std::int64_t> stageId{};
  std::int64_t step = 0;
  std::string name{};  // "sft/loss", "rl/reward", "eval/pass@1"
  double value = 0;
};

struct MetricPoint {
  std::int64_t step = 0;
  double value = 0;
  bool operator==(const MetricPoint&) const = default;
};

struct MetricSeriesInfo {
  std::string name{};
  std::int64_t count = 0;
};

class MetricRepository {
 public:
  explicit MetricRepository(detail::Connection& connection) : connection_(connection) {}

  // All rows in one transaction (or inside the caller's): all are stored or none.
  void append(std::span<const MetricRow> rows);
  // One series' points, as a training loop logs them.
  void append(std::int64_t runId, std::optional<std::int64_t> stageId, const std::string& name,
              std::span<const MetricPoint> points);

  // The series `name` of a run in step order.
  std::vector<MetricPoint> series(std::int64_t runId, const std::string& name);
  // Every metric name of a run with its number of points, by name.
  std::vector<MetricSeriesInfo> seriesInfo(std::int64_t runId);
  std::int64_t count(std::int64_t runId);

 private:
  detail::Connection& connection_;
};

}  // namespace astro::store
