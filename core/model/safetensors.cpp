#include "core/model/safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/base/error.h"

namespace astro::model {

namespace {

using nlohmann::json;

// The reference implementation refuses headers above 100 MB; so do we, before allocating.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;
constexpr int64_t kMaxElements = int64_t(1) << 48;

struct DTypeEntry {
  DType dtype;
  std::string_view name;
  std::size_t size;
};
constexpr DTypeEntry kDTypes[] = {
    {DType::kF32, "F32", 4},   {DType::kF16, "F16", 2}, {DType::kBF16, "BF16", 2},
    {DType::kF64, "F64", 8},   {DType::kI64, "I64", 8}, {DType::kI32, "I32", 4},
    {DType::kI16, "I16", 2},   {DType::kI8, "I8", 1},   {DType::kU8, "U8", 1},
    {DType::kBool, "BOOL", 1},
};

[[noreturn]] void fail(const std::string& source, const std::string& tensor,
                       const std::string& what) {
  throw ParseError(source, 0, tensor.empty() ? "" : "tensor " + tensor, what);
}

uint64_t readLittleEndian64(std::span<const std::byte> bytes) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | uint64_t(bytes[std::size_t(i)]);
  return value;
}

TensorInfo parseTensorEntry(const std::string& name, const json& entry, uint64_t dataSize,
                            const std::string& source) {
  if (!entry.is_object()) fail(source, name, "entry is not an object");
  TensorInfo tensor;
  tensor.name = name;
  auto dtype = entry.find("dtype");
  if (dtype == entry.end() || !dtype->is_string()) fail(source, name, "missing string 'dtype'");
  auto known = std::find_if(std::begin(kDTypes), std::end(kDTypes), [&](const DTypeEntry& e) {
    return e.name == dtype->get<std::string>();
  });
  if (known == std::end(kDTypes)) fail(source, name, "unknown dtype " + dtype->dump());
  tensor.dtype = known->dtype;

  auto shape = entry.find("shape");
  if (shape == entry.end() || !shape->is_array()) fail(source, name, "missing array 'shape'");
  int64_t elements = 1;
  for (const json& dim : *shape) {
    if (!dim.is_number_unsigned()) fail(source, name, "bad dimension in shape " + shape->dump());
    uint64_t size = dim.get<uint64_t>();
    if (size > uint64_t(kMaxElements) || (size > 0 && elements > kMaxElements / int64_t(size))) {
      fail(source, name, "shape " + shape->dump() + " is impossibly large");
    }
    elements *= int64_t(size);
    tensor.shape.push_back(int64_t(size));
  }

  auto offsets = entry.find("data_offsets");
  if (offsets == entry.end() || !offsets->is_array() || offsets->size() != 2 ||
      !(*offsets)[0].is_number_unsigned() || !(*offsets)[1].is_number_unsigned()) {
    fail(source, name, "'data_offsets' must be two non-negative integers");
  }
  tensor.begin = (*offsets)[0].get<uint64_t>();
  tensor.end = (*offsets)[1].get<uint64_t>();
  if (tensor.begin > tensor.end)
    fail(source, name, "data_offsets " + offsets->dump() + " reversed");
  if (tensor.end > dataSize) {
    fail(source, name,
         "data_offsets " + offsets->dump() + " run past the data section (" +
             std::to_string(dataSize) + " bytes)");
  }
  uint64_t expected = uint64_t(elements) * known->size;
  if (tensor.end - tensor.begin != expected) {
    fail(source, name,
         "holds " + std::to_string(tensor.end - tensor.begin) + " bytes but " +
             std::string(known->name) + " " + shape->dump() + " needs " + std::to_string(expected));
  }
  return tensor;
}

}  // namespace

std::string_view dtypeName(DType dtype) {
  for (const auto& entry : kDTypes) {
    if (entry.dtype == dtype) return entry.name;
  }
  return "F32";
}

std::size_t dtypeSize(DType dtype) {
  for (const auto& entry : kDTypes) {
    if (entry.dtype == dtype) return entry.size;
  }
  return 4;
}

int64_t TensorInfo::elementCount() const {
  int64_t count = 1;
  for (int64_t dim : shape) count *= dim;
  return count;
}

SafetensorsHeader parseSafetensorsHeader(std::span<const std::byte> bytes, uint64_t fileSize,
                                         const std::string& source) {
  if (fileSize < 8 || bytes.size() < 8) {
    fail(source, "",
         "file is " + std::to_string(fileSize) + " bytes, too short for the 8-byte header length");
  }
  uint64_t headerSize = readLittleEndian64(bytes.first(8));
  if (headerSize > fileSize - 8) {
    fail(source, "",
         "header length " + std::to_string(headerSize) + " runs past the end of the file (" +
             std::to_string(fileSize) + " bytes)");
  }
  if (headerSize > kMaxHeaderBytes) {
    fail(source, "", "header length " + std::to_string(headerSize) + " exceeds 100 MB");
  }
  if (bytes.size() < 8 + headerSize) fail(source, "", "header not fully read");
  auto headerBytes = bytes.subspan(8, headerSize);
  json object = json::parse(reinterpret_cast<const char*>(headerBytes.data()),
                            reinterpret_cast<const char*>(headerBytes.data()) + headerBytes.size(),
                            nullptr, false);
  if (object.is_discarded() || !object.is_object()) fail(source, "", "header is not a JSON object");

  SafetensorsHeader header;
  header.dataStart = 8 + headerSize;
  uint64_t dataSize = fileSize - header.dataStart;
  for (const auto& [name, entry] : object.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) fail(source, "", "__metadata__ is not an object");
      for (const auto& [key, value] : entry.items()) {
        if (!value.is_string())
          fail(source, "", "__metadata__ value of '" + key + "' not a string");
        header.metadata[key] = value.get<std::string>();
      }
      continue;
    }
    header.tensors.push_back(parseTensorEntry(name, entry, dataSize, source));
  }

  std::vector<const TensorInfo*> byOffset;
  for (const auto& tensor : header.tensors) {
    if (tensor.end > tensor.begin) byOffset.push_back(&tensor);
  }
  std::sort(byOffset.begin(), byOffset.end(),
            [](const TensorInfo* a, const TensorInfo* b) { return a->begin < b->begin; });
  for (std::size_t i = 1; i < byOffset.size(); ++i) {
    if (byOffset[i]->begin < byOffset[i - 1]->end) {
      fail(source, byOffset[i]->name, "bytes overlap those of tensor " + byOffset[i - 1]->name);
    }
  }
  return header;
}

SafetensorsFile::SafetensorsFile(const std::filesystem::path& path) : path_(path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw IoError(path.string(), "open", errno);
  struct stat status {};
  if (::fstat(fd, &status) != 0) {
    int error = errno;
    ::close(fd);
    throw IoError(path.string(), "stat", error);
  }
  mappedSize_ = std::size_t(status.st_size);
  if (mappedSize_ > 0) {
    void* address = ::mmap(nullptr, mappedSize_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (address == MAP_FAILED) {
      int error = errno;
      ::close(fd);
      throw IoError(path.string(), "mmap", error);
    }
    mapped_ = static_cast<const std::byte*>(address);
  }
  ::close(fd);  // the mapping stays valid without the descriptor
  try {
    header_ = parseSafetensorsHeader({mapped_, mappedSize_}, mappedSize_, path.string());
  } catch (...) {
    if (mapped_) ::munmap(const_cast<std::byte*>(mapped_), mappedSize_);
    throw;
  }
  for (std::size_t i = 0; i < header_.tensors.size(); ++i) index_[header_.tensors[i].name] = i;
}

SafetensorsFile::~SafetensorsFile() {
  if (mapped_) ::munmap(const_cast<std::byte*>(mapped_), mappedSize_);
}

const TensorInfo* SafetensorsFile::find(const std::string& name) const {
  auto found = index_.find(name);
  return found == index_.end() ? nullptr : &header_.tensors[found->second];
}

std::span<const std::byte> SafetensorsFile::data(const TensorInfo& tensor) const {
  return {mapped_ + header_.dataStart + tensor.begin, std::size_t(tensor.end - tensor.begin)};
}

void writeSafetensors(const std::filesystem::path& path, const std::vector<TensorToWrite>& tensors,
                      const std::map<std::string, std::string>& metadata) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  uint64_t offset = 0;
  for (const auto& tensor : tensors) {
    int64_t elements = 1;
    for (int64_t dim : tensor.shape) elements *= dim;
    uint64_t size = uint64_t(elements) * dtypeSize(tensor.dtype);
    if (size != tensor.bytes.size()) {
      throw Error(path.string() + ": tensor " + tensor.name + ": has " +
                  std::to_string(tensor.bytes.size()) + " bytes, shape needs " +
                  std::to_string(size));
    }
    header[tensor.name] = {{"dtype", dtypeName(tensor.dtype)},
                           {"shape", tensor.shape},
                           {"data_offsets", {offset, offset + size}}};
    offset += size;
  }
  std::string headerText = header.dump();
  headerText.append((8 - headerText.size() % 8) % 8, ' ');  // data starts 8-byte aligned
  std::string prefix(8, '\0');
  for (int i = 0; i < 8; ++i) prefix[std::size_t(i)] = char((headerText.size() >> (8 * i)) & 0xff);
  writeFileAtomically(path, [&](int fd) {
    writeAll(fd, prefix.data(), prefix.size(), path);
    writeAll(fd, headerText.data(), headerText.size(), path);
    for (const auto& tensor : tensors) writeAll(fd, tensor.bytes.data(), tensor.bytes.size(), path);
  });
}

}  // namespace astro::model
