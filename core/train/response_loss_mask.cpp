// tokenizeResponse: token byte offsets from decoding, or piecewise tokenization as the fallback.
#include "core/train/response_loss_mask.h"

#include <optional>
#include <span>

#include "core/tokenizer/tokenizer.h"

namespace astro::train {

namespace {

// [begin, end) of every token in `content`, or nullopt when the decoded tokens do not spell it.
std::optional<std::vector<search::ByteRange>> tokenBytes(const tokenizer::Tokenizer& tokenizer,
                                                         std::string_view content,
                                                         const std::vector<std::int32_t>& ids) {
  std::vector<search::ByteRange> spans;
  spans.reserve(ids.size());
  std::size_t position = 0;
  for (const std::int32_t& id : ids) {
    const std::string bytes = tokenizer.decode(std::span<const std::int32_t>(&id, 1));
    if (content.substr(position, bytes.size()) != bytes) return std::nullopt;
    spans.push_back({.begin = position, .end = position + bytes.size()});
    position += bytes.size();
  }
  if (position != content.size()) return std::nullopt;
  return spans;
}

// Each piece between range boundaries tokenized on its own; its tokens trained unless masked.
MaskedResponse tokenizePiecewise(const tokenizer::Tokenizer& tokenizer, std::string_view content,
                                 const std::vector<search::ByteRange>& masked) {
  MaskedResponse response;
  auto append = [&](std::size_t begin, std::size_t end, bool trained) {
    if (begin == end) return;
    const auto ids = tokenizer.encode(content.substr(begin, end - begin));
    response.ids.insert(response.ids.end(), ids.begin(), ids.end());
    response.trained.insert(response.trained.end(), ids.size(), trained ? 1 : 0);
  };
  std::size_t position = 0;
  for (const search::ByteRange& range : masked) {
    append(position, range.begin, true);
    append(range.begin, range.end, false);
    position = range.end;
  }
  append(position, content.size(), true);
  return response;
}

}  // namespace

MaskedResponse tokenizeResponse(const tokenizer::Tokenizer& tokenizer, std::string_view content,
                                const std::vector<search::ByteRange>& masked) {
  MaskedResponse response{.ids = tokenizer.encode(content)};
  response.trained.assign(response.ids.size(), 1);
  if (masked.empty()) return response;
  const auto spans = tokenBytes(tokenizer, content, response.ids);
  if (!spans) return tokenizePiecewise(tokenizer, content, masked);
  // Both lists are in byte order: one sweep. A token overlaps a range when each starts before the
  // other ends.
  std::size_t next = 0;
  for (std::size_t t = 0; t < spans->size(); ++t) {
    const search::ByteRange& token = (*spans)[t];
    while (next < masked.size() && masked[next].end <= token.begin) ++next;
    if (next < masked.size() && masked[next].begin < token.end) response.trained[t] = 0;
  }
  return response;
}

}  // namespace astro::train
