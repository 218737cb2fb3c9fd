// Printing the memory plan (plan_report.h).
#include "core/plan/plan_report.h"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

namespace astro::plan {

namespace {

using nlohmann::ordered_json;

bool checked(const PipelinePlan& plan) {
  return plan.budgetBytes != std::numeric_limits<std::int64_t>::max();
}

std::string shapeText(const StagePlan& stage) {
  std::string text;
  if (stage.work == StageWork::kTraining || stage.work == StageWork::kTrainingAndRollouts) {
    text = std::to_string(stage.training.rows) + " x " + std::to_string(stage.training.tokens) +
           " train";
  }
  if (stage.work == StageWork::kGeneration || stage.work == StageWork::kTrainingAndRollouts) {
    if (!text.empty()) text += ", ";
    text += std::to_string(stage.generation.rows) + " x " +
            std::to_string(stage.generation.tokens()) + " decode";
  }
  return text.empty() ? "-" : text;
}

std::string deviceText(const PipelinePlan& plan) {
  std::string text;
  if (plan.policy.cuda) {
    text = "device " + plan.device + ", " + std::to_string(plan.policy.ranks) + " GPU(s) of " +
           formatBytes(plan.deviceMemoryBytes) + ", ZeRO-" + std::to_string(plan.policy.zeroStage) +
           ", bf16 compute with fp32 master weights and Adam moments";
  } else {
    text = "device cpu, " + std::to_string(plan.policy.ranks) + " process(es), float32";
    if (plan.deviceMemoryBytes > 0) text += ", host memory " + formatBytes(plan.deviceMemoryBytes);
  }
  return text;
}

std::string budgetText(const PipelinePlan& plan) {
  if (!checked(plan)) return "not checked (host memory unknown)";
  return formatBytes(plan.budgetBytes) + " per " + (plan.policy.cuda ? "GPU" : "process") +
         " (" + formatBytes(plan.options.reserveBytes) + " kept for the " +
         (plan.policy.cuda ? "CUDA context and allocator" : "runtime") + ")";
}

}  // namespace

std::string planText(const PipelinePlan& plan) {
  std::vector<std::vector<std::string>> rows = {{"stage", "model", "work", "rows x tokens",
                                                 "weights", "gradients", "optimizer",
                                                 "activations", "kv cache", "workspace", "total",
                                                 "fits"}};
  for (const StagePlan& stage : plan.stages) {
    const MemoryEstimate& m = stage.memory;
    rows.push_back({std::string(pipeline::stageKindName(stage.kind)),
                    stage.model ? stage.model->label : "-", stageWorkName(stage.work),
                    shapeText(stage), formatBytes(m.weights), formatBytes(m.gradients),
                    formatBytes(m.optimizerState), formatBytes(m.activations),
                    formatBytes(m.kvCache), formatBytes(m.workspace), formatBytes(m.total()),
                    !checked(plan) ? "?" : stage.fits ? "yes" : "NO"});
  }
  std::vector<std::size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::ostringstream out;
  out << "Memory plan of " << plan.name << " (" << plan.source << ")\n"
      << "  " << deviceText(plan) << "\n"
      << "  budget " << budgetText(plan) << "\n"
      << "  prompts assumed " << plan.options.promptTokens << " tokens (--prompt-tokens)\n\n";
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      bool left = i < 4;  // names left-aligned, sizes right-aligned
      std::string pad(widths[i] - row[i].size(), ' ');
      line += (i ? "  " : "") + (left ? row[i] + pad : pad + row[i]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
  out << "\nPer " << (plan.policy.cuda ? "GPU" : "process") << ". "
      << (plan.policy.cuda ? "bf16 weights and gradients; optimizer holds the fp32 master weights "
                             "and the Adam moments; the step's buffers replace the activations "
                             "during the optimizer step"
                           : "float32 weights and gradients; optimizer holds the Adam moments")
      << ". rl: rollouts and training alternate, so its total counts the larger of activations "
         "and kv cache + workspace. Estimates within ~30% (docs/memory-plan.md).\n";
  for (const StagePlan& stage : plan.stages) {
    if (stage.fits) continue;
    out << pipeline::stageKindName(stage.kind) << " does not fit: " << stage.advice << "\n";
  }
  return out.str();
}

std::string planJson(const PipelinePlan& plan) {
  ordered_json stages = ordered_json::array();
  for (const StagePlan& stage : plan.stages) {
    const MemoryEstimate& m = stage.memory;
    ordered_json entry = {{"stage", pipeline::stageKindName(stage.kind)},
                          {"line", stage.line},
                          {"work", stageWorkName(stage.work)}};
    entry["model"] = stage.model ? ordered_json(stage.model->label) : ordered_json(nullptr);
    entry["model_source"] = stage.model ? ordered_json(stage.model->source) : ordered_json(nullptr);
    entry["parameters"] = m.parameters;
    entry["micro_batch"] = stage.work == StageWork::kTraining ||
                                   stage.work == StageWork::kTrainingAndRollouts
                               ? stage.training.rows : 0;
    entry["sequence_length"] = entry["micro_batch"].get<std::int64_t>() ? stage.training.tokens : 0;
    entry["generation_rows"] = stage.generation.rows;
    entry["generation_tokens"] = stage.generation.rows ? stage.generation.tokens() : 0;
    entry["weights"] = m.weights;
    entry["gradients"] = m.gradients;
    entry["step_buffer"] = m.stepBuffer;
    entry["optimizer"] = m.optimizerState;
    entry["activations"] = m.activations;
    entry["kv_cache"] = m.kvCache;
    entry["workspace"] = m.workspace;
    entry["total"] = m.total();
    entry["fits"] = stage.fits;
    entry["advice"] = stage.advice;
    stages.push_back(std::move(entry));
  }
  ordered_json root = {{"name", plan.name},
                       {"source", plan.source},
                       {"device", plan.device},
                       {"gpus", plan.policy.ranks},
                       {"zero", plan.policy.zeroStage},
                       {"device_memory", plan.deviceMemoryBytes},
                       {"budget", checked(plan) ? ordered_json(plan.budgetBytes) : ordered_json(nullptr)},
                       {"prompt_tokens", plan.options.promptTokens},
                       {"fits", plan.fits()},
                       {"stages", std::move(stages)}};
  return root.dump();
}

std::vector<std::string> planWarnings(const PipelinePlan& plan) {
  std::vector<std::string> warnings;
  for (const StagePlan& stage : plan.stages) {
    if (stage.fits) continue;
    std::string where = plan.policy.cuda
                            ? "one of " + std::to_string(plan.policy.ranks) + " GPU(s) of " +
                                  formatBytes(plan.deviceMemoryBytes)
                            : "one of " + std::to_string(plan.policy.ranks) +
                                  " process(es) on a host of " + formatBytes(plan.deviceMemoryBytes);
    warnings.push_back(plan.source + ":" + std::to_string(stage.line) + ": stage '" +
                       std::string(pipeline::stageKindName(stage.kind)) + "' needs " +
                       formatBytes(stage.memory.total()) + ", more than the " +
                       formatBytes(plan.budgetBytes) + " " + where + " leaves: " + stage.advice);
  }
  return warnings;
}

}  // namespace astro::plan
