// Fuzz target for what a launcher hands core/dist: the input is read as NAME=value lines (the
// variables of dist_environment.h) and also as one Slurm node list. A crash, sanitizer report or
// hang is a finding; astro::UsageError is the expected answer to malformed values.
#include <cstddef>
#include <cstdint>
#include <map>
#include <sstream>
#include <string>

#include "core/base/error.h"
#include "core/dist/dist_environment.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  std::map<std::string, std::string> variables;
  std::istringstream lines(input);
  for (std::string line; std::getline(lines, line);) {
    auto equals = line.find('=');
    if (equals != std::string::npos) variables[line.substr(0, equals)] = line.substr(equals + 1);
  }
  try {
    auto environment =
        astro::dist::distEnvironmentFrom([&](const char* name) -> std::optional<std::string> {
          auto found = variables.find(name);
          if (found == variables.end()) return std::nullopt;
          return found->second;
        });
    if (environment.rank < 0 || environment.rank >= environment.worldSize) __builtin_trap();
    if (environment.masterPort < 1 || environment.masterPort > 65535) __builtin_trap();
  } catch (const astro::Error&) {
  }
  try {
    (void)astro::dist::firstSlurmHost(input);
  } catch (const astro::Error&) {
  }
  return 0;
}
