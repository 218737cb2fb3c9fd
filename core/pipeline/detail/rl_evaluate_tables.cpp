// The [rl], [evaluate] and [analyze] tables of a pipeline config (stage_tables.h).
#include <set>

#include "core/base/error.h"
#include "core/pipeline/detail/stage_tables.h"

namespace astro::pipeline::detail {

namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kMaxCount = 100'000'000;

InputRef fromStage(StageKind stage, std::string output) {
  return InputRef{.path = {}, .stage = stage, .output = std::move(output)};
}

[[noreturn]] void requiredAt(const TomlTableReader& table, std::string_view key,
                             const std::string& what) {
  throw ParseError(table.source(), table.line(), table.tableName() + "." + std::string(key), what);
}

std::string stringAt(const TomlTableReader& table, const toml::node& node, std::string_view key) {
  if (!node.is_string()) table.failAt(node, key, "expected a string");
  return node.as_string()->get();
}

// A {name = "...", path = "..."} inline table of the models or datasets array.
std::pair<std::string, fs::path> namedPath(const TomlTableReader& table, const toml::node& node,
                                           std::string_view key, const fs::path& baseDir) {
  const toml::table* entry = node.as_table();
  if (entry == nullptr) {
    table.failAt(node, key, "expected a string, {name = ..., path = ...} or {name = ..., model = {endpoint = ...}}");
  }
  TomlTableReader reader(*entry, table.tableName() + "." + std::string(key), table.source());
  std::string name;
  fs::path path;
  reader.text("name", name);
  if (!reader.path("path", path, baseDir)) table.failAt(node, key, "the entry has no path");
  reader.finish();
  if (name.empty()) name = path.filename().empty() ? path.parent_path().filename() : path.stem();
  return {name, path};
}

// A {name = "...", model = {endpoint = ..., name = ..., tokenizer = ...}} entry: a served model.
EvaluateModel servedModel(const TomlTableReader& table, const toml::table& entry,
                          const RunDefaults& run) {
  TomlTableReader reader(entry, table.tableName() + ".models", table.source());
  EvaluateModel model;
  reader.text("name", model.label);
  model.endpoint = readEndpointModel(reader, "model", run);
  if (!model.endpoint) {
    reader.fail("model", "expected {endpoint = \"http://...\", name = ..., tokenizer = ...}");
  }
  reader.finish();
  if (model.label.empty()) model.label = model.endpoint->modelName;
  return model;
}

const toml::array* arrayAt(const TomlTableReader& table, const toml::node* node,
                           std::string_view key) {
  if (node == nullptr) return nullptr;
  const toml::array* array = node->as_array();
  if (array == nullptr || array->empty()) table.failAt(*node, key, "expected a non-empty array");
  return array;
}

std::vector<EvaluateModel> readModels(TomlTableReader& table, const RunDefaults& run,
                                      const AvailableInputs& available) {
  std::vector<EvaluateModel> models;
  auto known = [&](const std::string& label) -> std::optional<InputRef> {
    if (label == "base") return available.baseModel;
    if (label == "sft") return available.sftModel;
    if (label == "rl") return available.rlModel;
    return std::nullopt;
  };
  const toml::array* array = arrayAt(table, table.node("models"), "models");
  if (array == nullptr) {
    for (const char* label : {"base", "sft", "rl"}) {
      if (auto model = known(label)) models.push_back({label, *model});
    }
    if (models.empty()) {
      requiredAt(table, "models", "no earlier stage provides a model; list {name, path} entries");
    }
    return models;
  }
  for (const toml::node& node : *array) {
    if (node.is_string()) {
      std::string label = stringAt(table, node, "models");
      auto model = known(label);
      if (!model) {
        table.failAt(node, "models",
                     "\"" + label + "\" is not an earlier stage's model (base, sft or rl)");
      }
      models.push_back({label, *model});
    } else if (node.is_table() && node.as_table()->contains("model")) {
      models.push_back(servedModel(table, *node.as_table(), run));
    } else {
      auto [name, path] = namedPath(table, node, "models", run.baseDir);
      models.push_back({name, InputRef{.path = path}});
    }
  }
  return models;
}

std::vector<EvaluateDataset> readDatasets(TomlTableReader& table, const RunDefaults& run,
                                          const AvailableInputs& available) {
  std::vector<EvaluateDataset> datasets;
  const toml::array* array = arrayAt(table, table.node("datasets"), "datasets");
  if (array == nullptr) {
    if (!available.testProblems) {
      requiredAt(table, "datasets", "no [pretrain-base] test split to evaluate on; list datasets");
    }
    datasets.push_back({"world-test", *available.testProblems});
    return datasets;
  }
  for (const toml::node& node : *array) {
    if (node.is_string()) {
      fs::path given(stringAt(table, node, "datasets"));
      fs::path path = (given.is_absolute() ? given : run.baseDir / given).lexically_normal();
      datasets.push_back({path.stem().string(), InputRef{.path = path}});
    } else {
      auto [name, path] = namedPath(table, node, "datasets", run.baseDir);
      datasets.push_back({name, InputRef{.path = path}});
    }
  }
  return datasets;
}

// `phrases = "..."`, else the linearize stage's set when there is one (nullopt: the domain's).
std::optional<InputRef> readPhrases(TomlTableReader& table, const RunDefaults& run,
                                    const AvailableInputs& available) {
  fs::path phrases;
  if (table.path("phrases", phrases, run.baseDir)) return InputRef{.path = phrases};
  return available.phrases;
}

}  // namespace

RlStage readRlTable(TomlTableReader& table, const RunDefaults& run, AvailableInputs& available) {
  RlStage stage;
  fs::path model;
  if (table.path("model", model, run.baseDir)) {
    stage.model = InputRef{.path = model};
  } else if (available.sftModel || available.baseModel) {
    stage.model = available.sftModel ? *available.sftModel : *available.baseModel;
  } else {
    requiredAt(table, "model", "required: no earlier stage provides a model");
  }
  fs::path dataset;
  if (table.path("dataset", dataset, run.baseDir)) {
    stage.dataset = InputRef{.path = dataset};
  } else if (available.trainProblems) {
    stage.dataset = *available.trainProblems;
  } else {
    requiredAt(table, "dataset", "required: no earlier stage provides training problems");
  }
  table.integer("limit", stage.limit, 0, kMaxCount);
  readVerifier(table, stage.verifier);
  stage.phrases = readPhrases(table, run, available);
  table.boolean("curate", stage.curate);
  table.real("min_pass_rate", stage.curation.minPassRate, 0.0, 1.0);
  table.real("max_pass_rate", stage.curation.maxPassRate, 0.0, 1.0);
  table.integer("curation_samples", stage.curation.estimate.samplesPerProblem, 1, 4096);
  stage.curationEndpoint = readEndpointModel(table, "curation_model", run);
  if (table.has("curation_model") && !stage.curationEndpoint) {
    table.fail("curation_model", "expected {endpoint = \"http://...\", name = ..., tokenizer = ...}");
  }
  if (stage.curation.minPassRate > stage.curation.maxPassRate) {
    table.fail("min_pass_rate", "is above max_pass_rate");
  }
  train::GrpoOptions& options = stage.options;
  options.device = run.device;
  if (run.seed) options.seed = *run.seed;
  table.seed("seed", options.seed);
  table.integer("steps", options.steps, 1, kMaxCount);
  table.integer("prompts_per_step", options.promptsPerStep, 1, 1 << 20);
  table.integer("group_size", options.groupSize, 2, 4096);
  table.real("temperature", options.temperature, 0.0, 100.0);
  table.real("top_p", options.topP, 0.0, 1.0);
  table.integer("max_new_tokens", options.maxNewTokens, 1, 1 << 22);
  table.real("learning_rate", options.learningRate, 0.0, 10.0);
  table.integer("warmup_steps", options.warmupSteps, 0, kMaxCount);
  std::string schedule = train::decayKindName(options.decay);
  table.text("schedule", schedule, {"cosine", "constant"});
  options.decay = train::parseDecayKind(schedule);
  table.real("weight_decay", options.weightDecay, 0.0, 10.0);
  table.real("gradient_clip", options.gradientClip, 0.0, 1e6);
  std::string precision = train::precisionName(options.precision);
  table.text("precision", precision, {"auto", "float32", "bfloat16"});
  options.precision = train::parsePrecision(precision);
  table.boolean("zero", options.shardOptimizerState);
  table.real("clip_low", options.clipLow, 0.0, 1.0);
  table.real("clip_high", options.clipHigh, 0.0, 100.0);
  table.real("kl", options.klCoefficient, 0.0, 1e6);
  table.boolean("divide_by_std", options.divideByStd);
  std::string aggregation =
      options.aggregation == train::LossAggregation::TokenMean ? "token-mean" : "sequence-mean";
  table.text("aggregation", aggregation, {"token-mean", "sequence-mean"});
  options.aggregation = train::parseLossAggregation(aggregation);
  table.integer("optimization_epochs", options.optimizationEpochs, 1, 1000);
  table.integer("micro_batch", options.microBatchSize, 1, 1 << 20);
  table.integer("checkpoint_every", options.checkpointEvery, 1, kMaxCount);
  table.integer("keep_checkpoints", options.keepCheckpoints, 1, 1000);
  available.rlModel = fromStage(StageKind::kRl, "model");
  return stage;
}

EvaluateStage readEvaluateTable(TomlTableReader& table, const RunDefaults& run,
                                AvailableInputs& available) {
  EvaluateStage stage;
  stage.models = readModels(table, run, available);
  stage.datasets = readDatasets(table, run, available);
  table.integer("limit", stage.limit, 0, kMaxCount);
  readVerifier(table, stage.verifier);
  stage.phrases = readPhrases(table, run, available);
  train::EvaluationOptions& options = stage.options;
  if (run.seed) options.seed = *run.seed;
  table.seed("seed", options.seed);
  table.integer("samples", options.samplesPerProblem, 1, 4096);
  table.real("temperature", options.temperature, 0.0, 100.0);
  table.real("top_p", options.topP, 0.0, 1.0);
  table.boolean("greedy", options.greedy);
  table.integer("max_new_tokens", options.maxNewTokens, 1, 1 << 22);
  table.integer("batch_size", options.batchSize, 1, 1 << 20);
  options.reportPassAtK = {1};
  if (options.samplesPerProblem > 1) options.reportPassAtK.push_back(options.samplesPerProblem);
  std::set<std::string> labels;
  for (const EvaluateModel& model : stage.models) {
    if (!labels.insert("model " + model.label).second) {
      table.fail("models", "the name \"" + model.label + "\" appears twice");
    }
  }
  for (const EvaluateDataset& dataset : stage.datasets) {
    if (!labels.insert("dataset " + dataset.label).second) {
      table.fail("datasets", "the name \"" + dataset.label + "\" appears twice");
    }
  }
  available.samples = fromStage(StageKind::kEvaluate, "samples");
  return stage;
}

AnalyzeStage readAnalyzeTable(TomlTableReader& table, const RunDefaults& run,
                              AvailableInputs& available) {
  AnalyzeStage stage;
  fs::path samples;
  if (table.path("samples", samples, run.baseDir)) {
    stage.samples = InputRef{.path = samples};
  } else if (available.samples) {
    stage.samples = *available.samples;
  } else {
    requiredAt(table, "samples", "required: give generations as JSONL, or add an [evaluate] stage");
  }
  stage.phrases = readPhrases(table, run, available);
  table.text("detector", stage.detector, {"exact", "heuristic"});
  readVerifier(table, stage.verifier);
  table.integer("bootstrap", stage.bootstrap, 1, 1'000'000);
  if (run.seed) stage.seed = *run.seed;
  table.seed("seed", stage.seed);
  return stage;
}

}  // namespace astro::pipeline::detail
