// Byte sizes as people type them ("80GiB", "80GB", "81920MiB", "1.5 TiB", "512") and as the memory
// plan prints them ("71.0 GiB"). All units are powers of 1024: KB, MB, GB and TB as JEDEC uses
// them for memory, so an "80GB" H100 is the 80 GiB it has (nvidia-smi: 81,559 MiB in all).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace astro::plan {

inline constexpr std::int64_t kGiB = std::int64_t(1) << 30;

// Throws UsageError naming the text when it is not a positive size with a known unit.
std::int64_t parseByteSize(std::string_view text);

// "0 B", "512 B", "3.2 KiB", "71.0 GiB": one decimal from KiB up.
std::string formatBytes(std::int64_t bytes);

}  // namespace astro::plan
