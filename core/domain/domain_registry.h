// The problem domains by name, and the one rule of `auto`. The process's registry
// (domainRegistry()) holds the built-ins, math (the fallback) and the countdown world, added on
// first use; the TOML tables, `--verifier` flags, search jobs and the RL/evaluate/analyze stages
// all resolve their domain here, so they agree on the same problems.
//
// The `auto` rule: the first domain in registration order, the fallback excepted, that claims
// every problem of the set; otherwise the fallback. An empty set, or one that mixes domains
// (countdown puzzles beside MATH problems), resolves to the fallback: math.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/domain.h"

namespace astro::domain {

// The name that asks for the `auto` rule instead of one domain.
inline constexpr std::string_view kAutoDomain = "auto";

class DomainRegistry {
 public:
  // Registers `domain` under its name; throws UsageError when the name is empty, "auto" or
  // already registered.
  void add(std::unique_ptr<Domain> domain);
  // As add(), and makes it what `auto` falls back to; throws UsageError if there is one already.
  void addFallback(std::unique_ptr<Domain> domain);

  // The domain registered as `name`; throws UsageError naming the registered ones.
  const Domain& find(std::string_view name) const;
  // `name` is "auto": the domain the rule above picks for `problems`; else find(name).
  const Domain& resolve(std::string_view name, std::span<const math::Problem> problems) const;
  // What `auto` falls back to; throws UsageError when no fallback is registered.
  const Domain& fallback() const;

  // The dataset readers of the domains that have one, in registration order.
  std::vector<math::RecordReader> datasetReaders() const;

  // Registered names, in registration order.
  std::vector<std::string> names() const;
  // What a `verifier` setting may say: "auto", then names().
  std::vector<std::string> choices() const;
  bool isChoice(std::string_view name) const;
  // "auto", "math", "countdown": choices() quoted, for error messages.
  std::string quotedChoices() const;

 private:
  const Domain* lookup(std::string_view name) const;

  std::vector<std::unique_ptr<Domain>> domains_;
  const Domain* fallback_ = nullptr;
};

// The process's registry, the built-in domains added on first use (thread-safe). Further
// domains are added at start-up, before any other thread looks one up.
DomainRegistry& domainRegistry();

// domainRegistry().resolve(name, problems): the domain a stage, command or job uses.
const Domain& resolveDomain(std::string_view name, std::span<const math::Problem> problems);

}  // namespace astro::domain
