// Checks of what a plugin hands the host (astro_plugin.h) - its names, and the domain and
// generation-format descriptors - and the copies the host keeps of them. The probe's recording
// host and the real one apply the same checks, so both refuse the same plugins with the same words.
#pragma once

#include <string>

#include "core/plugin/astro_plugin.h"

namespace astro::plugin {

// "" when `name` may name a plugin, domain or format: 1-64 characters of A-Z a-z 0-9 . _ -
// (it becomes a TOML value, a flag value and a column of `astro plugins`); else what is wrong,
// as a phrase to follow "name ": "is missing", "'a b' has a character other than ...".
std::string checkName(const char* name);

// "" when the descriptor is usable, else the refusal: "add_domain: domain 'x' has no grade
// function". Checks the pointer, struct_size, name and required callbacks.
std::string checkDomain(const AstroDomainV1* domain);
std::string checkFormat(const AstroGenerationFormatV1* format);

// The descriptor as this host's struct: the plugin's first struct_size bytes, zeros after (a
// plugin built against an older minor layout lacks the members added since; NULL means absent).
AstroDomainV1 copyDomain(const AstroDomainV1& domain);
AstroGenerationFormatV1 copyFormat(const AstroGenerationFormatV1& format);

}  // namespace astro::plugin
