// The `verifier` settings read through the domain registry: every pipeline table that has one
// ([search], [linearize], [rl], [evaluate], [analyze]) and a search job's TOML reject an unknown
// name with its file, line and key and the registered names, accept every registered one, and
// describe the registry's names as the key's choices in the schema front ends build forms from.
// The phrase set of linearize reaches the stages that read traces back.
#include <QtTest>
#include <algorithm>
#include <fstream>

#include "core/base/error.h"
#include "core/domain/domain_registry.h"
#include "core/pipeline/pipeline_config.h"
#include "core/pipeline/pipeline_schema.h"
#include "core/search/mcts_job.h"
#include "tests/support/test_support.h"

using namespace astro::pipeline;

namespace {

const std::vector<std::string> kTables{"search", "linearize", "rl", "evaluate", "analyze"};

// Every stage, `extra` put under the header of `table` (line 2 of that table).
std::string configWith(const std::string& table, const std::string& extra) {
  std::string text;
  for (const std::string name :
       {"pretrain-base", "search", "linearize", "sft", "rl", "evaluate", "analyze"}) {
    text += "[" + name + "]\n";
    if (name == "sft") text += "data = \"direct\"\n";
    if (name == table) text += extra;
  }
  return text;
}

int lineOf(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + long(at), '\n'));
}

}  // namespace

class DomainTablesTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void pipelineTables_rejectAnUnknownVerifier_namingTheRegisteredOnes() {
    for (const std::string& table : kTables) {
      const std::string text = configWith(table, "verifier = \"gsm8k\"\n");
      try {
        parsePipelineConfig(text, "p.toml", "/base");
        QFAIL(qPrintable(QString::fromStdString("[" + table + "] accepted \"gsm8k\"")));
      } catch (const astro::ParseError& error) {
        const std::string expected = "p.toml:" + std::to_string(lineOf(text, "verifier")) +
                                     ": field '" + table +
                                     ".verifier': \"gsm8k\" is not one of \"auto\", \"math\", "
                                     "\"countdown\"";
        QCOMPARE(std::string(error.what()), expected);
      }
    }
  }

  void pipelineTables_acceptEveryRegisteredName() {
    for (const std::string& table : kTables) {
      for (const std::string& name : astro::domain::domainRegistry().choices()) {
        parsePipelineConfig(configWith(table, "verifier = \"" + name + "\"\n"), "p.toml", "/b");
      }
    }
  }

  void schema_describesTheRegistryAsTheChoices() {
    int described = 0;
    for (const ConfigKey& key : describePipelineSchema()) {
      if (key.key != "verifier") continue;
      ++described;
      QCOMPARE(key.choices, astro::domain::domainRegistry().choices());
      QCOMPARE(key.defaultValue, std::string("\"auto\""));
    }
    QCOMPARE(described, int(kTables.size()));
  }

  // The stages that read traces back take linearize's phrase set, else none (the domain's).
  void phrases_followLinearize_intoRlEvaluateAndAnalyze() {
    const auto withSet = parsePipelineConfig(configWith("linearize", "phrases = \"set.json\"\n"),
                                             "p.toml", "/base");
    const auto without = parsePipelineConfig(configWith("linearize", ""), "p.toml", "/base");
    int checked = 0;
    for (const auto& [config, expected] :
         {std::pair{&withSet, std::optional<std::string>("/base/set.json")},
          std::pair{&without, std::optional<std::string>()}}) {
      for (const StageConfig& stage : config->stages) {
        std::optional<InputRef> phrases;
        if (const auto* rl = std::get_if<RlStage>(&stage.parameters)) phrases = rl->phrases;
        else if (const auto* eval = std::get_if<EvaluateStage>(&stage.parameters))
          phrases = eval->phrases;
        else if (const auto* analyze = std::get_if<AnalyzeStage>(&stage.parameters))
          phrases = analyze->phrases;
        else continue;
        ++checked;
        QCOMPARE(phrases.has_value(), expected.has_value());
        if (expected) QCOMPARE(phrases->path.string(), *expected);
      }
    }
    QCOMPARE(checked, 6);
  }

  void searchJobToml_rejectsAnUnknownVerifier() {
    const auto dir = astro::test::freshTempDir("domain-tables");
    const auto file = dir / "job.toml";
    std::ofstream(file) << "[search]\ndataset = \"d.jsonl\"\nverifier = \"gsm8k\"\n";
    try {
      astro::search::readSearchJob(file);
      QFAIL("readSearchJob accepted \"gsm8k\"");
    } catch (const astro::ParseError& error) {
      QCOMPARE(std::string(error.what()),
               file.string() +
                   ":3: field 'verifier': \"gsm8k\" is not one of \"auto\", "
                   "\"math\", \"countdown\"");
    }
    std::ofstream(file) << "[search]\nverifier = \"countdown\"\n";
    QCOMPARE(astro::search::readSearchJob(file).verifier, std::string("countdown"));
  }
};

QTEST_GUILESS_MAIN(DomainTablesTest)
#include "domain_tables_test.moc"
