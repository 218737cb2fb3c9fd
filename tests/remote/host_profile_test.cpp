// Host profiles: TOML files in a private folder that round-trip every field, names and ssh
// destinations that cannot smuggle options or paths, and errors that name the file and line.
#include "core/remote/host_profile.h"

#include <sys/stat.h>

#include <QtTest>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>

#include "core/base/error.h"
#include "tests/support/test_support.h"

using namespace astro::remote;
namespace fs = std::filesystem;

namespace {

// The what() of the exception of type E that `action` throws; nullopt when it throws none.
template <typename E>
std::optional<QString> errorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const E& error) {
    return QString::fromUtf8(error.what());
  }
  return std::nullopt;
}

std::optional<astro::ParseError> parseErrorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const astro::ParseError& error) {
    return error;
  }
  return std::nullopt;
}

void writeText(const fs::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

mode_t modeOf(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return 0;
  return info.st_mode & 07777;
}

HostProfile sshProfile(const std::string& name) {
  HostProfile profile;
  profile.name = name;
  profile.kind = HostKind::kSsh;
  profile.ssh = {.user = "alice", .host = "gpu-1.lab.example", .port = 2222};
  profile.sshOptions = {"-i", "/home/alice/.ssh/id_ed25519", "-o", "ProxyJump=bastion"};
  profile.workspace = "/data/astro runs/it's \"quoted\" \\ back";
  profile.astro = "/opt/astro studio/bin/astro";
  return profile;
}

HostProfile slurmProfile(const std::string& name) {
  HostProfile profile;
  profile.name = name;
  profile.kind = HostKind::kSlurm;
  profile.workspace = "/shared/astro";
  profile.astro = "/shared/bin/astro";
  profile.slurm = {.login = "gpu-1",
                   .partition = "h100",
                   .nodes = 2,
                   .gpusPerNode = 8,
                   .cpusPerTask = 16,
                   .memory = "512G",
                   .timeLimit = "24:00:00",
                   .account = "astro-lab",
                   .qos = "high",
                   .extraSbatch = {"#SBATCH --constraint=h100&ib", "#SBATCH --exclusive"}};
  return profile;
}

void compareProfiles(const HostProfile& actual, const HostProfile& expected) {
  QCOMPARE(actual.name, expected.name);
  QCOMPARE(actual.kind, expected.kind);
  QCOMPARE(actual.sshOptions, expected.sshOptions);
  QCOMPARE(actual.workspace, expected.workspace);
  QCOMPARE(actual.astro, expected.astro);
  if (expected.kind == HostKind::kSsh) {
    QCOMPARE(actual.ssh.user, expected.ssh.user);
    QCOMPARE(actual.ssh.host, expected.ssh.host);
    QCOMPARE(actual.ssh.port, expected.ssh.port);
    return;
  }
  const SlurmSettings& a = actual.slurm;
  const SlurmSettings& e = expected.slurm;
  QCOMPARE(a.login, e.login);
  QCOMPARE(a.partition, e.partition);
  QCOMPARE(a.nodes, e.nodes);
  QCOMPARE(a.gpusPerNode, e.gpusPerNode);
  QCOMPARE(a.cpusPerTask, e.cpusPerTask);
  QCOMPARE(a.memory, e.memory);
  QCOMPARE(a.timeLimit, e.timeLimit);
  QCOMPARE(a.account, e.account);
  QCOMPARE(a.qos, e.qos);
  QCOMPARE(a.extraSbatch, e.extraSbatch);
}

// The 1-based line of `text` that contains `what`, 0 when none does.
int lineContaining(const std::string& text, const std::string& what) {
  int line = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (text.substr(start, end - start).find(what) != std::string::npos) return line;
    start = end + 1;
    ++line;
  }
  return 0;
}

}  // namespace

class HostProfileTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void registry_savesAndReadsBackEveryField() {
    auto folder = astro::test::freshTempDir("hosts-roundtrip") / "hosts";
    HostRegistry registry(folder);
    registry.save(sshProfile("gpu-1"));
    registry.save(slurmProfile("cluster.a_1"));
    HostRegistry reopened(folder);
    compareProfiles(reopened.get("gpu-1"), sshProfile("gpu-1"));
    compareProfiles(reopened.get("cluster.a_1"), slurmProfile("cluster.a_1"));
  }

  void registry_listsByName_findsAndRemoves() {
    HostRegistry registry(astro::test::freshTempDir("hosts-list") / "hosts");
    QVERIFY(registry.list().empty());  // no folder yet
    for (const char* name : {"zeta", "alpha", "Mid-1"}) registry.save(sshProfile(name));
    std::vector<std::string> names;
    for (const auto& profile : registry.list()) names.push_back(profile.name);
    QCOMPARE(names, (std::vector<std::string>{"Mid-1", "alpha", "zeta"}));
    QVERIFY(registry.find("alpha"));
    QVERIFY(!registry.find("beta"));
    QVERIFY(registry.remove("alpha"));
    QVERIFY(!registry.remove("alpha"));
    QVERIFY(!registry.find("alpha"));
    QCOMPARE(registry.list().size(), std::size_t{2});
  }

  void registry_getOfUnknownName_saysWhichAndWhere() {
    HostRegistry registry(astro::test::freshTempDir("hosts-get"));
    auto message = errorOf<astro::Error>([&] { registry.get("nope"); });
    QVERIFY(message);
    QVERIFY2(message->startsWith("no host profile 'nope'"), qPrintable(*message));
    QVERIFY2(message->contains(QString::fromStdString(registry.folder().string())),
             qPrintable(*message));
  }

  void registry_refusesToReplaceUnlessAsked() {
    HostRegistry registry(astro::test::freshTempDir("hosts-replace"));
    registry.save(sshProfile("gpu-1"));
    auto changed = sshProfile("gpu-1");
    changed.workspace = "/elsewhere";
    auto message = errorOf<astro::UsageError>([&] { registry.save(changed); });
    QVERIFY2(message && message->contains("gpu-1"), qPrintable(message.value_or("(none)")));
    QCOMPARE(registry.get("gpu-1").workspace, sshProfile("gpu-1").workspace);
    registry.save(changed, /*replace=*/true);
    QCOMPARE(registry.get("gpu-1").workspace, std::string("/elsewhere"));
  }

  void registry_writesPrivateFilesAtomically() {
    auto folder = astro::test::freshTempDir("hosts-modes") / "config" / "hosts";
    HostRegistry registry(folder);
    registry.save(sshProfile("gpu-1"));
    registry.save(sshProfile("gpu-1"), /*replace=*/true);
    QCOMPARE(modeOf(folder), mode_t{0700});
    QCOMPARE(modeOf(folder / "gpu-1.toml"), mode_t{0600});
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(folder)) {
      files.push_back(entry.path().filename().string());
    }
    QCOMPARE(files, std::vector<std::string>{"gpu-1.toml"});  // no temp file left
  }

  void registry_followsAstroConfigHome() {
    auto home = astro::test::freshTempDir("hosts-config-home");
    const QByteArray saved = qgetenv("ASTRO_CONFIG_HOME");
    qputenv("ASTRO_CONFIG_HOME", QByteArray::fromStdString(home.string()));
    QCOMPARE(hostsFolder(), home / "hosts");
    HostRegistry registry;
    registry.save(sshProfile("gpu-1"));
    QVERIFY(fs::exists(home / "hosts" / "gpu-1.toml"));
    if (saved.isNull()) {
      qunsetenv("ASTRO_CONFIG_HOME");
    } else {
      qputenv("ASTRO_CONFIG_HOME", saved);
    }
  }

  void badNames_areRefused() {
    auto folder = astro::test::freshTempDir("hosts-bad-names");
    HostRegistry registry(folder / "hosts");
    for (const std::string& name :
         {std::string(), std::string("-x"), std::string("../x"), std::string(".hidden"),
          std::string("local"), std::string("a b"), std::string("a\nb"), std::string("a/b"),
          std::string("a\tb"), std::string("x;id"), std::string("$(id)"), std::string(65, 'n'),
          std::string("gr\xc3\xbc\xc3\x9f")}) {
      QVERIFY2(errorOf<astro::UsageError>([&] { validateProfileName(name); }),
               qPrintable("accepted '" + QString::fromStdString(name) + "'"));
      QVERIFY2(errorOf<astro::UsageError>([&] { registry.save(sshProfile(name)); }),
               qPrintable("saved '" + QString::fromStdString(name) + "'"));
      QVERIFY(errorOf<astro::UsageError>([&] { registry.find(name); }));
      QVERIFY(errorOf<astro::UsageError>([&] { registry.remove(name); }));
    }
    QVERIFY(!fs::exists(folder / "x.toml"));  // "../x" did not escape the folder
    for (const std::string& name :
         std::vector<std::string>{"a", "gpu-1", "Lab.H100_x8", std::string(64, 'n')}) {
      validateProfileName(name);
    }
  }

  void parseSshDestination_acceptsWhatSshTakes() {
    struct Case {
      std::string text;
      std::string user;
      std::string host;
      int port;
    };
    for (const Case& c : std::vector<Case>{
             {"host", "", "host", 0},
             {"user@host", "user", "host", 0},
             {"user@host:2222", "user", "host", 2222},
             {"gpu-1.lab.example:22", "", "gpu-1.lab.example", 22},
             {"me@127.0.0.1:65535", "me", "127.0.0.1", 65535},
             {"[::1]:22", "", "::1", 22},
             {"u@[fe80::1]", "u", "fe80::1", 0},
             {"ssh-alias", "", "ssh-alias", 0},
         }) {
      auto destination = parseSshDestination(c.text);
      QCOMPARE(destination.user, c.user);
      QCOMPARE(destination.host, c.host);
      QCOMPARE(destination.port, c.port);
      QCOMPARE(destination.text(), c.text);
    }
  }

  void parseSshDestination_refusesWhatCouldBreakTheCommandLine() {
    const std::vector<std::string> refused = {"",
                                              "user@",
                                              "@host",
                                              "host:",
                                              "host:0",
                                              "host:65536",
                                              "host:99999999999",
                                              "host:-1",
                                              "host:22x",
                                              "host: 22",
                                              "-oProxyCommand=touch /tmp/pwned",
                                              "-host",
                                              "user@-host",
                                              "-l@host",
                                              "host name",
                                              "host\nname",
                                              "host\t",
                                              "ho;st",
                                              "$(id)@host",
                                              "`id`",
                                              "[::1",
                                              "[::1]x",
                                              "[]:22"};
    for (const std::string& text : refused) {
      QVERIFY2(errorOf<astro::UsageError>([&] { parseSshDestination(text); }),
               qPrintable("accepted '" + QString::fromStdString(text) + "'"));
    }
  }

  void validateProfile_refusesFieldsThatBreakCommandsOrScripts() {
    auto relative = sshProfile("gpu-1");
    relative.workspace = "runs";
    auto newline = sshProfile("gpu-1");
    newline.astro = "/opt/astro\nrm -rf /";
    auto control = sshProfile("gpu-1");
    control.workspace = std::string("/data/\x1b[2Jx");
    auto option = sshProfile("gpu-1");
    option.sshOptions.push_back("ProxyCommand=x\ny");
    auto sbatch = slurmProfile("cluster");
    sbatch.slurm.extraSbatch = {"--exclusive"};
    auto sbatchNewline = slurmProfile("cluster");
    sbatchNewline.slurm.extraSbatch = {"#SBATCH --exclusive\nrm -rf ~"};
    auto partition = slurmProfile("cluster");
    partition.slurm.partition = "h100\n#SBATCH --account=someone-else";
    auto login = slurmProfile("cluster");
    login.slurm.login = "../gpu";
    int index = 0;
    for (const HostProfile& profile :
         {relative, newline, control, option, sbatch, sbatchNewline, partition, login}) {
      QVERIFY2(errorOf<astro::UsageError>([&] { validateProfile(profile); }),
               qPrintable(QString("accepted invalid profile #%1").arg(index)));
      ++index;
    }
    validateProfile(sshProfile("gpu-1"));
    validateProfile(slurmProfile("cluster"));
  }

  void malformedToml_namesFileAndLine() {
    auto folder = astro::test::freshTempDir("hosts-malformed");
    auto file = folder / "broken.toml";
    writeText(file, "# a host\nkind = \"ssh\"\nssh = \"unterminated\nworkspace = \"/x\"\n");
    HostRegistry registry(folder);
    auto error = parseErrorOf([&] { registry.list(); });
    QVERIFY(error);
    QCOMPARE(error->file(), file.string());
    QCOMPARE(error->line(), std::int64_t{3});
    QVERIFY2(QString(error->what()).startsWith(QString::fromStdString(file.string()) + ":3"),
             error->what());
    QVERIFY(parseErrorOf([&] { registry.get("broken"); }));
  }

  void wrongTypeOrUnknownKey_namesKeyAndLine() {
    const std::string text = profileToToml(sshProfile("gpu-1"));
    const int portLine = lineContaining(text, "2222");
    QVERIFY(portLine > 0);
    std::string badPort = text;
    badPort.replace(badPort.find(":2222"), 5, ":http");
    auto error = parseErrorOf([&] { profileFromToml(badPort, "/cfg/gpu-1.toml"); });
    QVERIFY(error);
    QCOMPARE(error->file(), std::string("/cfg/gpu-1.toml"));
    QCOMPARE(error->line(), std::int64_t{portLine});

    const int workspaceLine = lineContaining(text, "/data/astro runs");
    std::string numberWorkspace = text;
    auto start = numberWorkspace.find('"', numberWorkspace.find("workspace"));
    auto end = numberWorkspace.find('\n', start);
    numberWorkspace.replace(start, end - start, "42");
    error = parseErrorOf([&] { profileFromToml(numberWorkspace, "/cfg/gpu-1.toml"); });
    QVERIFY(error);
    QCOMPARE(error->line(), std::int64_t{workspaceLine});
    QCOMPARE(error->field(), std::string("workspace"));

    const int lines = lineContaining(text + "\nsentinel-end", "sentinel-end");
    error = parseErrorOf([&] { profileFromToml(text + "\nport_typo = 22\n", "/cfg/gpu-1.toml"); });
    QVERIFY(error);
    QCOMPARE(error->field(), std::string("port_typo"));
    QCOMPARE(error->line(), std::int64_t{lines});

    error = parseErrorOf(
        [&] { profileFromToml("kind = \"kubernetes\"\nworkspace = \"/x\"\n", "/cfg/k.toml"); });
    QVERIFY(error);
    QCOMPARE(error->field(), std::string("kind"));
    QCOMPARE(error->line(), std::int64_t{1});
  }

  void fileWithAnInvalidProfile_isAParseErrorNamingTheFile() {
    auto folder = astro::test::freshTempDir("hosts-invalid");
    // Valid TOML, but a relative workspace and a name reserved for this machine.
    writeText(folder / "gpu-1.toml", "kind = \"ssh\"\nssh = \"host\"\nworkspace = \"runs\"\n");
    writeText(folder / "local.toml", "kind = \"ssh\"\nssh = \"host\"\nworkspace = \"/runs\"\n");
    HostRegistry registry(folder);
    auto error = parseErrorOf([&] { registry.get("gpu-1"); });
    QVERIFY(error);
    QCOMPARE(error->file(), (folder / "gpu-1.toml").string());
    QVERIFY2(QString(error->what()).contains("workspace"), error->what());
    error = parseErrorOf([&] { registry.list(); });
    QVERIFY(error);
  }
};

QTEST_GUILESS_MAIN(HostProfileTest)
#include "host_profile_test.moc"
