#include "core/train/sequence_packing.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "core/base/error.h"

namespace astro::train {

std::vector<std::size_t> epochExampleOrder(std::size_t count, std::uint64_t seed, int epoch) {
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 random(seed * 1000003ULL + std::uint64_t(epoch));
  std::shuffle(order.begin(), order.end(), random);
  return order;
}

namespace {

struct Row {
  std::vector<std::size_t> examples;
  int used = 0;
};

// Greedy in order: a sequence goes into the current row when it fits, else opens a new row.
std::vector<Row> assignRows(const std::vector<SftExample>& examples,
                            const std::vector<std::size_t>& order, const PackingOptions& options) {
  std::vector<Row> rows;
  for (std::size_t index : order) {
    int length = int(examples.at(index).ids.size());
    if (length > options.rowLength) {
      throw Error("example from line " + std::to_string(examples[index].sourceLine) + " has " +
                  std::to_string(length) + " tokens, more than the row length " +
                  std::to_string(options.rowLength));
    }
    if (!options.pack || rows.empty() || rows.back().used + length > options.rowLength) {
      rows.push_back({});
    }
    rows.back().examples.push_back(index);
    rows.back().used += length;
  }
  return rows;
}

PackedBatch fillBatch(const std::vector<SftExample>& examples, const std::vector<Row>& rows,
                      std::size_t first, std::size_t last) {
  PackedBatch batch;
  batch.rows = int(last - first);
  // As wide as the batch's fullest row, packed or not: columns past it would be padding that
  // every layer and the attention (quadratic in the width) would still pay for.
  batch.columns = 0;
  for (std::size_t r = first; r < last; ++r) batch.columns = std::max(batch.columns, rows[r].used);
  std::size_t cells = std::size_t(batch.rows) * std::size_t(batch.columns);
  batch.inputIds.assign(cells, 0);
  batch.positionIds.assign(cells, 0);
  batch.sequenceIds.assign(cells, 0);
  batch.targetIds.assign(cells, kIgnoreTarget);
  for (std::size_t r = first; r < last; ++r) {
    std::size_t offset = (r - first) * std::size_t(batch.columns);
    int sequenceId = 0;
    for (std::size_t index : rows[r].examples) {
      const SftExample& example = examples[index];
      ++sequenceId;
      batch.exampleIndices.push_back(index);
      for (std::size_t t = 0; t < example.ids.size(); ++t) {
        batch.inputIds[offset + t] = example.ids[t];
        batch.positionIds[offset + t] = std::int32_t(t);
        batch.sequenceIds[offset + t] = sequenceId;
        if (t + 1 < example.ids.size() && example.isResponse[t + 1]) {
          batch.targetIds[offset + t] = example.ids[t + 1];
          ++batch.trainedTokens;
        }
      }
      offset += example.ids.size();
    }
  }
  return batch;
}

}  // namespace

std::vector<PackedBatch> packExamples(const std::vector<SftExample>& examples,
                                      const std::vector<std::size_t>& order,
                                      const PackingOptions& options) {
  if (options.rowLength <= 0 || options.rowsPerBatch <= 0) {
    throw UsageError("packing needs a positive row length and rows per batch");
  }
  std::vector<Row> rows = assignRows(examples, order, options);
  std::vector<PackedBatch> batches;
  for (std::size_t first = 0; first < rows.size(); first += std::size_t(options.rowsPerBatch)) {
    std::size_t last = std::min(rows.size(), first + std::size_t(options.rowsPerBatch));
    batches.push_back(fillBatch(examples, rows, first, last));
  }
  return batches;
}

}  // namespace astro::train
