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

// Runs work(member, members) once on each thread of one OpenMP team of up to `threads` threads
// (the caller's among them; members is the team's size, which OpenMP may make smaller than asked)
// and returns when all returned; rethrows the first exception one threw. For work that lasts: each
// member runs single-threaded torch ops for as long as it runs. Built without OpenMP: work(0, 1).
void runAsTeam(int threads, const std::function<void(int member, int members)>& work);

// Whether runPartsInParallel really runs pieces side by side (built with OpenMP); callers split
// work into pieces only then.
bool partsRunInParallel();

}  // namespace astro::model::detail
