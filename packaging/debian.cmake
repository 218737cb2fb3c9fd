# CPack settings for the two Debian 12 packages (`cpack -G DEB`, file names
# <package>_<version>_amd64.deb). One configuration with components rather than a second build:
# both packages come from the same binaries, the headless one cannot drift from the desktop one,
# and `astro-studio` depends on exactly the `astro-studio-headless` it was built with. A GPU host
# installs astro-studio-headless alone and gets no Qt 6 package; note that Debian's libtorch1.13
# itself pulls in Qt 5 GUI libraries (libtorch_cpu -> libopencv-highgui -> libqt5widgets5...).

# Debian policy: each package's doc folder holds copyright and (native package) changelog.gz. The
# changelog's date is the configure date (SOURCE_DATE_EPOCH, when set, for reproducible builds).
string(TIMESTAMP ASTRO_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
# The project has no public address or homepage yet: whoever builds a package for others names
# the maintainer (Debian needs "Name <email>"); no homepage is claimed.
set(ASTRO_PACKAGE_MAINTAINER "Astro Studio developers <astro-studio@users.noreply.github.com>"
    CACHE STRING "The packages' Maintainer field, \"Name <email>\"")
configure_file(changelog.in ${CMAKE_CURRENT_BINARY_DIR}/changelog @ONLY)
add_custom_command(
  OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz
  COMMAND gzip -9n -c ${CMAKE_CURRENT_BINARY_DIR}/changelog
          > ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz
  DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/changelog)
add_custom_target(astro_changelog DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz)
add_dependencies(astro_package_files astro_changelog)
set(doc_packages headless astro-studio-headless)
if(ASTRO_BUILD_GUI)
  list(APPEND doc_packages studio astro-studio)
endif()
while(doc_packages)
  list(POP_FRONT doc_packages component package)
  install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/copyright ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz
          DESTINATION share/doc/${package} COMPONENT ${component})
endwhile()

set(CPACK_PACKAGE_NAME astro-studio)
set(CPACK_PACKAGE_VENDOR "Astro Studio developers")
set(CPACK_PACKAGE_CONTACT "${ASTRO_PACKAGE_MAINTAINER}")
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL headless)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# dpkg-shlibdeps finds the libraries the binaries link (libtorch1.13, libgvc6, libsqlite3-0,
# libcpp-httplib0.11, Qt 6, ...). It cannot see the BLAS libtorch uses through the libblas.so.3
# alternative: the OpenMP OpenBLAS is the fast one (README, "Speed notes").
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)

set(CPACK_DEBIAN_HEADLESS_PACKAGE_NAME astro-studio-headless)
set(CPACK_DEBIAN_HEADLESS_PACKAGE_DEPENDS libopenblas0-openmp)
set(CPACK_DEBIAN_HEADLESS_PACKAGE_RECOMMENDS openssh-client)  # remote hosts (`astro hosts`)
set(CPACK_DEBIAN_HEADLESS_PACKAGE_SUGGESTS slurm-client)      # Slurm profiles run sbatch
# Debian takes the synopsis from the project's DESCRIPTION; these are the extended descriptions.
set(CPACK_COMPONENT_HEADLESS_DESCRIPTION
    "Command line and headless worker of Astro Studio. The astro command runs
the ASTRO recipe (Monte Carlo Tree Search over reasoning steps, procedure
cloning into chains of thought that reflect and backtrack, supervised
fine-tuning, GRPO with verifiable rewards) as a resumable worker, stores
every run in SQLite and inspects the runs. This package holds the command
line, its resources, pipeline presets and man pages, and needs no Qt 6: it
is what a GPU host that runs pipelines for Astro Studio installs.")

if(ASTRO_BUILD_GUI)
  list(APPEND CPACK_COMPONENTS_ALL studio)
  set(CPACK_DEBIAN_STUDIO_PACKAGE_NAME astro-studio)
  set(CPACK_COMPONENT_STUDIO_DEPENDS headless)
  set(CPACK_COMPONENT_STUDIO_DESCRIPTION
      "Desktop application of Astro Studio. It runs the ASTRO pipeline (search,
procedure cloning, SFT, GRPO, evaluation) on this machine or on remote GPU
hosts and shows what the models did: search trees and reasoning traces as
graphs, backtrack statistics, accuracy across checkpoints and their
correlations, exportable as plots and tables.")
endif()
include(CPack)
