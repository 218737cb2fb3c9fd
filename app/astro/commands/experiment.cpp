// `astro experiment miniature [--quick] --out DIR`: the ASTRO paper's tables in miniature on the
// countdown world (core/experiment/miniature_experiment.h). Progress goes to stderr, each line
// naming its stage; the last stdout line is report.json's headline as one JSON object. Rerunning
// with the same --out continues where the last run stopped.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/astro/command_registry.h"
#include "app/astro/world_knobs.h"
#include "core/experiment/miniature_experiment.h"
#include "core/experiment/miniature_seeds.h"
#include "core/search/phrase_set.h"

namespace {

struct MiniatureCommand {
  std::string out;
  bool quick = false;
  // Overrides of the preset's budgets; applied only when given.
  std::uint64_t seed = 1;
  int seeds = 1;
  std::string modelConfig, phrases;
  int trainProblems = 0, testProblems = 0, baseEpochs = 0, baseBatch = 0;
  double baseLearningRate = 0.0;
  int searchProblems = 0, iterations = 0, sftEpochs = 0;
  int rlPrompts = 0, rlSteps = 0, promptsPerStep = 0, checkpointEvery = 0, samples = 0;
  int maxNewTokens = 0, heldOutLimit = 0;
  bool maskWrongBranches = false;
  int searchTraces = 0;
  bool mixDirect = false;
  bool unseenSearch = false;
  bool groundedReflections = false;
  bool keepInvalidSteps = false;
  bool affirmSteps = false;
  std::string detourChoice;
  int minDetours = 1;
  astro::world::GeneratorOptions generator = astro::train::BasePretrainingOptions{}.generator;
};

astro::experiment::MiniatureOptions resolveOptions(const MiniatureCommand& c,
                                                   const CLI::App& command) {
  auto o = c.quick ? astro::experiment::quickMiniatureOptions()
                   : astro::experiment::fullMiniatureOptions();
  o.outputDir = c.out;
  o.base.generator = c.generator;
  auto given = [&](const char* name) { return command.get_option(name)->count() > 0; };
  if (given("--seed")) o.seed = c.seed;
  if (given("--model-config")) o.base.modelConfig = c.modelConfig;
  if (given("--train")) o.base.trainProblems = c.trainProblems;
  if (given("--test")) o.base.testProblems = c.testProblems;
  if (given("--base-epochs")) o.base.epochs = c.baseEpochs;
  if (given("--base-lr")) {
    o.base.learningRate = c.baseLearningRate;
    o.sft.learningRate = astro::experiment::sftLearningRate(c.baseLearningRate);
  }
  if (given("--base-batch")) o.base.sequencesPerStep = c.baseBatch;
  if (given("--search-problems")) o.searchProblems = c.searchProblems;
  if (given("--iterations")) o.mcts.iterations = c.iterations;
  if (given("--sft-epochs")) o.sft.epochs = c.sftEpochs;
  if (given("--rl-prompts")) o.rlPrompts = c.rlPrompts;
  if (given("--rl-steps")) o.rl.steps = c.rlSteps;
  if (given("--prompts-per-step")) o.rl.promptsPerStep = c.promptsPerStep;
  if (given("--checkpoint-every")) o.rl.checkpointEvery = c.checkpointEvery;
  if (given("--samples")) {
    o.evaluation.samplesPerProblem = c.samples;
    o.evaluation.reportPassAtK = {1, c.samples};
  }
  if (given("--held-out-limit")) o.heldOutLimit = c.heldOutLimit;
  if (c.maskWrongBranches) o.exportOptions.maskWrongBranches = true;
  if (given("--search-traces")) o.exportOptions.linearize.sequencesPerTree = c.searchTraces;
  if (c.mixDirect) o.mixDirect = true;
  if (c.unseenSearch) o.unseenSearch = true;
  if (c.groundedReflections) o.groundedReflections = true;
  if (c.keepInvalidSteps) o.mcts.keepInvalidSteps = true;
  if (c.affirmSteps) o.exportOptions.render.affirmStepsWithQAtLeast = -1.0;  // every step
  if (given("--min-detours")) o.exportOptions.linearize.minIncorrectTerminals = c.minDetours;
  if (given("--detour-choice")) {
    o.exportOptions.linearize.detourChoice = *astro::search::parseDetourChoice(c.detourChoice);
  }
  if (given("--phrases")) o.phrases = astro::search::loadPhraseSet(c.phrases);
  if (given("--max-new-tokens")) {
    o.rl.maxNewTokens = o.evaluation.maxNewTokens = c.maxNewTokens;
    o.curation.estimate.maxNewTokens = c.maxNewTokens;
  }
  return o;
}

void runMiniature(const MiniatureCommand& c, const CLI::App& command) {
  auto options = resolveOptions(c, command);
  const astro::experiment::MiniatureCallbacks callbacks{
      .log = [](const std::string& stage, const std::string& message) {
        std::cerr << "experiment [" << stage << "] " << message << std::endl;
      }};
  if (c.seeds > 1) {
    auto seeds = astro::experiment::runMiniatureSeeds(options, c.seeds, callbacks);
    auto report = astro::experiment::multiSeedReportJson(seeds);
    nlohmann::ordered_json headline = {{"seeds", report["seeds"]},
                                       {"arms", report["arms"]},
                                       {"hypothesis", report["hypothesis"]},
                                       {"comparisons", report["comparisons"]},
                                       {"report", (options.outputDir / "report.json").string()}};
    std::cout << headline.dump() << "\n";
    return;
  }
  auto results = astro::experiment::runMiniatureExperiment(options, callbacks);
  auto report = astro::experiment::miniatureReportJson(results);
  nlohmann::ordered_json headline = {{"arms", report["arms"]},
                                     {"pearson", report["pearson"]},
                                     {"hypothesis", report["hypothesis"]},
                                     {"comparisons", report["comparisons"]},
                                     {"seconds", report["seconds"]["total"]},
                                     {"report", (options.outputDir / "report.json").string()}};
  std::cout << headline.dump() << "\n";
}

const astro::cli::CommandRegistration kExperiment{
    "60-experiment", [](CLI::App& root) {
      auto& group =
          astro::cli::commandGroup(root, "experiment", "Experiments over the whole pipeline");
      auto c = std::make_shared<MiniatureCommand>();
      CLI::App* command = group.add_subcommand(
          "miniature",
          "The ASTRO paper's tables in miniature on the countdown world: one base policy, one set "
          "of\n"
          "MCTS trees, ASTRO and Direct SFT from the same trees, GRPO for both arms with the same\n"
          "budgets, every model and RL checkpoint on the held-out split; writes OUT/report.json "
          "and\n"
          "OUT/report.md. Rerun with the same --out to continue. Budgets: the full preset (<= 60 "
          "min\n"
          "on a quiet 2-core machine) or --quick (<= 15 min); the options below override them.");
      command->add_option("--out", c->out, "Output folder")->required();
      command->add_flag("--quick", c->quick, "The quick preset: checks that the loop runs");
      command->add_option("--seed", c->seed, "Seed of every part")->capture_default_str();
      command
          ->add_option("--seeds", c->seeds,
                       "Run seeds SEED, SEED+1, ... each in OUT/seed-<s>/ and write the combined\n"
                       "report (means over seeds, 95% intervals over seeds and puzzles, paired\n"
                       "differences) to OUT/report.json and OUT/report.md")
          ->capture_default_str()
          ->check(CLI::Range(1, 100));
      command->add_option(
          "--model-config", c->modelConfig,
          "Base model config under resources/world/models (default: pretraining's)");
      command->add_option("--train", c->trainProblems, "Training puzzles of the world")
          ->check(CLI::Range(2, 1000000));
      command->add_option("--test", c->testProblems, "Held-out puzzles")
          ->check(CLI::Range(1, 100000));
      command->add_option("--base-epochs", c->baseEpochs, "Epochs of base pretraining")
          ->check(CLI::Range(1, 1000));
      command
          ->add_option("--base-lr", c->baseLearningRate,
                       "Peak learning rate of base pretraining (default 4e-3, tuned for tiny;\n"
                       "small reaches held-out pass@1 0.31 with 1e-3); SFT takes a quarter of it")
          ->check(CLI::Range(1e-6, 1.0));
      command->add_option("--base-batch", c->baseBatch, "Sequences per step of base pretraining")
          ->check(CLI::Range(1, 4096));
      command->add_option("--search-problems", c->searchProblems, "Training puzzles searched")
          ->check(CLI::Range(1, 1000000));
      command->add_option("--iterations", c->iterations, "MCTS iterations per puzzle")
          ->check(CLI::Range(1, 100000));
      command->add_option("--sft-epochs", c->sftEpochs, "SFT epochs of each arm")
          ->check(CLI::Range(1, 1000));
      command->add_option("--rl-prompts", c->rlPrompts, "Training puzzles offered to RL curation")
          ->check(CLI::Range(1, 1000000));
      command->add_option("--rl-steps", c->rlSteps, "GRPO steps of each arm")
          ->check(CLI::Range(1, 1000000));
      command->add_option("--prompts-per-step", c->promptsPerStep, "GRPO prompts per step")
          ->check(CLI::Range(1, 100000));
      command
          ->add_option("--checkpoint-every", c->checkpointEvery, "GRPO steps between checkpoints")
          ->check(CLI::Range(1, 100000));
      command->add_option("--samples", c->samples, "Samples per held-out puzzle (pass@1 averaged)")
          ->check(CLI::Range(1, 1024));
      command
          ->add_option("--max-new-tokens", c->maxNewTokens,
                       "Longest completion in RL, curation and evaluation")
          ->check(CLI::Range(8, 100000));
      command
          ->add_option("--held-out-limit", c->heldOutLimit,
                       "Evaluate on the first N held-out puzzles (0: all)")
          ->check(CLI::Range(0, 100000));
      command->add_flag("--mask-wrong-branches", c->maskWrongBranches,
                        "ASTRO SFT gives no loss to the steps of wrong branches (their byte\n"
                        "ranges go into each record's \"loss_mask\"; Self-Backtracking)");
      command
          ->add_option("--search-traces", c->searchTraces,
                       "Distinct ASTRO search traces per solved tree (default 1; the paper\n"
                       "curates 3). With more ASTRO than Direct examples both arms take the\n"
                       "same SFT steps: --sft-epochs over the ASTRO examples")
          ->check(CLI::Range(1, astro::experiment::kMaxSearchTraces));
      command->add_flag("--mix-direct", c->mixDirect,
                        "The ASTRO arm also trains on each solved tree's Direct trace (the\n"
                        "paper's 1 direct + 3 search traces per problem)");
      command->add_flag("--unseen-search", c->unseenSearch,
                        "The base policy trains on none of the searched and RL puzzles, so\n"
                        "search explores puzzles its policy has never seen (needs --train above\n"
                        "--search-problems + --rl-prompts)");
      command->add_flag("--grounded-reflections", c->groundedReflections,
                        "The ASTRO arm's reflections state the check they make (\"(10-10)*2 = 0,\n"
                        "not 18.\", \"7 is not left.\") before their verdict (issue #21)");
      command->add_flag("--keep-invalid-steps", c->keepInvalidSteps,
                        "Search keeps the policy's invalid steps (\"8 * 7 = 33\") as dead ends\n"
                        "instead of dropping them, so ASTRO traces reflect on and return from\n"
                        "the base policy's own mistakes (issue #21)");
      command->add_flag("--affirm-steps", c->affirmSteps,
                        "ASTRO traces reflect after every intermediate step too, answered\n"
                        "\"Yes, it is right.\" (ASTRO Sec. 2.4), so a reflection follows good and\n"
                        "bad steps alike and only its verdict tells them apart");
      command
          ->add_option("--min-detours", c->minDetours,
                       "Fewest wrong branches per ASTRO trace (default 1, ASTRO Sec. 3.1; the\n"
                       "most is 2). 0 lets some traces go straight to the answer, reflections\n"
                       "and all, so a first attempt is not always the wrong one")
          ->check(CLI::Range(0, 2));
      command
          ->add_option("--detour-choice", c->detourChoice,
                       "Which wrong branches an ASTRO trace visits: uniform (Algorithm 1,\n"
                       "the default) or near-final-path (deepest branch point first, so returns\n"
                       "are backtracks of a step rather than restarts)")
          ->check(CLI::IsMember({"uniform", "near-final-path"}));
      command
          ->add_option("--phrases", c->phrases,
                       "Reflection/backtrack phrase set JSON (default: the compact countdown set;\n"
                       "resources/phrases/astro_default.json is the paper's English)")
          ->check(CLI::ExistingFile);
      astro::cli::addGeneratorKnobs(*command, c->generator);
      command->callback([c, command] { runMiniature(*c, *command); });
    }};

}  // namespace
