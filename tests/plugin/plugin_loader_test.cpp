// Loading plugins (core/plugin/plugin_loader.h) from the test plugins' folders into fresh
// registries: the good one's domain and format are found and work, each broken one is refused
// with its path and the reason, nothing a refused plugin registered stays, and the plugins the
// probe refused were never loaded into this process, which is still here to check.
#include "core/plugin/plugin_loader.h"

#include <QtTest>
#include <chrono>
#include <fstream>
#include <map>

#include "core/analysis/generation_reader.h"
#include "core/domain/domain_registry.h"
#include "core/domain/math_domain.h"

using astro::plugin::LoadOptions;
using astro::plugin::PluginRecord;

namespace {

struct Registries {
  astro::domain::DomainRegistry domains;
  astro::analysis::GenerationReaderRegistry readers;
  Registries() { domains.addFallback(std::make_unique<astro::domain::MathDomain>()); }
};

// Records by file name: "libastro-plugin-test-good.so".
std::map<std::string, PluginRecord> byFile(const std::vector<PluginRecord>& records) {
  std::map<std::string, PluginRecord> map;
  for (const PluginRecord& record : records) map[record.path.filename().string()] = record;
  return map;
}

bool registered(const astro::domain::DomainRegistry& domains, const std::string& name) {
  const auto names = domains.names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Whether a file is mapped into this process (/proc/self/maps lists every loaded object).
bool mappedHere(const std::string& fileName) {
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);) {
    if (line.ends_with("/" + fileName)) return true;
  }
  return false;
}

astro::math::Problem parityProblem(const std::string& answer) {
  astro::math::Problem problem;
  problem.id = "p1";
  problem.question = "Is 7 odd?";
  problem.answer = answer;
  problem.source = "parity";
  return problem;
}

}  // namespace

class PluginLoaderTest : public QObject {
  Q_OBJECT
 private:
  Registries registries_;
  std::map<std::string, PluginRecord> records_;

  QString refusalOf(const std::string& file) {
    if (!records_.contains(file)) return "not found: " + QString::fromStdString(file);
    return QString::fromStdString(records_.at(file).refusal);
  }

 private Q_SLOTS:
  void initTestCase() {
    QElapsedTimer timer;
    timer.start();
    records_ = byFile(astro::plugin::loadPluginsInto(registries_.domains, registries_.readers,
                                                     LoadOptions{.folders = {TEST_PLUGIN_DIR}}));
    // What probing costs a start-up (all probes run at once); informative, not asserted.
    qInfo("probed and loaded %zu plugins in %lld ms", records_.size(), timer.elapsed());
  }

  void load_findsEveryCandidateInTheFolder() {
    QCOMPARE(records_.size(), std::size_t(12));  // 10 built broken ones, the good one, the junk
    for (const auto& [file, record] : records_) {
      QCOMPARE(record.path.parent_path(), std::filesystem::path(TEST_PLUGIN_DIR));
      QCOMPARE(record.loaded, record.refusal.empty());
    }
  }

  void load_goodPluginLoadsWithItsManifest() {
    const PluginRecord& good = records_.at("libastro-plugin-test-good.so");
    QVERIFY2(good.loaded, good.refusal.c_str());
    QCOMPARE(good.name, std::string("test-good"));
    QCOMPARE(good.version, std::string("1.2.3"));
    QCOMPARE(good.apiVersion, 1u);
    QCOMPARE(good.provides, std::string("domain:toy-parity,format:toy-lines"));
    QCOMPARE(good.registered, (std::vector<std::string>{"domain:toy-parity", "format:toy-lines"}));
  }

  void load_goodDomainIsFoundAndGrades() {
    const astro::domain::Domain& domain = registries_.domains.find("toy-parity");
    QCOMPARE(domain.description(), std::string_view("toy parity domain"));
    QVERIFY(domain.claims(parityProblem("odd")));
    auto other = parityProblem("odd");
    other.source = "math500";
    QVERIFY(!domain.claims(other));
    const std::vector<astro::math::Problem> problems{parityProblem("odd"), parityProblem("even")};
    QCOMPARE(registries_.domains.resolve("auto", problems).name(), std::string_view("toy-parity"));

    const auto verifier = domain.makeVerifier();
    QCOMPARE(verifier->name(), std::string("toy-parity"));
    const std::string output = "7 = 2*3 + 1. ANSWER: odd";
    const astro::math::Verdict right = verifier->grade(parityProblem("odd"), output);
    QVERIFY(right.correct);
    QVERIFY(right.answerFound);
    QCOMPARE(right.extracted, std::string("odd"));
    QCOMPARE(right.rule, std::string("exact"));
    QCOMPARE(right.answerOffset, output.size() - 3);
    QVERIFY(!verifier->grade(parityProblem("even"), output).correct);
    QVERIFY(!verifier->grade(parityProblem("odd"), "no answer here").answerFound);

    const auto validator = domain.makeStepValidator();
    QVERIFY(validator != nullptr);
    const std::vector<std::string_view> steps{"first", "second"};
    QVERIFY(validator->accepts(parityProblem("odd"), steps, "good"));
    QVERIFY(!validator->accepts(parityProblem("odd"), steps, "bad"));
  }

  void load_goodFormatIsFoundAndReads() {
    QVERIFY(registries_.readers.contains("toy-lines"));
    const astro::analysis::GenerationReader* reader = registries_.readers.detect("TOY|p|c|a");
    QVERIFY(reader != nullptr);
    QCOMPARE(reader->name(), std::string_view("toy-lines"));
    const astro::analysis::GenerationRecord record = reader->read("TOY|What?|It is 4|4");
    QCOMPARE(record.prompt, std::string("What?"));
    QCOMPARE(record.completion, std::string("It is 4"));
    QCOMPARE(record.answer, std::string("4"));
    QVERIFY(!record.score.has_value());
    QVERIFY(registries_.readers.detect("{\"prompt\": 1}") == nullptr);
  }

  void load_refusesEachBrokenPluginWithItsReason() {
    QCOMPARE(refusalOf("libastro-plugin-test-wrong-api.so"),
             QString("built for plugin API 2, this Astro Studio has 1"));
    QCOMPARE(records_.at("libastro-plugin-test-wrong-api.so").apiVersion, 2u);
    QCOMPARE(refusalOf("libastro-plugin-test-no-register.so"),
             QString("no entry point astro_plugin_register: undefined symbol: "
                     "astro_plugin_register"));
    QCOMPARE(refusalOf("libastro-plugin-test-fails.so"),
             QString("registration failed: toy reason: the data file is missing"));
    QCOMPARE(refusalOf("libastro-plugin-test-throws.so"),
             QString("threw a C++ exception while registering: toy exception"));
    QCOMPARE(refusalOf("libastro-plugin-test-crashes.so"),
             QString("crashed while registering: SIGSEGV"));
    QCOMPARE(refusalOf("libastro-plugin-test-aborts.so"),
             QString("crashed while registering: SIGABRT"));
    QCOMPARE(refusalOf("libastro-plugin-test-duplicate-domain.so"),
             QString("domain 'math' is already registered"));
    QCOMPARE(refusalOf("libastro-plugin-test-fails-in-process.so"),
             QString("registration failed: fails only outside the probe"));
    QCOMPARE(refusalOf("libastro-plugin-test-bad-phrases.so"),
             QString("add_domain: domain 'toy-split-reflection' has an unusable phrase set: "
                     "phrase_set_json: reflections[0]: contains the step delimiter \"\\n\", "
                     "which separates steps"));
    QCOMPARE(refusalOf("libastro-plugin-test-no-name.so"),
             QString("malformed manifest: name is missing (NULL)"));
    const QString junk = refusalOf("libastro-plugin-junk.so");
    // dlerror's words ("file too short", "invalid ELF header") vary; the path is not repeated.
    QVERIFY2(junk.startsWith("not loadable: ") && junk.size() > 14 && !junk.contains("junk.so"),
             qPrintable(junk));
  }

  void load_refusedPluginsLeaveNothingRegistered() {
    QCOMPARE(registries_.domains.names(), (std::vector<std::string>{"math", "toy-parity"}));
    QCOMPARE(registries_.readers.names(), (std::vector<std::string>{"toy-lines"}));
    for (const char* leftBehind : {"toy-failed", "toy-thrown", "toy-crashed", "toy-aborted",
                                   "toy-beside-math", "toy-in-process", "toy-unreachable",
                                   "toy-split-reflection"}) {
      QVERIFY2(!registered(registries_.domains, leftBehind), leftBehind);
    }
    // math is still the built-in, not the duplicate's.
    QVERIFY(registries_.domains.find("math").description() != "left behind?");
  }

  void load_pluginsTheProbeRefusedNeverEnterThisProcess() {
    QVERIFY(mappedHere("libastro-plugin-test-good.so"));
    // The probe passed this one; its in-process registration failed (and left nothing, above).
    QVERIFY(mappedHere("libastro-plugin-test-fails-in-process.so"));
    for (const char* file :
         {"libastro-plugin-test-crashes.so", "libastro-plugin-test-aborts.so",
          "libastro-plugin-test-throws.so", "libastro-plugin-test-fails.so",
          "libastro-plugin-test-wrong-api.so", "libastro-plugin-test-duplicate-domain.so"}) {
      QVERIFY2(!mappedHere(file), file);
    }
  }

  void load_hangingPluginIsStoppedAfterTheTimeout() {
    Registries registries;
    const auto start = std::chrono::steady_clock::now();
    const auto records = astro::plugin::loadPluginsInto(
        registries.domains, registries.readers,
        LoadOptions{.folders = {HANG_PLUGIN_DIR}, .probeTimeoutMs = 1500});
    const auto elapsed = std::chrono::steady_clock::now() - start;
    QCOMPARE(records.size(), std::size_t(1));
    QCOMPARE(records[0].name, std::string());  // the probe never answered, not even its manifest
    QCOMPARE(QString::fromStdString(records[0].refusal),
             QString("hung while registering: no answer within 1500 ms; stopped"));
    QVERIFY(!registered(registries.domains, "toy-hung"));
    QVERIFY(elapsed >= std::chrono::milliseconds(1500));
    QVERIFY(elapsed < std::chrono::seconds(10));
  }

  void load_samePluginNameTwiceLoadsTheFirstFolders() {
    Registries registries;
    const auto records = astro::plugin::loadPluginsInto(
        registries.domains, registries.readers,
        LoadOptions{.folders = {SECOND_PLUGIN_DIR, TEST_PLUGIN_DIR}});
    const auto map = byFile(records);
    QVERIFY(map.at("libastro-plugin-test-good-copy.so").loaded);
    QCOMPARE(QString::fromStdString(map.at("libastro-plugin-test-good.so").refusal),
             QString("a plugin named 'test-good' is already loaded from " SECOND_PLUGIN_DIR
                     "/libastro-plugin-test-good-copy.so"));
    QVERIFY(registered(registries.domains, "toy-parity"));
  }

  void load_missingProbeRefusesEveryPluginInsteadOfLoadingUntried() {
    Registries registries;
    const auto records = astro::plugin::loadPluginsInto(
        registries.domains, registries.readers,
        LoadOptions{.folders = {SECOND_PLUGIN_DIR}, .probe = "/nonexistent/astro-plugin-probe"});
    QCOMPARE(records.size(), std::size_t(1));
    QVERIFY(!records[0].loaded);
    QVERIFY2(QString::fromStdString(records[0].refusal)
                 .startsWith("cannot probe: astro-plugin-probe not found (looked at "
                             "/nonexistent/astro-plugin-probe"),
             records[0].refusal.c_str());
    QVERIFY(!registered(registries.domains, "toy-parity"));
  }

  void loadPlugins_loadsTheProcessRegistriesOnce() {
    QVERIFY(astro::plugin::pluginReport().empty());
    const auto& first = astro::plugin::loadPlugins(LoadOptions{.folders = {SECOND_PLUGIN_DIR}});
    QCOMPARE(first.size(), std::size_t(1));
    QVERIFY(first[0].loaded);
    QVERIFY(registered(astro::domain::domainRegistry(), "toy-parity"));
    QVERIFY(astro::analysis::generationReaderRegistry().contains("toy-lines"));
    // A second call does not load again (toy-parity would be refused as taken).
    const auto& second = astro::plugin::loadPlugins(LoadOptions{.folders = {TEST_PLUGIN_DIR}});
    QCOMPARE(&second, &first);
    QCOMPARE(&astro::plugin::pluginReport(), &first);
    QVERIFY(first[0].loaded);
  }

  void pluginFolders_putAstroPluginPathFirstAndSkipsMissingFolders() {
    qputenv("ASTRO_PLUGIN_PATH",
            "/nonexistent-folder:" TEST_PLUGIN_DIR ":" SECOND_PLUGIN_DIR ":" TEST_PLUGIN_DIR);
    const auto folders = astro::plugin::pluginFolders();
    qunsetenv("ASTRO_PLUGIN_PATH");
    QVERIFY(folders.size() >= 2);
    QCOMPARE(folders[0], std::filesystem::path(TEST_PLUGIN_DIR));
    QCOMPARE(folders[1], std::filesystem::path(SECOND_PLUGIN_DIR));
    // Run from the build tree, the build's plugin folder follows (when something was built
    // into it); the same folder never appears twice.
    for (std::size_t i = 2; i < folders.size(); ++i) {
      QVERIFY(folders[i] != std::filesystem::path(TEST_PLUGIN_DIR));
    }
  }
};

QTEST_GUILESS_MAIN(PluginLoaderTest)
#include "plugin_loader_test.moc"
