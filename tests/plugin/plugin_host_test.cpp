// The in-process host (core/plugin/plugin_host.h) without a probe in front of it: registrations
// are staged and reach the registries only on commit, a refused name or a failed, throwing or
// half-done registration leaves the registries as they were, and descriptors are checked.
#include "core/plugin/plugin_host.h"

#include <QtTest>
#include <cstdio>
#include <string>

#include "core/analysis/generation_reader.h"
#include "core/domain/domain_registry.h"
#include "core/domain/math_domain.h"
#include "core/plugin/plugin_descriptors.h"

using astro::plugin::StagingHost;

namespace {

int claimsAll(void*, const AstroProblem*) { return 1; }
int gradeNothing(void*, const AstroProblem*, const char*, size_t, AstroVerdict*) { return 7; }
int detectsNothing(void*, const char*, size_t) { return 0; }
int readNothing(void*, const char*, size_t, AstroGenerationRecord*, char*, size_t) { return 1; }

int readsAll(void*, const char*, size_t) { return 1; }
// {"q": ..., "a": ...} lines where "a" is the whole record's last quoted word; refuses a line
// with "bad" in it, naming the field.
int readToy(void*, const char* record, size_t size, AstroDatasetRecord* problem, char* field,
            size_t fieldSize, char* error, size_t errorSize) {
  static std::string question;
  const std::string line(record, size);
  if (line.find("bad") != std::string::npos) {
    std::snprintf(field, fieldSize, "a");
    std::snprintf(error, errorSize, "not a toy answer");
    return 1;
  }
  question = line;
  problem->question = question.c_str();
  problem->answer = "42";
  problem->extra_json = "{\"toy\": true}";
  return 0;
}

int addDomain(const AstroPluginHost* host, const char* name) {
  AstroDomainV1 domain = {sizeof(AstroDomainV1), name,   "", nullptr, claimsAll,
                          gradeNothing,          nullptr};
  return host->add_domain(host, &domain);
}

int addFormat(const AstroPluginHost* host, const char* name) {
  AstroGenerationFormatV1 format = {
      sizeof(AstroGenerationFormatV1), name, "", nullptr, detectsNothing, readNothing};
  return host->add_generation_format(host, &format);
}

// What the next registerTraceText registration declares (registration functions take no
// captures).
const char* gDelimiter = nullptr;
const char* gPhraseJson = nullptr;

int registerTraceText(const AstroPluginHost* host) {
  AstroDomainV1 domain = {sizeof(AstroDomainV1), "toy-t", "", nullptr, claimsAll, gradeNothing};
  domain.step_delimiter = gDelimiter;
  domain.phrase_set_json = gPhraseJson;
  return host->add_domain(host, &domain);
}

// (Escaped rather than a raw string: moc reads this file and misparses raw strings with quotes.)
constexpr const char* kLinePhrases =
    "{\"id\": \"lines-v1\", \"reflections\": [\"Check:\"], "
    "\"backtracks\": [\"back to \\\"{step}\\\".\"], \"restarts\": [\"from the top.\"], "
    "\"answer_checks\": [\"fine.\"], \"final_answers\": [\"Answer: \\\\boxed{{answer}}\"]}";

struct Fixture {
  astro::domain::DomainRegistry domains;
  astro::analysis::GenerationReaderRegistry readers;
  Fixture() { domains.addFallback(std::make_unique<astro::domain::MathDomain>()); }
};

}  // namespace

class PluginHostTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void register_stagesUntilCommit() {
    Fixture fixture;
    StagingHost host("toy", fixture.domains, fixture.readers);
    QCOMPARE(host.registerPlugin([](const AstroPluginHost* h) {
      if (addDomain(h, "toy-a") != 0) return 1;
      return addFormat(h, "toy-format");
    }),
             std::string());
    QCOMPARE(host.staged(), (std::vector<std::string>{"domain:toy-a", "format:toy-format"}));
    QCOMPARE(fixture.domains.names(), std::vector<std::string>{"math"});
    QVERIFY(!fixture.readers.contains("toy-format"));
    host.commit();
    QCOMPARE(fixture.domains.names(), (std::vector<std::string>{"math", "toy-a"}));
    QVERIFY(fixture.readers.contains("toy-format"));
    // The host's verifier turns the plugin's non-zero grade into an ungraded verdict.
    const auto verdict = fixture.domains.find("toy-a").makeVerifier()->grade({}, "output");
    QVERIFY(!verdict.correct && !verdict.answerFound);
    QCOMPARE(verdict.rule, std::string("plugin error: grade returned 7"));
    QVERIFY(fixture.domains.find("toy-a").makeStepValidator() == nullptr);
  }

  void register_takenNameRefusesThePluginEvenIfItReturnsZero() {
    Fixture fixture;
    StagingHost host("toy", fixture.domains, fixture.readers);
    QCOMPARE(host.registerPlugin([](const AstroPluginHost* h) {
      addDomain(h, "toy-b");
      const int refused = addDomain(h, "math");
      return refused == 0 ? 99 : 0;  // ignores the refusal, as a careless plugin would
    }),
             std::string("domain 'math' is already registered"));
    QCOMPARE(fixture.domains.names(), std::vector<std::string>{"math"});
  }

  void register_sameNameTwiceIsRefused() {
    Fixture fixture;
    StagingHost host("toy", fixture.domains, fixture.readers);
    QCOMPARE(host.registerPlugin([](const AstroPluginHost* h) {
      addFormat(h, "toy-format");
      addFormat(h, "toy-format");
      return 0;
    }),
             std::string("generation format 'toy-format' is registered twice"));
  }

  void register_failWithReasonIsTheRefusal() {
    Fixture fixture;
    StagingHost host("toy", fixture.domains, fixture.readers);
    QCOMPARE(host.registerPlugin([](const AstroPluginHost* h) {
      addDomain(h, "toy-c");
      h->fail(h, "no model file");
      return 1;
    }),
             std::string("registration failed: no model file"));
    QCOMPARE(host.registerPlugin([](const AstroPluginHost*) { return 3; }),
             std::string("registration failed: no model file"));
    StagingHost silent("toy", fixture.domains, fixture.readers);
    QCOMPARE(silent.registerPlugin([](const AstroPluginHost*) { return 3; }),
             std::string("registration failed: astro_plugin_register returned 3 without calling "
                         "fail()"));
    QCOMPARE(fixture.domains.names(), std::vector<std::string>{"math"});
  }

  void register_exceptionIsCaughtAndRefuses() {
    Fixture fixture;
    StagingHost host("toy", fixture.domains, fixture.readers);
    QCOMPARE(host.registerPlugin([](const AstroPluginHost* h) -> int {
      addDomain(h, "toy-d");
      throw std::runtime_error("out of cheese");
    }),
             std::string("threw a C++ exception while registering: out of cheese"));
    QCOMPARE(fixture.domains.names(), std::vector<std::string>{"math"});
  }

  void register_malformedDescriptorsAreRefused() {
    Fixture fixture;
    StagingHost host("toy", fixture.domains, fixture.readers);
    QCOMPARE(QString::fromStdString(
                 host.registerPlugin([](const AstroPluginHost* h) { return addDomain(h, "a b"); })),
             QString("add_domain: domain name 'a b' has a character other than A-Z a-z 0-9 "
                     ". _ -"));
    StagingHost autoName("toy", fixture.domains, fixture.readers);
    QCOMPARE(autoName.registerPlugin([](const AstroPluginHost* h) { return addDomain(h, "auto"); }),
             std::string("add_domain: domain 'auto' is named after the auto rule"));
    StagingHost noGrade("toy", fixture.domains, fixture.readers);
    QCOMPARE(noGrade.registerPlugin([](const AstroPluginHost* h) {
      AstroDomainV1 domain = {
          sizeof(AstroDomainV1), "toy-e", "", nullptr, claimsAll, nullptr, nullptr};
      return h->add_domain(h, &domain);
    }),
             std::string("add_domain: domain 'toy-e' has no grade function"));
    StagingHost tooSmall("toy", fixture.domains, fixture.readers);
    QVERIFY(QString::fromStdString(tooSmall.registerPlugin([](const AstroPluginHost* h) {
              AstroDomainV1 domain = {8, "toy-f", "", nullptr, claimsAll, gradeNothing, nullptr};
              return h->add_domain(h, &domain);
            }))
                .startsWith(
                    "add_domain: struct_size 8 is smaller than AstroDomainV1's required members"));
  }

  void register_halfADatasetReaderIsRefused() {
    Fixture fixture;
    StagingHost host("toy", fixture.domains, fixture.readers);
    QCOMPARE(host.registerPlugin([](const AstroPluginHost* h) {
      AstroDomainV1 domain = {sizeof(AstroDomainV1), "toy-r", "", nullptr, claimsAll,
                              gradeNothing, nullptr, readsAll, nullptr};
      return h->add_domain(h, &domain);
    }),
             std::string("add_domain: domain 'toy-r' has reads_record without read_record"));
  }

  void datasetReader_readsThroughThePluginAndNamesItInErrors() {
    Fixture fixture;
    StagingHost host("toy", fixture.domains, fixture.readers);
    QCOMPARE(host.registerPlugin([](const AstroPluginHost* h) {
      AstroDomainV1 domain = {sizeof(AstroDomainV1), "toy-d", "", nullptr, claimsAll,
                              gradeNothing, nullptr, readsAll, readToy};
      return h->add_domain(h, &domain);
    }),
             std::string());
    host.commit();
    auto reader = fixture.domains.find("toy-d").datasetReader();
    QVERIFY(reader.has_value());
    QCOMPARE(reader->name, std::string("toy-d"));
    QVERIFY(reader->detects("{}"));
    astro::math::Problem problem = reader->read("{\"q\": 1}");
    QCOMPARE(problem.question, std::string("{\"q\": 1}"));
    QCOMPARE(problem.answer, std::string("42"));
    QCOMPARE(problem.extra["toy"], nlohmann::json(true));
    try {
      reader->read("{\"q\": \"bad\"}");
      QFAIL("a refused record must throw");
    } catch (const astro::math::RecordError& error) {
      QCOMPARE(error.field, std::string("a"));
      QCOMPARE(error.what, std::string("plugin toy: not a toy answer"));
    }
    // The built-in domains read no format of their own.
    QVERIFY(!fixture.domains.find("math").datasetReader().has_value());
  }

  void traceText_theDelimiterAndPhraseSetReachTheDomain() {
    Fixture fixture;
    StagingHost host("toy", fixture.domains, fixture.readers);
    gDelimiter = "\n";
    gPhraseJson = kLinePhrases;
    QCOMPARE(host.registerPlugin(registerTraceText), std::string());
    host.commit();
    const astro::domain::Domain& domain = fixture.domains.find("toy-t");
    QCOMPARE(std::string(domain.stepDelimiter()), std::string("\n"));
    QCOMPARE(domain.phraseSet().id, std::string("lines-v1"));
    QCOMPARE(domain.phraseSet().backtracks.front(), std::string("back to \"{step}\"."));
    // Without them: a blank line and the paper's set.
    Fixture plain;
    StagingHost defaults("toy", plain.domains, plain.readers);
    gDelimiter = nullptr;
    gPhraseJson = nullptr;
    QCOMPARE(defaults.registerPlugin(registerTraceText), std::string());
    defaults.commit();
    QCOMPARE(std::string(plain.domains.find("toy-t").stepDelimiter()), std::string("\n\n"));
    QCOMPARE(plain.domains.find("toy-t").phraseSet().id, std::string("astro-default-v1"));
  }

  void traceText_unusableOnesAreRefused_namingTheField() {
    const std::pair<std::pair<const char*, const char*>, std::string> cases[] = {
        {{"", nullptr}, "add_domain: domain 'toy-t' has an empty step_delimiter"},
        {{nullptr, "{\"id\": "},
         "add_domain: domain 'toy-t' has a phrase_set_json that is not JSON: "},
        {{nullptr, "{\"id\": \"x\", \"reflections\": []}"},
         "add_domain: domain 'toy-t' has an unusable phrase set: phrase_set_json: backtracks: "
         "missing"},
        {{" ", kLinePhrases},
         "add_domain: domain 'toy-t' has an unusable phrase set: phrase_set_json: "
         "backtracks[0]: contains the step delimiter \" \", which separates steps"},
    };
    for (const auto& [given, expected] : cases) {
      Fixture fixture;
      StagingHost host("toy", fixture.domains, fixture.readers);
      gDelimiter = given.first;
      gPhraseJson = given.second;
      const std::string refusal = host.registerPlugin(registerTraceText);
      QVERIFY2(refusal.starts_with(expected), refusal.c_str());
      QVERIFY(!fixture.domains.isChoice("toy-t"));
    }
    gDelimiter = gPhraseJson = nullptr;
  }

  void copyDomain_olderSmallerStructHasNoStepCheck() {
    AstroDomainV1 older = {offsetof(AstroDomainV1, accepts_step),
                           "toy",
                           "",
                           nullptr,
                           claimsAll,
                           gradeNothing,
                           reinterpret_cast<decltype(older.accepts_step)>(0x1)};
    const AstroDomainV1 copy = astro::plugin::copyDomain(older);
    QVERIFY(copy.accepts_step == nullptr);  // beyond the plugin's struct_size: absent
    QVERIFY(copy.reads_record == nullptr && copy.read_record == nullptr);
    QVERIFY(copy.step_delimiter == nullptr && copy.phrase_set_json == nullptr);
    QCOMPARE(copy.struct_size, sizeof(AstroDomainV1));
    QVERIFY(copy.grade == &gradeNothing);
  }
};

QTEST_GUILESS_MAIN(PluginHostTest)
#include "plugin_host_test.moc"
