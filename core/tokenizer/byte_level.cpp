// GPT-2 bytes_to_unicode: printable Latin-1 bytes stand for themselves, the other 68 bytes are
// shifted to U+0100.. in byte order.
#include "core/tokenizer/detail/byte_level.h"

#include <array>
#include <cstdint>

namespace astro::tokenizer::detail {

namespace {

void appendUtf8(std::uint32_t codePoint, std::string& out) {
  if (codePoint < 0x80) {
    out += char(codePoint);
  } else if (codePoint < 0x800) {
    out += char(0xC0 | (codePoint >> 6));
    out += char(0x80 | (codePoint & 0x3F));
  } else {
    out += char(0xE0 | (codePoint >> 12));
    out += char(0x80 | ((codePoint >> 6) & 0x3F));
    out += char(0x80 | (codePoint & 0x3F));
  }
}

struct ByteLevelAlphabet {
  std::array<std::string, 256> charOfByte;
  std::array<int, 324> byteOfCodePoint;  // -1 where the code point is not in the alphabet

  ByteLevelAlphabet() {
    byteOfCodePoint.fill(-1);
    int shifted = 0;
    for (int byte = 0; byte < 256; ++byte) {
      bool printable = (byte >= '!' && byte <= '~') || (byte >= 0xA1 && byte <= 0xAC) ||
                       (byte >= 0xAE && byte <= 0xFF);
      std::uint32_t codePoint = printable ? std::uint32_t(byte) : std::uint32_t(256 + shifted++);
      appendUtf8(codePoint, charOfByte[byte]);
      byteOfCodePoint[codePoint] = byte;
    }
  }
};

const ByteLevelAlphabet& alphabet() {
  static const ByteLevelAlphabet instance;
  return instance;
}

}  // namespace

const std::string& byteLevelChar(unsigned char byte) { return alphabet().charOfByte[byte]; }

std::string bytesToByteLevel(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) out += alphabet().charOfByte[byte];
  return out;
}

bool byteLevelToBytes(std::string_view text, std::string& bytes) {
  const auto& table = alphabet().byteOfCodePoint;
  bool allInAlphabet = true;
  std::size_t i = 0;
  while (i < text.size()) {
    auto lead = static_cast<unsigned char>(text[i]);
    // The alphabet spans U+0021..U+0143: one- and two-byte UTF-8 only.
    if (lead < 0x80) {
      if (table[lead] >= 0) {
        bytes += char(table[lead]);
      } else {
        bytes += char(lead);
        allInAlphabet = false;
      }
      ++i;
      continue;
    }
    if ((lead & 0xE0) == 0xC0 && i + 1 < text.size() &&
        (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
      std::uint32_t codePoint =
          ((lead & 0x1F) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3F);
      if (codePoint < table.size() && table[codePoint] >= 0) {
        bytes += char(table[codePoint]);
        i += 2;
        continue;
      }
    }
    bytes += char(lead);
    allInAlphabet = false;
    ++i;
  }
  return allInAlphabet;
}

}  // namespace astro::tokenizer::detail
