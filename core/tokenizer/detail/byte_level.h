// GPT-2's byte-level alphabet (bytes_to_unicode): each of the 256 byte values is written as one
// printable Unicode character, so BPE vocabularies can hold any byte sequence as text.
#pragma once

#include <string>
#include <string_view>

namespace astro::tokenizer::detail {

// The UTF-8 text of the character that stands for `byte` ("Ġ" for 0x20).
const std::string& byteLevelChar(unsigned char byte);

// Byte-level text for raw bytes ("Ġthe" for " the").
std::string bytesToByteLevel(std::string_view bytes);

// Raw bytes for byte-level text. Characters outside the alphabet (and bytes that are not UTF-8)
// are kept as they are, so vocabulary entries written in plain text still decode sensibly.
// Returns false when such characters were found.
bool byteLevelToBytes(std::string_view text, std::string& bytes);

}  // namespace astro::tokenizer::detail
