// Loading the plugins of this build tree (plugins-out/, astro_add_plugin) into the process's
// registries, for suites that read what a plugin provides (chat and verl dumps need the
// generation-formats plugin). Call it in initTestCase: it loads once per process.
#pragma once

#include <initializer_list>
#include <string_view>

namespace astro::test {

// Loads every plugin of the build tree, once; throws std::runtime_error naming each of
// `required` that did not load, with its refusal (or "not found in <folder>").
void loadBuiltPlugins(std::initializer_list<std::string_view> required = {});

}  // namespace astro::test
