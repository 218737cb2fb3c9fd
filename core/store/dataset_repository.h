// Datasets registered in the workspace by content hash, so every result can say exactly which
// data it was measured on. Registering the same bytes twice returns the first registration.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/store/timestamp.h"

namespace astro::store {

namespace detail {
class Connection;
}

struct NewDataset {
  std::string name{};    // "MATH-500"
  std::string path{};    // where it was read from
  std::string sha256{};  // of the file's bytes: the dataset's identity
  std::string format{};  // "math-jsonl", "gsm8k-jsonl", ...
  std::int64_t records = 0;
};

struct Dataset {
  std::int64_t id = 0;
  std::string name{};
  std::string path{};
  std::string sha256{};
  std::string format{};
  std::int64_t records = 0;
  Timestamp registered{};
};

class DatasetRepository {
 public:
  explicit DatasetRepository(detail::Connection& connection) : connection_(connection) {}

  // Idempotent by sha256: a second registration of the same content returns the stored one
  // unchanged (its first name and path).
  Dataset registerDataset(const NewDataset& dataset);
  // Hashes the file (throws IoError naming it when unreadable), then registers it.
  Dataset registerFile(const std::filesystem::path& file, const std::string& name,
                       const std::string& format, std::int64_t records);

  std::optional<Dataset> findBySha256(const std::string& sha256);
  std::optional<Dataset> find(std::int64_t id);
  std::vector<Dataset> list();  // by id

 private:
  detail::Connection& connection_;
};

}  // namespace astro::store
