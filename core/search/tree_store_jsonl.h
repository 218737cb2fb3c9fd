// Finished MCTS trees on disk as JSON Lines of the interchange format (tree_json.h), one tree per
// line, appended and fsynced tree by tree: a search killed mid-way loses no finished tree, and a
// line torn by the kill is cut off when the file is opened again. loadTreesJsonl reads the file.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/search/finished_tree_store.h"
#include "core/search/tree.h"

namespace astro::search {

class JsonlTreeStore final : public FinishedTreeStore {
 public:
  // Opens or creates `path`, drops a torn last line, and indexes the trees it holds (throws
  // astro::Error naming "<file>:<line>" for a malformed complete line).
  explicit JsonlTreeStore(std::filesystem::path path);
  ~JsonlTreeStore() override;
  JsonlTreeStore(const JsonlTreeStore&) = delete;
  JsonlTreeStore& operator=(const JsonlTreeStore&) = delete;

  // Appends one tree as one line and fsyncs before returning.
  void append(const SearchTree& tree);

  // Trees stored for the problem with this question and gold answer (the interchange format
  // carries no problem id, so a problem is known by both texts).
  int storedCount(std::string_view question, std::string_view goldAnswer) const;
  int size() const { return size_; }

  // A problem counts as stored while the file holds more trees for its question and gold answer
  // than earlier occurrences of the same problem in `problems` used up (a dataset may repeat one).
  std::vector<bool> storedFlags(std::span<const math::Problem> problems) override;
  void store(const math::Problem& problem, const SearchTree& tree) override { append(tree); }
  const std::filesystem::path& path() const { return path_; }

 private:
  static std::string keyOf(std::string_view question, std::string_view goldAnswer);

  std::filesystem::path path_;
  int fd_ = -1;
  int size_ = 0;
  std::unordered_map<std::string, int> countByProblem_;
};

}  // namespace astro::search
