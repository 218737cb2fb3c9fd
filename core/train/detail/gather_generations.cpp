// gatherGenerations (gather_generations.h): one block per rank, [count][row, finish reason,
// length, ids...] in int32, all-gathered and unpacked in row order.
#include "core/train/detail/gather_generations.h"

#include <cstdint>
#include <cstring>
#include <string>

#include "core/base/error.h"

namespace astro::train::detail {

namespace {

std::string encodeRows(const std::vector<std::size_t>& rows,
                       const std::vector<model::Generation>& generated) {
  std::vector<std::int32_t> words{std::int32_t(rows.size())};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    words.push_back(std::int32_t(rows[i]));
    words.push_back(std::int32_t(generated[i].finishReason));
    words.push_back(std::int32_t(generated[i].ids.size()));
    words.insert(words.end(), generated[i].ids.begin(), generated[i].ids.end());
  }
  std::string bytes(words.size() * sizeof(std::int32_t), '\0');
  std::memcpy(bytes.data(), words.data(), bytes.size());
  return bytes;
}

void decodeRows(const std::string& bytes, int rank, std::vector<model::Generation>& into) {
  std::vector<std::int32_t> words(bytes.size() / sizeof(std::int32_t));
  std::memcpy(words.data(), bytes.data(), words.size() * sizeof(std::int32_t));
  auto fail = [&](const std::string& what) {
    throw Error("rank " + std::to_string(rank) + " sent " + what);
  };
  std::size_t at = 0;
  auto next = [&] {
    if (at >= words.size()) fail("a truncated block of generations");
    return words[at++];
  };
  const std::int32_t count = next();
  for (std::int32_t i = 0; i < count; ++i) {
    const auto row = std::size_t(next());
    const std::int32_t reason = next();
    const auto length = std::size_t(next());
    if (row >= into.size() || at + length > words.size() || reason < 0 ||
        reason > std::int32_t(model::FinishReason::kLength)) {
      fail("a generation outside the batch's rows");
    }
    into[row].finishReason = model::FinishReason(reason);
    into[row].ids.assign(words.begin() + std::ptrdiff_t(at),
                         words.begin() + std::ptrdiff_t(at + length));
    at += length;
  }
}

}  // namespace

std::vector<model::Generation> gatherGenerations(dist::detail::Communicator& communicator,
                                                 std::size_t rowCount,
                                                 const std::vector<std::size_t>& rows,
                                                 std::vector<model::Generation> generated) {
  std::vector<model::Generation> all(rowCount);
  if (communicator.worldSize() == 1) {
    for (std::size_t i = 0; i < rows.size(); ++i) all[rows[i]] = std::move(generated[i]);
    return all;
  }
  const auto blocks = communicator.allGatherBytes(encodeRows(rows, generated));
  for (std::size_t from = 0; from < blocks.size(); ++from) decodeRows(blocks[from], int(from), all);
  return all;
}

}  // namespace astro::train::detail
