// bench_store: speed of the run store on this machine, median of 5 runs each.
//   bulk metric insert (one transaction, cached prepared statement) against the naive way (one
//   autocommit INSERT per row), one metric series read of 100,000 points, event appends.
// Usage: bench_store [folder]   (default: a fresh folder under the system temp directory)
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/store/workspace.h"

using namespace astro::store;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kRepeats = 5;
constexpr int kBulkRows = 200000;
constexpr int kNaiveRows = 2000;  // the naive way is ~100x slower: fewer rows, same rate
constexpr int kSeriesPoints = 100000;
constexpr int kEvents = 2000;

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// Seconds of one call of `body`, after `setUp` (not timed).
double timed(const std::function<void()>& setUp, const std::function<void()>& body) {
  setUp();
  auto start = Clock::now();
  body();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::vector<MetricRow> metricRows(std::int64_t runId, int count) {
  std::vector<MetricRow> rows(count);
  const char* names[] = {"sft/loss", "sft/lr", "rl/reward", "rl/kl"};
  for (int i = 0; i < count; ++i) {
    rows[i] = {.runId = runId,
               .stageId = std::nullopt,
               .step = i / 4,
               .name = names[i % 4],
               .value = i * 0.001};
  }
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path root = argc > 1 ? std::filesystem::path(argv[1])
                                        : std::filesystem::temp_directory_path() /
                                              ("bench-store-" + std::to_string(::getpid()));
  std::filesystem::remove_all(root);
  int folderIndex = 0;
  auto freshWorkspace = [&] { return Workspace::open(root / std::to_string(folderIndex++)); };

  std::vector<double> bulk, naive, series, events;
  for (int repeat = 0; repeat < kRepeats; ++repeat) {
    {
      auto workspace = freshWorkspace();
      auto run = workspace.runs().create({.name = "bench"});
      auto rows = metricRows(run.id, kBulkRows);
      bulk.push_back(kBulkRows / timed([] {}, [&] { workspace.metrics().append(rows); }));
    }
    {
      auto workspace = freshWorkspace();
      auto run = workspace.runs().create({.name = "bench"});
      auto rows = metricRows(run.id, kNaiveRows);
      naive.push_back(kNaiveRows /
                      timed([] {},
                            [&] {
                              for (const auto& row : rows) {
                                workspace.metrics().append(std::span<const MetricRow>(&row, 1));
                              }
                            }));
    }
    {
      auto workspace = freshWorkspace();
      auto run = workspace.runs().create({.name = "bench"});
      auto other = workspace.runs().create({.name = "noise"});
      std::vector<MetricPoint> points(kSeriesPoints);
      for (int i = 0; i < kSeriesPoints; ++i) points[i] = {i, i * 0.5};
      workspace.metrics().append(run.id, std::nullopt, "rl/reward", points);
      workspace.metrics().append(run.id, std::nullopt, "rl/kl", points);
      workspace.metrics().append(other.id, std::nullopt, "rl/reward", points);
      std::size_t read = 0;
      series.push_back(
          1000 *
          timed([] {}, [&] { read = workspace.metrics().series(run.id, "rl/reward").size(); }));
      if (read != kSeriesPoints) {
        std::fprintf(stderr, "bench_store: read %zu points, expected %d\n", read, kSeriesPoints);
        return 1;
      }
    }
    {
      auto workspace = freshWorkspace();
      auto run = workspace.runs().create({.name = "bench"});
      NewEvent event{.kind = EventKind::kProgress,
                     .payload = {{"done", 1}, {"total", 100}, {"eta_seconds", 12.5}}};
      events.push_back(kEvents / timed([] {},
                                       [&] {
                                         for (int i = 0; i < kEvents; ++i)
                                           workspace.events().append(run.id, event);
                                       }));
    }
  }
  std::filesystem::remove_all(root);

  double bulkRate = median(bulk), naiveRate = median(naive);
  double seriesMs = median(series), eventRate = median(events);
  std::printf("bench_store: median of %d runs (WAL, synchronous=NORMAL)\n", kRepeats);
  std::printf("%-44s %14s %14s %22s %8s\n", "metric", "ours", "target", "baseline", "ratio");
  std::printf("%-44s %14.0f %14s %14.0f (naive) %7.1fx\n", "bulk metric insert, 200k rows, rows/s",
              bulkRate, ">= 200000", naiveRate, bulkRate / naiveRate);
  std::printf("%-44s %14.1f %14s %22s %7.1fx\n", "read one series of 100k points, ms", seriesMs,
              "< 50", "-", 50.0 / seriesMs);
  std::printf("%-44s %14.0f %14s %22s %8s\n", "event append, one transaction each, events/s",
              eventRate, "-", "-", "-");
  std::printf(
      "baseline: one autocommit INSERT per row (%d rows); ratio: ours/baseline for the "
      "insert, target/ours for the read\n",
      kNaiveRows);
  return 0;
}
