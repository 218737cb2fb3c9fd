// `astro pipeline schema` and `astro pipeline check CONFIG`: the pipeline config schema as JSON
// (core/pipeline describePipelineSchema) and a config checked by the same parser `astro run` uses,
// as one JSON object, with the memory plan's warnings (core/plan). Astro Studio's Launch view
// builds its form and its live errors on these, so the studio never links the pipeline (or
// libtorch) itself.
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/astro/command_registry.h"
#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/pipeline/pipeline_config.h"
#include "core/pipeline/pipeline_schema.h"
#include "core/plan/host_memory.h"
#include "core/plan/plan_report.h"

namespace {

using nlohmann::ordered_json;

struct CheckOptions {
  std::string config;  // a file, or "-" for stdin
  std::filesystem::path baseDir;
  std::string source;
  int gpus = 1;                       // for the memory plan's warnings
  std::string gpuMemory = "80GiB";
};

void printSchema() {
  ordered_json keys = ordered_json::array();
  for (const auto& key : astro::pipeline::describePipelineSchema()) {
    ordered_json entry = {{"table", key.table}, {"key", key.key}, {"type", key.type}};
    if (key.min) entry["min"] = *key.min;
    if (key.max) entry["max"] = *key.max;
    if (!key.choices.empty()) entry["choices"] = key.choices;
    entry["default"] = key.defaultValue;
    keys.push_back(std::move(entry));
  }
  std::cout << keys.dump() << "\n";
}

// The memory plan's warnings (core/plan): a stage that cannot fit is worth a warning, not an
// error (the config is valid; a bigger machine runs it). A plan that cannot be made says why.
std::vector<std::string> memoryWarnings(const astro::pipeline::PipelineConfig& config,
                                        const CheckOptions& options) {
  try {
    astro::plan::PlanOptions planOptions{
        .gpus = options.gpus,
        .gpuMemoryBytes = astro::plan::parseByteSize(options.gpuMemory),
        .hostMemoryBytes = astro::plan::physicalMemoryBytes()};
    return astro::plan::planWarnings(astro::plan::planPipeline(config, planOptions));
  } catch (const astro::Error& error) {
    return {std::string("no memory plan: ") + error.what()};
  }
}

// Prints {"ok": true, "name", "stages", "warnings"} or {"ok": false, "line", "field", "message"}, then throws
// (exit 1) when the config is invalid.
void checkConfig(const CheckOptions& options) {
  std::string text;
  std::string source = options.source;
  std::filesystem::path baseDir = options.baseDir;
  if (options.config == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), {});
    if (source.empty()) source = "stdin.toml";
    if (baseDir.empty()) baseDir = std::filesystem::current_path();
  } else {
    text = astro::readFile(options.config);
    if (source.empty()) source = options.config;
    if (baseDir.empty()) baseDir = std::filesystem::absolute(options.config).parent_path();
  }
  ordered_json result;
  try {
    auto config = astro::pipeline::parsePipelineConfig(text, source, baseDir);
    ordered_json stages = ordered_json::array();
    for (const auto& stage : config.stages) {
      stages.push_back(astro::pipeline::stageKindName(stage.kind));
    }
    std::vector<std::string> warnings = memoryWarnings(config, options);
    for (const auto& warning : warnings) std::cerr << "astro: warning: " << warning << "\n";
    result = {{"ok", true}, {"name", config.name}, {"stages", stages}, {"warnings", warnings}};
  } catch (const astro::ParseError& error) {
    result = {
        {"ok", false}, {"line", error.line()}, {"field", error.field()}, {"message", error.what()}};
  }
  std::cout << result.dump() << std::endl;
  if (!result["ok"].get<bool>()) throw astro::Error(result["message"].get<std::string>());
}

const astro::cli::CommandRegistration kPipeline{
    "13-pipeline", [](CLI::App& root) {
      CLI::App& pipeline = astro::cli::commandGroup(
          root, "pipeline", "Pipeline configs: their schema and checking one (for front ends)");
      CLI::App* schema = pipeline.add_subcommand(
          "schema",
          "Print every key of every config table (type, range, choices, default) as JSON");
      schema->callback(printSchema);

      auto options = std::make_shared<CheckOptions>();
      CLI::App* check = pipeline.add_subcommand(
          "check",
          "Check a pipeline config as `astro run` would; print {ok, name, stages, warnings} or\n"
          "{ok: false, line, field, message} as JSON; exit 1 when it is invalid. A stage whose\n"
          "memory plan (astro plan) does not fit is a warning on stderr and in `warnings`");
      check->add_option("CONFIG", options->config, "Config file, or - to read it from stdin")
          ->required();
      check->add_option("--base-dir", options->baseDir,
                        "Folder relative paths resolve against (default: the config's folder, or "
                        "the current one for stdin)");
      check->add_option("--source", options->source, "File name used in messages");
      check->add_option("--gpus", options->gpus, "GPUs the memory plan assumes (astro plan)")
          ->default_val(1);
      check->add_option("--gpu-memory", options->gpuMemory, "Memory of one GPU (astro plan)")
          ->default_val("80GiB");
      check->callback([options] { checkConfig(*options); });
    }};

}  // namespace
