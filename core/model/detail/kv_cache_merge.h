// Joining KV caches for continuous batching (decode_engine.cpp): the rows of a running batch and
// the rows of a newly prefilled one become one cache, every row right-aligned at the same length
// so one decode step serves them all.
#pragma once

#include <cstdint>
#include <vector>

#include "core/model/detail/llama_module.h"

namespace astro::model::detail {

// A new cache holding rows `runningRows` of `running` (in that order), then every row of
// `joining`. Each row keeps its filled slots and padding in order, right-aligned at the new
// length; slots before a row's first filled slot are padding (key bias the float minimum, keys and
// values zero, since masked scores still multiply their values on some paths). Leading slots that
// no kept row fills are dropped, so the length stays bounded by the longest live row instead of
// growing with the engine's uptime. Capacity: the new length + `freeSlots`. `running` may be
// empty (no keys) or have no rows kept; `joining` may have no rows. Neither may have a shared
// prefix (KvCache::prefix): throws Error.
KvCache mergeKvCaches(const KvCache& running, const std::vector<int64_t>& runningRows,
                      const KvCache& joining, int64_t freeSlots);

// The same rows with their shared prefix copied into their own slots (KvCache::prefix gone), so
// the cache can be merged: the engine decodes a lone admission with a shared prefix, as generate
// does, and flattens it only when another admission joins. A cache without one is returned as is.
KvCache withoutSharedPrefix(const KvCache& cache);

}  // namespace astro::model::detail
