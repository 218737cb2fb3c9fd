// The physical memory of this machine: the budget of a CPU config's plan, whose processes run here.
#pragma once

#include <cstdint>

namespace astro::plan {

std::int64_t physicalMemoryBytes();  // 0 when the system does not say

}  // namespace astro::plan
