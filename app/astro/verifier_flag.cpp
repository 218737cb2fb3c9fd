// addVerifierFlag (verifier_flag.h): the choices and their one-line descriptions from the registry.
#include "app/astro/verifier_flag.h"

#include "core/domain/domain_registry.h"

namespace astro::cli {

CLI::Option* addVerifierFlag(CLI::App* command, std::string& verifier) {
  const domain::DomainRegistry& domains = domain::domainRegistry();
  const std::string fallback(domains.fallback().name());
  std::string help = "Problem domain that grades: auto (the first domain that claims every ";
  help += "problem, else " + fallback + ")";
  for (const std::string& name : domains.names()) {
    help += "; " + name + " (" + std::string(domains.find(name).description()) + ")";
  }
  return command->add_option("--verifier", verifier, help)
      ->check(CLI::IsMember(domains.choices()))
      ->capture_default_str();
}

}  // namespace astro::cli
