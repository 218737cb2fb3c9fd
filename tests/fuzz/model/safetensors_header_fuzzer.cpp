// Fuzz target: the safetensors header parser on arbitrary bytes must return or throw
// astro::Error, never crash, hang or allocate what the header merely claims.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/base/error.h"
#include "core/model/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto bytes = std::as_bytes(std::span(data, size));
  try {
    auto header = astro::model::parseSafetensorsHeader(bytes, size, "fuzz.safetensors");
    for (const auto& tensor : header.tensors) {
      // Validated offsets must lie inside the input.
      if (header.dataStart + tensor.end > size) __builtin_trap();
    }
  } catch (const astro::Error&) {
  }
  return 0;
}
