// The memory plan of whole pipeline configs (core/plan/stage_plan.h): each stage's model found (a
// folder's config.json, a known model by name, the world model, the model an earlier stage started
// from), fits or not at a given GPU memory, the advice, the JSON shape and check's warnings.
#include "core/plan/stage_plan.h"

#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/plan/plan_report.h"
#include "tests/support/test_support.h"

using namespace astro;
using namespace astro::plan;
namespace fs = std::filesystem;

namespace {

const char* kLlama8bJson = R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 4096,
  "intermediate_size": 14336, "num_hidden_layers": 32, "num_attention_heads": 32,
  "num_key_value_heads": 8, "vocab_size": 128256, "tie_word_embeddings": false})";

std::string sftConfig(const std::string& model, int rowLength) {
  return "[run]\ndevice = \"cuda\"\n\n[sft]\nmodel = \"" + model +
         "\"\ndata = \"train.jsonl\"\nrows_per_micro_batch = 1\nrow_length = " +
         std::to_string(rowLength) + "\n";
}

PipelinePlan planOf(const std::string& text, const fs::path& baseDir, PlanOptions options) {
  return planPipeline(pipeline::parsePipelineConfig(text, "p.toml", baseDir), options);
}

}  // namespace

class StagePlanTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    folder_ = astro::test::freshTempDir("plan_stage_plan_test");
    fs::create_directories(folder_ / "Llama-3.1-8B-Instruct");
    std::ofstream(folder_ / "Llama-3.1-8B-Instruct" / "config.json") << kLlama8bJson;
  }

  void sft8b_shortRows_fitsOnEightGpus_notOnOne() {
    auto text = sftConfig("Llama-3.1-8B-Instruct", 512);
    auto eight = planOf(text, folder_, {.gpus = 8});
    QCOMPARE(eight.stages.size(), std::size_t(1));
    const StagePlan& sft = eight.stages.front();
    QCOMPARE(sft.model->label, std::string("Llama-3.1-8B-Instruct"));
    QVERIFY(sft.model->source.ends_with("config.json"));
    QCOMPARE(sft.memory.parameters, std::int64_t(8'030'261'248));
    QCOMPARE(sft.training.tokens, std::int64_t(512));
    QVERIFY(sft.fits);
    QVERIFY(eight.fits());

    auto one = planOf(text, folder_, {.gpus = 1});
    QVERIFY(!one.fits());
    QVERIFY2(one.stages.front().advice.find("GPUs with ZeRO-1") != std::string::npos,
             one.stages.front().advice.c_str());
  }

  void sft8b_8192TokenRows_fitNowhere_andSayWhy() {
    auto plan = planOf(sftConfig("Llama-3.1-8B-Instruct", 8192), folder_, {.gpus = 8});
    QVERIFY(!plan.fits());
    const std::string& advice = plan.stages.front().advice;
    QVERIFY2(advice.find("activation checkpointing") != std::string::npos, advice.c_str());
    QVERIFY2(advice.find("rows of at most") != std::string::npos, advice.c_str());
    // More memory per GPU changes nothing about the 8,192-token rows' 14 GiB of scores per layer
    // at 80 GiB, but a 1 TiB device would hold them.
    QVERIFY(planOf(sftConfig("Llama-3.1-8B-Instruct", 8192), folder_,
                   {.gpus = 8, .gpuMemoryBytes = 1024 * kGiB})
                .fits());
  }

  void sft70b_needsMoreThanDataParallelism() {
    // The folder does not exist here: the model is known by its name.
    auto plan = planOf(sftConfig("/nowhere/Llama-3.1-70B-Instruct", 512), folder_, {.gpus = 8});
    const StagePlan& sft = plan.stages.front();
    QCOMPARE(sft.model->source, std::string("built-in table"));
    QVERIFY(!sft.fits);
    QVERIFY2(sft.advice.find("tensor or pipeline parallelism") != std::string::npos,
             sft.advice.c_str());
    // bf16 weights and gradients stay whole on every GPU: 4 B per parameter, 282 GB.
    QVERIFY(sft.memory.weights + sft.memory.gradients > 250 * kGiB);
  }

  void unknownMissingModel_isAParseErrorNamingTheKey() {
    try {
      planOf(sftConfig("/nowhere/my-model", 512), folder_, {});
      QFAIL("expected a ParseError");
    } catch (const ParseError& error) {
      QCOMPARE(error.field(), std::string("sft.model"));
      QCOMPARE(error.line(), std::int64_t(4));
      QVERIFY(std::string(error.what()).find("my-model") != std::string::npos);
    }
  }

  void tinyPipeline_everyStageFindsItsModel_andFitsOnACpu() {
    auto config = pipeline::loadPipelineConfig(fs::path(ASTRO_SOURCE_DIR) /
                                               "tests/pipeline/data/tiny.toml");
    auto plan = planPipeline(config, {.hostMemoryBytes = 8 * kGiB});
    QVERIFY(!plan.policy.cuda);
    QCOMPARE(plan.stages.size(), config.stages.size());
    for (const StagePlan& stage : plan.stages) {
      bool modelless = stage.kind == pipeline::StageKind::kLinearize ||
                       stage.kind == pipeline::StageKind::kAnalyze;
      QCOMPARE(stage.model.has_value(), !modelless);
      if (stage.model) QCOMPARE(stage.model->label, std::string("world tiny"));
      QVERIFY(stage.fits);
    }
    QVERIFY(plan.fits());
    QVERIFY(planWarnings(plan).empty());
  }

  void planJson_hasOneObjectPerStage_withByteCountsAndFits() {
    auto plan = planOf(sftConfig("Llama-3.1-8B-Instruct", 512), folder_, {.gpus = 1});
    auto json = nlohmann::json::parse(planJson(plan));
    QCOMPARE(json["gpus"].get<int>(), 1);
    QCOMPARE(json["fits"].get<bool>(), false);
    QCOMPARE(json["device_memory"].get<std::int64_t>(), 80 * kGiB);
    QCOMPARE(json["stages"].size(), std::size_t(1));
    const auto& sft = json["stages"][0];
    QCOMPARE(sft["stage"].get<std::string>(), std::string("sft"));
    QVERIFY(sft["fits"].is_boolean());
    QCOMPARE(sft["fits"].get<bool>(), false);
    QCOMPARE(sft["parameters"].get<std::int64_t>(), std::int64_t(8'030'261'248));
    QCOMPARE(sft["weights"].get<std::int64_t>(), std::int64_t(16'060'522'496));
    QCOMPARE(sft["optimizer"].get<std::int64_t>(), std::int64_t(96'363'134'976));
    QCOMPARE(sft["micro_batch"].get<std::int64_t>(), std::int64_t(1));
    QCOMPARE(sft["sequence_length"].get<std::int64_t>(), std::int64_t(512));
    for (const char* key : {"gradients", "step_buffer", "activations", "kv_cache",
                            "workspace", "total"}) {
      QVERIFY2(sft[key].is_number_integer(), key);
    }
    QVERIFY(!sft["advice"].get<std::string>().empty());
  }

  void planWarnings_nameTheSourceLineAndStage() {
    auto plan = planOf(sftConfig("Llama-3.1-8B-Instruct", 512), folder_, {.gpus = 1});
    auto warnings = planWarnings(plan);
    QCOMPARE(warnings.size(), std::size_t(1));
    QVERIFY2(warnings[0].starts_with("p.toml:4: stage 'sft' needs "), warnings[0].c_str());
    QVERIFY(planText(plan).find("sft does not fit: ") != std::string::npos);
  }

 private:
  fs::path folder_;
};

QTEST_GUILESS_MAIN(StagePlanTest)
#include "stage_plan_test.moc"
