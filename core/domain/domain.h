// A problem domain: the one object that knows which problems are its own, how to read and grade
// them and how to check a step of them. Stages and commands hold a domain name ("auto" or a
// registered one, domain_registry.h) and never spell a domain's name or test for its types.
//
// Members beyond grading:
//   - answer extraction is part of grading: the verifier's Verdict carries the extracted answer
//     and its offset, which linearize (distinct wrong answers) and the samples views read;
//   - the step delimiter and the default phrase set together fix the text of a trace: search cuts
//     the policy's output at the delimiter, procedure cloning joins steps and inserts phrases
//     with them, and the exact detector splits and reads generated traces back with both. Each
//     stage resolves its domain from its problems (`verifier`, domain_registry.h) and takes both
//     from it, so a domain's search, linearize, RL and evaluation agree without a setting;
//   - the countdown world's generator and tokenizer are the world's own (core/world, `astro
//     world`, the base pretraining): their knobs are countdown's and no stage chooses a world by
//     name, so they are not members.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "core/domain/reflection_check.h"
#include "core/domain/step_validator.h"
#include "core/math/dataset_loader.h"
#include "core/math/problem.h"
#include "core/math/verifier.h"
#include "core/search/phrase_set.h"

namespace astro::domain {

// Steps of MATH solutions are paragraphs, and ASTRO's step-wise search (Sec. 2.2) cuts each step
// at a blank line.
inline constexpr std::string_view kDefaultStepDelimiter = "\n\n";

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
  // States what a reflection checks about the step it follows (grounded reflections, issue #21:
  // `astro linearize --grounded-checks`, the miniature experiment's --grounded-reflections);
  // nullptr where no rule checks a step, as for MATH.
  virtual std::unique_ptr<ReflectionCheck> makeReflectionCheck() const { return nullptr; }
  // The domain's own dataset format, tried before the built-in ones whenever a dataset is loaded
  // (dataset_reading.h); nullopt when its datasets come in a format core/math reads (MATH,
  // AMC/AIME, GSM8K, generic JSONL), as math's and the countdown world's do.
  virtual std::optional<math::RecordReader> datasetReader() const { return std::nullopt; }
  // What separates two steps of a solution (never empty): search stops each proposed step at it
  // (MctsOptions::stepDelimiter), rendered traces join steps with it and the exact detector
  // splits on it. No phrase of phraseSet() may contain it.
  virtual std::string_view stepDelimiter() const { return kDefaultStepDelimiter; }
  // The reflections, returns and answer checks that procedure cloning writes and the exact
  // detector reads back, where a stage or command names no phrase set: the paper's
  // (astro-default-v1) unless a domain's policy is better served by its own.
  virtual const search::PhraseSet& phraseSet() const { return search::defaultPhraseSet(); }
};

}  // namespace astro::domain
