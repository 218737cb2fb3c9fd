// What the studio's remote-host suites share (hosts_test.cpp, remote_runs_view_test.cpp): SSH and
// Slurm profiles with every field set, a workspace of mirrored runs, the canned `astro remote
// check --json` reports, and a base class that installs the recording `astro` stub
// (tests/gui/data/astro_stub.sh) and gives each test its own $ASTRO_CONFIG_HOME.
#pragma once

#include <QCoreApplication>
#include <QFile>
#include <QObject>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <filesystem>

#include "core/base/atomic_file.h"
#include "core/remote/host_profile.h"
#include "core/store/workspace.h"
#include "tests/support/test_support.h"

namespace astro::gui::hosts_fixture {

namespace fs = std::filesystem;

inline constexpr int kTimeoutMs = 20000;  // a pool read or a stub process on a loaded 2-core machine

inline remote::HostProfile sshProfile(const std::string& name) {
  return {.name = name,
          .kind = remote::HostKind::kSsh,
          .ssh = remote::parseSshDestination("alice@" + name + ":2222"),
          .sshOptions = {"-i", "/home/alice/.ssh/id_gpu"},
          .workspace = "/data/astro",
          .astro = "/opt/astro/bin/astro",
          .slurm = {}};
}

inline remote::HostProfile slurmProfile(const std::string& name) {
  return {.name = name,
          .kind = remote::HostKind::kSlurm,
          .ssh = {},
          .sshOptions = {},
          .workspace = "/scratch/astro",
          .astro = "astro",
          .slurm = {.login = "local",
                    .partition = "gpu",
                    .nodes = 2,
                    .gpusPerNode = 4,
                    .cpusPerTask = 16,
                    .memory = "64G",
                    .timeLimit = "24:00:00",
                    .account = "proj-7",
                    .qos = "high",
                    .extraSbatch = {"#SBATCH --constraint=h100"}}};
}

inline QString qtext(const fs::path& path) { return QString::fromStdString(path.string()); }

// The stub's log: one line per invocation, each argument in brackets.
inline QStringList stubCalls(const fs::path& log) {
  QFile file(qtext(log));
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
}

inline QString bracketed(const QStringList& arguments) {
  QString line;
  for (const QString& argument : arguments) line += QStringLiteral("[%1]").arg(argument);
  return line;
}

// Run 1 on "gpu-a" running, run 2 on Slurm "cluster" pending (job 4242 PENDING for Resources, its
// host not reached), run 3 on this machine running, run 4 on "gpu-a" finished. Run
// 1 has a checkpoint whose files are still on the host.
inline fs::path makeWorkspace(const QString& name) {
  fs::path folder = test::freshTempDir(name);
  auto workspace = store::Workspace::open(folder);
  auto add = [&](const char* runName, store::RunStatus status) {
    auto run = workspace.runs().create({.name = runName, .config = "[run]\n", .host = "local"});
    workspace.runs().updateStatus(run.id, status);
    return run.id;
  };
  auto gpu = add("on gpu-a", store::RunStatus::kRunning);
  auto queued = add("queued", store::RunStatus::kPending);
  add("here", store::RunStatus::kRunning);
  auto done = add("done on gpu-a", store::RunStatus::kFinished);
  auto onGpuA = [](std::int64_t runId, std::int64_t remoteRunId) {
    return store::RemoteRun{.runId = runId,
                            .profile = "gpu-a",
                            .kind = "ssh",
                            .destination = "alice@gpu-a:2222",
                            .remoteWorkspace = "/data/astro",
                            .remoteRunId = remoteRunId};
  };
  workspace.remoteRuns().add(onGpuA(gpu, 12));
  workspace.remoteRuns().add(onGpuA(done, 13));
  workspace.remoteRuns().add({.runId = queued,
                              .profile = "cluster",
                              .kind = "slurm",
                              .destination = "local",
                              .remoteWorkspace = "/scratch/astro",
                              .remoteRunId = 3});
  workspace.remoteRuns().setSlurmJob(queued, "4242", "PENDING", "Resources");
  workspace.remoteRuns().setContact(queued, "ssh: connect to host login1: Connection timed out");
  workspace.artifacts().add({.runId = gpu,
                             .stageId = std::nullopt,
                             .kind = "checkpoint",
                             .path = "runs/1/checkpoint-100",
                             .sha256 = std::string(64, 'b'),
                             .sizeBytes = 4096});
  return folder;
}

// What `astro remote check gpu-a --json` prints for a reachable host with one H100.
inline const char* kReachableCheck = R"json({
  "profile": "gpu-a", "where": "gpu-a (alice@gpu-a:2222)", "reachable": true, "ok": true,
  "round_trip_ms": 12.3, "problems": [],
  "local": {"hostname": "laptop", "astro": "0.1.0", "schema": 6, "mirror_format": 1,
            "libtorch": "1.13.1", "cuda": "none", "driver": "", "gpus": [], "workspace": "",
            "disk_free_bytes": -1},
  "host": {"hostname": "gpu-a1", "astro": "0.1.0", "schema": 6, "mirror_format": 1,
           "libtorch": "2.3.0", "cuda": "1 device(s)", "driver": "550.54.15",
           "gpus": [{"index": 0, "name": "NVIDIA H100 80GB HBM3", "free_bytes": 80000000000,
                     "total_bytes": 85520809984}],
           "workspace": "/data/astro", "disk_free_bytes": 1000000000000}
})json";

inline const char* kRefusedCheck = R"({"profile": "cluster", "where": "this machine", "reachable": false,
  "ok": false, "round_trip_ms": 0, "problems": [], "failure": "refused",
  "error": "ssh: connect to host login1 port 22: Connection refused",
  "local": {"astro": "0.1.0", "schema": 6}})";

// No slots of its own (so no Q_OBJECT): each suite's initTestCase and init call these.
class StubbedAstroTest : public QObject {
 protected:
  // Once per suite (from initTestCase): settings cleared, the stub in place as $ASTRO_CLI.
  void installStub(const char* applicationName) {
    QCoreApplication::setOrganizationName("AstroStudioTests");
    QCoreApplication::setApplicationName(applicationName);
    QSettings().clear();
    stubDir_ = test::freshTempDir("hosts-stub");
    stubLog_ = stubDir_ / "calls.log";
    // The stub prints what the real commands print, from files this test writes beside it.
    fs::path stub = stubDir_ / "astro";
    fs::copy_file(ASTRO_SOURCE_DIR "/tests/gui/data/astro_stub.sh", stub);
    fs::permissions(stub, fs::perms::owner_all);
    writeFileAtomically(stubDir_ / "check-gpu-a.json", kReachableCheck);
    writeFileAtomically(stubDir_ / "check-cluster.json", kRefusedCheck);
    stub_ = qtext(stub);
    qputenv("ASTRO_CLI", stub_.toUtf8());
    qputenv("ASTRO_STUB_DIR", qtext(stubDir_).toUtf8());
  }

  // Before each test (from init): its own profiles folder, an empty stub log.
  void freshProfiles() {
    configHome_ = test::freshTempDir("hosts-config");
    qputenv("ASTRO_CONFIG_HOME", qtext(configHome_).toUtf8());
    fs::remove(stubLog_);
  }

  fs::path stubDir_;
  fs::path stubLog_;
  fs::path configHome_;
  QString stub_;
};

}  // namespace astro::gui::hosts_fixture
