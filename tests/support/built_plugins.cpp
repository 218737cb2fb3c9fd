// loadBuiltPlugins (built_plugins.h): the build tree's plugin folder is given explicitly, so a
// test never depends on $ASTRO_PLUGIN_PATH or on where its executable lies.
#include "tests/support/built_plugins.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/plugin/plugin_loader.h"

namespace astro::test {

void loadBuiltPlugins(std::initializer_list<std::string_view> required) {
  const auto& report = plugin::loadPlugins({.folders = {ASTRO_PLUGIN_BUILD_DIR}});
  std::string missing;
  for (std::string_view name : required) {
    auto it = std::find_if(report.begin(), report.end(),
                           [&](const plugin::PluginRecord& record) { return record.name == name; });
    if (it != report.end() && it->loaded) continue;
    missing += "plugin " + std::string(name) + ": " +
               (it == report.end() ? std::string("not found in " ASTRO_PLUGIN_BUILD_DIR)
                                   : it->path.string() + ": " + it->refusal) +
               "\n";
  }
  if (!missing.empty()) throw std::runtime_error("built plugins did not load:\n" + missing);
}

}  // namespace astro::test
