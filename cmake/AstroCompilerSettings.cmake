# One INTERFACE target carries the compiler settings every project target shares.
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE Release CACHE STRING "Build type" FORCE)
endif()

find_program(ASTRO_CCACHE ccache)
if(ASTRO_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${ASTRO_CCACHE})
  set(CMAKE_C_COMPILER_LAUNCHER ${ASTRO_CCACHE})
endif()

add_library(astro_settings INTERFACE)
add_library(astro::settings ALIAS astro_settings)
target_compile_features(astro_settings INTERFACE cxx_std_20)
# -Wno-restrict: GCC 12 reports false positives inside std::string at -O3 (GCC bug 105329).
# -Wno-missing-field-initializers: options structs are filled with designated initializers that
# name only what differs from the defaults (STYLE.md), which this warning would flag everywhere.
target_compile_options(astro_settings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers>
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
# libtorch names a member `slots`; Qt must not define it as a macro (STYLE.md).
target_compile_definitions(astro_settings INTERFACE QT_NO_KEYWORDS
  ASTRO_VERSION="${PROJECT_VERSION}")
target_include_directories(astro_settings INTERFACE ${PROJECT_SOURCE_DIR})

set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
