// `astro world pretrain`: trains the miniature world's base policy (the non-reasoner ASTRO starts
// from) on direct solutions and prints its held-out pass@1, greedy accuracy and pass@32.
#include <chrono>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "app/astro/command_registry.h"
#include "app/astro/world_knobs.h"
#include "core/train/base_pretraining.h"

namespace {

// How the sampled answers failed, by verifier rule with its numbers dropped ("wrong value",
// "reuses", "no boxed answer"...): tells whether the policy lacks arithmetic, format or planning.
nlohmann::ordered_json failureCounts(const astro::train::EvaluationResult& evaluation) {
  std::map<std::string, int> counts;
  for (const auto& sample : evaluation.samples) {
    if (sample.correct || sample.sampleIndex < 0) continue;
    std::string rule = sample.rule.substr(0, sample.rule.find_first_of("-0123456789"));
    while (!rule.empty() && rule.back() == ' ') rule.pop_back();
    ++counts[rule.empty() ? "unknown" : rule];
  }
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  for (const auto& [rule, count] : counts) json[rule] = count;
  return json;
}

void runPretrain(const astro::train::BasePretrainingOptions& options) {
  auto started = std::chrono::steady_clock::now();
  auto log = [](const std::string& message) { std::cerr << "pretrain: " << message << "\n"; };
  astro::train::BasePretrainingCallbacks callbacks;
  callbacks.log = log;
  callbacks.onStep = [](const astro::train::SftStepMetrics& m) {
    if (m.step % 10 == 0 || m.step == m.totalSteps) {
      std::cerr << "pretrain: step " << m.step << "/" << m.totalSteps << " loss " << m.loss
                << " lr " << m.learningRate << " " << int(m.tokensPerSecond) << " tok/s\n";
    }
  };
  callbacks.onEvaluation = [](const astro::train::EvaluationProgress& p) {
    std::cerr << "pretrain: evaluated " << p.done << "/" << p.total << " completions\n";
  };
  auto result = astro::train::pretrainWorldBase(options, callbacks);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  nlohmann::ordered_json report = {
      {"pass@1", result.evaluation.passAt1},
      {"greedy", result.evaluation.greedyAccuracy},
  };
  for (auto [k, value] : result.evaluation.passAtK) {
    if (k != 1) report["pass@" + std::to_string(k)] = value;
  }
  report["failures"] = failureCounts(result.evaluation);
  report["test_problems"] = options.testProblems;
  report["samples_per_problem"] = options.evaluationSamples;
  report["mean_completion_tokens"] = result.evaluation.meanCompletionTokens;
  report["final_loss"] = result.finalLoss;
  report["train_seconds"] = result.trainSeconds;
  report["evaluation_seconds"] = result.evaluationSeconds;
  report["seconds"] = seconds;
  report["model"] = result.model.string();
  std::cout << report.dump() << "\n";
}

const astro::cli::CommandRegistration kWorldPretrain{"50-world-pretrain", [](CLI::App& root) {
  auto& world = astro::cli::commandGroup(root, "world", "The built-in miniature world");
  auto options = std::make_shared<astro::train::BasePretrainingOptions>();
  auto outDir = std::make_shared<std::string>();
  CLI::App* command = world.add_subcommand(
      "pretrain",
      "Train the base policy from scratch on direct, correct step-by-step solutions (the\n"
      "non-reasoner ASTRO starts from). Resumes when OUT already holds a partial run. The last\n"
      "stdout line is one JSON object with pass@1, greedy and pass@32 on held-out puzzles.");
  command->add_option("--out", *outDir, "Output folder")->required();
  command->add_option("--seed", options->seed, "Seed for puzzles, init and training")
      ->capture_default_str();
  command->add_option("--model-config", options->modelConfig,
                      "Model config under resources/world/models")
      ->capture_default_str();
  command->add_option("--train", options->trainProblems, "Training puzzles")
      ->capture_default_str()->check(CLI::Range(1, 1000000));
  command->add_option("--test", options->testProblems, "Held-out puzzles")
      ->capture_default_str()->check(CLI::Range(1, 100000));
  command->add_option("--epochs", options->epochs, "Epochs over the training puzzles")
      ->capture_default_str()->check(CLI::Range(1, 1000));
  command->add_flag("--varied-passes,!--no-varied-passes", options->variedPasses,
                    "Each epoch after the first reorders every puzzle's numbers and draws a new "
                    "reference solution (default off)");
  command->add_option("--lr", options->learningRate, "Peak learning rate")->capture_default_str();
  command->add_option("--samples", options->evaluationSamples,
                      "Samples per held-out puzzle (pass@1 averaged; pass@N reported)")
      ->capture_default_str()->check(CLI::Range(1, 1024));
  command->add_option("--batch-size", options->sequencesPerStep,
                      "Sequences per optimizer step")->capture_default_str()->check(CLI::Range(1, 4096));
  command->add_flag("--pack-rows,!--no-pack-rows", options->packRows,
                    "Pack several examples into each training row (default off: one per row, "
                    "as wide as the step's longest)");
  command
      ->add_option("--row-length", options->rowLength,
                   "Longest training example in tokens (with --pack-rows: tokens per row)")
      ->capture_default_str()
      ->check(CLI::Range(64, 65536));
  astro::cli::addGeneratorKnobs(*command, options->generator);
  command->callback([options, outDir] {
    options->outputDir = *outDir;
    runPretrain(*options);
  });
}};

}  // namespace
