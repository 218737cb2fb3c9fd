// NFC through ICU's Normalizer2 on each well-formed UTF-8 run; ASCII is NFC already, which makes
// the common case a byte scan.
#include "core/tokenizer/detail/nfc_normalizer.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>

#include "core/base/error.h"

namespace astro::tokenizer::detail {

namespace {

// Length of the well-formed UTF-8 character at `text[i]`, or 0 when it is malformed.
std::size_t utf8CharLength(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
  if (length == 0 || lead > 0xF4 || i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  unsigned char second = byte(i + 1);
  if (lead == 0xE0 && second < 0xA0) return 0;   // overlong
  if (lead == 0xED && second >= 0xA0) return 0;  // surrogate
  if (lead == 0xF0 && second < 0x90) return 0;   // overlong
  if (lead == 0xF4 && second >= 0x90) return 0;  // above U+10FFFF
  return length;
}

const icu::Normalizer2& nfc() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* instance = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status) || !instance) {
    throw Error(std::string("cannot load ICU's NFC data: ") + u_errorName(status));
  }
  return *instance;
}

void appendNormalized(std::string_view run, std::string& out) {
  static const icu::Normalizer2& normalizer = nfc();
  UErrorCode status = U_ZERO_ERROR;
  icu::StringByteSink<std::string> sink(&out);
  normalizer.normalizeUTF8(0, icu::StringPiece(run.data(), std::int32_t(run.size())), sink, nullptr,
                           status);
  if (U_FAILURE(status))
    throw Error(std::string("NFC normalization failed: ") + u_errorName(status));
}

}  // namespace

std::string_view normalizeNfc(std::string_view text, std::string& storage) {
  bool ascii = true;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return text;
  storage.clear();
  std::size_t runBegin = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t length = utf8CharLength(text, i);
    if (length > 0) {
      i += length;
      continue;
    }
    appendNormalized(text.substr(runBegin, i - runBegin), storage);
    storage += text[i];
    runBegin = ++i;
  }
  appendNormalized(text.substr(runBegin), storage);
  return storage;
}

}  // namespace astro::tokenizer::detail
