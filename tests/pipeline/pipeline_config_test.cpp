// Pipeline configs: every error names the file, line and key (unknown keys and tables included),
// omitted parameters keep the stage libraries' defaults, inputs default to earlier stages'
// outputs, and every preset in resources/pipelines parses.
#include "core/pipeline/pipeline_config.h"

#include <QtTest>

#include "core/base/error.h"
#include "core/pipeline/stage_inputs.h"

using namespace astro::pipeline;

namespace {

// The message of the ParseError that parsing `text` throws ("" when none).
QString parseError(const std::string& text, int* line = nullptr, std::string* field = nullptr) {
  try {
    parsePipelineConfig(text, "p.toml", "/base");
  } catch (const astro::ParseError& error) {
    if (line != nullptr) *line = static_cast<int>(error.line());
    if (field != nullptr) *field = error.field();
    return QString::fromStdString(error.what());
  }
  return {};
}

template <typename T>
const T& parameters(const PipelineConfig& config, StageKind kind) {
  for (const auto& stage : config.stages) {
    if (stage.kind == kind) return std::get<T>(stage.parameters);
  }
  throw std::runtime_error("no such stage");
}

}  // namespace

class PipelineConfigTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void unknownKey_isAnErrorNamingTheKeyAndItsLine() {
    int line = 0;
    std::string field;
    QString message = parseError(
        "[run]\nseed = 1\n\n[search]\ndataset = \"d.jsonl\"\n"
        "model = \"m\"\niterations = 8\nitertions = 9\n",
        &line, &field);
    QCOMPARE(line, 8);
    QCOMPARE(field, std::string("search.itertions"));
    QVERIFY2(message.startsWith("p.toml:8: field 'search.itertions': unknown key"),
             qPrintable(message));
    QVERIFY(message.contains("iterations"));  // lists the keys the table knows
  }

  void unknownTable_isAnErrorNamingTheKnownOnes() {
    int line = 0;
    QString message = parseError("[run]\nname = \"x\"\n[sft2]\nepochs = 1\n", &line);
    QCOMPARE(line, 3);
    QVERIFY2(message.contains("'sft2': unknown table") && message.contains("pretrain-base"),
             qPrintable(message));
  }

  void unknownKeyInRun_isAnError() {
    int line = 0;
    QString message = parseError("[pretrain-base]\n[run]\nseed = 1\ncolour = \"red\"\n", &line);
    QCOMPARE(line, 4);
    QVERIFY(message.contains("'run.colour': unknown key"));
  }

  void wrongType_namesKeyAndLine() {
    int line = 0;
    QString message = parseError("[pretrain-base]\n\nepochs = \"two\"\n", &line);
    QCOMPARE(line, 3);
    QVERIFY2(message.contains("'pretrain-base.epochs': expected an integer"), qPrintable(message));
  }

  void outOfRange_namesKeyLineAndRange() {
    int line = 0;
    QString message = parseError("[pretrain-base]\n[rl]\nmodel = \"m\"\ngroup_size = 1\n", &line);
    QCOMPARE(line, 4);
    QVERIFY2(message.contains("'rl.group_size': 1 is out of range [2, 4096]"), qPrintable(message));
  }

  void badChoice_listsTheChoices() {
    QString message = parseError("[pretrain-base]\n[search]\nrollout = \"greedy\"\n");
    QVERIFY2(message.contains("p.toml:3: field 'search.rollout': \"greedy\" is not one of "
                              "\"policy\", \"none\""),
             qPrintable(message));
  }

  void tomlSyntaxError_namesTheLine() {
    int line = 0;
    QString message = parseError("[run]\nseed = 1\n[search\n", &line);
    QCOMPARE(line, 3);
    QVERIFY(message.startsWith("p.toml:3:"));
  }

  void missingInput_namesTheStageTable() {
    int line = 0;
    std::string field;
    QString message = parseError("[run]\nseed = 1\n\n[search]\niterations = 4\n", &line, &field);
    QCOMPARE(line, 4);
    QCOMPARE(field, std::string("search.dataset"));
    QVERIFY(message.contains("required"));
  }

  void libraryRangeChecks_areReportedAtTheTable() {
    int line = 0;
    QString message = parseError(
        "[pretrain-base]\n[linearize]\ntrees = \"t.jsonl\"\nmin_detours = 3\n"
        "max_detours = 1\n",
        &line);
    QCOMPARE(line, 2);
    QVERIFY2(message.contains("linearize"), qPrintable(message));
  }

  void noStages_isAnError() {
    QVERIFY(parseError("[run]\nseed = 1\n").contains("no stage tables"));
  }

  void runName_withControlCharacters_isRejected() {
    QVERIFY(parseError("[run]\nname = \"a\\u001b[2Jb\"\n[pretrain-base]\n")
                .contains("control character"));
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, validateRunName(std::string("x\ny")));
    QVERIFY_THROWS_EXCEPTION(astro::UsageError, validateRunName(std::string(201, 'a')));
    validateRunName("../../etc/passwd; rm -rf / #");  // odd but harmless: names never reach paths
  }

  void omittedParameters_keepTheLibraryDefaults() {
    auto config = parsePipelineConfig("[pretrain-base]\n[search]\n[linearize]\n[sft]\n[rl]\n",
                                      "p.toml", "/b");
    astro::train::BasePretrainingOptions pretrainDefaults;
    const auto& pretrain = parameters<PretrainBaseStage>(config, StageKind::kPretrainBase).options;
    QCOMPARE(pretrain.trainProblems, pretrainDefaults.trainProblems);
    QCOMPARE(pretrain.learningRate, pretrainDefaults.learningRate);
    QCOMPARE(pretrain.modelConfig, pretrainDefaults.modelConfig);
    QCOMPARE(pretrain.epochs, pretrainDefaults.epochs);
    QCOMPARE(parameters<SearchStage>(config, StageKind::kSearch).mcts.iterations,
             astro::search::MctsOptions{}.iterations);
    QCOMPARE(parameters<SftStage>(config, StageKind::kSft).options.learningRate,
             astro::train::SftOptions{}.learningRate);
    QCOMPARE(parameters<RlStage>(config, StageKind::kRl).options.promptsPerStep,
             astro::train::GrpoOptions{}.promptsPerStep);
  }

  void linearizeMaskWrongBranches_isOffUnlessSet() {
    auto plain = parsePipelineConfig("[pretrain-base]\n[search]\n[linearize]\n", "p.toml", "/b");
    QCOMPARE(parameters<LinearizeStage>(plain, StageKind::kLinearize).maskWrongBranches, false);
    auto masked = parsePipelineConfig(
        "[pretrain-base]\n[search]\n[linearize]\nmask_wrong_branches = true\n", "p.toml", "/b");
    QCOMPARE(parameters<LinearizeStage>(masked, StageKind::kLinearize).maskWrongBranches, true);
  }

  void linearizeGroundedChecks_isOffUnlessSet() {
    auto plain = parsePipelineConfig("[pretrain-base]\n[search]\n[linearize]\n", "p.toml", "/b");
    QCOMPARE(parameters<LinearizeStage>(plain, StageKind::kLinearize).groundedChecks, false);
    auto grounded = parsePipelineConfig(
        "[pretrain-base]\n[search]\n[linearize]\ngrounded_checks = true\n", "p.toml", "/b");
    QCOMPARE(parameters<LinearizeStage>(grounded, StageKind::kLinearize).groundedChecks, true);
  }

  void searchKeepInvalidSteps_isOffUnlessSetAndNeedsTheValidator() {
    auto plain = parsePipelineConfig("[pretrain-base]\n[search]\n", "p.toml", "/b");
    QCOMPARE(parameters<SearchStage>(plain, StageKind::kSearch).mcts.keepInvalidSteps, false);
    auto kept = parsePipelineConfig("[pretrain-base]\n[search]\nkeep_invalid_steps = true\n",
                                    "p.toml", "/b");
    QCOMPARE(parameters<SearchStage>(kept, StageKind::kSearch).mcts.keepInvalidSteps, true);
    int line = 0;
    const QString message = parseError(
        "[pretrain-base]\n[search]\nvalidate_steps = false\nkeep_invalid_steps = true\n", &line);
    QCOMPARE(line, 2);
    QVERIFY2(message.contains("keepInvalidSteps needs validateSteps"), qPrintable(message));
  }

  void linearizeDetourChoice_isUniformUnlessSet() {
    using astro::search::DetourChoice;
    auto plain = parsePipelineConfig("[pretrain-base]\n[search]\n[linearize]\n", "p.toml", "/b");
    QVERIFY(parameters<LinearizeStage>(plain, StageKind::kLinearize).linearize.detourChoice ==
            DetourChoice::kUniform);
    auto near = parsePipelineConfig(
        "[pretrain-base]\n[search]\n[linearize]\ndetour_choice = \"near-final-path\"\n", "p.toml",
        "/b");
    QVERIFY(parameters<LinearizeStage>(near, StageKind::kLinearize).linearize.detourChoice ==
            DetourChoice::kNearFinalPath);
    QVERIFY(parseError("[pretrain-base]\n[search]\n[linearize]\ndetour_choice = \"deep\"\n")
                .contains("near-final-path"));
  }

  void linearizeAffirmStepsMinQ_isOffUnlessSet() {
    auto plain = parsePipelineConfig("[pretrain-base]\n[search]\n[linearize]\n", "p.toml", "/b");
    QVERIFY(!parameters<LinearizeStage>(plain, StageKind::kLinearize).affirmStepsMinQ);
    auto affirmed = parsePipelineConfig(
        "[pretrain-base]\n[search]\n[linearize]\naffirm_steps_min_q = -1.0\n", "p.toml", "/b");
    QCOMPARE(parameters<LinearizeStage>(affirmed, StageKind::kLinearize).affirmStepsMinQ,
             std::optional<double>(-1.0));
    int line = 0;
    std::string field;
    parseError("[pretrain-base]\n[search]\n[linearize]\naffirm_steps_min_q = 3.0\n", &line,
               &field);
    QCOMPARE(line, 4);
    QCOMPARE(field, std::string("linearize.affirm_steps_min_q"));
  }

  void runSeed_isEveryStagesDefaultSeed() {
    auto config = parsePipelineConfig("[run]\nseed = 7\n[pretrain-base]\n[search]\nseed = 9\n",
                                      "p.toml", "/b");
    QCOMPARE(parameters<PretrainBaseStage>(config, StageKind::kPretrainBase).options.seed,
             std::uint64_t(7));
    QCOMPARE(parameters<SearchStage>(config, StageKind::kSearch).mcts.seed, std::uint64_t(9));
  }

  void inputs_defaultToEarlierStagesOutputs() {
    auto config = parsePipelineConfig(
        "[pretrain-base]\n[search]\n[linearize]\n[sft]\ndata = \"direct\"\n[rl]\n[evaluate]\n"
        "[analyze]\n",
        "p.toml", "/b");
    QCOMPARE(config.stages.size(), std::size_t(7));
    const auto& search = parameters<SearchStage>(config, StageKind::kSearch);
    QCOMPARE(*search.model.stage, StageKind::kPretrainBase);
    QCOMPARE(search.dataset.output, std::string("train"));
    const auto& sft = parameters<SftStage>(config, StageKind::kSft);
    QCOMPARE(*sft.data.stage, StageKind::kLinearize);
    QCOMPARE(sft.data.output, std::string("direct"));
    QCOMPARE(*parameters<RlStage>(config, StageKind::kRl).model.stage, StageKind::kSft);
    const auto& evaluate = parameters<EvaluateStage>(config, StageKind::kEvaluate);
    QCOMPARE(evaluate.models.size(), std::size_t(3));
    QCOMPARE(evaluate.models[2].label, std::string("rl"));
    QCOMPARE(evaluate.datasets.at(0).label, std::string("world-test"));
    QCOMPARE(*parameters<AnalyzeStage>(config, StageKind::kAnalyze).samples.stage,
             StageKind::kEvaluate);
  }

  void relativePaths_resolveAgainstTheConfigFolder() {
    auto config = parsePipelineConfig(
        "[search]\ndataset = \"../data/train.jsonl\"\nmodel = \"/models/llama\"\n"
        "[evaluate]\ndatasets = [\"x/math500.jsonl\", {name = \"AIME\", path = \"aime.jsonl\"}]\n",
        "p.toml", "/configs/here");
    const auto& search = parameters<SearchStage>(config, StageKind::kSearch);
    QCOMPARE(search.dataset.path, std::filesystem::path("/configs/data/train.jsonl"));
    QCOMPARE(search.model.path, std::filesystem::path("/models/llama"));
    const auto& evaluate = parameters<EvaluateStage>(config, StageKind::kEvaluate);
    QCOMPARE(evaluate.models.at(0).label, std::string("base"));  // the search's model
    QCOMPARE(evaluate.datasets.at(0).label, std::string("math500"));
    QCOMPARE(evaluate.datasets.at(1).label, std::string("AIME"));
    QCOMPARE(evaluate.datasets.at(1).dataset.path,
             std::filesystem::path("/configs/here/aime.jsonl"));
    auto inputs = stageInputs(config.stages.at(1));
    QCOMPARE(inputs.at(0).first, std::string("model:base"));
  }

  void evaluate_duplicateNames_areAnError() {
    QString message = parseError(
        "[search]\ndataset = \"d\"\nmodel = \"m\"\n[evaluate]\n"
        "datasets = [\"a/test.jsonl\", \"b/test.jsonl\"]\n");
    QVERIFY2(message.contains("'evaluate.datasets': the name \"test\" appears twice"),
             qPrintable(message));
  }

  void searchModel_asAnEndpoint_readsTheServerAndTokenizerInput() {
    auto config = parsePipelineConfig(
        "[search]\ndataset = \"d.jsonl\"\nmodel = { endpoint = \"http://gpu:8000/v1\", "
        "name = \"Llama-3.1-70B-Instruct\", tokenizer = \"tok\", api_key_env = \"KEY\", "
        "max_in_flight = 8 }\n\n[evaluate]\ndatasets = [{ name = \"t\", path = \"t.jsonl\" }]\nmodels = [{ name = "
        "\"served\", model = { endpoint = \"http://gpu:8000/v1\", name = \"m\", tokenizer = "
        "\"tok\" } }, { name = \"local\", path = \"ckpt\" }]\n",
        "p.toml", "/b");
    const auto& search = parameters<SearchStage>(config, StageKind::kSearch);
    QVERIFY(search.endpoint.has_value());
    QCOMPARE(search.endpoint->url, std::string("http://gpu:8000/v1"));
    QCOMPARE(search.endpoint->modelName, std::string("Llama-3.1-70B-Instruct"));
    QCOMPARE(search.endpoint->tokenizer, std::filesystem::path("/b/tok"));
    QCOMPARE(search.endpoint->apiKeyEnv, std::string("KEY"));
    QCOMPARE(search.endpoint->maxInFlight, 8);
    // The served model's tokenizer is an input (hashed, checked on resume); no model folder is.
    auto inputs = stageInputs(config.stages[0]);
    QCOMPARE(inputs.size(), std::size_t(2));
    QCOMPARE(inputs[1].first, std::string("tokenizer"));
    QCOMPARE(inputs[1].second.path, std::filesystem::path("/b/tok"));
    const auto& evaluate = parameters<EvaluateStage>(config, StageKind::kEvaluate);
    QCOMPARE(evaluate.models.size(), std::size_t(2));
    QCOMPARE(evaluate.models[0].label, std::string("served"));
    QVERIFY(evaluate.models[0].endpoint.has_value());
    QVERIFY(!evaluate.models[1].endpoint.has_value());
    auto evaluateInputs = stageInputs(config.stages[1]);
    QCOMPARE(evaluateInputs[0].first, std::string("tokenizer:served"));
    QCOMPARE(evaluateInputs[1].first, std::string("model:local"));
  }

  void rlCurationModel_isAServedModelWithItsTokenizerAsInput() {
    auto config = parsePipelineConfig(
        "[rl]\nmodel = \"sft\"\ndataset = \"d.jsonl\"\ncuration_model = { endpoint = "
        "\"http://gpu:8000/v1\", name = \"sft\", tokenizer = \"sft\" }\n",
        "p.toml", "/b");
    const auto& rl = parameters<RlStage>(config, StageKind::kRl);
    QVERIFY(rl.curationEndpoint.has_value());
    auto inputs = stageInputs(config.stages[0]);
    QCOMPARE(inputs.back().first, std::string("curation-tokenizer"));
    QVERIFY(parseError("[rl]\nmodel = \"sft\"\ndataset = \"d.jsonl\"\ncuration_model = \"x\"\n")
                .contains("rl.curation_model"));
  }

  void endpointTable_errorsNameTheKeyAndLine() {
    int line = 0;
    std::string field;
    QString message = parseError(
        "[search]\ndataset = \"d.jsonl\"\n\nmodel = { endpoint = \"http://gpu:8000/v1\", "
        "name = \"m\", tokenizer = \"tok\", max_inflight = 8 }\n",
        &line, &field);
    QCOMPARE(line, 4);
    QVERIFY2(message.contains("max_inflight"), qPrintable(message));
    message = parseError(
        "[search]\ndataset = \"d.jsonl\"\nmodel = { endpoint = \"http://gpu:8000/v1\", "
        "tokenizer = \"tok\" }\n");
    QVERIFY2(message.contains("search.model") && message.contains("name"), qPrintable(message));
    message = parseError(
        "[search]\ndataset = \"d.jsonl\"\nmodel = { endpoint = \"http://gpu:8000/v1\", "
        "name = \"m\", tokenizer = \"tok\" }\ntokenizer = \"other\"\n");
    QVERIFY2(message.contains("search.tokenizer"), qPrintable(message));
  }

  void presets_allParse() {
    std::filesystem::path folder = ASTRO_SOURCE_DIR "/resources/pipelines";
    int presets = 0;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      if (entry.path().extension() != ".toml") continue;
      auto config = loadPipelineConfig(entry.path());
      QVERIFY2(!config.stages.empty(), qPrintable(QString::fromStdString(entry.path().string())));
      ++presets;
    }
    QVERIFY(presets >= 4);
  }
};

QTEST_GUILESS_MAIN(PipelineConfigTest)
#include "pipeline_config_test.moc"
