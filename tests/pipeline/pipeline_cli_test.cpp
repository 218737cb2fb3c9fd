// The `astro run` family end to end on one-stage pipelines over a random-init tiny model: stdout
// is "run <ID>" then the event log; SIGTERM and `astro cancel` checkpoint and stop; a second
// worker on the same run is refused, so is a resume whose input changed; two workers on one
// workspace both finish cleanly; run names and config paths never escape the workspace or reach a
// shell.
#include <signal.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <fstream>

#include "core/store/workspace.h"
#include "tests/pipeline/pipeline_test_support.h"
#include "tests/support/test_support.h"

using namespace astro::test;
namespace fs = std::filesystem;

namespace {

const fs::path kSftData = ASTRO_SOURCE_DIR "/tests/pipeline/data/world_direct_sft.jsonl";

struct Fixture {
  fs::path dir;
  fs::path workspace;
  fs::path model;
  fs::path data;  // a copy of the SFT fixture the test may change
};

// The model and puzzles, made once for the whole suite (initTestCase).
fs::path sharedFixture;

Fixture makeFixture(const QString& name) {
  Fixture fixture;
  fixture.dir = freshTempDir(name);
  fixture.workspace = fixture.dir / "workspace";
  fixture.model = sharedFixture / "model";
  fixture.data = fixture.dir / "sft.jsonl";
  fs::copy_file(kSftData, fixture.data);
  return fixture;
}

// A one-stage pipeline: SFT of the tiny model on the fixture, `epochs` x 8 steps of one example.
QString writeSftConfig(const Fixture& fixture, int epochs, const std::string& name = "sft only") {
  fs::path file = fixture.dir / "sft.toml";
  std::ofstream out(file);
  out << "[run]\nname = \"" << name << "\"\nthreads = 1\n\n[sft]\nmodel = \""
      << fixture.model.string() << "\"\ndata = \"" << fixture.data.string()
      << "\"\nlearning_rate = 1e-3\nsequences_per_step = 1\nmax_length = 160\nepochs = " << epochs
      << "\ncheckpoint_every = 1000\n";
  return QString::fromStdString(file.string());
}

std::string fileText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Reads the worker's lines until its first metric event.
bool waitForFirstMetric(WorkerProcess& worker) {
  std::string line;
  while (worker.nextLine(&line)) {
    auto event = eventOf(line);
    if (event && event->kind == astro::store::EventKind::kMetric) return true;
  }
  return false;
}

QJsonObject runJson(const fs::path& workspace, int runId) {
  auto shown = runProgram(
      cliPath(), withWorkspace(workspace, {"runs", "show", QString::number(runId), "--json"}));
  return QJsonDocument::fromJson(shown.out.toUtf8()).object();
}

// Runs an astro command while reading a running worker's stdout: a test blocked in a plain
// runProgram reads nothing, and a worker that fills its stdout pipe meanwhile (an event per SFT
// step, faster than a loaded machine starts a process) blocks in write() and never sees the stop
// it is asked for.
ProcessResult runWhileReading(WorkerProcess& worker, const QStringList& arguments,
                              int timeoutMs = 120000) {
  QProcess process;
  process.start(cliPath(), arguments);
  process.waitForStarted(10000);
  QElapsedTimer timer;
  timer.start();
  std::string line;
  while (!process.waitForFinished(20) && timer.elapsed() < timeoutMs) {
    while (worker.nextLine(&line, 0)) {
    }
  }
  ProcessResult result;
  if (process.state() != QProcess::NotRunning) {
    process.kill();
    process.waitForFinished(10000);
    result.err = "timed out";
    return result;
  }
  result.crashed = process.exitStatus() == QProcess::CrashExit;
  result.exitCode = result.crashed ? -1 : process.exitCode();
  result.out = QString::fromUtf8(process.readAllStandardOutput());
  result.err = QString::fromUtf8(process.readAllStandardError());
  return result;
}

QJsonObject runObject(const fs::path& workspace, int runId) {
  return runJson(workspace, runId)["run"].toObject();
}

// Every file under `root` that is not under one of `allowed`.
QStringList filesOutside(const fs::path& root, const std::vector<fs::path>& allowed) {
  QStringList outside;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    bool inside = false;
    for (const fs::path& folder : allowed) {
      auto relative = entry.path().lexically_relative(folder);
      inside = inside || (!relative.empty() && *relative.begin() != "..");
    }
    if (!inside) outside << QString::fromStdString(entry.path().string());
  }
  return outside;
}

}  // namespace

class PipelineCliTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    sharedFixture = freshTempDir("pipeline-cli-fixture");
    makeTinyWorldFixture(sharedFixture);
  }

  void run_printsTheRunIdFirst_thenTheEventLog() {
    Fixture fixture = makeFixture("pipeline-cli-run");
    auto run = runProgram(cliPath(),
                          withWorkspace(fixture.workspace, {"run", writeSftConfig(fixture, 1)}));
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    auto lines = run.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.front(), QString("run 1"));
    auto replay = runProgram(cliPath(), withWorkspace(fixture.workspace, {"events", "1"}));
    QCOMPARE(replay.out.split('\n', Qt::SkipEmptyParts), lines.mid(1));
    auto since =
        runProgram(cliPath(), withWorkspace(fixture.workspace, {"events", "1", "--since", "3"}));
    QCOMPARE(since.out.split('\n', Qt::SkipEmptyParts), lines.mid(4));
    QVERIFY(eventOf(lines.last().toStdString())->payload["status"] == "finished");

    QJsonObject shown = runObject(fixture.workspace, 1);
    QCOMPARE(shown["status"].toString(), QString("finished"));
    QCOMPARE(shown["current_stage"].toString(), QString("sft"));
    QCOMPARE(shown["stage_position"].toInt(), 1);
    QCOMPARE(shown["progress_done"].toInt(), 8);
    QCOMPARE(shown["progress_total"].toInt(), 8);
    auto again = runProgram(cliPath(), withWorkspace(fixture.workspace, {"resume", "1"}));
    QCOMPARE(again.exitCode, 0);
    QVERIFY(again.out.contains("run 1 already finished"));
  }

  void sigterm_checkpointsAndStops_thenResumeFinishes() {
    Fixture fixture = makeFixture("pipeline-cli-sigterm");
    WorkerProcess worker(withWorkspace(fixture.workspace, {"run", writeSftConfig(fixture, 4)}));
    QVERIFY(waitForFirstMetric(worker));
    worker.signal(SIGTERM);
    QCOMPARE(worker.finish(), 1);
    QVERIFY2(worker.errors().contains("run 1 interrupted"), qPrintable(worker.errors()));
    QJsonObject shown = runJson(fixture.workspace, 1);
    QCOMPARE(shown["run"].toObject()["status"].toString(), QString("interrupted"));
    QString checkpoint = shown["stages"].toArray()[0].toObject()["checkpoint"].toString();
    QVERIFY2(checkpoint.startsWith("runs/1/1-sft/checkpoint-"), qPrintable(checkpoint));

    auto resumed = runProgram(cliPath(), withWorkspace(fixture.workspace, {"resume", "1"}), 600000);
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
    auto workspace = astro::store::Workspace::open(fixture.workspace, {.readOnly = true});
    QCOMPARE(workspace.metrics().series(1, "sft/loss").size(), std::size_t(32));
    auto events = workspace.events().replay(1);
    for (std::size_t i = 0; i < events.size(); ++i) QCOMPARE(events[i].seq, std::int64_t(i + 1));
  }

  void cancel_fromAnotherProcess_stopsTheWorker() {
    Fixture fixture = makeFixture("pipeline-cli-cancel");
    // Long enough to outlast the three commands before the cancel. With the flat-buffer optimizer
    // a tiny model's step is faster and 100 epochs (800 steps) ended first on a quiet host; the
    // commands then took ~80 s beside a worker writing ~120 metric events a second.
    WorkerProcess worker(withWorkspace(fixture.workspace, {"run", writeSftConfig(fixture, 1000)}));
    QVERIFY(waitForFirstMetric(worker));
    auto busy = runWhileReading(worker, withWorkspace(fixture.workspace, {"resume", "1"}));
    QCOMPARE(busy.exitCode, 1);
    QVERIFY2(busy.err.contains("run 1 is already being worked on by process " +
                               QString::number(worker.pid())),
             qPrintable(busy.err));
    auto shown = runWhileReading(worker, withWorkspace(fixture.workspace,
                                                       {"runs", "show", "1", "--json"}));
    QJsonObject live = QJsonDocument::fromJson(shown.out.toUtf8()).object()["run"].toObject();
    QCOMPARE(live["worker_pid"].toInteger(), worker.pid());

    auto cancel = runWhileReading(worker, withWorkspace(fixture.workspace, {"cancel", "1"}));
    QVERIFY2(cancel.exitCode == 0, qPrintable(cancel.err));
    QVERIFY2(cancel.out.contains("run 1 cancelled"), qPrintable(cancel.out));
    QCOMPARE(worker.finish(), 1);
    QCOMPARE(runObject(fixture.workspace, 1)["status"].toString(), QString("cancelled"));
    auto notRunning = runProgram(cliPath(), withWorkspace(fixture.workspace, {"cancel", "1"}));
    QVERIFY(notRunning.out.contains("was not running; marked cancelled"));
  }

  void killedWorker_showsAsInterrupted_andAChangedInputIsRefused() {
    Fixture fixture = makeFixture("pipeline-cli-inputs");
    WorkerProcess worker(withWorkspace(fixture.workspace, {"run", writeSftConfig(fixture, 4)}));
    QVERIFY(waitForFirstMetric(worker));
    worker.signal(SIGKILL);
    worker.finish();
    // The store still says running; no worker holds the run any more.
    QCOMPARE(runObject(fixture.workspace, 1)["status"].toString(), QString("interrupted"));

    std::string original = fileText(fixture.data);
    std::ofstream(fixture.data, std::ios::app) << original.substr(0, original.find('\n') + 1);
    auto refused = runProgram(cliPath(), withWorkspace(fixture.workspace, {"resume", "1"}));
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains("input 'data'") &&
                 refused.err.contains("changed since the run") &&
                 refused.err.contains(QString::fromStdString(fixture.data.string())),
             qPrintable(refused.err));
    auto errors = runProgram(cliPath(), withWorkspace(fixture.workspace, {"events", "1"}));
    QVERIFY(errors.out.contains("\"kind\":\"error\""));

    std::ofstream(fixture.data, std::ios::trunc) << original;
    auto resumed = runProgram(cliPath(), withWorkspace(fixture.workspace, {"resume", "1"}), 600000);
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
  }

  void twoWorkersOnOneWorkspace_bothFinishWithIntactLogs() {
    Fixture fixture = makeFixture("pipeline-cli-two");
    QString config = writeSftConfig(fixture, 1);
    WorkerProcess first(withWorkspace(fixture.workspace, {"run", config}));
    WorkerProcess second(withWorkspace(fixture.workspace, {"run", config}));
    QCOMPARE(first.finish(), 0);
    QCOMPARE(second.finish(), 0);
    auto workspace = astro::store::Workspace::open(fixture.workspace, {.readOnly = true});
    QCOMPARE(workspace.checkIntegrity(), std::string("ok"));
    QCOMPARE(workspace.runs().list().size(), std::size_t(2));
    for (std::int64_t run : {1, 2}) {
      QCOMPARE(workspace.runs().get(run).status, astro::store::RunStatus::kFinished);
      auto events = workspace.events().replay(run);
      for (std::size_t i = 0; i < events.size(); ++i) QCOMPARE(events[i].seq, std::int64_t(i + 1));
      QCOMPARE(workspace.metrics().series(run, "sft/loss").size(), std::size_t(8));
    }
    // Same config, same seed: the two runs trained identically, each in its own folder.
    QCOMPARE(workspace.metrics().series(1, "sft/loss"), workspace.metrics().series(2, "sft/loss"));
    QVERIFY(fs::exists(fixture.workspace / "runs/1/1-sft/final/model.safetensors"));
    QVERIFY(fs::exists(fixture.workspace / "runs/2/1-sft/final/model.safetensors"));
  }

  // `astro analyze --run ID` on a pipeline run: its evaluate stage's samples, graded again by the
  // countdown verifier, one checkpoint row per evaluated model; a run with no evaluate stage is
  // refused by name.
  void analyzeRun_readsAPipelineRunsEvaluationSamples() {
    Fixture fixture = makeFixture("pipeline-cli-analyze");
    fs::path config = fixture.dir / "evaluate.toml";
    std::ofstream(config) << "[run]\nthreads = 1\n[evaluate]\nsamples = 2\nmax_new_tokens = 8\n"
                          << "models = [{name = \"base\", path = \"" << fixture.model.string()
                          << "\"}, {name = \"again\", path = \"" << fixture.model.string() << "\"}]\n"
                          << "datasets = [{name = \"puzzles\", path = \""
                          << (sharedFixture / "puzzles/test.jsonl").string() << "\"}]\n";
    auto evaluated = runProgram(
        cliPath(), withWorkspace(fixture.workspace, {"run", QString::fromStdString(config.string())}));
    QVERIFY2(evaluated.exitCode == 0, qPrintable(evaluated.err));
    const QString csv = QString::fromStdString((fixture.dir / "csv").string());
    auto analyzed = runProgram(cliPath(), withWorkspace(fixture.workspace,
                                                        {"analyze", "--run", "1", "--bootstrap",
                                                         "50", "--csv", csv}));
    QVERIFY2(analyzed.exitCode == 0, qPrintable(analyzed.err));
    QVERIFY2(analyzed.out.contains("verifier countdown"), qPrintable(analyzed.out));
    QVERIFY2(analyzed.out.contains("detector exact"), qPrintable(analyzed.out));
    const std::string table = fileText(fixture.dir / "csv/checkpoints.csv");
    QVERIFY2(table.find("puzzles,base,") != std::string::npos, table.c_str());
    QVERIFY2(table.find("puzzles,again,") != std::string::npos, table.c_str());
    // 2 models x 4 puzzles x (2 samples + the greedy answer).
    QVERIFY2(analyzed.out.startsWith("read 24 samples"), qPrintable(analyzed.out));

    auto sftOnly = runProgram(cliPath(), withWorkspace(fixture.workspace,
                                                       {"run", writeSftConfig(fixture, 1)}));
    QVERIFY2(sftOnly.exitCode == 0, qPrintable(sftOnly.err));
    auto refused =
        runProgram(cliPath(), withWorkspace(fixture.workspace, {"analyze", "--run", "2"}));
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains("has no evaluation samples"), qPrintable(refused.err));
  }

  void maliciousNamesAndPaths_stayInTheWorkspace() {
    Fixture fixture = makeFixture("pipeline-cli-malicious");
    const QString marker = QString::fromStdString((fixture.dir / "PWNED").string());
    // A name is stored as text and never used as a path or passed to a shell.
    QString config = writeSftConfig(fixture, 1,
                                    "../../../../x/$(touch " + marker.toStdString() + "); `touch " +
                                        marker.toStdString() + "`");
    auto run = runProgram(cliPath(), withWorkspace(fixture.workspace, {"run", config}));
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(!fs::exists(marker.toStdString()));
    QCOMPARE(runObject(fixture.workspace, 1)["name"].toString(),
             "../../../../x/$(touch " + marker + "); `touch " + marker + "`");
    // Names with control characters (terminal escapes, newlines) are refused.
    auto escape = runProgram(
        cliPath(), withWorkspace(fixture.workspace, {"run", config, "--name", "a\x1b[2Jb"}));
    QCOMPARE(escape.exitCode, 2);
    // A config path is a literal file name: nothing runs it.
    fs::path evil = fixture.dir / "evil.toml";
    std::ofstream(evil) << "[search]\ndataset = \"$(touch " << marker.toStdString()
                        << ")\"\nmodel = \"" << fixture.model.string() << "\"\n";
    auto missing = runProgram(
        cliPath(),
        withWorkspace(fixture.workspace, {"run", QString::fromStdString(evil.string())}));
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("does not exist"), qPrintable(missing.err));
    QVERIFY(!fs::exists(marker.toStdString()));
    // Labels chosen in the config name metrics, never files.
    fs::path labels = fixture.dir / "labels.toml";
    std::ofstream(labels) << "[run]\nthreads = 1\n[evaluate]\nsamples = 1\nmax_new_tokens = 4\n"
                          << "models = [{name = \"../../../../../escaped-model\", path = \""
                          << fixture.model.string() << "\"}]\n"
                          << "datasets = [{name = \"/tmp/../../escaped-data\", path = \""
                          << (sharedFixture / "puzzles/test.jsonl").string() << "\"}]\n";
    auto evaluated = runProgram(
        cliPath(),
        withWorkspace(fixture.workspace, {"run", QString::fromStdString(labels.string())}));
    QVERIFY2(evaluated.exitCode == 0, qPrintable(evaluated.err));
    QVERIFY(fs::exists(fixture.workspace / "runs/2/1-evaluate/units/model0-dataset0.jsonl"));
    QStringList outside = filesOutside(fixture.dir, {fixture.workspace});
    outside.removeAll(QString::fromStdString(fixture.data.string()));
    outside.removeAll(config);
    outside.removeAll(QString::fromStdString(evil.string()));
    outside.removeAll(QString::fromStdString(labels.string()));
    QVERIFY2(outside.isEmpty(), qPrintable(outside.join(", ")));
    for (const fs::path& root : {fs::path(ASTRO_BINARY_DIR), fs::path("/tmp"), fs::path("/")}) {
      bool recursive = root == fs::path(ASTRO_BINARY_DIR);
      auto check = [&](const fs::path& path) {
        QVERIFY2(path.filename().string().find("escaped-") == std::string::npos,
                 qPrintable(QString::fromStdString(path.string())));
      };
      if (recursive) {
        for (const auto& entry : fs::recursive_directory_iterator(root)) check(entry.path());
      } else {
        for (const auto& entry : fs::directory_iterator(root)) check(entry.path());
      }
    }
    // Run ids are numbers: anything else is a usage error before anything runs.
    auto badId = runProgram(cliPath(), withWorkspace(fixture.workspace, {"events", "1;id"}));
    QCOMPARE(badId.exitCode, 2);
  }
};

QTEST_GUILESS_MAIN(PipelineCliTest)
#include "pipeline_cli_test.moc"
