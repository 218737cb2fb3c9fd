// bench_samples_view: issue 10's bar "a workspace with 100 runs and 1,000,000 samples opens in
// under 1 s; the samples table scrolls smoothly". Builds the workspace once (100 runs, each with
// an evaluate and an rl stage: 5 checkpoints x 250 problems x 4 samples and 50 GRPO steps x 25
// groups x 4 rollouts, 10,000 samples a run), then, median of 7 (page cache warm):
//   open     the studio's workspace snapshot (every run with its stages and ETA, read-only open)
//   page 1   StoredSampleModel::setQuery on run 50 until its first 256 rows are in the model
//   window   MainWindow constructed on the workspace, run 50 selected, until the Samples table
//            holds its first page (everything the user waits for)
// and the scrolling figures: each next page (fetchMore) deep in a run, a filtered first page
// (verdict + text search), the run's count, and one GRPO step's groups.
// Usage: bench_samples_view [folder]   (default: <temp>/astro-bench-samples; reused when complete)
#include <fcntl.h>
#include <unistd.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/base/workspace_paths.h"
#include "core/store/workspace.h"
#include "gui/main_window.h"
#include "gui/samples/run_samples.h"
#include "gui/samples/samples_view.h"
#include "gui/samples/stored_sample_model.h"
#include "gui/workspace/workspace_data.h"

using namespace astro;

namespace {

constexpr int kRuns = 100;
constexpr int kCheckpoints = 5, kProblems = 250, kSamplesPerProblem = 4;
constexpr int kSteps = 50, kGroups = 25, kGroupSize = 4;
constexpr std::int64_t kSamples =
    std::int64_t(kRuns) *
    (kCheckpoints * kProblems * kSamplesPerProblem + kSteps * kGroups * kGroupSize);
constexpr int kRepeats = 7;
constexpr double kBudgetMs = 1000.0;

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::string completion(int problem, int sample) {
  std::string text = "Let me work through problem " + std::to_string(problem) + ".\n\n";
  for (int step = 0; step < 3 + (problem + sample) % 4; ++step) {
    text += "Step " + std::to_string(step) + ": combine " + std::to_string(problem * 7 % 97) +
            " and " + std::to_string(sample * 13 % 89) + " to reach the next value.\n\n";
  }
  if ((problem * 31 + sample) % 1000 == 7) text += "A needle in the haystack.\n\n";
  return text + "The answer is \\boxed{" + std::to_string(problem % 50) + "}.";
}

void buildWorkspace(const std::filesystem::path& folder) {
  std::filesystem::remove_all(folder);
  auto workspace = store::Workspace::open(folder);
  QElapsedTimer clock;
  clock.start();
  for (int r = 0; r < kRuns; ++r) {
    auto run = workspace.runs().create({.name = "run " + std::to_string(r)});
    auto evaluate = workspace.stages().add(run.id, "evaluate");
    auto rl = workspace.stages().add(run.id, "rl");
    workspace.transaction([&] {
      for (int c = 0; c < kCheckpoints; ++c) {
        std::vector<store::SampleRow> rows;
        for (int p = 0; p < kProblems; ++p) {
          for (int s = 0; s < kSamplesPerProblem; ++s) {
            bool correct = (p + s + c + r) % 3 == 0;
            rows.push_back({.problemId = "world-" + std::to_string(p),
                            .sampleIndex = s,
                            .prompt = "Reach " + std::to_string(p % 50) + " from the numbers " +
                                      std::to_string(p) + ", 3, 7 and 11.",
                            .completion = completion(p, s),
                            .answer = std::to_string(correct ? p % 50 : p % 50 + 1),
                            .correct = correct,
                            .steps = 3 + (p + s) % 4,
                            .backtracks = (p + s) % 3,
                            .tokens = 80 + (p * s) % 60});
          }
        }
        workspace.samples().add({.runId = run.id,
                                 .stageId = evaluate.id,
                                 .checkpoint = "checkpoint-" + std::to_string(c),
                                 .benchmark = "world-test"},
                                rows);
      }
      for (int step = 1; step <= kSteps; ++step) {
        std::vector<store::SampleRow> rows;
        for (int g = 0; g < kGroups; ++g) {
          for (int m = 0; m < kGroupSize; ++m) {
            bool correct = (g + m + step) % 4 == 0;
            rows.push_back({.problemId = "train-" + std::to_string((step * kGroups + g) % 400),
                            .sampleIndex = m,
                            .group = g,
                            .prompt = "Reach " + std::to_string(g) + " from 2, 5 and 9.",
                            .completion = completion(g, m),
                            .answer = std::to_string(g),
                            .correct = correct,
                            .reward = correct ? 1.0 : -1.0,
                            .advantage = correct ? 1.5 : -0.5,
                            .steps = 3,
                            .backtracks = m % 2,
                            .tokens = 90});
          }
        }
        workspace.samples().add({.runId = run.id,
                                 .stageId = rl.id,
                                 .kind = store::SampleKind::kRollout,
                                 .step = step,
                                 .benchmark = "train"},
                                rows);
      }
    });
  }
  std::printf("built %lld samples in %d runs in %.1f s (%.0f MiB)\n", (long long)kSamples, kRuns,
              clock.elapsed() / 1000.0,
              std::filesystem::file_size(workspaceDatabasePath(folder)) / 1048576.0);
}

bool complete(const std::filesystem::path& folder) {
  if (!std::filesystem::exists(workspaceDatabasePath(folder))) return false;
  // Opened for writing: a workspace built by an older schema is migrated (migration 5 only adds
  // two columns with defaults, no table rewrite) before the studio opens it read-only.
  auto workspace = store::Workspace::open(folder, {.quickCheckMaxBytes = 0});
  return workspace.runs().list().size() == kRuns &&
         workspace.samples().count(kRuns) == kSamples / kRuns;
}

// Drops the database's pages from the OS page cache (clean pages need no privileges), so the
// next open reads the disk as a studio started after a reboot would.
void evictFromPageCache(const std::filesystem::path& folder) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string file = workspaceDatabasePath(folder).string() + suffix;
    int fd = ::open(file.c_str(), O_RDONLY);
    if (fd < 0) continue;
    ::fdatasync(fd);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
  }
}

// Runs the event loop until `done` or 30 s; the milliseconds it took.
double waitFor(const std::function<bool()>& done, QElapsedTimer& clock) {
  while (!done() && clock.elapsed() < 30000) {
    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
  }
  return clock.nsecsElapsed() / 1e6;
}

void row(const char* what, double ms, double budget = 0) {
  if (budget > 0) {
    std::printf("%-58s %9.1f ms   budget %6.0f ms   %6.3fx of it\n", what, ms, budget, ms / budget);
  } else {
    std::printf("%-58s %9.1f ms\n", what, ms);
  }
}

}  // namespace

int main(int argc, char** argv) {
  QApplication::setOrganizationName("astro-bench");
  QApplication app(argc, argv);
  const std::filesystem::path folder =
      argc > 1 ? std::filesystem::path(argv[1])
               : std::filesystem::temp_directory_path() / "astro-bench-samples";
  if (!complete(folder)) buildWorkspace(folder);
  const std::int64_t runId = kRuns / 2;

  std::vector<double> open, page, total, cold, window, next, filtered, count, groups;
  for (int i = 0; i < kRepeats; ++i) {
    {
      evictFromPageCache(folder);
      QElapsedTimer coldClock;
      coldClock.start();
      auto snapshot = gui::readWorkspaceSnapshot(folder);
      gui::StoredSampleModel model;
      model.setQuery(folder, runId - 1 - i);
      cold.push_back(waitFor([&] { return model.rowCount() > 0; }, coldClock));
    }
    QElapsedTimer clock;
    clock.start();
    auto snapshot = gui::readWorkspaceSnapshot(folder);
    open.push_back(clock.nsecsElapsed() / 1e6);
    if (snapshot.runs.size() != kRuns) {
      std::fprintf(stderr, "snapshot: %zu runs %s\n", snapshot.runs.size(),
                   snapshot.error.toStdString().c_str());
      return 1;
    }
    gui::StoredSampleModel model;
    QElapsedTimer pageClock;
    pageClock.start();
    model.setQuery(folder, runId);
    page.push_back(waitFor([&] { return model.rowCount() > 0; }, pageClock));
    total.push_back(open.back() + page.back());
    // Scrolling: the 20th page after 19 (keyset, deep in the run).
    for (int p = 0; p < 20; ++p) {
      QElapsedTimer fetchClock;
      fetchClock.start();
      int rows = model.rowCount();
      while (!model.canFetchMore({}))
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
      model.fetchMore({});
      double ms = waitFor([&] { return model.rowCount() > rows; }, fetchClock);
      if (p == 19) next.push_back(ms);
    }
    QElapsedTimer filterClock;
    filterClock.start();
    model.setQuery(folder, runId, {.correct = false, .text = "needle"});
    filtered.push_back(waitFor([&] { return model.rowCount() > 0; }, filterClock));
    QElapsedTimer countClock;
    countClock.start();
    auto counted = gui::readRunSampleCount(folder, runId, {.correct = false, .text = "needle"});
    count.push_back(countClock.nsecsElapsed() / 1e6);
    if (!counted.error.isEmpty() || counted.total <= 0) return 1;
    QElapsedTimer groupClock;
    groupClock.start();
    auto step = gui::readRolloutStep(folder, runId, 25);
    groups.push_back(groupClock.nsecsElapsed() / 1e6);
    if (step.rollouts.size() != kGroups * kGroupSize) return 1;

    QElapsedTimer windowClock;
    windowClock.start();
    gui::MainWindow main(QString::fromStdString(folder.string()));
    main.show();
    main.selectRun(runId);
    auto* stored = main.samplesView()->storedModel();
    window.push_back(
        waitFor([&] { return stored->runId() == runId && stored->rowCount() > 0; }, windowClock));
  }

  std::printf("\nbench_samples_view: %lld samples in %d runs, run %lld has %lld; median of %d\n\n",
              (long long)kSamples, kRuns, (long long)runId, (long long)(kSamples / kRuns),
              kRepeats);
  row("open: workspace snapshot (100 runs, stages, ETA)", median(open));
  row("page 1: first 256 samples of a run in the model", median(page));
  row("open + page 1", median(total), kBudgetMs);
  row("open + page 1, database evicted from the page cache", median(cold), kBudgetMs);
  row("window: MainWindow, select run, Samples page 1 shown", median(window), kBudgetMs);
  row("scroll: page 20 (rows 4,865-5,120) by fetchMore", median(next), 100);
  row("filter: wrong + text 'needle', first page", median(filtered));
  row("count of that filter (10,000-row run)", median(count));
  row("count of a whole run (10,000 rows)", [&] {
    QElapsedTimer clock;
    clock.start();
    gui::readRunSampleCount(folder, runId, {});
    return clock.nsecsElapsed() / 1e6;
  }());
  row("GRPO groups of one step (25 x 4)", median(groups));
  return 0;
}
