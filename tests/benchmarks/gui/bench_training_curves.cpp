// bench_training_curves: issue 23's bar "the GUI thread stays under 100 ms per event while
// 10 runs x 30 metrics x 3,000 steps are drawn". Builds the workspace once (10 runs, stages
// pretrain-base, sft and rl with 10 metrics each, 3,000 steps a metric: 900,000 points), then
// shows a CurvesPanel (1600 x 1000, offscreen, painted) and, median of 5, measures the longest
// single event the GUI thread dispatched (QApplication::notify timed), the longest the GUI thread
// was unresponsive (the largest gap between the ticks of a 10 ms QTimer minus its period: posted
// events that run back to back, a layout then a paint, add up there) and the time until the last
// chart is drawn:
//   load       setWorkspace + setRuns(10 runs) until every chart holds its lines
//   smoothing  EMA 0.6 -> 0.9 (re-smoothed and re-downsampled on the pool, charts updated)
//   filter     regular expression "loss|reward", then cleared (charts hidden and re-laid out)
//   scroll     the scroll area to the bottom (the hidden charts painted)
// Usage: bench_training_curves [folder]   (default: <temp>/astro-bench-curves; reused)
#include <QApplication>
#include <QElapsedTimer>
#include <QScrollArea>
#include <QScrollBar>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/base/workspace_paths.h"
#include "core/store/workspace.h"
#include "gui/charts/curves_panel.h"

using namespace astro;

namespace {

constexpr int kRuns = 10, kMetricsPerStage = 10, kSteps = 3000, kRepeats = 5;
constexpr const char* kStages[] = {"pretrain-base", "sft", "rl"};
constexpr double kGoalMs = 100.0;
constexpr int kTickMs = 10;

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::string metricName(const char* stage, int m) {
  static const char* kNames[kMetricsPerStage] = {
      "loss",       "learning_rate", "grad_norm", "reward",    "response_length",
      "backtracks", "entropy",       "kl",        "pass_rate", "tokens_per_second"};
  return std::string(stage) + "/" + kNames[m];
}

void buildWorkspace(const std::filesystem::path& folder) {
  std::filesystem::remove_all(folder);
  auto workspace = store::Workspace::open(folder);
  QElapsedTimer clock;
  clock.start();
  for (int r = 0; r < kRuns; ++r) {
    auto run = workspace.runs().create({.name = "knob " + std::to_string(r)});
    workspace.transaction([&] {
      for (const char* stage : kStages) {
        auto added = workspace.stages().add(run.id, stage);
        for (int m = 0; m < kMetricsPerStage; ++m) {
          std::vector<store::MetricPoint> points;
          points.reserve(kSteps);
          for (int step = 1; step <= kSteps; ++step) {
            double trend = (m + 1.0) / std::sqrt(step * (1.0 + 0.1 * r));
            double noise = 0.05 * std::sin(step * 0.37 + r * 1.3 + m) * std::cos(step * 0.011);
            points.push_back({step, trend + noise});
          }
          workspace.metrics().append(run.id, added.id, metricName(stage, m), points);
        }
      }
    });
  }
  std::printf("built %d runs x %d metrics x %d steps in %.1f s\n", kRuns, kMetricsPerStage * 3,
              kSteps, clock.elapsed() / 1000.0);
}

bool complete(const std::filesystem::path& folder) {
  if (!std::filesystem::exists(workspaceDatabasePath(folder))) return false;
  auto workspace = store::Workspace::open(folder, {.quickCheckMaxBytes = 0});
  return workspace.runs().list().size() == kRuns &&
         workspace.metrics().count(kRuns) == std::int64_t(kMetricsPerStage) * 3 * kSteps;
}

// Times every event the GUI thread dispatches (outermost only): the longest one and what it was.
class TimedApplication : public QApplication {
 public:
  using QApplication::QApplication;
  bool notify(QObject* receiver, QEvent* event) override {
    if (depth_++ > 0 || !recording_) {
      bool result = QApplication::notify(receiver, event);
      --depth_;
      return result;
    }
    QElapsedTimer clock;
    clock.start();
    int type = event->type();  // the event may be gone after dispatch
    const char* name = receiver->metaObject()->className();
    bool result = QApplication::notify(receiver, event);
    double ms = clock.nsecsElapsed() / 1e6;
    if (ms > longest_) {
      longest_ = ms;
      what_ = std::string(name) + " event " + std::to_string(type);
    }
    --depth_;
    return result;
  }
  void record(bool on) {
    recording_ = on;
    if (on) longest_ = 0, what_.clear();
  }
  double longest() const { return longest_; }
  const std::string& what() const { return what_; }

 private:
  int depth_ = 0;
  bool recording_ = false;
  double longest_ = 0;
  std::string what_;
};

TimedApplication* timedApp = nullptr;

// The GUI thread's longest stall: a 10 ms timer's largest gap beyond its period.
class StallMeter {
 public:
  StallMeter() {
    ticker_.setInterval(kTickMs);
    ticker_.setTimerType(Qt::PreciseTimer);
    QObject::connect(&ticker_, &QTimer::timeout, [this] {
      worst_ = std::max(worst_, sinceTick_.nsecsElapsed() / 1e6 - kTickMs);
      sinceTick_.restart();
    });
  }
  void start() {
    worst_ = 0;
    sinceTick_.start();
    ticker_.start();
  }
  double stop() {
    ticker_.stop();
    return std::max(0.0, worst_);
  }

 private:
  QTimer ticker_;
  QElapsedTimer sinceTick_;
  double worst_ = 0;
};

// Runs `action`, then the event loop until `done` (and 150 ms more, for the paints that follow);
struct Measured {
  double event;  // longest single event
  double gap;    // longest gap between ticks
  double done;   // until every chart is drawn
};

// returns the longest event, the longest stall and the milliseconds until done.
Measured measure(StallMeter& meter, const std::function<void()>& action,
                 const std::function<bool()>& done) {
  meter.start();
  timedApp->record(true);
  QElapsedTimer clock;
  clock.start();
  // Started from the loop, as a click would be, so the action itself counts as one event.
  QTimer::singleShot(0, action);
  QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
  while (!done() && clock.elapsed() < 60000) {
    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
  }
  double doneMs = clock.nsecsElapsed() / 1e6;
  QElapsedTimer settle;
  settle.start();
  while (settle.elapsed() < 150) QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
  timedApp->record(false);
  if (qEnvironmentVariableIsSet("BENCH_VERBOSE")) {
    std::printf("  longest event %.1f ms: %s\n", timedApp->longest(), timedApp->what().c_str());
  }
  return {timedApp->longest(), meter.stop(), doneMs};
}

void row(const char* what, const std::vector<Measured>& runs) {
  std::vector<double> events, gaps, done;
  for (const auto& run : runs) {
    events.push_back(run.event);
    gaps.push_back(run.gap);
    done.push_back(run.done);
  }
  double event = median(events);
  std::printf("%-40s %8.1f ms %8.1f ms %9.1f ms %6.0f ms %7.2fx  %s\n", what, event, median(gaps),
              median(done), kGoalMs, event / kGoalMs, event < kGoalMs ? "ok" : "OVER");
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication::setOrganizationName("astro-bench");
  TimedApplication app(argc, argv);
  timedApp = &app;
  const std::filesystem::path folder =
      argc > 1 ? std::filesystem::path(argv[1])
               : std::filesystem::temp_directory_path() / "astro-bench-curves";
  if (!complete(folder)) buildWorkspace(folder);
  std::vector<std::int64_t> runIds;
  for (int r = 1; r <= kRuns; ++r) runIds.push_back(r);

  StallMeter meter;
  std::vector<Measured> load, smoothing, filter, cleared, scrolled;
  int charts = 0, lines = 0;
  for (int repeat = 0; repeat < kRepeats; ++repeat) {
    gui::CurvesPanel panel;
    panel.resize(1600, 1000);
    panel.show();
    int updates = 0;
    QObject::connect(&panel, &gui::CurvesPanel::curvesUpdated, [&] { ++updates; });
    auto drawn = [&](int after) {
      return [&, after] { return updates > after && !panel.isBusy(); };
    };
    load.push_back(measure(
        meter, [&] { panel.setWorkspace(folder), panel.setRuns(runIds); }, drawn(0)));
    charts = panel.chartCount();
    lines = panel.lineCount();
    smoothing.push_back(measure(
        meter, [&] { panel.setSmoothing(0.9); }, drawn(updates)));
    filter.push_back(measure(
        meter, [&] { panel.setFilter("loss|reward"); },
        [&] { return panel.chartCount() == 6 && !panel.isBusy(); }));
    cleared.push_back(measure(
        meter, [&] { panel.setFilter(""); },
        [&] { return panel.chartCount() == 30 && !panel.isBusy(); }));
    auto* bar = panel.findChild<QScrollArea*>("curvesScroll")->verticalScrollBar();
    scrolled.push_back(measure(
        meter, [&] { bar->setValue(bar->maximum()); }, [] { return true; }));
  }
  std::printf(
      "\nbench_training_curves: %d runs x %d metrics x %d steps (%d points), %d charts, "
      "%d lines; median of %d, offscreen 1600x1000\n\n",
      kRuns, kMetricsPerStage * 3, kSteps, kRuns * kMetricsPerStage * 3 * kSteps, charts, lines,
      kRepeats);
  std::printf("%-40s %11s %11s %12s %9s %8s\n", "GUI thread while", "longest ev", "longest gap",
              "all drawn", "goal", "ratio");
  row("load: 10 runs selected", load);
  row("smoothing: EMA 0.6 -> 0.9", smoothing);
  row("filter: 'loss|reward' (6 of 30 charts)", filter);
  row("filter cleared (30 charts)", cleared);
  row("scroll to the bottom", scrolled);
  return 0;
}
