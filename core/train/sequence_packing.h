// Packs tokenized examples into rows for training. Several sequences may share a row;
// each keeps its own positions and sequence id, so attention stays inside each sequence, and the
// targets mark only response tokens (next-token prediction within the same sequence).
#pragma once

#include <cstdint>
#include <vector>

#include "core/train/sft_data.h"

namespace astro::train {

inline constexpr std::int32_t kIgnoreTarget = -100;

struct PackedBatch {
  int rows = 0;
  int columns = 0;
  std::vector<std::int32_t> inputIds;     // [rows, columns], padding id 0
  std::vector<std::int32_t> positionIds;  // [rows, columns], restart at 0 for each sequence
  std::vector<std::int32_t> sequenceIds;  // [rows, columns], 1.. per sequence in a row, 0 = pad
  std::vector<std::int32_t> targetIds;    // [rows, columns], next token or kIgnoreTarget
  std::int64_t trainedTokens = 0;         // targets that are not kIgnoreTarget
  std::vector<std::size_t> exampleIndices;
};

struct PackingOptions {
  int rowLength = 8192;  // most tokens per row (>= the longest example); a batch's rows are as
                         // wide as its fullest row
  int rowsPerBatch = 1;
  bool pack = true;  // false: one example per row, rows as wide as the batch's longest example
};

// The SFT trainer's example order for one epoch: a seeded shuffle, reproducible on resume (and by
// benchmarks that replay the trainer's exact batches).
std::vector<std::size_t> epochExampleOrder(std::size_t count, std::uint64_t seed, int epoch);

// Batches `examples` in the order given by `order` (indices into examples).
std::vector<PackedBatch> packExamples(const std::vector<SftExample>& examples,
                                      const std::vector<std::size_t>& order,
                                      const PackingOptions& options);

}  // namespace astro::train
