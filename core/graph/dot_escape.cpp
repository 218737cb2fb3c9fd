#include "core/graph/dot_escape.h"

#include <cstdint>

namespace astro::graph {

namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 when the bytes there are invalid.
std::size_t utf8SequenceLength(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  std::uint8_t lead = byte(i);
  std::size_t length = lead < 0x80           ? 1
                       : (lead >> 5) == 0x6  ? 2
                       : (lead >> 4) == 0xE  ? 3
                       : (lead >> 3) == 0x1E ? 4
                                             : 0;
  if (length == 0 || i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  if (length == 2 && lead < 0xC2) return 0;  // overlong
  if (length == 3 && lead == 0xE0 && byte(i + 1) < 0xA0) return 0;
  if (length == 3 && lead == 0xED && byte(i + 1) >= 0xA0) return 0;  // surrogates
  if (length == 4 && (lead > 0xF4 || (lead == 0xF0 && byte(i + 1) < 0x90) ||
                      (lead == 0xF4 && byte(i + 1) >= 0x90))) {
    return 0;
  }
  return length;
}

}  // namespace

std::string escapeLabel(std::string_view text, std::size_t maxCharacters) {
  std::string escaped;
  escaped.reserve(text.size() + 16);
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (maxCharacters > 0 && characters == maxCharacters) {
      escaped += "...";
      break;
    }
    ++characters;
    char c = text[i];
    std::size_t length = utf8SequenceLength(text, i);
    if (length == 0) {
      escaped += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not UTF-8
      ++i;
      continue;
    }
    if (length > 1) {
      escaped.append(text.substr(i, length));
      i += length;
      continue;
    }
    ++i;
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      // Never emit a backslash: in DOT, "\\" before a closing quote reads as an escaped quote.
      // Graphviz decodes entities before its own escapes, so the pair decodes to "\\" -> "\".
      case '\\':
        escaped += "&#92;&#92;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '{':
        escaped += "&#123;";
        break;
      case '}':
        escaped += "&#125;";
        break;
      case '|':
        escaped += "&#124;";
        break;
      case '\n':
        escaped += "\\n";
        break;
      case '\r':
        break;
      default:
        escaped += static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? ' ' : c;
    }
  }
  return escaped;
}

std::string quotedLabel(std::string_view text, std::size_t maxCharacters) {
  return "\"" + escapeLabel(text, maxCharacters) + "\"";
}

}  // namespace astro::graph
