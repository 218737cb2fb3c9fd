// A plugin's generation format (AstroGenerationFormatV1, astro_plugin.h) as the host's
// analysis::GenerationReader: C strings in, the record's fields copied out, a non-zero return
// turned into astro::Error with the plugin's message and the plugin's name.
#pragma once

#include <memory>
#include <string>

#include "core/analysis/generation_reader.h"
#include "core/plugin/astro_plugin.h"

namespace astro::plugin {

// `format` and its strings must outlive the reader (a loaded plugin is never unloaded).
// `pluginName` prefixes error messages: "plugin verl: line has no \"output\"".
std::unique_ptr<analysis::GenerationReader> wrapGenerationFormat(const AstroGenerationFormatV1& format,
                                                                  std::string pluginName);

}  // namespace astro::plugin
