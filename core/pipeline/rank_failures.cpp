#include "core/pipeline/rank_failures.h"

#include <algorithm>
#include <regex>
#include <vector>

#include "core/base/atomic_file.h"

namespace astro::pipeline {

namespace fs = std::filesystem;

namespace {
const std::regex kErrorFile("rank-([0-9]+)\\.error");

std::vector<std::pair<int, fs::path>> errorFiles(const RunLayout& layout) {
  std::vector<std::pair<int, fs::path>> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(layout.runFolder(), error)) {
    std::smatch match;
    std::string name = entry.path().filename().string();
    if (std::regex_match(name, match, kErrorFile)) found.emplace_back(std::stoi(match[1]), entry.path());
  }
  std::sort(found.begin(), found.end());
  return found;
}
}  // namespace

void recordRankFailure(const RunLayout& layout, int rank, const std::string& message) {
  fs::create_directories(layout.runFolder());
  writeFileAtomically(layout.runFolder() / ("rank-" + std::to_string(rank) + ".error"), message);
}

std::string rankFailures(const RunLayout& layout) {
  std::string text;
  for (const auto& [rank, path] : errorFiles(layout)) {
    if (!text.empty()) text += "; ";
    text += "rank " + std::to_string(rank) + ": " + readFile(path);
  }
  return text;
}

void clearRankFailures(const RunLayout& layout) {
  for (const auto& [rank, path] : errorFiles(layout)) fs::remove(path);
}

}  // namespace astro::pipeline
