// `--verifier NAME` for the commands that grade (astro search, evaluate, rl): "auto" or a domain
// of the registry (core/domain/domain_registry.h), checked by CLI11 against the registered
// names, so a domain added to the registry is accepted and listed in --help without an edit here.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace astro::cli {

CLI::Option* addVerifierFlag(CLI::App* command, std::string& verifier);

}  // namespace astro::cli
