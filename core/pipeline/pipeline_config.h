// A pipeline config: a TOML file naming the stages of an ASTRO run (pretrain-base, search,
// linearize, sft, rl, evaluate, analyze) and their parameters, checked against a schema whose
// errors name the file, line and key; unknown keys and tables are errors. docs/pipeline.md has the
// schema. Parameters a table leaves out keep the defaults of the library that runs the stage
// (BasePretrainingOptions, MctsOptions, SftOptions, GrpoOptions, ...).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/endpoint/endpoint_config.h"
#include "core/search/linearize.h"
#include "core/search/mcts.h"
#include "core/train/base_pretraining.h"
#include "core/train/evaluation.h"
#include "core/train/grpo_options.h"
#include "core/train/prompt_curation.h"
#include "core/train/sft_trainer.h"

namespace astro::pipeline {

// The stages in the only order they run in.
enum class StageKind { kPretrainBase, kSearch, kLinearize, kSft, kRl, kEvaluate, kAnalyze };
std::string_view stageKindName(StageKind kind);  // "pretrain-base", "search", ...
std::optional<StageKind> parseStageKind(std::string_view name);
const std::vector<StageKind>& allStageKinds();

// Where a stage input comes from: a file or folder given in the config (absolute once parsed), or
// a named output of an earlier stage of the same run (stage_outputs.h names them).
struct InputRef {
  std::filesystem::path path;  // external input; empty when `stage` is set
  std::optional<StageKind> stage;
  std::string output;  // "model", "train", "test", "trees", "astro", "direct", "samples"
  bool external() const { return !stage.has_value(); }
};

struct PretrainBaseStage {
  train::BasePretrainingOptions options;  // outputDir is set by the worker
};

struct SearchStage {
  InputRef dataset;
  InputRef model;  // unused when `endpoint` is set
  // `model = { endpoint = "http://...", name = ..., tokenizer = ... }`: the policy is an
  // OpenAI-compatible server (docs/serving.md); its tokenizer folder becomes the "tokenizer" input.
  std::optional<endpoint::EndpointConfig> endpoint;
  std::optional<InputRef> tokenizer;  // default: the model folder
  std::string verifier = "auto";
  int limit = 0;
  int passSamples = 4;
  search::MctsOptions mcts;
};

struct LinearizeStage {
  InputRef trees;
  std::optional<InputRef> phrases;  // default: the domain's (Domain::phraseSet)
  // The domain whose step delimiter joins the steps and whose phrase set is the default: "auto"
  // resolves it from the trees' problems, as the search resolved it from the dataset's.
  std::string verifier = "auto";
  search::LinearizeOptions linearize;
  bool answerCheck = true;
  bool maskWrongBranches = false;  // search::SftExportOptions::maskWrongBranches
  // Reflections state the domain's check of their step (search::RenderOptions::groundedCheck,
  // issue #21); only a domain with a ReflectionCheck (countdown) accepts it.
  bool groundedChecks = false;
  // Affirmative reflections after intermediate steps whose Q is at least this (ASTRO Sec. 2.4;
  // search::RenderOptions::affirmStepsWithQAtLeast; -1: every step); nullopt: none.
  std::optional<double> affirmStepsMinQ;
};

struct SftStage {
  InputRef model;
  InputRef data;
  train::SftOptions options;  // paths are set by the worker
};

struct RlStage {
  InputRef model;
  InputRef dataset;
  int limit = 0;  // first N prompts only
  std::string verifier = "auto";
  // The exact detector's phrase set for the rollouts' backtracks: given, else linearize's, else
  // the domain's (Domain::phraseSet).
  std::optional<InputRef> phrases;
  bool curate = true;
  train::CurationOptions curation;
  // `curation_model = { endpoint = ..., name = ..., tokenizer = ... }`: a server serving the
  // starting policy estimates the pass rates (input "curation-tokenizer"); training stays local.
  std::optional<endpoint::EndpointConfig> curationEndpoint;
  train::GrpoOptions options;  // paths are set by the worker
};

struct EvaluateModel {
  std::string label;  // "base", "sft", "rl" or the name given
  InputRef model;     // unused when `endpoint` is set
  // {name = ..., model = { endpoint = ..., name = ..., tokenizer = ... }}: a served model; its
  // tokenizer folder is the input "tokenizer:<label>".
  std::optional<endpoint::EndpointConfig> endpoint;
};
struct EvaluateDataset {
  std::string label;  // the benchmark name in metrics and samples ("world-test", "math500")
  InputRef dataset;
};
struct EvaluateStage {
  std::vector<EvaluateModel> models;
  std::vector<EvaluateDataset> datasets;
  int limit = 0;
  std::string verifier = "auto";
  std::optional<InputRef> phrases;  // as RlStage::phrases, for the samples' backtracks
  train::EvaluationOptions options;
};

struct AnalyzeStage {
  InputRef samples;
  // Exact detector's phrase set; default: linearize's, else the domain's.
  std::optional<InputRef> phrases;
  std::string verifier = "auto";    // grades the samples: "auto" or a registered domain
  std::string detector = "exact";   // "exact" (traces in astro's phrase set) or "heuristic"
  int bootstrap = 1000;
  std::uint64_t seed = 20250701;
};

using StageParameters = std::variant<PretrainBaseStage, SearchStage, LinearizeStage, SftStage,
                                     RlStage, EvaluateStage, AnalyzeStage>;

struct StageConfig {
  StageKind kind = StageKind::kSearch;
  int line = 0;  // of the stage's table header, for errors found later
  StageParameters parameters;
};

struct PipelineConfig {
  std::string text;               // the exact TOML the run stores
  std::string source;             // file name (or "run N") used in error messages
  std::filesystem::path baseDir;  // relative paths in the config resolve against it
  std::string name;               // [run] name, default: the file's stem
  std::string device = "cpu";
  int threads = 0;                  // torch intra-op threads; 0: all cores
  std::vector<StageConfig> stages;  // in run order
};

// Parses and validates `text`. Throws ParseError "<source>:<line>: field '<table.key>': <what>".
PipelineConfig parsePipelineConfig(std::string_view text, const std::string& source,
                                   const std::filesystem::path& baseDir);
// Reads the file (IoError when unreadable); relative paths resolve against its folder.
PipelineConfig loadPipelineConfig(const std::filesystem::path& file);

// Run names are shown in tables and terminals and never used as paths: 1-200 bytes of UTF-8
// without control characters. Throws UsageError saying what is wrong.
void validateRunName(std::string_view name);

}  // namespace astro::pipeline
