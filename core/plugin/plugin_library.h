// Opening a plugin file and reading its manifest (astro_plugin.h): the steps the probe process
// and the host both take before calling a plugin's registration, each returning the refusal
// reason that `astro plugins` shows. Needs only libdl, so the probe links nothing else.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/plugin/astro_plugin.h"

namespace astro::plugin {

// The manifest's strings, copied.
struct Manifest {
  std::uint32_t apiVersion = 0;
  std::string name;
  std::string version;
  std::string description;
  std::string provides;
};

// Each step returns "" when it succeeded, else the refusal reason; `path` is the file opened
// (dlerror's text is given without it: the report names the path already).
//
// dlopen with RTLD_NOW | RTLD_LOCAL: an unresolved symbol refuses the plugin now rather than
// crashing it later, and its symbols never interpose on the host's. The handle is never closed: a
// loaded plugin's code is referenced by what it registered, and even a refused one may have
// started threads or registered exit handlers in its static constructors.
std::string openLibrary(const std::filesystem::path& path, void*& handle);
// Calls astro_plugin_manifest() and checks it: the API version first (a plugin built for another
// version may lay the rest out differently), then a non-empty name and version. May throw what
// the plugin throws.
std::string readManifest(const std::filesystem::path& path, void* handle, Manifest& manifest);
std::string findRegisterFunction(const std::filesystem::path& path, void* handle,
                                 AstroPluginRegisterFunction& registerFunction);

}  // namespace astro::plugin
