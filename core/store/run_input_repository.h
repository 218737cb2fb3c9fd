// What a pipeline run read: its config file and every input file or folder of each stage, by
// path and SHA-256, so a resume can refuse a stage whose inputs changed since they were recorded
// (core/pipeline, docs/pipeline.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace astro::store {

namespace detail {
class Connection;
}

struct RunInput {
  std::int64_t runId = 0;
  std::optional<std::int64_t> stageId{};  // nullopt: the run's own input (its config file)
  std::string name{};  // "config", "dataset", "model", ...: unique per run and stage
  std::string path{};  // workspace-relative inside the workspace, absolute outside it
  std::string sha256{};
  std::int64_t sizeBytes = 0;
  bool operator==(const RunInput&) const = default;
};

class RunInputRepository {
 public:
  explicit RunInputRepository(detail::Connection& connection) : connection_(connection) {}

  // Records (or replaces) the input `name` of the run / stage.
  void record(const RunInput& input);
  // The run's inputs: its own first, then by stage and name.
  std::vector<RunInput> list(std::int64_t runId);

 private:
  detail::Connection& connection_;
};

}  // namespace astro::store
