#include "app/astro/world_knobs.h"

namespace astro::cli {

void addGeneratorKnobs(CLI::App& command, astro::world::GeneratorOptions& options) {
  command.add_option("--numbers", options.numberCount, "Numbers per puzzle (3-6)")
      ->capture_default_str();
  command.add_option("--min-number", options.minNumber, "Smallest given number")
      ->capture_default_str();
  command.add_option("--max-number", options.maxNumber, "Largest given number")
      ->capture_default_str();
  command.add_option("--min-target", options.minTarget, "Smallest target")->capture_default_str();
  command.add_option("--max-target", options.maxTarget, "Largest target")->capture_default_str();
  command.add_flag("--allow-non-integer", options.rules.allowNonInteger,
                   "Allow fractions as intermediate results");
  command.add_flag("--allow-negative", options.rules.allowNegative,
                   "Allow negative intermediate results");
  command.add_option("--min-steps", options.minSteps, "Fewest steps a solution must need")
      ->capture_default_str();
  command
      .add_option("--min-solvable", options.minSolvableFraction,
                  "Keep puzzles whose fraction of first steps that can still reach the target "
                  "is at least this")
      ->capture_default_str();
  command
      .add_option("--max-solvable", options.maxSolvableFraction,
                  "... and at most this (lower: mistakes more likely)")
      ->capture_default_str();
}

}  // namespace astro::cli
