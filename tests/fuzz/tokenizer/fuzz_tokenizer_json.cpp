// Fuzz target: the input bytes are a tokenizer.json. Loading may only succeed or throw
// astro::Error; a tokenizer that loads must also encode and decode a fixed text without crashing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/base/error.h"
#include "core/tokenizer/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  try {
    auto tokenizer = astro::tokenizer::Tokenizer::fromJsonText(json);
    auto ids = tokenizer.encode("The answer is 42.  <|eot_id|> caf\xC3\xA9 \xFF\n\n  x");
    tokenizer.decode(ids, true);
    tokenizer.stopIds();
  } catch (const astro::Error&) {
    // Refusing a malformed file with a named error is the expected outcome.
  }
  return 0;
}
