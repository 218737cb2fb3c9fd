# Where plugins (plugins/, astro_add_plugin) and their probe (astro-plugin-probe) live, installed
# and in the build tree; core/plugin/plugin_folders.cpp finds the same folders at run time from
# the running executable's path. Included by core/plugin and plugins/ (each needs the variables).
#
# Installed: <prefix>/lib/<multiarch>/astro-studio/{astro-plugin-probe,plugins/} - Debian's place
# for a package's private objects (Debian policy 9.1.1); lib/astro-studio where the toolchain has
# no multiarch tuple. Relative to the prefix, so one binary works under /usr and /usr/local.
if(CMAKE_LIBRARY_ARCHITECTURE)
  set(ASTRO_PRIVATE_LIB_DIR lib/${CMAKE_LIBRARY_ARCHITECTURE}/astro-studio)
else()
  set(ASTRO_PRIVATE_LIB_DIR lib/astro-studio)
endif()
set(ASTRO_PLUGIN_INSTALL_DIR ${ASTRO_PRIVATE_LIB_DIR}/plugins)
# Build tree: every plugin astro_add_plugin builds lands here, which a program run from the build
# tree searches when no installed plugin folder exists beside it.
set(ASTRO_PLUGIN_BUILD_DIR ${PROJECT_BINARY_DIR}/plugins-out)
