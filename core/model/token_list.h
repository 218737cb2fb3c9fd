// Token ids written as text on command lines and in files: "1,2,3" (spaces allowed).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace astro::model {

// Throws UsageError naming `what` (e.g. "--ids") and the bad item.
std::vector<int32_t> parseTokenList(std::string_view text, const std::string& what);

}  // namespace astro::model
