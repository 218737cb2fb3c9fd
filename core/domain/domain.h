// A problem domain: the one object that knows which problems are its own, how to read and grade
// them and how to check a step of them. Stages and commands hold a domain name ("auto" or a
// registered one, domain_registry.h) and never spell a domain's name or test for its types.
//
// Only what differs between domains today is a member:
//   - answer extraction is part of grading: the verifier's Verdict carries the extracted answer
//     and its offset, which linearize (distinct wrong answers) and the samples views read;
//   - the step delimiter ("\n\n") is one constant shared by search (MctsOptions::stepDelimiter),
//     the trace renderer (search::kStepSeparator), the reflection detector that parses rendered
//     and generated traces (analysis::ExactDetector) and the countdown world's reference
//     solutions, so a domain cannot change it for search alone; it becomes a member when all
//     four take it from here;
//   - the default phrase set (astro-default-v1) is the paper's for every domain; the countdown
//     world's compact set is named by its pipelines (resources/phrases);
//   - the countdown world's generator and tokenizer belong to `astro world` and the miniature
//     experiment, the world's own commands.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "core/domain/step_validator.h"
#include "core/math/dataset_loader.h"
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
  // The domain's own dataset format, tried before the built-in ones whenever a dataset is loaded
  // (dataset_reading.h); nullopt when its datasets come in a format core/math reads (MATH,
  // AMC/AIME, GSM8K, generic JSONL), as math's and the countdown world's do.
  virtual std::optional<math::RecordReader> datasetReader() const { return std::nullopt; }
};

}  // namespace astro::domain
