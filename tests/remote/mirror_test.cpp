// The mirror without a network: a run's store exported as mirror records and applied to another
// workspace equals the source; a stream cut at ANY line and resumed from the stored cursor still
// gives an exact copy (nothing lost, nothing applied twice); a sample set replaced after it was
// mirrored is replaced in the mirror; malformed records and contradicting seqs are refused with
// nothing stored.
#include <QtTest>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/pipeline/run_events.h"
#include "core/pipeline/run_layout.h"
#include "core/remote/mirror_apply.h"
#include "core/remote/mirror_export.h"
#include "core/store/workspace.h"
#include "core/pipeline/worker.h"
#include "tests/remote/support/mirror_compare.h"
#include "tests/store/store_test_support.h"
#include "tests/support/test_support.h"

using namespace astro;
namespace fs = std::filesystem;

namespace {

store::SampleRow sampleRow(int index, const std::string& problem) {
  return store::SampleRow{.problemId = problem,
                          .sampleIndex = index,
                          .group = index / 2,
                          .prompt = "Using the numbers 3, 4, 5, reach 17.",
                          // Every third one ends inside a multi-byte character, as a sampled
                          // completion can: not UTF-8, so it travels as hex.
                          .completion = index % 3 == 1 ? "3 * 4 = 12 \xe2\x82"
                                                       : "3 * 4 = 12\n12 + 5 = 17 \\boxed{3*4+5}",
                          .answer = "3*4+5",
                          .correct = index % 3 == 0 ? std::optional<bool>() : (index % 2 == 0),
                          .reward = index % 2 == 0 ? 1.0 : -1.0,
                          .advantage = 0.5 * index,
                          .steps = 2,
                          .backtracks = index % 3,
                          .reflections = 1,
                          .tokens = 40 + index};
}

store::NewTree tree(std::int64_t runId, const std::string& problemId) {
  store::NewTree t{.runId = runId,
                   .problemId = problemId,
                   .problem = "reach 17 with 3 4 5",
                   .referenceAnswer = "17",
                   .subject = "countdown",
                   .level = 2};
  t.nodes.push_back({.id = 0, .text = "", .visits = 4, .value = 1.0, .prior = 1.0});
  t.nodes.push_back({.id = 1, .parent = 0, .text = "3 * 4 = 12 \xf0\x9f", .visits = 3, .value = 1.0,
                     .prior = 0.5, .depth = 1});
  t.nodes.push_back({.id = 2, .parent = 1, .text = "12 + 5 = 17", .visits = 2, .value = 2.0,
                     .prior = 0.5, .depth = 2, .terminal = true, .answer = "17", .correct = true});
  return t;
}

// A run with every kind of mirrored content: events of each kind (with metric points and an
// artifact), stage state, trees and sample sets, one of them replaced.
std::int64_t makeSourceRun(store::Workspace& ws, int scale = 1) {
  auto run = ws.runs().create({.name = "source", .config = "[run]\nname = \"source\"\n"});
  auto search = ws.stages().add(run.id, "search");
  auto rl = ws.stages().add(run.id, "rl");
  pipeline::RunEvents events(ws, run.id, {}, std::chrono::milliseconds(0));
  events.stageStarted(search, 2, false);
  for (int i = 0; i < 3 * scale; ++i) {
    ws.trees().save(tree(run.id, "p-" + std::to_string(i)));
    events.progress("search", i + 1, 3 * scale);
  }
  events.stageFinished(search, 1.5);
  events.stageStarted(rl, 2, false);
  for (int step = 0; step < 4 * scale; ++step) {
    events.metric(rl, "reward", step, 0.25 * step);
    std::vector<store::SampleRow> rows;
    for (int i = 0; i < 6; ++i) rows.push_back(sampleRow(i + step, "p-" + std::to_string(i)));
    ws.samples().replace({.runId = run.id, .stageId = rl.id, .kind = store::SampleKind::kRollout,
                          .step = step, .benchmark = "train"},
                         rows);
  }
  fs::path model = ws.folder() / "runs" / std::to_string(run.id) / "2-rl" / "model";
  fs::create_directories(model);
  writeFileAtomically(model / "config.json", "{\"hidden_size\": 8}\n");
  events.artifact(rl, "checkpoint", model);
  events.log("halfway", {{"note", "ünïcödé \"quoted\" \n newline"}});
  ws.samples().replace({.runId = run.id, .kind = store::SampleKind::kEval, .checkpoint = "rl",
                        .benchmark = "world-test"},
                       std::vector<store::SampleRow>{sampleRow(1, "t-1"), sampleRow(2, "t-2")});
  ws.stages().setCheckpoint(rl.id, "runs/1/2-rl/checkpoint-3");
  ws.runs().updateStatus(run.id, store::RunStatus::kInterrupted);
  return run.id;
}

std::vector<std::string> exportAll(store::Workspace& ws, std::int64_t runId,
                                   store::MirrorCursor cursor = {},
                                   remote::MirrorExportOptions options = {}) {
  std::vector<std::string> lines;
  remote::exportRunChanges(ws, runId, cursor, [&](const std::string& l) { lines.push_back(l); },
                           options);
  return lines;
}

std::int64_t createMirror(store::Workspace& local, const std::vector<std::string>& lines) {
  for (const auto& line : lines) {
    auto record = nlohmann::json::parse(line);
    if (record["type"] == "run") {
      return remote::createMirrorRun(local, record,
                                     {.profile = "gpu-1", .kind = "ssh",
                                      .remoteWorkspace = "/remote", .remoteRunId = 1});
    }
  }
  throw Error("no run record");
}

const std::string kPrefix = "remote/gpu-1/";

}  // namespace

class MirrorTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void exportThenApply_copiesEveryRowExactly() {
    auto source = store::Workspace::open(test::freshTempDir("mirror-source"));
    std::int64_t runId = makeSourceRun(source);
    auto lines = exportAll(source, runId);
    auto local = store::Workspace::open(test::freshTempDir("mirror-local"));
    std::int64_t mirrorId = createMirror(local, lines);
    remote::MirrorApplier applier(local, mirrorId);
    for (const auto& line : lines) applier.apply(line);
    auto expected = test::mirroredContent(source.folder(), runId);
    auto actual = test::mirroredContent(local.folder(), mirrorId, kPrefix);
    QVERIFY2(expected == actual, test::contentDifference(expected, actual).c_str());
    QVERIFY(expected.size() > 40);
    QCOMPARE(applier.cursor().seq, source.events().lastSeq(runId));
    QVERIFY(applier.runOver());  // interrupted and no worker
    QCOMPARE(local.remoteRuns().find(mirrorId)->cursor, applier.cursor());
    // The artifact points where `astro fetch` puts it.
    QCOMPARE(local.artifacts().list(mirrorId).at(0).path,
             kPrefix + "runs/" + std::to_string(runId) + "/2-rl/model");
  }

  void streamCutAtAnyLine_resumedFromStoredCursor_isExact() {
    auto source = store::Workspace::open(test::freshTempDir("mirror-cut-source"));
    std::int64_t runId = makeSourceRun(source);
    // Small batches: many commits, so cuts land before, inside and after each.
    remote::MirrorExportOptions small{.eventBatch = 3, .sampleBatch = 5, .treeBatch = 2};
    auto lines = exportAll(source, runId, {}, small);
    auto expected = test::mirroredContent(source.folder(), runId);
    for (std::size_t cut = 0; cut <= lines.size(); ++cut) {
      auto local = store::Workspace::open(test::freshTempDir("mirror-cut-local"));
      std::int64_t mirrorId = createMirror(local, lines);
      {
        remote::MirrorApplier first(local, mirrorId);
        for (std::size_t i = 0; i < cut; ++i) first.apply(lines[i]);
      }  // the link drops: whatever was not committed is gone
      store::MirrorCursor stored = local.remoteRuns().find(mirrorId)->cursor;
      remote::MirrorApplier second(local, mirrorId);
      for (const auto& line : exportAll(source, runId, stored, small)) second.apply(line);
      auto actual = test::mirroredContent(local.folder(), mirrorId, kPrefix);
      QVERIFY2(expected == actual,
               ("cut after line " + std::to_string(cut) + ": " +
                test::contentDifference(expected, actual))
                   .c_str());
    }
  }

  void setReplacedAfterMirroring_isReplacedInTheMirror() {
    auto source = store::Workspace::open(test::freshTempDir("mirror-replace-source"));
    std::int64_t runId = makeSourceRun(source);
    auto local = store::Workspace::open(test::freshTempDir("mirror-replace-local"));
    auto lines = exportAll(source, runId);
    std::int64_t mirrorId = createMirror(local, lines);
    {
      remote::MirrorApplier applier(local, mirrorId);
      for (const auto& line : lines) applier.apply(line);
    }
    // A resumed stage redoes an RL step: the set is replaced (fewer rows, other values).
    auto rl = source.stages().list(runId).at(1);
    source.samples().replace({.runId = runId, .stageId = rl.id, .kind = store::SampleKind::kRollout,
                              .step = 2, .benchmark = "train"},
                             std::vector<store::SampleRow>{sampleRow(9, "p-9")});
    pipeline::RunEvents(source, runId).log("step 2 redone");
    remote::MirrorApplier again(local, mirrorId);
    for (const auto& line : exportAll(source, runId, local.remoteRuns().find(mirrorId)->cursor)) {
      again.apply(line);
    }
    auto expected = test::mirroredContent(source.folder(), runId);
    auto actual = test::mirroredContent(local.folder(), mirrorId, kPrefix);
    QVERIFY2(expected == actual, test::contentDifference(expected, actual).c_str());
  }

  void runningWithoutWorker_isMirroredAsInterruptedAndOver() {
    auto source = store::Workspace::open(test::freshTempDir("mirror-dead-worker"));
    std::int64_t runId = makeSourceRun(source);
    // Its worker was SIGKILLed: "running" stays, and so does the lock file, which nobody holds.
    source.runs().updateStatus(runId, store::RunStatus::kRunning);
    writeFileAtomically(pipeline::RunLayout(source.folder(), runId).lockFile(), "");
    auto local = store::Workspace::open(test::freshTempDir("mirror-dead-worker-local"));
    auto lines = exportAll(source, runId);
    std::int64_t mirrorId = createMirror(local, lines);
    remote::MirrorApplier applier(local, mirrorId);
    for (const auto& line : lines) applier.apply(line);
    QVERIFY(applier.runOver());
    QCOMPARE(local.runs().get(mirrorId).status, store::RunStatus::kInterrupted);
  }

  void idleRound_sendsOnlyRunStateAndCommit() {
    auto source = store::Workspace::open(test::freshTempDir("mirror-idle"));
    std::int64_t runId = makeSourceRun(source);
    store::MirrorCursor end;
    remote::exportRunChanges(source, runId, {}, [](const std::string&) {});
    auto result = remote::exportRunChanges(source, runId, {}, [](const std::string&) {});
    end = result.cursor;
    std::vector<std::string> lines;
    auto idle = remote::exportRunChanges(source, runId, end,
                                         [&](const std::string& l) { lines.push_back(l); });
    QCOMPARE(idle.records, std::int64_t{0});
    QCOMPARE(idle.cursor, end);
    QCOMPARE(lines.size(), std::size_t{3});  // stages, run, commit
  }

  void malformedOrContradictingRecords_areRefusedAndStoreNothing() {
    auto source = store::Workspace::open(test::freshTempDir("mirror-bad-source"));
    std::int64_t runId = makeSourceRun(source);
    auto lines = exportAll(source, runId);
    auto local = store::Workspace::open(test::freshTempDir("mirror-bad-local"));
    std::int64_t mirrorId = createMirror(local, lines);
    remote::MirrorApplier applier(local, mirrorId);
    QVERIFY(test::astroErrorOf([&] { applier.apply("{not json"); }).contains("not a JSON record"));
    QVERIFY(test::astroErrorOf([&] { applier.apply(R"({"type":"bogus"})"); })
                .contains("unknown record type"));
    // An event that skips seq 1: the batch is refused whole.
    applier.apply(R"({"type":"event","seq":2,"time":1,"kind":"log","payload":{"message":"x"}})");
    QVERIFY(test::astroErrorOf([&] {
              applier.apply(R"({"type":"commit","cursor":{"seq":2,"tree":0,"sample":0}})");
            }).contains("would be seq 1"));
    QCOMPARE(local.events().lastSeq(mirrorId), std::int64_t{0});
    QCOMPARE(local.remoteRuns().find(mirrorId)->cursor, store::MirrorCursor{});
  }

  void mirroredRun_isRefusedByTheLocalWorker() {
    auto local = store::Workspace::open(test::freshTempDir("mirror-worker"));
    auto source = store::Workspace::open(test::freshTempDir("mirror-worker-source"));
    std::int64_t mirrorId = createMirror(local, exportAll(source, makeSourceRun(source)));
    QCOMPARE(local.remoteRuns().find(mirrorId)->profile, std::string("gpu-1"));
    QCOMPARE(local.runs().get(mirrorId).host, std::string("gpu-1"));
    QVERIFY(test::astroErrorOf([&] { pipeline::runWorker(local, mirrorId); })
                .contains("runs on host 'gpu-1'"));
  }
};

QTEST_GUILESS_MAIN(MirrorTest)
#include "mirror_test.moc"
