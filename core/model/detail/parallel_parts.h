// Independent pieces of work side by side, one OpenMP thread each. Inside an OpenMP parallel
// region ATen runs every op on its caller's thread (at::in_parallel_region()) and so does
// Debian's OpenMP OpenBLAS, so each piece is single-threaded and the pieces share the cores
// without oversubscribing them. (at::parallel_for cannot do this from the project's code: its
// OpenMP path is compiled in only where _OPENMP is defined, and the torch headers are
// precompiled without it, so there it runs the whole range on the calling thread.)
#pragma once

#include <functional>

namespace astro::model::detail {

// Runs work(0) ... work(parts - 1) on `parts` threads at once (the caller's among them) and
// returns when all are done; rethrows the first exception a piece threw. parts <= 1 runs inline.
// Built without OpenMP, the pieces run one after another on the caller's thread.
void runPartsInParallel(int parts, const std::function<void(int)>& work);

// Whether runPartsInParallel really runs pieces side by side (built with OpenMP); callers split
// work into pieces only then.
bool partsRunInParallel();

}  // namespace astro::model::detail
