// The miniature experiment end to end: one base policy (pretrainWorldBase), one set of MCTS
// trees on the world's training split, ASTRO and Direct SFT data from the same trees, then for
// each arm SFT -> GRPO with the same budgets, every model (base, SFT, each RL checkpoint)
// evaluated on the held-out split, and report.json / report.md. Each stage leaves its output in
// a folder of options.outputDir and is skipped (or resumed by its trainer) on a rerun.
//
//   <out>/base/            pretrainWorldBase (data/train.jsonl, data/test.jsonl, model/)
//   <out>/search/          trees.jsonl (resumable per tree), summary.json
//   <out>/data/            astro_sft.jsonl, direct_sft.jsonl, dataset_table.json/.md
//                          (+ astro_mixed_sft.jsonl with mixDirect: the ASTRO arm's data)
//   <out>/eval/base.json   the base policy on the held-out split (+ .jsonl samples)
//   <out>/<arm>/sft/       SFT checkpoints and final/     (<arm>: astro, direct)
//   <out>/<arm>/curation.json, rl/, rl_steps.jsonl        GRPO and its per-step metrics
//   <out>/<arm>/eval/      start.json (the SFT model), checkpoint-<step>.json (+ .jsonl samples)
//   <out>/timings.json, report.json, report.md
#pragma once

#include <functional>
#include <string>

#include "core/experiment/miniature_options.h"
#include "core/experiment/miniature_report.h"

namespace astro::experiment {

struct MiniatureCallbacks {
  // Progress, each line naming its stage: "base", "search", "data", "astro/sft", "direct/rl"...
  std::function<void(const std::string& stage, const std::string& message)> log;
};

// Seeds of every part (pretraining, search, linearization, SFT, RL, curation, evaluation) are
// taken from options.seed.
MiniatureResults runMiniatureExperiment(MiniatureOptions options,
                                        const MiniatureCallbacks& callbacks = {});

}  // namespace astro::experiment
