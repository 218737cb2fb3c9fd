# astro_add_fuzzer(NAME name SOURCES ... LIBS ... CORPUS dir): a fuzz target defining
# LLVMFuzzerTestOneInput.
# - Preset `fuzz` (clang, ASTRO_BUILD_FUZZERS=ON): a libFuzzer binary; every library is built with
#   -fsanitize=fuzzer-no-link so coverage guides it. scripts/fuzz.sh runs each for a bounded time.
# - Otherwise: the same target linked with tests/fuzz/replay_main.cpp, which replays the corpus and
#   a fixed number of seeded mutations of it; registered with CTest (label unit).
add_custom_target(fuzz_all)

function(astro_add_fuzzer)
  cmake_parse_arguments(F "" "NAME;CORPUS" "SOURCES;LIBS" ${ARGN})
  if(ASTRO_BUILD_FUZZERS)
    add_executable(${F_NAME} ${F_SOURCES})
    target_link_libraries(${F_NAME} PRIVATE astro_settings ${F_LIBS})
    target_link_options(${F_NAME} PRIVATE -fsanitize=fuzzer)
    add_dependencies(fuzz_all ${F_NAME})
    set_property(GLOBAL APPEND PROPERTY ASTRO_FUZZERS "${F_NAME}|${F_CORPUS}")
  elseif(ASTRO_BUILD_TESTS)
    add_executable(${F_NAME} ${F_SOURCES} ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.cpp)
    target_link_libraries(${F_NAME} PRIVATE astro_settings ${F_LIBS})
    add_test(NAME ${F_NAME} COMMAND ${F_NAME} ${F_CORPUS})
    set_tests_properties(${F_NAME} PROPERTIES LABELS unit TIMEOUT 300)
  endif()
endfunction()

# Writes build/<preset>/fuzzers.txt: "target corpus" per line, for scripts/fuzz.sh.
function(astro_write_fuzzer_list)
  get_property(fuzzers GLOBAL PROPERTY ASTRO_FUZZERS)
  set(lines "")
  foreach(entry IN LISTS fuzzers)
    string(REPLACE "|" ";" parts "${entry}")
    list(GET parts 0 name)
    list(GET parts 1 corpus)
    string(APPEND lines "${name} ${corpus}\n")
  endforeach()
  file(WRITE ${PROJECT_BINARY_DIR}/fuzzers.txt "${lines}")
endfunction()
