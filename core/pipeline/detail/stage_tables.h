// The schema of each stage's TOML table (private to core/pipeline): which keys it knows, their
// types and ranges, and where a stage's inputs come from when the table names none (the outputs
// of earlier stages, tracked in AvailableInputs as the tables are read in run order).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/pipeline/detail/toml_table_reader.h"
#include "core/pipeline/pipeline_config.h"

namespace astro::pipeline::detail {

// Settings of [run] that stage tables fall back on.
struct RunDefaults {
  std::filesystem::path baseDir;
  std::optional<std::uint64_t> seed;
  std::string device = "cpu";
};

// What earlier stages provide, for inputs a table does not name.
struct AvailableInputs {
  std::optional<InputRef> baseModel;      // the policy the pipeline starts from
  std::optional<InputRef> trainProblems;  // problems to search and to train RL on
  std::optional<InputRef> testProblems;   // held-out problems (the world's test split)
  std::optional<InputRef> trees;
  std::optional<InputRef> phrases;
  std::optional<InputRef> astroData;
  std::optional<InputRef> directData;
  std::optional<InputRef> sftModel;
  std::optional<InputRef> rlModel;
  std::optional<InputRef> samples;
};

// `key` given as an endpoint table ({endpoint = "http://...", name = ..., tokenizer = ...}),
// read and marked as consumed; nothing when the key is absent or holds a path.
std::optional<endpoint::EndpointConfig> readEndpointModel(TomlTableReader& table,
                                                          std::string_view key,
                                                          const RunDefaults& run);

// `verifier`: "auto" or a name in the domain registry (core/domain/domain_registry.h).
void readVerifier(TomlTableReader& table, std::string& verifier);

PretrainBaseStage readPretrainBaseTable(TomlTableReader& table, const RunDefaults& run,
                                        AvailableInputs& available);
SearchStage readSearchTable(TomlTableReader& table, const RunDefaults& run,
                            AvailableInputs& available);
LinearizeStage readLinearizeTable(TomlTableReader& table, const RunDefaults& run,
                                  AvailableInputs& available);
SftStage readSftTable(TomlTableReader& table, const RunDefaults& run, AvailableInputs& available);
RlStage readRlTable(TomlTableReader& table, const RunDefaults& run, AvailableInputs& available);
EvaluateStage readEvaluateTable(TomlTableReader& table, const RunDefaults& run,
                                AvailableInputs& available);
AnalyzeStage readAnalyzeTable(TomlTableReader& table, const RunDefaults& run,
                              AvailableInputs& available);

}  // namespace astro::pipeline::detail
