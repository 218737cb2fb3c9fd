# Third-party libraries from Debian 12. Each is a well-kept package that replaces hand-written code:
#   nlohmann_json - JSON for events, interchange formats, configs of models (header-only)
#   tomlplusplus  - pipeline configs with line/column in errors (TOML 1.0)
#   CLI11         - subcommands, --help on each, typed options for `astro`
#   SQLite3       - the run store
#   PCRE2         - tokenizer pre-tokenizer regexes (Unicode classes, look-ahead)
#   Graphviz      - cgraph/gvc layout and rendering
#   cpp-httplib   - HTTP client and server for OpenAI-compatible endpoints (Debian builds it as a
#                   shared library; its pkg-config flags set the TLS/zlib/brotli options that
#                   change its class layouts, so always use PkgConfig::HTTPLIB)
find_package(Threads REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(tomlplusplus 3 REQUIRED)
find_package(CLI11 2 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
pkg_check_modules(GRAPHVIZ REQUIRED IMPORTED_TARGET libgvc libcgraph)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

if(ASTRO_BUILD_GUI)
  find_package(Qt6 6.4 REQUIRED COMPONENTS Core Gui Widgets Charts Svg SvgWidgets Concurrent
               PrintSupport)
endif()
if(ASTRO_BUILD_TESTS)
  # Every suite is a QtTest executable, also those of core (which itself never links Qt).
  find_package(Qt6 6.4 REQUIRED COMPONENTS Core Test)
endif()
