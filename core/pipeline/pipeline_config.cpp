// Parsing a pipeline config (pipeline_config.h): the top level and [run]; the stage tables are
// read in run order by detail/stage_tables.h, so defaults can point at earlier stages' outputs.
#include "core/pipeline/pipeline_config.h"

#include <toml++/toml.h>

#include <array>
#include <set>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/math/dataset_loader.h"
#include "core/pipeline/detail/stage_tables.h"
#include "core/pipeline/detail/toml_table_reader.h"

namespace astro::pipeline {

namespace {

constexpr std::array<std::pair<StageKind, std::string_view>, 7> kStageNames = {{
    {StageKind::kPretrainBase, "pretrain-base"},
    {StageKind::kSearch, "search"},
    {StageKind::kLinearize, "linearize"},
    {StageKind::kSft, "sft"},
    {StageKind::kRl, "rl"},
    {StageKind::kEvaluate, "evaluate"},
    {StageKind::kAnalyze, "analyze"},
}};

std::string knownTables() {
  std::string text = "run";
  for (const auto& [kind, name] : kStageNames) text += ", " + std::string(name);
  return text;
}

StageParameters readStage(StageKind kind, detail::TomlTableReader& table,
                          const detail::RunDefaults& run, detail::AvailableInputs& available) {
  switch (kind) {
    case StageKind::kPretrainBase:
      return detail::readPretrainBaseTable(table, run, available);
    case StageKind::kSearch:
      return detail::readSearchTable(table, run, available);
    case StageKind::kLinearize:
      return detail::readLinearizeTable(table, run, available);
    case StageKind::kSft:
      return detail::readSftTable(table, run, available);
    case StageKind::kRl:
      return detail::readRlTable(table, run, available);
    case StageKind::kEvaluate:
      return detail::readEvaluateTable(table, run, available);
    case StageKind::kAnalyze:
      return detail::readAnalyzeTable(table, run, available);
  }
  throw Error("unknown stage kind");
}

}  // namespace

std::string_view stageKindName(StageKind kind) {
  for (const auto& [value, name] : kStageNames) {
    if (value == kind) return name;
  }
  return "?";
}

std::optional<StageKind> parseStageKind(std::string_view name) {
  for (const auto& [value, known] : kStageNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

const std::vector<StageKind>& allStageKinds() {
  static const std::vector<StageKind> kinds = [] {
    std::vector<StageKind> all;
    for (const auto& [kind, name] : kStageNames) all.push_back(kind);
    return all;
  }();
  return kinds;
}

void validateRunName(std::string_view name) {
  if (name.empty()) throw UsageError("the run name is empty");
  if (name.size() > 200) throw UsageError("the run name is longer than 200 bytes");
  if (!math::isValidUtf8(name)) throw UsageError("the run name is not valid UTF-8");
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) {
      throw UsageError("the run name holds a control character (byte " + std::to_string(c) + ")");
    }
  }
}

PipelineConfig parsePipelineConfig(std::string_view text, const std::string& source,
                                   const std::filesystem::path& baseDir) {
  toml::table document;
  try {
    document = toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    throw ParseError(source, error.source().begin.line, "", std::string(error.description()));
  }
  PipelineConfig config;
  config.text = std::string(text);
  config.source = source;
  config.baseDir = baseDir;
  config.name = std::filesystem::path(source).stem().string();

  // Tables other than [run] must be stages, and every table must be a table.
  for (auto&& [key, node] : document) {
    if (key.str() != "run" && !parseStageKind(key.str())) {
      throw ParseError(source, key.source().begin.line, std::string(key.str()),
                       "unknown table (known: " + knownTables() + ")");
    }
    if (!node.is_table()) {
      throw ParseError(source, key.source().begin.line, std::string(key.str()),
                       "expected a table ([" + std::string(key.str()) + "])");
    }
  }

  detail::RunDefaults run{.baseDir = baseDir};
  if (const toml::table* table = document["run"].as_table()) {
    detail::TomlTableReader reader(*table, "run", source);
    const toml::node* name = reader.node("name");
    if (name != nullptr) {
      if (!name->is_string()) reader.failAt(*name, "name", "expected a string");
      config.name = name->as_string()->get();
      try {
        validateRunName(config.name);
      } catch (const UsageError& error) {
        reader.failAt(*name, "name", error.what());
      }
    }
    std::uint64_t seed = 0;
    bool hasSeed = reader.has("seed");
    reader.seed("seed", seed);
    if (hasSeed) run.seed = seed;
    reader.text("device", run.device);
    if (run.device != "cpu" && !run.device.starts_with("cuda")) {
      reader.fail("device", "expected \"cpu\", \"cuda\" or \"cuda:N\"");
    }
    reader.integer("threads", config.threads, 0, 4096);
    reader.finish();
  }
  config.device = run.device;
  if (config.name.empty()) config.name = "pipeline";

  detail::AvailableInputs available;
  for (StageKind kind : allStageKinds()) {
    const toml::table* table = document[stageKindName(kind)].as_table();
    if (table == nullptr) continue;
    detail::TomlTableReader reader(*table, std::string(stageKindName(kind)), source);
    StageConfig stage{
        .kind = kind, .line = reader.line(), .parameters = readStage(kind, reader, run, available)};
    reader.finish();
    config.stages.push_back(std::move(stage));
  }
  if (config.stages.empty()) {
    std::string stages;
    for (const auto& [kind, name] : kStageNames)
      stages += (stages.empty() ? "" : ", ") + std::string(name);
    throw ParseError(source, 0, "", "no stage tables (give at least one of " + stages + ")");
  }
  return config;
}

PipelineConfig loadPipelineConfig(const std::filesystem::path& file) {
  std::string text = readFile(file);
  std::filesystem::path absolute = std::filesystem::absolute(file);
  return parsePipelineConfig(text, file.string(), absolute.parent_path());
}

}  // namespace astro::pipeline
