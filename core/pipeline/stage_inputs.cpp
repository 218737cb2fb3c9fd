// Named inputs of each stage (stage_inputs.h).
#include "core/pipeline/stage_inputs.h"

namespace astro::pipeline {

namespace {

using Inputs = std::vector<std::pair<std::string, InputRef>>;

void addOptional(Inputs& inputs, const char* name, const std::optional<InputRef>& input) {
  if (input) inputs.emplace_back(name, *input);
}

struct InputsOf {
  Inputs operator()(const PretrainBaseStage&) const { return {}; }
  Inputs operator()(const SearchStage& stage) const {
    Inputs inputs = {{"dataset", stage.dataset}};
    if (stage.endpoint) {
      inputs.emplace_back("tokenizer", InputRef{.path = stage.endpoint->tokenizer});
      return inputs;
    }
    inputs.emplace_back("model", stage.model);
    addOptional(inputs, "tokenizer", stage.tokenizer);
    return inputs;
  }
  Inputs operator()(const LinearizeStage& stage) const {
    Inputs inputs = {{"trees", stage.trees}};
    addOptional(inputs, "phrases", stage.phrases);
    return inputs;
  }
  Inputs operator()(const SftStage& stage) const {
    return {{"model", stage.model}, {"data", stage.data}};
  }
  Inputs operator()(const RlStage& stage) const {
    Inputs inputs = {{"model", stage.model}, {"dataset", stage.dataset}};
    addOptional(inputs, "phrases", stage.phrases);
    if (stage.curationEndpoint) {
      inputs.emplace_back("curation-tokenizer", InputRef{.path = stage.curationEndpoint->tokenizer});
    }
    return inputs;
  }
  Inputs operator()(const EvaluateStage& stage) const {
    Inputs inputs;
    for (const auto& model : stage.models) {
      if (model.endpoint) {
        inputs.emplace_back("tokenizer:" + model.label, InputRef{.path = model.endpoint->tokenizer});
      } else {
        inputs.emplace_back("model:" + model.label, model.model);
      }
    }
    for (const auto& dataset : stage.datasets) {
      inputs.emplace_back("dataset:" + dataset.label, dataset.dataset);
    }
    addOptional(inputs, "phrases", stage.phrases);
    return inputs;
  }
  Inputs operator()(const AnalyzeStage& stage) const {
    Inputs inputs = {{"samples", stage.samples}};
    addOptional(inputs, "phrases", stage.phrases);
    return inputs;
  }
};

}  // namespace

std::vector<std::pair<std::string, InputRef>> stageInputs(const StageConfig& stage) {
  return std::visit(InputsOf{}, stage.parameters);
}

}  // namespace astro::pipeline
