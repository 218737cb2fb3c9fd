// The countdown generator's difficulty knobs as CLI options, shared by `astro world generate`,
// `astro world stats` and `astro world pretrain` so the three spell them the same way.
#pragma once

#include <CLI/CLI.hpp>

#include "core/world/countdown_generator.h"

namespace astro::cli {

void addGeneratorKnobs(CLI::App& command, world::GeneratorOptions& options);

}  // namespace astro::cli
