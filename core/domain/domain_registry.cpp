// DomainRegistry: registration, lookup with an error that lists the registered names, and the
// `auto` rule (domain_registry.h).
#include "core/domain/domain_registry.h"

#include <algorithm>

#include "core/base/error.h"

namespace astro::domain {

void DomainRegistry::add(std::unique_ptr<Domain> domain) {
  if (!domain) throw UsageError("domain registry: no domain given");
  const std::string name(domain->name());
  if (name.empty()) throw UsageError("domain registry: a domain needs a name");
  if (name == kAutoDomain) {
    throw UsageError("domain registry: '" + name + "' names the auto rule, not a domain");
  }
  if (lookup(name) != nullptr) {
    throw UsageError("domain registry: domain '" + name + "' is already registered");
  }
  domains_.push_back(std::move(domain));
}

void DomainRegistry::addFallback(std::unique_ptr<Domain> domain) {
  if (fallback_ != nullptr) {
    throw UsageError("domain registry: '" + std::string(fallback_->name()) +
                     "' is already the fallback of auto");
  }
  add(std::move(domain));
  fallback_ = domains_.back().get();
}

const Domain* DomainRegistry::lookup(std::string_view name) const {
  for (const auto& domain : domains_) {
    if (domain->name() == name) return domain.get();
  }
  return nullptr;
}

const Domain& DomainRegistry::find(std::string_view name) const {
  const Domain* found = lookup(name);
  if (found == nullptr) {
    throw UsageError("verifier \"" + std::string(name) + "\" is not a registered domain: one of " +
                     quotedChoices());
  }
  return *found;
}

const Domain& DomainRegistry::resolve(std::string_view name,
                                      std::span<const math::Problem> problems) const {
  if (name != kAutoDomain) return find(name);
  if (problems.empty()) return fallback();
  for (const auto& domain : domains_) {
    if (domain.get() == fallback_) continue;
    const bool claimsAll = std::all_of(problems.begin(), problems.end(),
                                       [&](const math::Problem& p) { return domain->claims(p); });
    if (claimsAll) return *domain;
  }
  return fallback();
}

const Domain& DomainRegistry::fallback() const {
  if (fallback_ == nullptr) throw UsageError("verifier: auto: no fallback domain is registered");
  return *fallback_;
}

std::vector<math::RecordReader> DomainRegistry::datasetReaders() const {
  std::vector<math::RecordReader> readers;
  for (const auto& domain : domains_) {
    if (auto reader = domain->datasetReader()) readers.push_back(std::move(*reader));
  }
  return readers;
}

std::vector<std::string> DomainRegistry::names() const {
  std::vector<std::string> names;
  for (const auto& domain : domains_) names.emplace_back(domain->name());
  return names;
}

std::vector<std::string> DomainRegistry::choices() const {
  std::vector<std::string> choices{std::string(kAutoDomain)};
  for (std::string& name : names()) choices.push_back(std::move(name));
  return choices;
}

bool DomainRegistry::isChoice(std::string_view name) const {
  return name == kAutoDomain || lookup(name) != nullptr;
}

std::string DomainRegistry::quotedChoices() const {
  std::string text;
  for (const std::string& choice : choices()) {
    text += (text.empty() ? "\"" : ", \"") + choice + "\"";
  }
  return text;
}

}  // namespace astro::domain
