// `astro rl`: GRPO with verifiable rewards from an SFT checkpoint, with prompt curation.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/astro/command_registry.h"
#include "app/astro/rank_launch.h"
#include "app/astro/verifier_flag.h"
#include "core/analysis/exact_detector.h"
#include "core/analysis/trace_stats.h"
#include "core/base/error.h"
#include "core/domain/dataset_reading.h"
#include "core/domain/domain_registry.h"
#include "core/math/dataset_loader.h"
#include "core/model/language_model.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/grpo_trainer.h"
#include "core/train/prompt_curation.h"

namespace {

struct RlCommand {
  astro::train::GrpoOptions options;
  std::string model, dataset, out, reference, aggregation = "token-mean", verifier = "auto";
  bool curate = true;
  astro::train::CurationOptions curation;
  std::string precision = "auto";
  astro::cli::RankFlags ranks;
};

void runRl(RlCommand& c) {
  if (auto code = astro::cli::launchRanksIfAsked(c.ranks, std::filesystem::path(c.out) / "rank-logs")) {
    std::exit(*code);
  }
  auto& o = c.options;
  o.precision = astro::train::parsePrecision(c.precision);
  o.initialModel = c.model;
  o.outputDir = c.out;
  o.referenceModel = c.reference;
  o.aggregation = astro::train::parseLossAggregation(c.aggregation);
  auto problems = astro::domain::loadDataset(c.dataset).problems;
  const astro::domain::Domain& domain = astro::domain::resolveDomain(c.verifier, problems);
  auto verifier = domain.makeVerifier();
  // Backtracks per response in the domain's phrases and steps (what its SFT data taught).
  const auto detector = astro::analysis::ExactDetector::forDomain(domain);
  if (c.curate) {
    auto policy = astro::model::LanguageModel::load(c.model, o.device);
    auto tokenizer = astro::tokenizer::Tokenizer::fromDirectory(c.model);
    c.curation.estimate.maxNewTokens = int(std::min(o.maxNewTokens, 4096));
    c.curation.estimate.temperature = o.temperature;
    c.curation.estimate.shardAcrossRanks = true;  // with --nproc the ranks share the sampling
    auto curated = astro::train::curatePrompts(policy, tokenizer, problems, *verifier, c.curation);
    std::cerr << "rl: kept " << curated.kept.size() << " of " << problems.size()
              << " prompts (" << curated.tooHard << " below " << c.curation.minPassRate << ", "
              << curated.tooEasy << " above " << c.curation.maxPassRate << ")\n";
    if (curated.kept.empty()) throw astro::Error("rl: prompt curation kept no prompt");
    problems = curated.kept;
  }
  auto result = astro::train::runGrpo(
      o, problems, *verifier,
      {.onStep = [](const astro::train::GrpoStepMetrics& m) {
        std::cout << nlohmann::json{{"step", m.step}, {"total", m.totalSteps},
                                    {"reward", m.rewardMean},
                                    {"zero_variance_groups", m.zeroVarianceGroups},
                                    {"response_length", m.responseLength},
                                    {"backtracks", m.backtracksPerResponse}, {"kl", m.kl},
                                    {"clip_fraction", m.clipFraction}, {"entropy", m.entropy},
                                    {"lr", m.learningRate}, {"seconds", m.seconds}}
                         .dump()
                  << std::endl;
      },
       .countBacktracks = [detector](std::string_view completion) {
         return astro::analysis::analyzeTrace(*detector, completion).backtracks;
       }});
  std::cout << nlohmann::json{{"final_step", result.finalStep}, {"resumed", result.resumed},
                              {"model", result.finalModel.string()}}
                   .dump()
            << "\n";
}

const astro::cli::CommandRegistration kRl{"42-rl", [](CLI::App& root) {
  auto c = std::make_shared<RlCommand>();
  auto& o = c->options;
  CLI::App* rl = root.add_subcommand(
      "rl", "GRPO with verifiable rewards (+1/-1) from an SFT checkpoint. Defaults: the ASTRO\n"
            "paper's RL recipe. Re-run with the same --out to resume.");
  rl->add_option("--model", c->model, "SFT checkpoint folder")->required();
  rl->add_option("--dataset", c->dataset, "Prompt JSONL")->required()->check(CLI::ExistingFile);
  rl->add_option("--out", c->out, "Output folder")->required();
  rl->add_option("--reference", c->reference, "KL reference model (default: --model)");
  rl->add_option("--steps", o.steps)->capture_default_str()->check(CLI::Range(1, 1000000));
  rl->add_option("--prompts-per-step", o.promptsPerStep)->capture_default_str();
  rl->add_option("--group-size", o.groupSize)->capture_default_str()->check(CLI::Range(2, 1024));
  rl->add_option("--temperature", o.temperature)->capture_default_str();
  rl->add_option("--max-new-tokens", o.maxNewTokens)->capture_default_str();
  rl->add_option("--lr", o.learningRate)->capture_default_str();
  rl->add_option("--warmup", o.warmupSteps)->capture_default_str();
  rl->add_option("--clip-low", o.clipLow)->capture_default_str();
  rl->add_option("--clip-high", o.clipHigh)->capture_default_str();
  rl->add_option("--kl", o.klCoefficient, "KL coefficient (0: no reference)")->capture_default_str();
  rl->add_flag("!--no-std", o.divideByStd, "Advantages r - mean, not divided by the std");
  rl->add_option("--aggregation", c->aggregation, "token-mean or sequence-mean")
      ->capture_default_str();
  rl->add_option("--epochs", o.optimizationEpochs, "Optimisation epochs per batch")
      ->capture_default_str();
  rl->add_option("--micro-batch", o.microBatchSize)->capture_default_str();
  rl->add_option("--seed", o.seed)->capture_default_str();
  rl->add_option("--checkpoint-every", o.checkpointEvery)->capture_default_str();
  rl->add_option("--keep-checkpoints", o.keepCheckpoints,
                 "Newest checkpoints kept (raise it to sweep them: astro evaluate --sweep)")
      ->capture_default_str()->check(CLI::Range(1, 1000000));
  rl->add_option("--min-pass-rate", c->curation.minPassRate)->capture_default_str();
  rl->add_option("--max-pass-rate", c->curation.maxPassRate)->capture_default_str();
  rl->add_flag("!--no-curation", c->curate, "Use every prompt");
  astro::cli::addVerifierFlag(rl, c->verifier);
  rl->add_option("--device", o.device)->capture_default_str();
  rl->add_option("--adam-eps", o.epsilon, "AdamW epsilon")->capture_default_str();
  rl->add_option("--precision", c->precision,
                 "auto (float32 on cpu; bfloat16 compute + float32 master weights on cuda),\n"
                 "float32 or bfloat16")
      ->capture_default_str();
  rl->add_flag("--zero", o.shardOptimizerState,
               "Split the float32 master weights and Adam moments across the ranks (ZeRO-1)");
  astro::cli::addNprocFlag(rl, c->ranks);
  rl->callback([c] { runRl(*c); });
}};

}  // namespace
