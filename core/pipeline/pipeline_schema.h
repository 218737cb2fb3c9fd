// What a pipeline config's tables accept, described by the parser itself: describePipelineSchema()
// parses a config of every table, left empty, while each read of a key notes its name, type,
// range, choices and default. Front ends build forms from it; nothing restates the schema.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace astro::pipeline {

struct ConfigKey {
  std::string table;  // "run", "pretrain-base", "search", ...
  std::string key;    // "iterations"
  // "integer", "real", "boolean", "text", "path", or "value" for keys of several shapes
  // (the run name, sft.data, evaluate.models and .datasets: arrays or strings).
  std::string type;
  std::optional<double> min;
  std::optional<double> max;
  std::vector<std::string> choices;  // the allowed strings of a text key; empty: any
  // The default as TOML text ("32", "0.001", "true", "\"cosine\""); empty when it comes from an
  // earlier stage's output or from [run].
  std::string defaultValue;
};

// Every key of every table, tables in run order ([run] first), keys in the order the parser reads
// them.
const std::vector<ConfigKey>& describePipelineSchema();

}  // namespace astro::pipeline
