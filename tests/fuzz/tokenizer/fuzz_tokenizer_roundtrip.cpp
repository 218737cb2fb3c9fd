// Fuzz target: any bytes encoded with the tiny fixture tokenizer decode back to the same bytes
// (special-token strings, invalid UTF-8 and whitespace runs included); aborts otherwise. The
// fixture's lstrip token is made plain: swallowing the spaces before it is lossy by design.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "core/tokenizer/tokenizer.h"

namespace {
astro::tokenizer::Tokenizer losslessTinyTokenizer() {
  std::ifstream in(ASTRO_TINY_TOKENIZER);
  std::stringstream text;
  text << in.rdbuf();
  auto json = nlohmann::json::parse(text.str());
  for (auto& token : json["added_tokens"]) token["lstrip"] = token["rstrip"] = false;
  return astro::tokenizer::Tokenizer::fromJsonText(json.dump());
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto tokenizer = losslessTinyTokenizer();
  std::string text(reinterpret_cast<const char*>(data), size);
  auto ids = tokenizer.encode(text);
  for (auto id : ids) {
    if (id < 0 || id >= tokenizer.vocabSize()) std::abort();
  }
  if (tokenizer.decode(ids) != text) {
    std::fprintf(stderr, "round trip changed a %zu-byte input\n", size);
    std::abort();
  }
  return 0;
}
