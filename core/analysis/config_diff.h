// Pipeline configs of several runs as a diff: each config (the TOML text stored with the run, or
// JSON) flattened to dotted keys ("sft.learning_rate", "evaluate.datasets[0].label") with values
// in TOML spelling, and the keys whose values differ between the runs. What the studio's run
// comparison shows after a researcher changed one knob.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace astro::analysis {

// Dotted key -> value text in TOML spelling (strings quoted, arrays of values inline). Tables
// nest into the key; arrays of tables take their index ("evaluate.models[1].label").
using FlatConfig = std::map<std::string, std::string>;

// Parses TOML, or JSON when the text starts with '{'; an empty text is an empty config. Throws
// astro::Error naming `source` and the line of a parse error.
FlatConfig flattenConfig(std::string_view text, const std::string& source);

struct ConfigDiffRow {
  std::string key;
  std::vector<std::optional<std::string>> values;  // one per config; nullopt: key missing there
  bool operator==(const ConfigDiffRow&) const = default;
};

// The keys (sorted) whose value differs between the configs; a key missing from some config
// differs. With fewer than two configs nothing differs.
std::vector<ConfigDiffRow> diffConfigs(const std::vector<FlatConfig>& configs);

}  // namespace astro::analysis
