// The GSM8K plugin's domain as its astro_plugin_register hands it to a host: what both GSM8K fuzz
// targets call, registered once on first use (aborts if registration fails).
#pragma once

#include <cstdlib>

#include "astro_plugin.h"

extern "C" int astro_plugin_register(const AstroPluginHost* host);

namespace gsm8k_fuzz {

inline const AstroDomainV1* registeredDomain = nullptr;

inline int addDomain(const AstroPluginHost*, const AstroDomainV1* domain) {
  registeredDomain = domain;
  return 0;
}

inline const AstroDomainV1& domain() {
  if (registeredDomain == nullptr) {
    const AstroPluginHost host{sizeof(AstroPluginHost), ASTRO_PLUGIN_API_VERSION, "fuzz", nullptr,
                               &addDomain,              nullptr,                  nullptr};
    if (astro_plugin_register(&host) != 0 || registeredDomain == nullptr) std::abort();
  }
  return *registeredDomain;
}

}  // namespace gsm8k_fuzz
