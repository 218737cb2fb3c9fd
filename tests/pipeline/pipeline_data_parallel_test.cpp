// `astro run --nproc 2` on the tiny pipeline: the training stages run on two ranks over Gloo and
// record the losses and rewards one process records; a rank killed mid-run fails the run with an
// error event that says a rank went away, and `astro resume --nproc 2` finishes it onto the
// uninterrupted run's series.
#include <QtTest>
#include <csignal>

#include "core/store/workspace.h"
#include "tests/pipeline/pipeline_test_support.h"
#include "tests/support/rank_processes.h"
#include "tests/support/test_support.h"

namespace fs = std::filesystem;
using astro::test::WorkerProcess;
using astro::test::withWorkspace;

namespace {

const QString kConfig = ASTRO_SOURCE_DIR "/tests/pipeline/data/tiny.toml";
const std::vector<std::string> kSeries = {"pretrain-base/loss", "sft/loss", "rl/reward",
                                          "rl/response_length"};

std::vector<double> series(const fs::path& workspace, const std::string& name) {
  auto opened = astro::store::Workspace::open(workspace);
  std::vector<double> values;
  for (const auto& point : opened.metrics().series(1, name)) values.push_back(point.value);
  return values;
}

// Two ranks sum gradients in another order than one process: the series agree to 1e-4.
void compareSeries(const fs::path& expected, const fs::path& actual) {
  for (const auto& name : kSeries) {
    auto a = series(expected, name);
    auto b = series(actual, name);
    QVERIFY2(!a.empty() && a.size() == b.size(), name.c_str());
    for (std::size_t i = 0; i < a.size(); ++i) {
      QVERIFY2(std::abs(a[i] - b[i]) <= 1e-4 * std::max(1.0, std::abs(a[i])),
               qPrintable(QString("%1[%2]: %3 vs %4").arg(name.c_str()).arg(i).arg(a[i]).arg(b[i])));
    }
  }
}

}  // namespace

class PipelineDataParallelTest : public QObject {
  Q_OBJECT
 private:
  fs::path reference_;

 private Q_SLOTS:
  void initTestCase() {
    qputenv("ASTRO_DIST_TIMEOUT", "60");
    reference_ = astro::test::freshTempDir("pipeline-dp-one");
    WorkerProcess one(withWorkspace(reference_, {"run", kConfig, "--format", "json"}));
    QCOMPARE(one.finish(), 0);
  }

  void run_twoRanksRecordWhatOneProcessRecords() {
    auto workspace = astro::test::freshTempDir("pipeline-dp-two");
    WorkerProcess two(withWorkspace(workspace, {"run", kConfig, "--format", "json", "--nproc", "2"}));
    int code = two.finish();
    QVERIFY2(code == 0, qPrintable(two.errors()));
    QCOMPARE(QString::fromStdString(two.lines().front()), QString("run 1"));
    bool sawRanks = false;
    for (const auto& line : two.lines()) {
      auto event = astro::test::eventOf(line);
      if (event && event->payload.value("ranks", 0) == 2) sawRanks = true;
    }
    QVERIFY(sawRanks);
    compareSeries(reference_, workspace);
    QVERIFY(fs::exists(workspace / "runs" / "1" / "rank-logs" / "rank-1.log"));
  }

  void run_rankKilledFailsTheRunAndResumeFinishesIt() {
    auto workspace = astro::test::freshTempDir("pipeline-dp-kill");
    WorkerProcess job(withWorkspace(workspace, {"run", kConfig, "--format", "json", "--nproc", "2"}));
    // Kill rank 1 at SFT's first metric: it takes part in that stage's collectives.
    std::string line;
    bool inSft = false;
    while (!inSft && job.nextLine(&line)) {
      auto event = astro::test::eventOf(line);
      inSft = event && event->payload.value("stage", "") == "sft" &&
              event->payload.contains("value");
    }
    QVERIFY2(inSft, qPrintable(job.errors()));
    pid_t rank1 = astro::test::rankChild(pid_t(job.pid()), 1);
    QVERIFY(rank1 > 0);
    ::kill(rank1, SIGKILL);
    QVERIFY(job.finish() != 0);
    QVERIFY2(job.errors().contains("rank 1 of 2"), qPrintable(job.errors()));
    {
      auto opened = astro::store::Workspace::open(workspace);
      QCOMPARE(astro::store::runStatusName(opened.runs().get(1).status), std::string("failed"));
      bool errorEvent = false;
      for (const auto& event : opened.events().replay(1)) {
        if (event.kind == astro::store::EventKind::kError) errorEvent = true;
      }
      QVERIFY(errorEvent);
    }
    WorkerProcess resumed(withWorkspace(workspace, {"resume", "1", "--format", "json", "--nproc", "2"}));
    int code = resumed.finish();
    QVERIFY2(code == 0, qPrintable(resumed.errors()));
    compareSeries(reference_, workspace);
  }
};

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  PipelineDataParallelTest test;
  return QTest::qExec(&test, argc, argv);
}
#include "pipeline_data_parallel_test.moc"
