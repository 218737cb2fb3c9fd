// An SFT response tokenized with its loss mask (core/search/loss_mask.h): which response tokens
// are trained when byte ranges of the content carry no loss.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/search/loss_mask.h"

namespace astro::tokenizer {
class Tokenizer;
}

namespace astro::train {

struct MaskedResponse {
  std::vector<std::int32_t> ids;
  std::vector<std::uint8_t> trained;  // 1: the token gets loss; 0: it is masked
};

// Tokenizes `content` whole (as without a mask, so masking changes no token) and masks every
// token with at least one byte in a masked range: a token that straddles a range boundary is
// masked, since training it would teach the masked bytes too. Token bytes come from decoding each
// token; where they do not spell `content` (a normalizer rewrote it), the content is instead
// tokenized piece by piece at the range boundaries. `masked` must be sorted and disjoint.
MaskedResponse tokenizeResponse(const tokenizer::Tokenizer& tokenizer, std::string_view content,
                                const std::vector<search::ByteRange>& masked);

}  // namespace astro::train
