// JsonlTreeStore (tree_store_jsonl.h): append + fsync per tree, torn-tail repair on open.
#include "core/search/tree_store_jsonl.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/search/tree_json.h"

namespace astro::search {

JsonlTreeStore::JsonlTreeStore(std::filesystem::path path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw IoError(path_.string(), "open", errno);
  const std::string content = readFile(path_);
  // Everything after the last newline is a line the writer did not finish: drop it.
  const std::size_t lastNewline = content.rfind('\n');
  const std::size_t complete = lastNewline == std::string::npos ? 0 : lastNewline + 1;
  if (complete < content.size()) {
    if (::ftruncate(fd_, static_cast<off_t>(complete)) != 0 || ::fsync(fd_) != 0) {
      const int error = errno;
      ::close(fd_);
      throw IoError(path_.string(), "truncate the torn last line of", error);
    }
  }
  if (::lseek(fd_, 0, SEEK_END) < 0) throw IoError(path_.string(), "seek", errno);
  std::size_t begin = 0;
  for (std::int64_t lineNumber = 1; begin < complete; ++lineNumber) {
    const std::size_t end = content.find('\n', begin);
    const std::string_view line(content.data() + begin, end - begin);
    begin = end + 1;
    if (line.empty()) continue;
    const SearchTree tree =
        treeFromJsonText(line, path_.string() + ":" + std::to_string(lineNumber));
    ++countByProblem_[keyOf(tree.problem(), tree.goldAnswer())];
    ++size_;
  }
}

JsonlTreeStore::~JsonlTreeStore() {
  if (fd_ >= 0) ::close(fd_);
}

void JsonlTreeStore::append(const SearchTree& tree) {
  const std::string line = treeToJsonText(tree) + "\n";
  writeAll(fd_, line.data(), line.size(), path_);
  if (::fsync(fd_) != 0) throw IoError(path_.string(), "fsync", errno);
  ++countByProblem_[keyOf(tree.problem(), tree.goldAnswer())];
  ++size_;
}

int JsonlTreeStore::storedCount(std::string_view question, std::string_view goldAnswer) const {
  auto it = countByProblem_.find(keyOf(question, goldAnswer));
  return it == countByProblem_.end() ? 0 : it->second;
}

std::vector<bool> JsonlTreeStore::storedFlags(std::span<const math::Problem> problems) {
  std::unordered_map<std::string, int> storedLeft = countByProblem_;
  std::vector<bool> flags;
  flags.reserve(problems.size());
  for (const math::Problem& problem : problems) {
    auto it = storedLeft.find(keyOf(problem.question, problem.answer));
    const bool stored = it != storedLeft.end() && it->second > 0;
    if (stored) --it->second;
    flags.push_back(stored);
  }
  return flags;
}

std::string JsonlTreeStore::keyOf(std::string_view question, std::string_view goldAnswer) {
  std::string key(question);
  key += '\0';
  key += goldAnswer;
  return key;
}

}  // namespace astro::search
