// The safetensors file format (https://github.com/huggingface/safetensors) without libtorch: an
// mmap-backed reader that validates the header against the file before any byte is trusted, and
// an atomic writer producing files that transformers, vLLM and the safetensors library load.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace astro::model {

enum class DType { kF32, kF16, kBF16, kF64, kI64, kI32, kI16, kI8, kU8, kBool };

std::string_view dtypeName(DType dtype);  // "F32", "BF16", ... as safetensors spells them
std::size_t dtypeSize(DType dtype);

struct TensorInfo {
  std::string name;
  DType dtype = DType::kF32;
  std::vector<int64_t> shape;
  uint64_t begin = 0;  // byte offsets into the data section (after the header)
  uint64_t end = 0;
  int64_t elementCount() const;
};

struct SafetensorsHeader {
  std::vector<TensorInfo> tensors;  // in header order
  std::map<std::string, std::string> metadata;
  uint64_t dataStart = 0;  // 8 + header length: where offsets count from
};

// Parses and validates the first bytes of a file of `fileSize` bytes (`bytes` may be the whole file
// or at least its header). Throws ParseError naming `source` and the tensor at fault: header length
// past the end, bad JSON, unknown dtype, shape/byte-count mismatch, offsets out of range or
// overlapping, sizes that overflow.
SafetensorsHeader parseSafetensorsHeader(std::span<const std::byte> bytes, uint64_t fileSize,
                                         const std::string& source);

// A read-only memory map of one .safetensors file; tensor bytes are views into it.
class SafetensorsFile {
 public:
  explicit SafetensorsFile(const std::filesystem::path& path);
  ~SafetensorsFile();
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  const SafetensorsHeader& header() const { return header_; }
  const TensorInfo* find(const std::string& name) const;  // nullptr when absent
  std::span<const std::byte> data(const TensorInfo& tensor) const;

 private:
  std::filesystem::path path_;
  const std::byte* mapped_ = nullptr;
  std::size_t mappedSize_ = 0;
  SafetensorsHeader header_;
  std::map<std::string, std::size_t> index_;
};

struct TensorToWrite {
  std::string name;
  DType dtype = DType::kF32;
  std::vector<int64_t> shape;
  std::span<const std::byte> bytes;  // exactly elementCount * dtypeSize bytes, little-endian
};

// Writes tensors in the given order with an 8-byte-aligned header; replaces `path` atomically.
void writeSafetensors(const std::filesystem::path& path, const std::vector<TensorToWrite>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

}  // namespace astro::model
