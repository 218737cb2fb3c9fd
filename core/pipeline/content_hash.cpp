// Content hashes of files and folders (content_hash.h).
#include "core/pipeline/content_hash.h"

#include <algorithm>
#include <cerrno>
#include <vector>

#include "core/base/error.h"
#include "core/base/sha256.h"

namespace astro::pipeline {

namespace fs = std::filesystem;

ContentHash hashPath(const fs::path& path) {
  std::error_code error;
  fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) throw IoError(path.string(), "hash", ENOENT);
  if (!fs::is_directory(status)) {
    return {sha256FileHex(path), static_cast<std::int64_t>(fs::file_size(path))};
  }
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(path), end; it != end; ++it) {
    if (it->path().filename().string().starts_with(".")) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  Sha256 folder;
  ContentHash hash;
  for (const fs::path& file : files) {
    folder.update(file.lexically_relative(path).generic_string());
    folder.update(std::string_view("\0", 1));
    folder.update(sha256FileHex(file) + "\n");
    hash.sizeBytes += static_cast<std::int64_t>(fs::file_size(file));
  }
  hash.sha256 = folder.finishHex();
  return hash;
}

std::string storedPath(const fs::path& path, const fs::path& workspace) {
  fs::path absolute = fs::absolute(path).lexically_normal();
  fs::path root = fs::absolute(workspace).lexically_normal();
  fs::path relative = absolute.lexically_relative(root);
  if (!relative.empty() && *relative.begin() != ".." && !relative.is_absolute()) {
    return relative.generic_string();
  }
  return absolute.string();
}

}  // namespace astro::pipeline
