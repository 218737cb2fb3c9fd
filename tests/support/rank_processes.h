// Finding the rank processes of a data-parallel job in tests: a launcher's child whose RANK is r,
// read from /proc, so a test can kill exactly one rank.
#pragma once

#include <sys/types.h>

namespace astro::test {

// The child of `parent` whose environment has RANK=<rank>, or 0 when there is none (yet).
pid_t rankChild(pid_t parent, int rank);

}  // namespace astro::test
