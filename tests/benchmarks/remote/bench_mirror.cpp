// bench_mirror: how fast a remote run reaches the local workspace over SSH (issue 18).
//   A run of 100,000 events and 50,000 samples (100 sets of 500) in a "host" workspace, reached
//   through a real sshd on a loopback port with the built astro (tests/remote/support). Each
//   repeat mirrors it whole into a fresh local workspace (`astro remote export` there, records
//   applied here in batches of 5,000 events / 2,000 samples per transaction), against:
//     - reading the same rows from a local workspace (replay every event, list every sample);
//     - the same export + apply in one process without ssh (what the link itself costs).
//   Then, with a mirror following the run, every ssh connection is killed, one event is appended
//   on the host, and the time until the mirror holds it is measured (reconnect + catch up).
// Usage: bench_mirror [--events N] [--samples N] [--repeats N]   Medians; ratios against local.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include <QCoreApplication>

#include "core/pipeline/run_events.h"
#include "core/remote/mirror_apply.h"
#include "core/remote/mirror_export.h"
#include "core/remote/mirror_session.h"
#include "core/store/workspace.h"
#include "tests/remote/support/sshd_server.h"
#include "tests/support/test_support.h"

using namespace astro;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::int64_t makeSourceRun(store::Workspace& ws, int events, int samples) {
  auto run = ws.runs().create({.name = "bench", .config = "[run]\nname = \"bench\"\n"});
  auto stage = ws.stages().add(run.id, "rl");
  std::vector<store::NewEvent> batch;
  for (int i = 0; i < events; ++i) {
    if (i % 4 == 0) {
      batch.push_back({store::EventKind::kProgress,
                       {{"stage", "rl"}, {"done", i}, {"total", events}, {"eta_seconds", 12}}});
    } else {
      batch.push_back({store::EventKind::kLog,
                       {{"message", "step " + std::to_string(i) + " of the benchmark run"}}});
    }
    if (batch.size() == 10000) {
      ws.events().appendAll(run.id, batch);
      batch.clear();
    }
  }
  ws.events().appendAll(run.id, batch);
  const int perSet = 500;
  for (int set = 0; set * perSet < samples; ++set) {
    std::vector<store::SampleRow> rows;
    for (int i = 0; i < perSet && set * perSet + i < samples; ++i) {
      rows.push_back({.problemId = "p-" + std::to_string(i / 8),
                      .sampleIndex = i % 8,
                      .group = i / 8,
                      .prompt = "Using the numbers 3, 7, 9, 12, reach 48. Give the final "
                                "expression in \\boxed{}.",
                      .completion = "12 - 9 = 3\n3 + 7 = 10\nBut wait, are we solving the problem "
                                    "correctly so far? Hmm... 7 * (12 - 9 + 3) - ... \\boxed{48}",
                      .answer = "48",
                      .correct = i % 3 == 0,
                      .reward = i % 3 == 0 ? 1.0 : -1.0,
                      .advantage = 0.1 * (i % 8),
                      .steps = 4,
                      .backtracks = i % 2,
                      .reflections = 1,
                      .tokens = 96});
    }
    ws.samples().replace({.runId = run.id, .stageId = stage.id,
                          .kind = store::SampleKind::kRollout, .step = set, .benchmark = "train"},
                         rows);
  }
  ws.runs().updateStatus(run.id, store::RunStatus::kFinished);
  return run.id;
}

std::int64_t newMirror(store::Workspace& local, store::Workspace& source, std::int64_t runId,
                       const std::string& profile, const std::string& remoteWs) {
  std::vector<std::string> lines;
  remote::exportRunChanges(source, runId, {.seq = 1 << 30, .tree = 1 << 30, .sample = 1 << 30},
                           [&](const std::string& l) { lines.push_back(l); });
  for (const auto& line : lines) {
    auto record = nlohmann::json::parse(line);
    if (record["type"] == "run") {
      return remote::createMirrorRun(local, record,
                                     {.profile = profile, .kind = "ssh",
                                      .remoteWorkspace = remoteWs, .remoteRunId = runId});
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  int events = 100000, samples = 50000, repeats = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--events")) events = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--samples")) samples = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--repeats")) repeats = std::atoi(argv[i + 1]);
  }
  qputenv("ASTRO_TEST_TMP", ASTRO_BINARY_DIR "/bench-tmp");
  test::SshdServer server;
  QString whyNot;
  if (!server.start(&whyNot)) {
    std::fprintf(stderr, "bench_mirror: no sshd: %s\n", qPrintable(whyNot));
    return 1;
  }
  fs::path root = test::freshTempDir("bench-mirror");
  fs::path hostWs = root / "host";
  qputenv("ASTRO_CONFIG_HOME", QByteArray::fromStdString((root / "config").string()));
  remote::HostRegistry registry;
  remote::HostProfile profile = server.profile("bench-host", hostWs.string(), ASTRO_CLI_PATH);
  registry.save(profile, true);

  auto built = Clock::now();
  std::int64_t runId = 0;
  {
    auto source = store::Workspace::open(hostWs);
    runId = makeSourceRun(source, events, samples);
  }
  std::printf("bench_mirror: host run of %d events and %d samples built in %.1f s (%.0f MiB)\n",
              events, samples, secondsSince(built),
              double(fs::file_size(hostWs / "workspace.sqlite")) / (1 << 20));

  std::vector<double> localRead, exportOnly, inProcess, overSsh;
  for (int r = 0; r < repeats; ++r) {
    {  // reading the same rows from a local workspace
      auto source = store::Workspace::open(hostWs, {.readOnly = true});
      auto start = Clock::now();
      std::size_t rows = source.events().replay(runId).size();
      rows += source.samples().list(runId, {}, {.limit = -1}).size();
      localRead.push_back(secondsSince(start));
      if (rows != std::size_t(events + samples)) std::fprintf(stderr, "row count mismatch\n");
    }
    {  // the host's side alone: records written to memory
      auto source = store::Workspace::open(hostWs, {.readOnly = true});
      std::size_t bytes = 0;
      auto start = Clock::now();
      remote::exportRunChanges(source, runId, {}, [&](const std::string& l) { bytes += l.size(); });
      exportOnly.push_back(secondsSince(start));
      if (r == 0) std::printf("records: %.1f MiB of JSON lines\n", double(bytes) / (1 << 20));
    }
    {  // export + apply in one process, no link
      auto source = store::Workspace::open(hostWs, {.readOnly = true});
      auto local = store::Workspace::open(test::freshTempDir("bench-mirror-inproc"));
      std::int64_t mirrorId = newMirror(local, source, runId, "bench-host", hostWs.string());
      auto start = Clock::now();
      remote::MirrorApplier applier(local, mirrorId);
      remote::exportRunChanges(source, runId, {}, [&](const std::string& l) { applier.apply(l); });
      inProcess.push_back(secondsSince(start));
    }
    {  // over the loopback ssh link, through the built astro on the "host"
      auto source = store::Workspace::open(hostWs, {.readOnly = true});
      auto local = store::Workspace::open(test::freshTempDir("bench-mirror-ssh"));
      std::int64_t mirrorId = newMirror(local, source, runId, "bench-host", hostWs.string());
      auto start = Clock::now();
      remote::followMirroredRun(local, mirrorId, registry, {.follow = false});
      overSsh.push_back(secondsSince(start));
      if (local.events().lastSeq(mirrorId) != events) std::fprintf(stderr, "incomplete mirror\n");
    }
  }
  double base = median(localRead);
  auto row = [&](const char* name, double seconds) {
    std::printf("| %-40s | %8.3f | %10.0f | %10.0f | %6.2fx |\n", name, seconds,
                events / seconds, samples / seconds, seconds / base);
  };
  std::printf("\nmedian of %d; events/s and samples/s over the whole transfer\n", repeats);
  std::printf("| %-40s | %8s | %10s | %10s | %7s |\n", "path", "seconds", "events/s", "samples/s",
              "vs local");
  std::printf("|%s|\n", std::string(87, '-').c_str());
  row("local read (replay + list, no copy)", base);
  row("host side only (export to memory)", median(exportOnly));
  row("mirror in one process (export + apply)", median(inProcess));
  row("mirror over loopback ssh (astro remote)", median(overSsh));

  // Dropped link: a follower on a run that is still waiting (status pending keeps it following).
  {
    auto host = store::Workspace::open(hostWs);
    host.runs().updateStatus(runId, store::RunStatus::kPending);
  }
  std::vector<double> recovery;
  for (int r = 0; r < repeats; ++r) {
    fs::path localFolder = test::freshTempDir("bench-mirror-drop");
    std::int64_t mirrorId = 0;
    {
      auto local = store::Workspace::open(localFolder);
      auto source = store::Workspace::open(hostWs, {.readOnly = true});
      mirrorId = newMirror(local, source, runId, "bench-host", hostWs.string());
    }
    std::atomic<bool> stop{false};
    std::thread follower([&] {
      auto own = store::Workspace::open(localFolder);
      remote::followMirroredRun(own, mirrorId, registry,
                                {.stop = &stop, .stallTimeout = std::chrono::seconds(20)});
    });
    auto reader = store::Workspace::open(localFolder, {.readOnly = true});
    std::int64_t target = 0;
    {
      auto host = store::Workspace::open(hostWs, {.readOnly = true});
      target = host.events().lastSeq(runId);
    }
    while (reader.events().lastSeq(mirrorId) < target) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    server.dropConnections();
    auto dropped = Clock::now();
    {
      auto host = store::Workspace::open(hostWs);
      pipeline::RunEvents(host, runId).log("after the drop");
      target = host.events().lastSeq(runId);
    }
    while (reader.events().lastSeq(mirrorId) < target) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    recovery.push_back(secondsSince(dropped));
    stop = true;
    follower.join();
  }
  std::printf("\ndropped link -> mirror current again: median %.2f s (runs:", median(recovery));
  for (double s : recovery) std::printf(" %.2f", s);
  std::printf(")\n");
  return 0;
}
