// `astro hosts`, `astro remote check`, `astro run --on`, `astro remote mirror`, `astro fetch`,
// cancel and resume against a REAL sshd on a loopback port (tests/remote/support/sshd_server.h)
// whose "remote" workspace is a second folder on this machine, reached with the built astro.
// The mirror must equal the host's store event for event and sample for sample, after the
// connection is killed mid-run and sshd restarted too. Every path in play holds spaces, quotes,
// ';' and '$()', which must reach the programs as data and run nothing.
#include <signal.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <fstream>

#include "core/remote/host_profile.h"
#include "core/store/workspace.h"
#include "tests/pipeline/pipeline_test_support.h"
#include "tests/remote/support/mirror_compare.h"
#include "tests/remote/support/sshd_server.h"
#include "tests/support/test_support.h"

using namespace astro::test;
namespace fs = std::filesystem;

namespace {

const fs::path kSftData = ASTRO_SOURCE_DIR "/tests/pipeline/data/world_direct_sft.jsonl";
const fs::path kTinyConfig = ASTRO_SOURCE_DIR "/tests/pipeline/data/tiny.toml";
// A name no command must ever act on; each test checks that no file of this name appeared.
const char* kHostile = "x'\"; touch pwned-$(id -u) `touch pwned2` \\ & |";

std::string fileText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::int64_t runIdOf(const QString& out) {
  QString first = out.section('\n', 0, 0);
  if (!first.startsWith("run ")) return 0;
  return first.mid(4).toLongLong();
}

bool anyPwned(const fs::path& root) {
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().filename().string().rfind("pwned", 0) == 0) return true;
  }
  for (const auto& entry : fs::directory_iterator(fs::current_path())) {
    if (entry.path().filename().string().rfind("pwned", 0) == 0) return true;
  }
  return false;
}

}  // namespace

class RemoteRunSshTest : public QObject {
  Q_OBJECT

  SshdServer server_;
  fs::path root_;           // holds everything below, its name hostile too
  fs::path remoteWs_;       // the host's workspace
  fs::path localWs_;        // this machine's
  fs::path configHome_;     // ASTRO_CONFIG_HOME: the host profiles
  fs::path fixture_;        // model + puzzles
  std::string profile_ = "loop-host";

  ProcessResult astro(QStringList arguments, int timeoutMs = 600000) {
    return runProgram(cliPath(), withWorkspace(localWs_, arguments), timeoutMs);
  }

  // A one-stage SFT pipeline on the tiny model, inputs in a folder with a hostile name.
  fs::path writeSftConfig(const std::string& name, int epochs) {
    fs::path folder = root_ / (std::string("inputs ") + kHostile);
    fs::create_directories(folder);
    if (!fs::exists(folder / "sft data.jsonl")) fs::copy_file(kSftData, folder / "sft data.jsonl");
    fs::path file = folder / (name + ".toml");
    std::ofstream out(file);
    out << "[run]\nname = \"" << name << "\"\nthreads = 1\n\n[sft]\nmodel = \""
        << (fixture_ / "model").string() << "\"\ndata = \"sft data.jsonl\"\n"
        << "learning_rate = 1e-3\nsequences_per_step = 1\nmax_length = 160\nepochs = " << epochs
        << "\ncheckpoint_every = 4\n";
    return file;
  }

  void requireMirrorEqual(std::int64_t localId, std::int64_t remoteId) {
    auto expected = mirroredContent(remoteWs_, remoteId);
    auto actual = mirroredContent(localWs_, localId, "remote/" + profile_ + "/");
    QVERIFY2(expected == actual, contentDifference(expected, actual).c_str());
  }

  std::int64_t remoteIdOf(std::int64_t localId) {
    auto ws = astro::store::Workspace::open(localWs_, {.readOnly = true});
    return ws.remoteRuns().find(localId).value().remoteRunId;
  }

 private Q_SLOTS:
  void initTestCase() {
    QString whyNot;
    if (!server_.start(&whyNot)) QSKIP(qPrintable("no sshd to test against: " + whyNot));
    root_ = freshTempDir("remote-ssh") / (std::string("tree ") + kHostile);
    remoteWs_ = root_ / (std::string("remote ws ") + kHostile);
    localWs_ = root_ / "local ws";
    configHome_ = root_ / "config";
    fs::create_directories(root_);
    qputenv("ASTRO_CONFIG_HOME", QByteArray::fromStdString(configHome_.string()));
    fixture_ = freshTempDir("remote-ssh-fixture");
    makeTinyWorldFixture(fixture_);
    auto profile = server_.profile(profile_, remoteWs_.string(), ASTRO_CLI_PATH);
    QStringList add = {"hosts", "add", QString::fromStdString(profile_), "--ssh",
                       QString::fromStdString(profile.ssh.text()), "--workspace",
                       QString::fromStdString(remoteWs_.string()), "--astro", ASTRO_CLI_PATH};
    for (const auto& option : profile.sshOptions) {
      add << "--ssh-option=" + QString::fromStdString(option);
    }
    auto added = astro(add);
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
  }

  void cleanupTestCase() {
    if (!root_.empty()) QVERIFY2(!anyPwned(root_), "a hostile name ran a command");
  }

  void hostsList_showsTheProfile() {
    auto listed = astro({"hosts", "list", "--json"});
    QCOMPARE(listed.exitCode, 0);
    QVERIFY(listed.out.contains("\"loop-host\""));
    QVERIFY(listed.out.contains(QString::fromStdString(remoteWs_.string()).toHtmlEscaped()) ||
            listed.out.contains("remote ws"));
  }

  void remoteCheck_reportsVersionsGpusAndDisk() {
    auto checked = astro({"remote", "check", QString::fromStdString(profile_), "--json"});
    QVERIFY2(checked.exitCode == 0, qPrintable(checked.err + checked.out));
    QJsonObject report = QJsonDocument::fromJson(checked.out.toUtf8()).object();
    QCOMPARE(report["reachable"].toBool(), true);
    QCOMPARE(report["ok"].toBool(), true);
    QJsonObject host = report["host"].toObject();
    QCOMPARE(host["astro"].toString(), QString(ASTRO_VERSION));
    QCOMPARE(host["schema"].toInt(), astro::store::Workspace::latestSchemaVersion());
    QVERIFY(!host["libtorch"].toString().isEmpty());
    QVERIFY(host["gpus"].isArray());
    QVERIFY(host["disk_free_bytes"].toDouble() > 0);
    auto text = astro({"remote", "check", QString::fromStdString(profile_)});
    QVERIFY(text.out.contains("reachable, round trip"));
    QVERIFY(text.out.contains("GPUs: none") || text.out.contains("GPU 0"));
  }

  void remoteCheck_namesEachFailure() {
    auto base = server_.profile("p", remoteWs_.string(), ASTRO_CLI_PATH);
    auto save = [&](astro::remote::HostProfile profile) {
      astro::remote::HostRegistry(configHome_ / "hosts").save(profile, true);
      return astro({"remote", "check", QString::fromStdString(profile.name)}, 120000);
    };
    auto refused = base;
    refused.name = "refused";
    refused.ssh.port = SshdServer::unusedPort();
    auto r = save(refused);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("connection refused"), qPrintable(r.err));

    server_.closeMasters();  // a master of the right key would otherwise serve the wrong one
    auto wrong = server_.wrongKeyProfile("wrong-key", remoteWs_.string(), ASTRO_CLI_PATH);
    auto w = save(wrong);
    QCOMPARE(w.exitCode, 1);
    QVERIFY2(w.err.contains("authentication failed"), qPrintable(w.err));

    auto missing = base;
    missing.name = "no-astro";
    missing.astro = (root_ / "no such dir/astro").string();
    auto m = save(missing);
    QCOMPARE(m.exitCode, 1);
    QVERIFY2(m.err.contains("cannot run") && m.err.contains("--astro PATH"), qPrintable(m.err));

    // An astro of another version: a program that answers `remote info` as a newer build would.
    fs::path newer = root_ / "newer-astro";
    {
      std::ofstream out(newer);
      out << "#!/bin/sh\necho '{\"astro\":\"9.9.9\",\"schema\":99,\"mirror_format\":1,"
             "\"libtorch\":\"2.5\",\"cuda\":\"none\",\"gpus\":[],\"workspace\":\"/x\","
             "\"disk_free_bytes\":1}'\n";
    }
    fs::permissions(newer, fs::perms::owner_all);
    auto mismatch = base;
    mismatch.name = "newer";
    mismatch.astro = newer.string();
    auto v = save(mismatch);
    QCOMPARE(v.exitCode, 1);
    QVERIFY2(v.out.contains("store schema: host 99") &&
                 v.out.contains("upgrade astro on this machine"),
             qPrintable(v.out + v.err));
  }

  void runOnHost_oneStage_mirrorEqualsHostAndInputsAreSentOnce() {
    fs::path config = writeSftConfig("sft on host", 1);
    auto launched = astro({"run", QString::fromStdString(config.string()), "--on",
                           QString::fromStdString(profile_), "--format", "json"});
    QVERIFY2(launched.exitCode == 0, qPrintable(launched.err));
    std::int64_t localId = runIdOf(launched.out);
    QVERIFY(localId > 0);
    QVERIFY(launched.out.contains("\"stage_finished\""));
    QVERIFY2(launched.err.contains("sending"), qPrintable(launched.err));
    requireMirrorEqual(localId, remoteIdOf(localId));
    {
      auto ws = astro::store::Workspace::open(localWs_, {.readOnly = true});
      QCOMPARE(astro::store::runStatusName(ws.runs().get(localId).status), std::string("finished"));
      QCOMPARE(ws.runs().get(localId).host, profile_);
    }
    auto shown = astro({"runs", "show", QString::number(localId)});
    QVERIFY2(shown.out.contains("runs on") && shown.out.contains("loop-host (ssh root@127.0.0.1:"),
             qPrintable(shown.out));
    // The same inputs again: nothing is sent twice.
    auto again = astro({"run", QString::fromStdString(config.string()), "--on",
                        QString::fromStdString(profile_), "--no-follow"});
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    QVERIFY2(again.err.contains("already on the host") && !again.err.contains("sending"),
             qPrintable(again.err));
    std::int64_t secondId = runIdOf(again.out);
    auto mirrored = astro({"remote", "mirror", QString::number(secondId), "--format", "json"});
    QVERIFY2(mirrored.exitCode == 0, qPrintable(mirrored.err));
    requireMirrorEqual(secondId, remoteIdOf(secondId));

    // The checkpoint comes over on demand, checked against its recorded hash.
    auto list = astro({"fetch", QString::number(localId), "--list"});
    QVERIFY(list.out.contains("on host"));
    auto fetched = astro({"fetch", QString::number(localId), "model"});
    QVERIFY2(fetched.exitCode == 0, qPrintable(fetched.err));
    fs::path local = fetched.out.trimmed().toStdString();
    QVERIFY(fs::exists(local / "config.json"));
    QVERIFY(fs::exists(local / "model.safetensors"));
  }

  void runOnHost_linkKilledAndSshdRestarted_mirrorReattachesExactly() {
    fs::copy_file(kTinyConfig, root_ / "tiny.toml", fs::copy_options::overwrite_existing);
    fs::copy_file(kSftData, root_ / "world_direct_sft.jsonl", fs::copy_options::overwrite_existing);
    WorkerProcess follower(withWorkspace(
        localWs_, {"run", QString::fromStdString((root_ / "tiny.toml").string()), "--on",
                   QString::fromStdString(profile_), "--format", "json"}));
    std::string line;
    QVERIFY2(follower.nextLine(&line, 120000), qPrintable(follower.errors()));
    std::int64_t localId = runIdOf(QString::fromStdString(line));
    QVERIFY(localId > 0);
    // Wait until the search stage runs on the host, then cut everything.
    bool inSearch = false;
    while (!inSearch && follower.nextLine(&line, 300000)) {
      auto event = eventOf(line);
      inSearch = event && event->kind == astro::store::EventKind::kStageStarted &&
                 event->payload.value("stage", "") == "search";
    }
    QVERIFY2(inSearch, qPrintable(follower.errors()));
    follower.signal(SIGKILL);  // the laptop's side dies with the link
    server_.dropConnections();
    server_.stop();
    QTest::qWait(1500);
    server_.restart();
    // Reattach: a new mirror continues from the last seq this workspace holds.
    auto reattached = astro({"remote", "mirror", QString::number(localId), "--format", "json"});
    QVERIFY2(reattached.exitCode == 0, qPrintable(reattached.err));
    requireMirrorEqual(localId, remoteIdOf(localId));
    auto ws = astro::store::Workspace::open(localWs_, {.readOnly = true});
    QVERIFY(ws.trees().count(localId) > 0);
    QVERIFY(ws.samples().count(localId) > 0);
  }

  void linkDropsWhileFollowing_sameProcessReconnects() {
    // Long enough (320 steps, ~25 s) that the drop lands mid-run however slow the launch was.
    fs::path config = writeSftConfig("sft drop", 40);
    WorkerProcess follower(withWorkspace(
        localWs_, {"run", QString::fromStdString(config.string()), "--on",
                   QString::fromStdString(profile_), "--format", "json"}));
    std::string line;
    QVERIFY2(follower.nextLine(&line, 120000), qPrintable(follower.errors()));
    std::int64_t localId = runIdOf(QString::fromStdString(line));
    // Drop the link only once events arrive through the follow stream (before, the launch's own
    // connection is the one cut): events past the seq the follower announced it starts from.
    QTRY_VERIFY_WITH_TIMEOUT(follower.errors().contains("following run"), 120000);
    QRegularExpression from("from event (\\d+)");
    std::int64_t firstFollowed = from.match(follower.errors()).captured(1).toLongLong();
    QVERIFY(firstFollowed > 0);
    bool streaming = false;
    while (!streaming && follower.nextLine(&line, 300000)) {
      auto event = eventOf(line);
      streaming = event && event->seq >= firstFollowed + 2;
    }
    QVERIFY2(streaming, qPrintable(follower.errors()));
    server_.dropConnections();
    QCOMPARE(follower.finish(600000), 0);
    QVERIFY2(follower.errors().contains("reconnecting"), qPrintable(follower.errors()));
    requireMirrorEqual(localId, remoteIdOf(localId));
    // Every event reached stdout exactly once, in seq order, across the reconnect.
    std::int64_t expectedSeq = 1;
    for (const auto& printed : follower.lines()) {
      if (auto event = eventOf(printed)) QCOMPARE(event->seq, expectedSeq++);
    }
    QCOMPARE(expectedSeq - 1,
             astro::store::Workspace::open(localWs_, {.readOnly = true}).events().lastSeq(localId));
  }

  void cancelAndResume_goToTheHost() {
    fs::path config = writeSftConfig("sft cancel", 40);
    auto launched = astro({"run", QString::fromStdString(config.string()), "--on",
                           QString::fromStdString(profile_), "--no-follow"});
    QVERIFY2(launched.exitCode == 0, qPrintable(launched.err));
    std::int64_t localId = runIdOf(launched.out);
    std::int64_t remoteId = remoteIdOf(localId);
    // Wait for the worker on the host to have made progress.
    QTRY_VERIFY_WITH_TIMEOUT(astro::store::Workspace::open(remoteWs_, {.readOnly = true})
                                     .events()
                                     .lastSeq(remoteId) > 4,
                             120000);
    auto cancelled = astro({"cancel", QString::number(localId)});
    QVERIFY2(cancelled.exitCode == 0, qPrintable(cancelled.err));
    auto mirrored = astro({"remote", "mirror", QString::number(localId), "--once"});
    QVERIFY2(mirrored.exitCode == 0, qPrintable(mirrored.err));
    {
      auto ws = astro::store::Workspace::open(localWs_, {.readOnly = true});
      QCOMPARE(astro::store::runStatusName(ws.runs().get(localId).status),
               std::string("cancelled"));
    }
    // The local worker refuses it; resume goes to the host and runs it to the end.
    auto resumed = astro({"resume", QString::number(localId)});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err + resumed.out));
    requireMirrorEqual(localId, remoteId);
    auto ws = astro::store::Workspace::open(localWs_, {.readOnly = true});
    QCOMPARE(astro::store::runStatusName(ws.runs().get(localId).status), std::string("finished"));
  }
};

QTEST_GUILESS_MAIN(RemoteRunSshTest)
#include "remote_run_ssh_test.moc"
