// Command lines for a remote POSIX shell, built from argument vectors: every argument is quoted
// so that spaces, quotes, ';', '$()', newlines or a leading '-' reach the program as one literal
// argument and never run anything.
#pragma once

#include <string>
#include <vector>

namespace astro::remote {

// 'text' with every ' written as '\''; plain words ([A-Za-z0-9_./:=@%+,-]) stay unquoted.
std::string shellQuote(const std::string& argument);
// The arguments quoted and joined by spaces.
std::string shellCommandLine(const std::vector<std::string>& arguments);

}  // namespace astro::remote
