// Keeping finished rows of a KV cache in the prefix store (detail/prefix_store.h), for generate
// (generate.cpp) and the continuous-batching engine (detail/decode_batch.cpp): a row's prompt and
// the tokens it generated, with their keys and values, so that a later prompt starting the same
// way prefills only what follows.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/model/detail/kv_cache.h"
#include "core/model/detail/prefix_store.h"

namespace astro::model::detail {

// Per group of a cache's shared prefix, its prompt as a stored sequence (made when the group's
// first row is stored), which the stored sequences of the group's rows start with.
using PrefixHeads = std::vector<std::shared_ptr<const StoredSequence>>;

// Keeps finished cache rows `rows` (tokens[i]: row i's prompt and the generated tokens fed so far,
// all but the newest) in `store`. The filled slots of all rows are gathered by one indexing op per
// layer; the stored sequences are views of that gather. A row whose filled slots do not match its
// tokens in number is skipped. For caches without a shared prefix (KvCache::prefix).
void storeRows(const KvCache& cache, const std::vector<int64_t>& rows,
               std::vector<std::vector<int32_t>> tokens, PrefixStore& store, int64_t budgetBytes);

// storeRows for a cache with a shared prefix: each row's sequence is its group's head (the prompt,
// made once per group in `heads`) and views of the row's own slots, so storing copies no keys or
// values.
void storeSharedPrefixRows(const KvCache& cache, const std::vector<int64_t>& rows,
                           std::vector<std::vector<int32_t>> tokens, PrefixHeads& heads,
                           PrefixStore& store, int64_t budgetBytes);

}  // namespace astro::model::detail
