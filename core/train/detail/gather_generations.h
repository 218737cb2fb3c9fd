// Rows generated on different ranks, brought together (private to core/train): GRPO's rollouts
// and sharded evaluation each sample their share of a batch's rows, then every rank needs every
// row's generation in row order.
#pragma once

#include <cstddef>
#include <vector>

#include "core/dist/detail/communicator.h"
#include "core/model/language_model.h"

namespace astro::train::detail {

// Collective. `rows` are this rank's row indices in [0, rowCount) and `generated` their
// generations (token ids and finish reason; log-probabilities are not carried). Returns all
// rowCount generations, in row order, on every rank. Throws astro::Error naming the rank that
// sent a malformed block.
std::vector<model::Generation> gatherGenerations(dist::detail::Communicator& communicator,
                                                 std::size_t rowCount,
                                                 const std::vector<std::size_t>& rows,
                                                 std::vector<model::Generation> generated);

}  // namespace astro::train::detail
