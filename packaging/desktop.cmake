# Desktop integration of astro-studio: the menu entry, AppStream metainfo and the application icon
# (the hand-drawn SVG, and PNGs rendered from it at build time by rsvg-convert, librsvg2-bin).
set(ASTRO_APP_ID io.github.astrostudio.AstroStudio)
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/${ASTRO_APP_ID}.desktop DESTINATION share/applications
        COMPONENT studio)

# The release date is the configure date (SOURCE_DATE_EPOCH, when set, for reproducible builds).
string(TIMESTAMP ASTRO_RELEASE_DATE "%Y-%m-%d" UTC)
configure_file(${ASTRO_APP_ID}.metainfo.xml ${CMAKE_CURRENT_BINARY_DIR}/${ASTRO_APP_ID}.metainfo.xml
               @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/${ASTRO_APP_ID}.metainfo.xml DESTINATION share/metainfo
        COMPONENT studio)

install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/astro-studio.svg
        DESTINATION share/icons/hicolor/scalable/apps RENAME ${ASTRO_APP_ID}.svg COMPONENT studio)
find_program(ASTRO_RSVG_CONVERT rsvg-convert)
if(NOT ASTRO_RSVG_CONVERT)
  message(WARNING "rsvg-convert (librsvg2-bin) not found: the package gets the SVG icon only")
  return()
endif()
set(icon_files "")
foreach(size 48 64 128 256)
  set(icon ${CMAKE_CURRENT_BINARY_DIR}/icons/${size}x${size}/${ASTRO_APP_ID}.png)
  add_custom_command(
    OUTPUT ${icon}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/icons/${size}x${size}
    COMMAND ${ASTRO_RSVG_CONVERT} --width ${size} --height ${size} --output ${icon}
            ${CMAKE_CURRENT_SOURCE_DIR}/astro-studio.svg
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/astro-studio.svg
    VERBATIM)
  list(APPEND icon_files ${icon})
  install(FILES ${icon} DESTINATION share/icons/hicolor/${size}x${size}/apps COMPONENT studio)
endforeach()
add_custom_target(astro_icons ALL DEPENDS ${icon_files})
add_dependencies(astro_package_files astro_icons)
