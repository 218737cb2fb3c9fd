# astro_add_test(NAME name SOURCES ... [LIBS ...] [LABELS unit|integration|gui|slow ...]
#                [TIMEOUT s] [NEEDS_CLI] [NEEDS_STUDIO]): one QtTest executable registered with
# CTest. NEEDS_CLI defines ASTRO_CLI_PATH (the built `astro`), NEEDS_STUDIO ASTRO_STUDIO_PATH.
# Tests find ../shared/data through ASTRO_SHARED_DATA (defaults to <source>/../shared/data) and skip
# with a message when it is absent.
set(ASTRO_SHARED_DATA "${PROJECT_SOURCE_DIR}/../shared/data" CACHE PATH
    "Folder with MATH-500, AMC, AIME, GSM8K and tokenizers (optional)")

function(astro_add_test)
  cmake_parse_arguments(T "NEEDS_CLI;NEEDS_STUDIO" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE astro_settings astro_test_support ${T_LIBS})
  if(T_NEEDS_CLI)
    add_dependencies(${T_NAME} astro)
    target_compile_definitions(${T_NAME} PRIVATE ASTRO_CLI_PATH="$<TARGET_FILE:astro>")
  endif()
  if(T_NEEDS_STUDIO)
    add_dependencies(${T_NAME} astro-studio)
    target_compile_definitions(${T_NAME} PRIVATE ASTRO_STUDIO_PATH="$<TARGET_FILE:astro-studio>")
  endif()
  target_compile_definitions(${T_NAME} PRIVATE
    ASTRO_SHARED_DATA="${ASTRO_SHARED_DATA}"
    ASTRO_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    ASTRO_BINARY_DIR="${PROJECT_BINARY_DIR}")
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  # QtTest stops a test function after 5 minutes by default; CTest's TIMEOUT is the one limit.
  # CTest runs `nproc` tests at once: one torch thread each (ASTRO_THREADS, inherited by the CLI
  # processes tests start) keeps OpenMP from oversubscribing the cores, where it slows ~9x.
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;ASTRO_TEST_TMP=${PROJECT_BINARY_DIR}/test-tmp;QTEST_FUNCTION_TIMEOUT=${T_TIMEOUT}000;ASTRO_THREADS=1")
endfunction()
