// Stage tables of a pipeline config (stage_tables.h). Every key of docs/pipeline.md is read here;
// defaults not set here are the stage library's own.
#include "core/pipeline/detail/stage_tables.h"

#include "core/base/error.h"
#include "core/domain/domain_registry.h"
#include "core/endpoint/endpoint_config_toml.h"
#include "core/world/countdown_generator.h"
#include "core/world/world_resources.h"

namespace astro::pipeline::detail {

namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kMaxCount = 100'000'000;

InputRef fromStage(StageKind stage, std::string output) {
  return InputRef{.path = {}, .stage = stage, .output = std::move(output)};
}

// The path under `key`, else `fallback`, else an error saying where it could have come from.
InputRef readInput(TomlTableReader& table, std::string_view key, const RunDefaults& run,
                   const std::optional<InputRef>& fallback, std::string_view fromWhere) {
  fs::path path;
  if (table.path(key, path, run.baseDir)) return InputRef{.path = path};
  if (fallback) return *fallback;
  throw ParseError(table.source(), table.line(), table.tableName() + "." + std::string(key),
                   "required: no earlier stage provides it (" + std::string(fromWhere) + ")");
}

// Rethrows a library's range check (UsageError naming its field) at the table's line.
template <typename Check>
void checkAtTable(const TomlTableReader& table, Check check) {
  try {
    check();
  } catch (const UsageError& error) {
    throw ParseError(table.source(), table.line(), table.tableName(), error.what());
  }
}

}  // namespace

void readVerifier(TomlTableReader& table, std::string& verifier) {
  table.text("verifier", verifier, domain::domainRegistry().choices());
}

std::optional<endpoint::EndpointConfig> readEndpointModel(TomlTableReader& table,
                                                          std::string_view key,
                                                          const RunDefaults& run) {
  const toml::node* given = table.peek(key);
  if (given == nullptr || !given->is_table()) return std::nullopt;
  table.node(key);  // consumed
  return endpoint::readEndpointConfig(*given->as_table(), table.source(),
                                      table.tableName() + "." + std::string(key), run.baseDir);
}

namespace {

void readSeed(TomlTableReader& table, const RunDefaults& run, std::uint64_t& seed) {
  if (run.seed) seed = *run.seed;
  table.seed("seed", seed);
}

void readGenerator(TomlTableReader& table, world::GeneratorOptions& generator) {
  table.integer("numbers", generator.numberCount, 3, 6);
  table.integer("min_number", generator.minNumber, 0, 1'000'000);
  table.integer("max_number", generator.maxNumber, 0, 1'000'000);
  table.integer("min_target", generator.minTarget, 0, 1'000'000'000);
  table.integer("max_target", generator.maxTarget, 0, 1'000'000'000);
  table.integer("min_steps", generator.minSteps, 1, 5);
  table.real("min_solvable", generator.minSolvableFraction, 0.0, 1.0);
  table.real("max_solvable", generator.maxSolvableFraction, 0.0, 1.0);
  table.boolean("allow_non_integer", generator.rules.allowNonInteger);
  table.boolean("allow_negative", generator.rules.allowNegative);
}

}  // namespace

PretrainBaseStage readPretrainBaseTable(TomlTableReader& table, const RunDefaults& run,
                                        AvailableInputs& available) {
  PretrainBaseStage stage;
  train::BasePretrainingOptions& options = stage.options;
  readSeed(table, run, options.seed);
  table.text("model_config", options.modelConfig);
  table.integer("train_problems", options.trainProblems, 1, kMaxCount);
  table.integer("test_problems", options.testProblems, 1, kMaxCount);
  table.integer("epochs", options.epochs, 1, 10'000);
  table.real("learning_rate", options.learningRate, 0.0, 10.0);
  table.integer("warmup_steps", options.warmupSteps, 0, kMaxCount);
  table.integer("sequences_per_step", options.sequencesPerStep, 1, 1 << 20);
  table.boolean("pack_rows", options.packRows);
  table.integer("row_length", options.rowLength, 16, 1 << 20);
  table.integer("rows_per_micro_batch", options.rowsPerMicroBatch, 1, 1 << 16);
  table.integer("evaluation_samples", options.evaluationSamples, 1, 4096);
  table.integer("max_new_tokens", options.maxNewTokens, 1, 1 << 20);
  readGenerator(table, options.generator);
  checkAtTable(table, [&] {
    world::validate(options.generator);
    world::worldModelConfigPath(options.modelConfig);  // an unknown name lists the known ones
  });
  constexpr StageKind kSelf = StageKind::kPretrainBase;
  available.baseModel = fromStage(kSelf, "model");
  available.trainProblems = fromStage(kSelf, "train");
  available.testProblems = fromStage(kSelf, "test");
  return stage;
}

SearchStage readSearchTable(TomlTableReader& table, const RunDefaults& run,
                            AvailableInputs& available) {
  SearchStage stage;
  stage.dataset = readInput(table, "dataset", run, available.trainProblems,
                            "give a JSONL dataset, or add a [pretrain-base] stage");
  stage.endpoint = readEndpointModel(table, "model", run);
  if (!stage.endpoint) {
    stage.model = readInput(table, "model", run, available.baseModel,
                            "give a model folder, or add a [pretrain-base] stage");
    fs::path tokenizer;
    if (table.path("tokenizer", tokenizer, run.baseDir))
      stage.tokenizer = InputRef{.path = tokenizer};
  } else if (table.has("tokenizer")) {
    table.fail("tokenizer", "a served model names its tokenizer inside `model = {...}`");
  }
  readVerifier(table, stage.verifier);
  table.integer("limit", stage.limit, 0, kMaxCount);
  table.integer("pass_samples", stage.passSamples, 0, 4096);
  search::MctsOptions& mcts = stage.mcts;
  readSeed(table, run, mcts.seed);
  table.integer("iterations", mcts.iterations, 1, 1'000'000);
  table.integer("max_depth", mcts.maxDepth, 1, 100'000);
  table.real("exploration", mcts.exploration, 0.0, 1e6);
  table.integer("children", mcts.childrenPerExpansion, 1, 1024);
  table.real("temperature", mcts.temperature, 0.0, 100.0);
  std::string rollout = mcts.rollout == search::MctsOptions::Rollout::kNone ? "none" : "policy";
  table.text("rollout", rollout, {"policy", "none"});
  mcts.rollout = rollout == "none" ? search::MctsOptions::Rollout::kNone
                                   : search::MctsOptions::Rollout::kPolicy;
  table.real("rollout_temperature", mcts.rolloutTemperature, 0.0, 100.0);
  table.boolean("keep_rollout_nodes", mcts.keepRolloutNodes);
  table.boolean("validate_steps", mcts.validateSteps);
  table.boolean("keep_invalid_steps", mcts.keepInvalidSteps);
  table.integer("max_step_tokens", mcts.maxStepTokens, 1, 1 << 20);
  table.integer("trees_per_batch", mcts.treesPerBatch, 1, 1 << 20);
  checkAtTable(table, [&] { mcts.validate(); });
  if (!available.baseModel && !stage.endpoint) available.baseModel = stage.model;
  if (!available.trainProblems) available.trainProblems = stage.dataset;
  available.trees = fromStage(StageKind::kSearch, "trees");
  return stage;
}

LinearizeStage readLinearizeTable(TomlTableReader& table, const RunDefaults& run,
                                  AvailableInputs& available) {
  LinearizeStage stage;
  stage.trees = readInput(table, "trees", run, available.trees,
                          "give a JSONL file of search trees, or add a [search] stage");
  fs::path phrases;
  if (table.path("phrases", phrases, run.baseDir)) {
    stage.phrases = InputRef{.path = phrases};
    available.phrases = stage.phrases;
  }
  readVerifier(table, stage.verifier);
  search::LinearizeOptions& options = stage.linearize;
  readSeed(table, run, options.seed);
  table.integer("sequences_per_tree", options.sequencesPerTree, 1, 1000);
  table.integer("min_detours", options.minIncorrectTerminals, 0, 1000);
  table.integer("max_detours", options.maxIncorrectTerminals, 0, 1000);
  table.real("restart_probability", options.restartProbability, 0.0, 1.0);
  table.integer("top_correct_terminals", options.topCorrectTerminals, 1, 1000);
  std::string returnTarget =
      options.returnTarget == search::ReturnTarget::kBranchPoint ? "branch-point" : "random";
  table.text("return_target", returnTarget, {"branch-point", "random"});
  options.returnTarget = returnTarget == "random" ? search::ReturnTarget::kRandomSharedAncestor
                                                  : search::ReturnTarget::kBranchPoint;
  std::string detourChoice{search::detourChoiceName(options.detourChoice)};
  table.text("detour_choice", detourChoice, {"uniform", "near-final-path"});
  options.detourChoice = *search::parseDetourChoice(detourChoice);
  table.boolean("answer_check", stage.answerCheck);
  table.boolean("mask_wrong_branches", stage.maskWrongBranches);
  table.boolean("grounded_checks", stage.groundedChecks);
  if (table.has("affirm_steps_min_q")) {
    double minQ = -1.0;
    table.real("affirm_steps_min_q", minQ, -1.0, 1.0);
    stage.affirmStepsMinQ = minQ;
  }
  checkAtTable(table, [&] { search::validateOptions(options); });
  available.astroData = fromStage(StageKind::kLinearize, "astro");
  available.directData = fromStage(StageKind::kLinearize, "direct");
  return stage;
}

SftStage readSftTable(TomlTableReader& table, const RunDefaults& run, AvailableInputs& available) {
  SftStage stage;
  stage.model = readInput(table, "model", run, available.baseModel,
                          "give a model folder, or add a [pretrain-base] or [search] stage");
  // data: "astro" or "direct" (the linearize stage's two sets) or a chat-form JSONL path.
  const toml::node* data = table.node("data");
  std::string choice = data != nullptr && data->is_string() ? data->as_string()->get() : "astro";
  if (data != nullptr && !data->is_string()) table.failAt(*data, "data", "expected a string");
  if (choice == "astro" || choice == "direct") {
    const auto& produced = choice == "astro" ? available.astroData : available.directData;
    if (!produced) {
      table.fail("data", "\"" + choice + "\" needs a [linearize] stage; give a JSONL path instead");
    }
    stage.data = *produced;
  } else {
    fs::path path;
    table.path("data", path, run.baseDir);
    stage.data = InputRef{.path = path};
  }
  train::SftOptions& options = stage.options;
  options.device = run.device;
  readSeed(table, run, options.seed);
  table.real("learning_rate", options.learningRate, 0.0, 10.0);
  table.integer("epochs", options.epochs, 1, 10'000);
  table.integer("warmup_steps", options.warmupSteps, 0, kMaxCount);
  std::string schedule = train::decayKindName(options.decay);
  table.text("schedule", schedule, {"cosine", "constant"});
  options.decay = train::parseDecayKind(schedule);
  table.real("final_lr_ratio", options.finalLearningRateRatio, 0.0, 1.0);
  table.integer("max_length", options.maxSequenceLength, 8, 1 << 22);
  table.integer("sequences_per_step", options.sequencesPerStep, 1, 1 << 20);
  table.integer("rows_per_micro_batch", options.rowsPerMicroBatch, 1, 1 << 16);
  table.integer("row_length", options.rowLength, 0, 1 << 22);
  table.boolean("pack", options.pack);
  table.real("weight_decay", options.weightDecay, 0.0, 10.0);
  table.real("gradient_clip", options.gradientClip, 0.0, 1e6);
  std::string precision = train::precisionName(options.precision);
  table.text("precision", precision, {"auto", "float32", "bfloat16"});
  options.precision = train::parsePrecision(precision);
  table.boolean("zero", options.shardOptimizerState);
  table.integer("checkpoint_every", options.checkpointEvery, 0, kMaxCount);
  table.integer("keep_checkpoints", options.keepCheckpoints, 1, 1000);
  if (!available.baseModel) available.baseModel = stage.model;
  available.sftModel = fromStage(StageKind::kSft, "model");
  return stage;
}

}  // namespace astro::pipeline::detail
