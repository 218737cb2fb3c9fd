// Reading one TOML table against a schema (private to core/pipeline): every read names the key it
// consumes, finish() rejects the keys nobody read, and every error is a ParseError with the
// source, the line of the offending key or value, and "table.key".
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/pipeline/pipeline_schema.h"

namespace astro::pipeline::detail {

// While one is alive, every key read by a TomlTableReader on this thread is described in `keys`
// (describePipelineSchema). Not nested.
class SchemaRecording {
 public:
  explicit SchemaRecording(std::vector<ConfigKey>& keys);
  ~SchemaRecording();
  SchemaRecording(const SchemaRecording&) = delete;
  SchemaRecording& operator=(const SchemaRecording&) = delete;
};

class TomlTableReader {
 public:
  TomlTableReader(const toml::table& table, std::string tableName, std::string source);

  // Each leaves `target` unchanged when the key is absent.
  void integer(std::string_view key, int& target, std::int64_t min, std::int64_t max);
  void integer(std::string_view key, std::int64_t& target, std::int64_t min, std::int64_t max);
  void seed(std::string_view key, std::uint64_t& target);
  void real(std::string_view key, double& target, double min, double max);
  void boolean(std::string_view key, bool& target);
  // A string; when `allowed` is not empty it must be one of them.
  void text(std::string_view key, std::string& target,
            std::initializer_list<std::string_view> allowed = {});
  // The same with choices known at run time (a registry's names).
  void text(std::string_view key, std::string& target, const std::vector<std::string>& allowed);
  // A string naming a file or folder, resolved against `baseDir` when relative; false if absent.
  bool path(std::string_view key, std::filesystem::path& target,
            const std::filesystem::path& baseDir);
  // The node itself (null when absent), marked as read; for values of several shapes.
  const toml::node* node(std::string_view key);
  bool has(std::string_view key) const { return table_.contains(key); }
  // The node under `key` (null when absent) without reading it: to choose how to read a key that
  // takes several shapes.
  const toml::node* peek(std::string_view key) const { return table_.get(key); }

  // Rejects every key that no read above consumed, naming it and the keys this table knows.
  void finish() const;

  [[noreturn]] void fail(std::string_view key, const std::string& what) const;
  [[noreturn]] void failAt(const toml::node& node, std::string_view key,
                           const std::string& what) const;
  int line() const;  // of the table's header
  const std::string& tableName() const { return tableName_; }
  const std::string& source() const { return source_; }

 private:
  const toml::node* find(std::string_view key);
  void describe(std::string_view key, std::string type, std::string defaultValue,
                std::optional<double> min = {}, std::optional<double> max = {},
                const std::vector<std::string>& choices = {}) const;
  std::string field(std::string_view key) const;

  const toml::table& table_;
  std::string tableName_;
  std::string source_;
  std::set<std::string, std::less<>> known_;  // every key a read asked for, present or not
};

}  // namespace astro::pipeline::detail
