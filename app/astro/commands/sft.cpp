// `astro sft`: supervised fine-tuning on chat-form JSONL, resumable; one JSON line per step.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/astro/command_registry.h"
#include "app/astro/rank_launch.h"
#include "core/train/sft_trainer.h"

namespace {

struct SftCommand {
  astro::train::SftOptions options;
  std::string decay = "cosine";
  std::string model, data, out, tokenizer;
  std::string precision = "auto";
  astro::cli::RankFlags ranks;
};

void runSftCommand(SftCommand& command) {
  if (auto code = astro::cli::launchRanksIfAsked(command.ranks,
                                                 std::filesystem::path(command.out) / "rank-logs")) {
    std::exit(*code);
  }
  auto& options = command.options;
  options.precision = astro::train::parsePrecision(command.precision);
  options.initialModel = command.model;
  options.data = command.data;
  options.outputDir = command.out;
  options.tokenizer = command.tokenizer;
  options.decay = astro::train::parseDecayKind(command.decay);
  auto result = astro::train::runSft(
      options, {.onStep = [](const astro::train::SftStepMetrics& m) {
                  std::cout << nlohmann::json{{"step", m.step}, {"total", m.totalSteps},
                                              {"loss", m.loss}, {"lr", m.learningRate},
                                              {"grad_norm", m.gradNorm},
                                              {"tokens_per_s", m.tokensPerSecond}}
                                   .dump()
                            << std::endl;
                }});
  std::cout << nlohmann::json{{"final_step", result.finalStep}, {"resumed", result.resumed},
                              {"final_loss", result.lastLoss},
                              {"model", result.finalModel.string()}}
                   .dump()
            << "\n";
}

const astro::cli::CommandRegistration kSft{"40-sft", [](CLI::App& root) {
  auto c = std::make_shared<SftCommand>();
  auto& o = c->options;
  CLI::App* sft = root.add_subcommand(
      "sft", "Supervised fine-tuning on chat-form JSONL ({\"messages\": [...]}) or prompt/response\n"
             "pairs; loss on response tokens only. Defaults: the ASTRO paper's SFT recipe. Re-run\n"
             "with the same --out to resume after an interruption.");
  sft->add_option("--model", c->model, "Initial model folder (HF layout)")->required();
  sft->add_option("--data", c->data, "Training JSONL")->required()->check(CLI::ExistingFile);
  sft->add_option("--out", c->out, "Output folder (checkpoints, final/)")->required();
  sft->add_option("--tokenizer", c->tokenizer, "Tokenizer folder (default: --model)");
  sft->add_option("--lr", o.learningRate, "Peak learning rate")->capture_default_str();
  sft->add_option("--epochs", o.epochs)->capture_default_str()->check(CLI::Range(1, 10000));
  sft->add_option("--warmup", o.warmupSteps, "Warm-up steps")->capture_default_str();
  sft->add_option("--schedule", c->decay, "cosine or constant")->capture_default_str();
  sft->add_option("--max-length", o.maxSequenceLength, "Max tokens per example")
      ->capture_default_str();
  sft->add_option("--batch", o.sequencesPerStep, "Examples per optimizer step")
      ->capture_default_str()->check(CLI::Range(1, 1 << 20));
  sft->add_option("--micro-batch-rows", o.rowsPerMicroBatch, "Packed rows per forward pass")
      ->capture_default_str();
  sft->add_flag("!--no-pack", o.pack, "One example per row instead of packing");
  sft->add_option("--weight-decay", o.weightDecay)->capture_default_str();
  sft->add_option("--clip", o.gradientClip, "Gradient clipping norm (0: off)")->capture_default_str();
  sft->add_option("--seed", o.seed)->capture_default_str();
  sft->add_option("--checkpoint-every", o.checkpointEvery, "Steps between checkpoints")
      ->capture_default_str();
  sft->add_option("--keep-checkpoints", o.keepCheckpoints,
                  "Newest checkpoints kept (raise it to sweep them: astro evaluate --sweep)")
      ->capture_default_str()->check(CLI::Range(1, 1000000));
  sft->add_option("--device", o.device, "cpu or cuda")->capture_default_str();
  sft->add_option("--precision", c->precision,
                  "auto (float32 on cpu; bfloat16 compute + float32 master weights on cuda),\n"
                  "float32 or bfloat16")
      ->capture_default_str();
  sft->add_flag("--zero", o.shardOptimizerState,
                "Split the float32 master weights and Adam moments across the ranks (ZeRO-1)");
  astro::cli::addNprocFlag(sft, c->ranks);
  sft->add_flag("--skip-bad", o.skipBadLines, "Skip malformed lines and count them");
  sft->callback([c] { runSftCommand(*c); });
}};

}  // namespace
