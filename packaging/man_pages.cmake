# Man pages made from the programs' own help texts (make_man_pages.sh, help_to_roff.awk): astro.1,
# astro-SUB.1 per subcommand, astro-studio.1. Not part of `all`: running `astro --help` ~30 times
# costs ~30 s of CPU on every relink of astro. The install step builds the target first, so
# `cmake --install` and cpack always ship pages made from the binaries they install.
set(ASTRO_MAN_DIR ${CMAKE_CURRENT_BINARY_DIR}/man)
set(man_studio "")
set(man_depends astro)
if(ASTRO_BUILD_GUI)
  set(man_studio $<TARGET_FILE:astro-studio>)
  list(APPEND man_depends astro-studio)
endif()
add_custom_command(
  OUTPUT ${ASTRO_MAN_DIR}/astro.1.gz
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/make_man_pages.sh $<TARGET_FILE:astro> ${ASTRO_MAN_DIR}
          ${PROJECT_VERSION} ${man_studio}
  DEPENDS ${man_depends} ${CMAKE_CURRENT_SOURCE_DIR}/make_man_pages.sh
          ${CMAKE_CURRENT_SOURCE_DIR}/help_to_roff.awk
  COMMENT "Man pages from the programs' --help texts"
  VERBATIM)
add_custom_target(astro_man_pages DEPENDS ${ASTRO_MAN_DIR}/astro.1.gz)

# Packaging files that `all` may not have made (man pages; icons after a programs-only build).
add_custom_target(astro_package_files)
add_dependencies(astro_package_files astro_man_pages)
foreach(component headless studio)
  install(CODE "execute_process(COMMAND \"${CMAKE_COMMAND}\" --build \"${PROJECT_BINARY_DIR}\"
                                        --target astro_package_files
                                COMMAND_ERROR_IS_FATAL ANY)"
          COMPONENT ${component})
endforeach()
install(DIRECTORY ${ASTRO_MAN_DIR}/ DESTINATION share/man/man1 COMPONENT headless
        FILES_MATCHING PATTERN "astro*.1.gz" PATTERN "astro-studio.1.gz" EXCLUDE)
if(ASTRO_BUILD_GUI)
  install(FILES ${ASTRO_MAN_DIR}/astro-studio.1.gz DESTINATION share/man/man1 COMPONENT studio)
endif()
