// `astro plan CONFIG`: the memory plan of a pipeline config (core/plan): per stage, the bytes per
// GPU of weights, gradients, optimizer state, activations and KV cache, and whether they fit, from
// each model's config.json alone (no weights are read, so a laptop can plan a cluster run).
// Exit status: 0 when every stage fits, 3 when one does not, 1/2 for errors as everywhere.
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <memory>

#include "app/astro/command_registry.h"
#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/pipeline/pipeline_config.h"
#include "core/plan/host_memory.h"
#include "core/plan/plan_report.h"

namespace {

constexpr int kDoesNotFit = 3;

struct PlanCommand {
  std::string config;  // a file, or "-" for stdin
  std::filesystem::path baseDir;
  std::string source;
  int gpus = 1;
  int zero = 1;
  std::string gpuMemory = "80GiB";
  std::int64_t promptTokens = astro::plan::PlanOptions{}.promptTokens;
  bool json = false;
};

astro::pipeline::PipelineConfig readConfig(const PlanCommand& c) {
  if (c.config != "-") {
    auto config = astro::pipeline::loadPipelineConfig(c.config);
    if (!c.source.empty()) config.source = c.source;
    return config;
  }
  std::string text(std::istreambuf_iterator<char>(std::cin), {});
  return astro::pipeline::parsePipelineConfig(
      text, c.source.empty() ? "stdin.toml" : c.source,
      c.baseDir.empty() ? std::filesystem::current_path() : c.baseDir);
}

void runPlan(const PlanCommand& c) {
  astro::plan::PlanOptions options{.gpus = c.gpus,
                                   .zeroStage = c.zero,
                                   .gpuMemoryBytes = astro::plan::parseByteSize(c.gpuMemory),
                                   .hostMemoryBytes = astro::plan::physicalMemoryBytes(),
                                   .promptTokens = c.promptTokens};
  auto config = readConfig(c);
  if (c.config != "-" && !c.baseDir.empty()) {
    config = astro::pipeline::parsePipelineConfig(config.text, config.source, c.baseDir);
  }
  astro::plan::PipelinePlan plan = astro::plan::planPipeline(config, options);
  if (c.json) {
    std::cout << astro::plan::planJson(plan) << "\n";
  } else {
    std::cout << astro::plan::planText(plan);
  }
  std::cout.flush();
  if (!plan.fits()) std::exit(kDoesNotFit);
}

const astro::cli::CommandRegistration kPlan{
    "13-plan", [](CLI::App& root) {
      auto c = std::make_shared<PlanCommand>();
      CLI::App* plan = root.add_subcommand(
          "plan",
          "Memory plan of a pipeline config: per stage, the bytes per GPU of weights, gradients,\n"
          "optimizer state, activations (per micro-batch and sequence length) and KV cache, and\n"
          "whether they fit. Reads each model's config.json only (or knows Llama-3.1-8B/70B and\n"
          "Llama-3.2-1B/3B by their folder's name), never the weights.\n"
          "It models the engine: bf16 weights and gradients on CUDA with fp32 master weights and\n"
          "Adam moments (ZeRO-1 shards those over --gpus) plus a 4 B/parameter fp32 reduction\n"
          "buffer; float32 on CPU; data parallelism only, no activation checkpointing, no fused\n"
          "attention. A stage that does not fit says what would (docs/memory-plan.md).\n"
          "Exit status: 0 when every stage fits, 3 when one does not.");
      plan->add_option("CONFIG", c->config, "Pipeline config (TOML), or - to read it from stdin")
          ->required();
      plan->add_option("--gpus", c->gpus,
                       "Data-parallel GPUs (on a CPU config: processes sharing this host)")
          ->default_val(1);
      plan->add_option("--gpu-memory", c->gpuMemory,
                       "Memory of one GPU: 80GiB, 80GB (GB as memory vendors use it: = 80GiB), "
                       "81920MiB; a CPU config is planned against this host's memory")
          ->default_val("80GiB");
      plan->add_option("--zero", c->zero, "ZeRO stage on CUDA: 1 shards master weights and moments "
                                          "over the GPUs, 0 replicates them")
          ->default_val(1)
          ->check(CLI::Range(0, 1));
      plan->add_option("--prompt-tokens", c->promptTokens,
                       "Tokens assumed per prompt (for the search: problem and steps so far)")
          ->default_val(c->promptTokens);
      plan->add_flag("--json", c->json, "One JSON object: the plan with one object per stage");
      plan->add_option("--base-dir", c->baseDir,
                       "Folder relative paths resolve against (default: the config's folder, or "
                       "the current one for stdin)");
      plan->add_option("--source", c->source, "File name used in messages");
      plan->callback([c] { runPlan(*c); });
    }};

}  // namespace
