// SHA-256 (FIPS 180-4) for content hashes of datasets, configs, checkpoints and artifacts.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace astro {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  std::array<std::uint8_t, 32> finish();
  std::string finishHex();

 private:
  void compressBlock(const std::uint8_t* block);
  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t bufferSize_ = 0;
  std::uint64_t totalBytes_ = 0;
};

std::string sha256Hex(std::string_view bytes);
// Streams the file; throws IoError naming the path when it cannot be read.
std::string sha256FileHex(const std::filesystem::path& path);

}  // namespace astro
