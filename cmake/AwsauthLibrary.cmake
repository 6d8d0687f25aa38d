# What every awsauth library target shares: the C++ standard its headers need, the export name
# (awsauth::<name>), and, when shared, the library version, SONAME and hidden visibility so
# that only what the public headers mark AWSAUTH_API is exported.
#
# SOVERSION is MAJOR.MINOR: before 1.0 a minor release may change the ABI (docs/integration.md).
set(AWSAUTH_SOVERSION "${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}")

# awsauth/version.hpp and awsauth/export.hpp are generated into the build tree and installed
# beside the other public headers.
set(AWSAUTH_GENERATED_INCLUDE_DIR "${PROJECT_BINARY_DIR}/generated/include")
if(BUILD_SHARED_LIBS)
  set(AWSAUTH_SHARED_LIBS 1)
  set(AWSAUTH_LIBRARY_KIND shared)
else()
  set(AWSAUTH_SHARED_LIBS 0)
  set(AWSAUTH_LIBRARY_KIND static)
endif()
configure_file("${PROJECT_SOURCE_DIR}/cmake/version.hpp.in"
               "${AWSAUTH_GENERATED_INCLUDE_DIR}/awsauth/version.hpp" @ONLY)
configure_file("${PROJECT_SOURCE_DIR}/cmake/export.hpp.in"
               "${AWSAUTH_GENERATED_INCLUDE_DIR}/awsauth/export.hpp" @ONLY)

function(awsauth_library target export_name)
  add_library(awsauth::${export_name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES
    EXPORT_NAME ${export_name}
    VERSION ${PROJECT_VERSION}
    SOVERSION ${AWSAUTH_SOVERSION})
  target_compile_features(${target} PUBLIC cxx_std_20)
  if(BUILD_SHARED_LIBS)
    set_target_properties(${target} PROPERTIES
      CXX_VISIBILITY_PRESET hidden
      VISIBILITY_INLINES_HIDDEN ON
      # Installed, each library finds its siblings (providers needs base) wherever the prefix
      # is: an executable's RUNPATH only serves its own direct dependencies.
      INSTALL_RPATH "$ORIGIN"
      LINK_DEPENDS "${PROJECT_SOURCE_DIR}/cmake/awsauth.map")
    target_link_options(${target} PRIVATE
      "LINKER:--version-script=${PROJECT_SOURCE_DIR}/cmake/awsauth.map")
  endif()
endfunction()
