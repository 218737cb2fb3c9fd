// Content hashes of stage inputs and outputs: a file's SHA-256, or for a folder the SHA-256 of its
// sorted "relative path NUL file hash" lines (hidden temporaries such as ".final.partial-N" are
// left out), so a model folder has one identity whatever order the file system lists it in.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace astro::pipeline {

struct ContentHash {
  std::string sha256;
  std::int64_t sizeBytes = 0;  // the file's size, or the sum over the folder's files
};

// Throws IoError naming the path when it does not exist or cannot be read.
ContentHash hashPath(const std::filesystem::path& path);

// `path` relative to `workspace` when it lies inside it (what the store records), else absolute.
std::string storedPath(const std::filesystem::path& path, const std::filesystem::path& workspace);

}  // namespace astro::pipeline
