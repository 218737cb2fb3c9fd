// Opening a plugin and reading its manifest (plugin_library.h).
#include "core/plugin/plugin_library.h"

#include <dlfcn.h>

#include "core/plugin/plugin_descriptors.h"

namespace astro::plugin {

namespace {

// dlerror()'s text without the "<path>: " it starts with (the report names the path already).
std::string lastDlError(const std::filesystem::path& path) {
  const char* error = dlerror();
  std::string text = error != nullptr ? error : "unknown dynamic loader error";
  const std::string prefix = path.string() + ": ";
  if (text.starts_with(prefix) && text.size() > prefix.size()) text.erase(0, prefix.size());
  return text;
}

// dlsym of an entry point; refusal text names the symbol and gives dlerror's.
std::string findSymbol(const std::filesystem::path& path, void* handle, const char* symbol,
                       void*& address) {
  dlerror();  // clear a stale error: NULL may be a symbol's value, dlerror() tells
  address = dlsym(handle, symbol);
  if (address == nullptr) {
    return std::string("no entry point ") + symbol + ": " + lastDlError(path);
  }
  return {};
}

}  // namespace

std::string openLibrary(const std::filesystem::path& path, void*& handle) {
  handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) return "not loadable: " + lastDlError(path);
  return {};
}

std::string readManifest(const std::filesystem::path& path, void* handle, Manifest& manifest) {
  void* address = nullptr;
  if (std::string refusal = findSymbol(path, handle, ASTRO_PLUGIN_MANIFEST_SYMBOL, address);
      !refusal.empty()) {
    return refusal;
  }
  const auto manifestFunction = reinterpret_cast<AstroPluginManifestFunction>(address);
  const AstroPluginManifest* read = manifestFunction();
  if (read == nullptr) return "malformed manifest: astro_plugin_manifest() returned NULL";
  manifest.apiVersion = read->api_version;
  if (read->api_version != ASTRO_PLUGIN_API_VERSION) {
    return "built for plugin API " + std::to_string(read->api_version) +
           ", this Astro Studio has " + std::to_string(ASTRO_PLUGIN_API_VERSION);
  }
  if (std::string problem = checkName(read->name); !problem.empty()) {
    return "malformed manifest: name " + problem;
  }
  manifest.name = read->name;
  if (read->version == nullptr || *read->version == '\0') {
    return "malformed manifest: plugin '" + manifest.name + "' has no version";
  }
  manifest.version = read->version;
  manifest.description = read->description != nullptr ? read->description : "";
  manifest.provides = read->provides != nullptr ? read->provides : "";
  return {};
}

std::string findRegisterFunction(const std::filesystem::path& path, void* handle,
                                 AstroPluginRegisterFunction& registerFunction) {
  void* address = nullptr;
  std::string refusal = findSymbol(path, handle, ASTRO_PLUGIN_REGISTER_SYMBOL, address);
  registerFunction = reinterpret_cast<AstroPluginRegisterFunction>(address);
  return refusal;
}

}  // namespace astro::plugin
