// Files a run produced (checkpoints, generated traces, plots, tables), by workspace-relative path
// and content hash, so a result can be traced to the exact bytes it came from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/store/timestamp.h"

namespace astro::store {

namespace detail {
class Connection;
}

struct NewArtifact {
  std::int64_t runId = 0;
  std::optional<std::int64_t> stageId{};
  std::string kind{};  // "checkpoint", "traces", "plot", "table", ...
  std::string path{};  // relative to the workspace folder
  std::string sha256{};
  std::int64_t sizeBytes = 0;
};

struct Artifact {
  std::int64_t id = 0;
  std::int64_t runId = 0;
  std::optional<std::int64_t> stageId{};
  std::string kind{};
  std::string path{};
  std::string sha256{};
  std::int64_t sizeBytes = 0;
  Timestamp created{};
};

class ArtifactRepository {
 public:
  explicit ArtifactRepository(detail::Connection& connection) : connection_(connection) {}

  // Records an artifact; recording the same run and path again replaces the earlier record
  // (a checkpoint folder rewritten in place).
  Artifact add(const NewArtifact& artifact);
  std::vector<Artifact> list(std::int64_t runId);  // in the order they were recorded

 private:
  detail::Connection& connection_;
};

}  // namespace astro::store
