// The process's domain registry (domainRegistry(), domain_registry.h) with the built-in domains:
// math, the fallback of `auto`, and the countdown world. Registered once, on first use.
#include "core/domain/countdown_domain.h"
#include "core/domain/domain_registry.h"
#include "core/domain/math_domain.h"

namespace astro::domain {

namespace {

DomainRegistry makeBuiltInRegistry() {
  DomainRegistry registry;
  registry.addFallback(std::make_unique<MathDomain>());
  registry.add(std::make_unique<CountdownDomain>());
  return registry;
}

}  // namespace

DomainRegistry& domainRegistry() {
  static DomainRegistry registry = makeBuiltInRegistry();  // C++11 magic static: thread-safe
  return registry;
}

const Domain& resolveDomain(std::string_view name, std::span<const math::Problem> problems) {
  return domainRegistry().resolve(name, problems);
}

}  // namespace astro::domain
