// A problem domain: the one object that knows which problems are its own, how to grade them and
// how to check a step of them. Stages and commands hold a domain name ("auto" or a registered
// one, domain_registry.h) and never spell a domain's name or test for its types.
//
// Only what differs between domains today is a member. The step delimiter ("\n\n",
// MctsOptions::stepDelimiter) and the default phrase set (astro-default-v1) are the same for
// math and the countdown world, and both read their datasets through core/math's loader, so none
// of those is here yet; the countdown world's generator and tokenizer are used by `astro world`
// and the miniature experiment only.
#pragma once

#include <memory>
#include <string_view>

#include "core/domain/step_validator.h"
#include "core/math/problem.h"
#include "core/math/verifier.h"

namespace astro::domain {

class Domain {
 public:
  virtual ~Domain() = default;
  // The registry key, the value of a stage's `verifier` and of `--verifier`: "math".
  virtual std::string_view name() const = 0;
  // One line for --help, `astro pipeline schema` and the docs.
  virtual std::string_view description() const = 0;
  // Whether this domain's verifier can grade `problem`. `auto` picks a domain only when it claims
  // every problem of the set (DomainRegistry::resolve).
  virtual bool claims(const math::Problem& problem) const = 0;
  // The judge of every MCTS terminal, GRPO reward and evaluation sample in this domain.
  virtual std::unique_ptr<math::Verifier> makeVerifier() const = 0;
  // Judges proposed steps during search (MctsOptions::validateSteps); nullptr where steps are
  // free text that no rule checks one by one.
  virtual std::unique_ptr<StepValidator> makeStepValidator() const { return nullptr; }
};

}  // namespace astro::domain
