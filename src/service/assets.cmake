# Embeds the analyst web page (web/) and the OpenAPI document (docs/) into
# the library, so the server needs no install path and no build step that
# reaches the network. Regenerated whenever one of the files changes.
file(GLOB SERVICE_ASSET_FILES CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/web/*.html ${PROJECT_SOURCE_DIR}/web/*.js
     ${PROJECT_SOURCE_DIR}/web/*.css ${PROJECT_SOURCE_DIR}/docs/openapi.json)
string(REPLACE ";" "|" SERVICE_ASSET_ARG "${SERVICE_ASSET_FILES}")
set(SERVICE_ASSETS_C ${CMAKE_BINARY_DIR}/service_assets.c)
add_custom_command(OUTPUT ${SERVICE_ASSETS_C}
  COMMAND ${CMAKE_COMMAND} -DOUT=${SERVICE_ASSETS_C} -DFILES=${SERVICE_ASSET_ARG}
          -P ${PROJECT_SOURCE_DIR}/src/service/embed.cmake
  DEPENDS ${SERVICE_ASSET_FILES} ${PROJECT_SOURCE_DIR}/src/service/embed.cmake
  VERBATIM)
target_sources(interdict_core PRIVATE ${SERVICE_ASSETS_C})
