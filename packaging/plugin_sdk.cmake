# The plugin SDK: what a third-party plugin's CMakeLists.txt finds with
# `find_package(AstroStudio 0.1 REQUIRED)` (docs/plugins.md, examples/plugin-hello):
#   AstroStudio::plugin_api   INTERFACE target: the include folder of astro_plugin.h;
#   astro_studio_add_plugin() a MODULE library libastro-plugin-<name>.so, hidden symbols, installed
#                             into the plugin folder (cmake/AstroPluginLayout.cmake).
# Installed twice, with the same files: COMPONENT headless, so the astro-studio-headless package
# carries the SDK beside the `astro` that loads the plugins, and COMPONENT sdk (never packaged on
# its own), so `cmake --install BUILD --component sdk --prefix DIR` gives a plugin author (and the
# plugin_sdk test) the header and config alone: installing headless also builds the man pages,
# ~30 s of running `astro --help`. The header's headless copy is core/plugin/CMakeLists.txt's rule.
include(AstroPluginLayout)
include(CMakePackageConfigHelpers)

# The config sits beside the multiarch plugin folder it names: lib/<multiarch>/cmake/AstroStudio,
# one of find_package's default places under a prefix.
if(CMAKE_LIBRARY_ARCHITECTURE)
  set(ASTRO_CMAKE_CONFIG_DIR lib/${CMAKE_LIBRARY_ARCHITECTURE}/cmake/AstroStudio)
else()
  set(ASTRO_CMAKE_CONFIG_DIR lib/cmake/AstroStudio)
endif()
set(ASTRO_SDK_INCLUDE_DIR include/astro-studio)
file(STRINGS ${PROJECT_SOURCE_DIR}/core/plugin/astro_plugin.h api_line
     REGEX "^#define ASTRO_PLUGIN_API_VERSION [0-9]+u$")
string(REGEX REPLACE "^#define ASTRO_PLUGIN_API_VERSION ([0-9]+)u$" "\\1" ASTRO_SDK_API_VERSION
       "${api_line}")
if(NOT ASTRO_SDK_API_VERSION MATCHES "^[0-9]+$")
  message(FATAL_ERROR "plugin_sdk.cmake: no ASTRO_PLUGIN_API_VERSION in core/plugin/astro_plugin.h")
endif()

configure_package_config_file(
  ${CMAKE_CURRENT_SOURCE_DIR}/cmake/AstroStudioConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/AstroStudioConfig.cmake
  INSTALL_DESTINATION ${ASTRO_CMAKE_CONFIG_DIR}
  PATH_VARS ASTRO_SDK_INCLUDE_DIR ASTRO_PLUGIN_INSTALL_DIR)
# SameMajorVersion: a plugin asking for 0.1 builds against any later 0.x. What a built plugin can
# load into is decided at run time by its manifest's api_version (astro_plugin.h), not by this
# number; within one API version the header only grows (members appended to structs), so a newer
# header of the same major version still compiles an older plugin (docs/plugins.md, "Versions").
write_basic_package_version_file(
  ${CMAKE_CURRENT_BINARY_DIR}/AstroStudioConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion)  # and the same pointer size: a plugin loads into this build

foreach(component headless sdk)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/AstroStudioConfig.cmake
                ${CMAKE_CURRENT_BINARY_DIR}/AstroStudioConfigVersion.cmake
          DESTINATION ${ASTRO_CMAKE_CONFIG_DIR} COMPONENT ${component})
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/core/plugin/astro_plugin.h DESTINATION ${ASTRO_SDK_INCLUDE_DIR}
        COMPONENT sdk)
