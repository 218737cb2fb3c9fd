// Loading a dataset with every registered domain's own format (Domain::datasetReader) tried
// before core/math's built-in ones: what every stage and command that reads a problem file calls,
// so a plugin's dataset format is read wherever a MATH or GSM8K file is.
#pragma once

#include <filesystem>

#include "core/math/dataset_loader.h"

namespace astro::domain {

// math::loadDataset(path, options) with options.readers = the process registry's dataset readers
// (appended after any the caller gave). A forced options.format skips them, as it skips detection.
math::LoadedDataset loadDataset(const std::filesystem::path& path, math::LoadOptions options = {});

}  // namespace astro::domain
