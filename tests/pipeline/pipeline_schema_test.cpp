// describePipelineSchema: the parser's own description of every config table and key (types,
// ranges, choices, library defaults), which a config holding every default parses back.
#include "core/pipeline/pipeline_schema.h"

#include <QtTest>
#include <set>

#include "core/pipeline/pipeline_config.h"
#include "core/search/mcts.h"

using namespace astro::pipeline;

namespace {

const ConfigKey* find(const std::string& table, const std::string& key) {
  for (const ConfigKey& each : describePipelineSchema()) {
    if (each.table == table && each.key == key) return &each;
  }
  return nullptr;
}

}  // namespace

class PipelineSchemaTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void schema_listsEveryTableInRunOrder_eachKeyOnce() {
    std::vector<std::string> tables;
    std::set<std::pair<std::string, std::string>> keys;
    for (const ConfigKey& key : describePipelineSchema()) {
      if (tables.empty() || tables.back() != key.table) tables.push_back(key.table);
      QVERIFY2(keys.emplace(key.table, key.key).second, (key.table + "." + key.key).c_str());
    }
    std::vector<std::string> expected{"run"};
    for (StageKind kind : allStageKinds()) expected.emplace_back(stageKindName(kind));
    QCOMPARE(tables, expected);
  }

  void schema_givesTypesRangesChoicesAndLibraryDefaults() {
    const ConfigKey* iterations = find("search", "iterations");
    QVERIFY(iterations != nullptr);
    QCOMPARE(iterations->type, std::string("integer"));
    QCOMPARE(iterations->min, std::optional<double>(1));
    QCOMPARE(iterations->max, std::optional<double>(1'000'000));
    QCOMPARE(iterations->defaultValue, std::to_string(astro::search::MctsOptions{}.iterations));
    const ConfigKey* schedule = find("sft", "schedule");
    QVERIFY(schedule != nullptr);
    QCOMPARE(schedule->type, std::string("text"));
    QCOMPARE(schedule->choices, std::vector<std::string>({"cosine", "constant"}));
    QCOMPARE(schedule->defaultValue, std::string("\"cosine\""));
    QCOMPARE(find("sft", "pack")->type, std::string("boolean"));
    QCOMPARE(find("rl", "kl")->type, std::string("real"));
    QCOMPARE(find("search", "model")->type, std::string("path"));
    QCOMPARE(find("evaluate", "models")->type, std::string("value"));
    QCOMPARE(find("run", "seed")->defaultValue, std::string());  // stages keep their own
    QVERIFY(find("search", "itertions") == nullptr);
  }

  void aConfigOfEveryDefault_parses() {
    std::string text;
    std::string table;
    for (const ConfigKey& key : describePipelineSchema()) {
      if (key.table != table) text += "\n[" + (table = key.table) + "]\n";
      if (!key.defaultValue.empty()) text += key.key + " = " + key.defaultValue + "\n";
    }
    PipelineConfig config = parsePipelineConfig(text, "defaults.toml", ".");
    QCOMPARE(config.stages.size(), allStageKinds().size());
  }
};

QTEST_GUILESS_MAIN(PipelineSchemaTest)
#include "pipeline_schema_test.moc"
