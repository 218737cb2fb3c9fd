// Unicode NFC normalization (tokenizer.json "normalizer": {"type": "NFC"}, used by Qwen), through
// ICU. Bytes that are not UTF-8 pass through unchanged so encoding stays lossless.
#pragma once

#include <string>
#include <string_view>

namespace astro::tokenizer::detail {

// Returns `text` itself when it is already NFC (always for ASCII), else a view of `storage`
// holding the normalized text.
std::string_view normalizeNfc(std::string_view text, std::string& storage);

}  // namespace astro::tokenizer::detail
