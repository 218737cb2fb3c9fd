// The prefix store (detail/prefix_store.h): a flat list scanned per lookup, which is cheap next to
// the prefill it saves (a few hundred sequences of a few hundred tokens).
#include "core/model/detail/prefix_store.h"

#include <algorithm>

namespace astro::model::detail {

namespace {

int64_t commonPrefix(std::span<const int32_t> a, std::span<const int32_t> b) {
  auto [first, second] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  return int64_t(first - a.begin());
}

}  // namespace

int64_t StoredSequence::bytes() const {
  int64_t total = int64_t(tokens.size() * sizeof(int32_t));
  for (const auto& tensor : keys) total += tensor.numel() * tensor.element_size();
  for (const auto& tensor : values) total += tensor.numel() * tensor.element_size();
  return total + (head ? head->bytes() : 0);
}

void StoredSequence::copyTo(std::size_t layer, int64_t length, const torch::Tensor& keysOut,
                            const torch::Tensor& valuesOut) const {
  int64_t fromHead = head ? std::min(length, headLength) : 0;
  if (fromHead > 0) {
    head->copyTo(layer, fromHead, keysOut.narrow(0, 0, fromHead), valuesOut.narrow(0, 0, fromHead));
  }
  if (int64_t own = length - fromHead; own > 0) {
    keysOut.narrow(0, fromHead, own).copy_(keys[layer].narrow(0, 0, own));
    valuesOut.narrow(0, fromHead, own).copy_(values[layer].narrow(0, 0, own));
  }
}

namespace {

bool fitsTokenCopy(const torch::Tensor& tensor) {
  return tensor.device().is_cpu() && tensor.scalar_type() == torch::kFloat32 && tensor.dim() == 3 &&
         tensor.stride(2) == 1;
}

// Tokens [0, length) of `from` ([tokens, heads, dim]) into `to`.
void copyTokenRows(const torch::Tensor& from, int64_t length, TokenSlots to) {
  const int64_t heads = from.size(1), dim = from.size(2);
  const float* source = from.data_ptr<float>();
  for (int64_t token = 0; token < length; ++token) {
    for (int64_t head = 0; head < heads; ++head) {
      std::copy_n(source + token * from.stride(0) + head * from.stride(1), dim,
                  to.data + token * to.tokenStride + head * to.headStride);
    }
  }
}

}  // namespace

bool copyTokens(const StoredSequence& sequence, std::size_t layer, int64_t length,
                TokenSlots keysOut, TokenSlots valuesOut) {
  // Check the whole chain first, so a refusal copies nothing.
  for (const StoredSequence* link = &sequence; link; link = link->head.get()) {
    if (!fitsTokenCopy(link->keys[layer]) || !fitsTokenCopy(link->values[layer])) return false;
  }
  int64_t fromHead = sequence.head ? std::min(length, sequence.headLength) : 0;
  if (fromHead > 0) copyTokens(*sequence.head, layer, fromHead, keysOut, valuesOut);
  if (int64_t own = length - fromHead; own > 0) {
    auto shift = [&](TokenSlots slots) {
      return TokenSlots{slots.data + fromHead * slots.tokenStride, slots.tokenStride,
                        slots.headStride};
    };
    copyTokenRows(sequence.keys[layer], own, shift(keysOut));
    copyTokenRows(sequence.values[layer], own, shift(valuesOut));
  }
  return true;
}

PrefixMatch PrefixStore::longestMatch(std::span<const int32_t> tokens, int64_t limit) {
  std::lock_guard lock(mutex_);
  PrefixMatch best;
  std::shared_ptr<StoredSequence> bestSequence;
  for (const auto& sequence : sequences_) {
    int64_t length = std::min(limit, commonPrefix(tokens, sequence->tokens));
    if (length > best.length) {
      best.length = length;
      bestSequence = sequence;
    }
  }
  if (bestSequence) {
    bestSequence->lastUse = ++clock_;
    best.sequence = bestSequence;
  }
  return best;
}

void PrefixStore::insert(StoredSequence sequence, int64_t budgetBytes) {
  std::lock_guard lock(mutex_);
  const std::span<const int32_t> tokens = sequence.tokens;
  for (auto it = sequences_.begin(); it != sequences_.end();) {
    const auto& stored = (*it)->tokens;
    int64_t common = commonPrefix(tokens, stored);
    if (common == int64_t(tokens.size())) {
      (*it)->lastUse = ++clock_;  // already held (as itself or as the start of a longer one)
      return;
    }
    if (common == int64_t(stored.size())) {
      bytes_ -= (*it)->bytes();
      it = sequences_.erase(it);
    } else {
      ++it;
    }
  }
  sequence.lastUse = ++clock_;
  bytes_ += sequence.bytes();
  sequences_.push_back(std::make_shared<StoredSequence>(std::move(sequence)));
  while (bytes_ > budgetBytes && !sequences_.empty()) {
    auto oldest =
        std::min_element(sequences_.begin(), sequences_.end(),
                         [](const auto& a, const auto& b) { return a->lastUse < b->lastUse; });
    bytes_ -= (*oldest)->bytes();
    sequences_.erase(oldest);
  }
}

int64_t PrefixStore::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::size_t PrefixStore::size() const {
  std::lock_guard lock(mutex_);
  return sequences_.size();
}

}  // namespace astro::model::detail
