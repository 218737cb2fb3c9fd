// Resolving a stage's model input to a config.json (stage_models.h).
#include "core/plan/stage_models.h"

#include <filesystem>

#include "core/base/error.h"
#include "core/plan/known_models.h"
#include "core/world/world_resources.h"

namespace astro::plan {

namespace fs = std::filesystem;
using pipeline::StageKind;

namespace {

const pipeline::StageConfig* findStage(const pipeline::PipelineConfig& config, StageKind kind) {
  for (const auto& stage : config.stages) {
    if (stage.kind == kind) return &stage;
  }
  return nullptr;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

PlannedModel fromPath(const pipeline::PipelineConfig& config, const fs::path& path, int line,
                      const std::string& field) {
  fs::path file = fs::is_directory(path) ? path / "config.json" : path;
  if (fs::exists(file)) {
    try {
      return {model::readModelConfig(file), path.filename().string(), file.string()};
    } catch (const Error& error) {
      throw ParseError(config.source, line, field, error.what());
    }
  }
  std::string name = path.filename().string();  // "/models/Llama-3.1-8B-Instruct/" ends in ""
  if (name.empty()) name = path.parent_path().filename().string();
  if (auto known = knownModelConfig(name)) return {*known, name, "built-in table"};
  throw ParseError(config.source, line, field,
                   path.string() + " has no config.json, and '" + name +
                       "' is not a model astro plan knows (" + joined(knownModelNames()) +
                       "): put the model's config.json there");
}

}  // namespace

PlannedModel resolveStageModel(const pipeline::PipelineConfig& config,
                               const pipeline::InputRef& input, int line,
                               const std::string& field) {
  if (input.external()) return fromPath(config, input.path, line, field);
  const pipeline::StageConfig* from = findStage(config, *input.stage);
  if (from == nullptr) {
    throw ParseError(config.source, line, field,
                     "its model comes from stage '" +
                         std::string(pipeline::stageKindName(*input.stage)) +
                         "', which the config does not have");
  }
  std::string fromField = std::string(pipeline::stageKindName(from->kind)) + ".model";
  if (const auto* base = std::get_if<pipeline::PretrainBaseStage>(&from->parameters)) {
    const std::string& name = base->options.modelConfig;
    fs::path file = world::worldModelConfigPath(name);
    return {model::readModelConfig(file), "world " + name, file.string()};
  }
  if (const auto* sft = std::get_if<pipeline::SftStage>(&from->parameters)) {
    return resolveStageModel(config, sft->model, from->line, fromField);
  }
  if (const auto* rl = std::get_if<pipeline::RlStage>(&from->parameters)) {
    return resolveStageModel(config, rl->model, from->line, fromField);
  }
  throw ParseError(config.source, line, field,
                   "stage '" + std::string(pipeline::stageKindName(from->kind)) +
                       "' makes no model");
}

}  // namespace astro::plan
