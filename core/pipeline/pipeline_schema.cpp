// describePipelineSchema (pipeline_schema.h): the parser, run once over empty tables under a
// SchemaRecording, is the schema.
#include "core/pipeline/pipeline_schema.h"

#include <set>
#include <utility>

#include "core/pipeline/detail/toml_table_reader.h"
#include "core/pipeline/pipeline_config.h"

namespace astro::pipeline {

const std::vector<ConfigKey>& describePipelineSchema() {
  static const std::vector<ConfigKey> keys = [] {
    std::string text = "[run]\n";
    for (StageKind kind : allStageKinds()) text += "[" + std::string(stageKindName(kind)) + "]\n";
    std::vector<ConfigKey> recorded;
    {
      detail::SchemaRecording recording(recorded);
      parsePipelineConfig(text, "schema.toml", ".");
    }
    std::vector<ConfigKey> unique;
    std::set<std::pair<std::string, std::string>> seen;
    for (ConfigKey& key : recorded) {
      if (!seen.emplace(key.table, key.key).second) continue;
      // [run] seed is unset by default: each stage keeps its library's own seed.
      if (key.table == "run" && key.key == "seed") key.defaultValue.clear();
      unique.push_back(std::move(key));
    }
    return unique;
  }();
  return keys;
}

}  // namespace astro::pipeline
