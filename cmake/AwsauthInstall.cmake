# cmake --install: the public headers (core/include, signer/include, providers/include and the
# generated version.hpp/export.hpp; never the internal headers under */src), the libraries,
# lib/cmake/awsauth (the package: config, version, one exported-targets file per component)
# and lib/pkgconfig (awsauth.pc, awsauth-signer.pc). CPack packages the same tree.
include(CMakePackageConfigHelpers)

set(AWSAUTH_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/awsauth")

foreach(dir core/include signer/include providers/include)
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/${dir}/" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
          FILES_MATCHING PATTERN "*.hpp")
endforeach()
install(DIRECTORY "${AWSAUTH_GENERATED_INCLUDE_DIR}/" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")

# One export set per component, so that awsauthConfig.cmake loads (and finds the dependencies
# of) only what was asked for: a signer-only program needs OpenSSL and nothing else.
set(AWSAUTH_EXPORTS
  base awsauth_base
  signer awsauth_signer
  core awsauth_core
  providers awsauth_providers
  poco awsauth_poco
  all awsauth_all)
while(AWSAUTH_EXPORTS)
  list(POP_FRONT AWSAUTH_EXPORTS component target)
  install(TARGETS ${target} EXPORT awsauth-${component}-targets
          ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
          LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
          RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
  install(EXPORT awsauth-${component}-targets NAMESPACE awsauth::
          DESTINATION "${AWSAUTH_CMAKE_DIR}")
endwhile()

if(BUILD_SHARED_LIBS)
  set(AWSAUTH_STATIC_INSTALL FALSE)
else()
  set(AWSAUTH_STATIC_INSTALL TRUE)
endif()
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/awsauthConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/awsauthConfig.cmake" INSTALL_DESTINATION "${AWSAUTH_CMAKE_DIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/awsauthConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/awsauthConfig.cmake"
              "${PROJECT_BINARY_DIR}/awsauthConfigVersion.cmake"
        DESTINATION "${AWSAUTH_CMAKE_DIR}")

# pkg-config. The prefix is found from the .pc file's own place, so an install moved with
# `cmake --install --prefix` (or a package) is found where it is. Poco ships no .pc files on
# Debian: its libraries are in Libs.private; OpenSSL's are required privately by name.
file(RELATIVE_PATH AWSAUTH_PC_TO_PREFIX "${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig"
     "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/$" "" AWSAUTH_PC_TO_PREFIX "${AWSAUTH_PC_TO_PREFIX}")
foreach(pc awsauth awsauth-signer)
  configure_file("${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in" "${PROJECT_BINARY_DIR}/${pc}.pc" @ONLY)
  install(FILES "${PROJECT_BINARY_DIR}/${pc}.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
endforeach()

# cpack -G DEB / -G TGZ from the build directory: everything above plus the CLI, as one
# development package.
if(PROJECT_IS_TOP_LEVEL)
  set(CPACK_PACKAGE_NAME awsauth)
  set(CPACK_PACKAGE_VENDOR "awsauth")
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
  set(CPACK_PACKAGE_CONTACT "awsauth maintainers <awsauth-maintainers@example.org>")
  set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
  set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
      "AWS credential discovery and SigV4 signing for C++20 (development files and CLI)\n"
      "Libraries, headers, CMake package and pkg-config files of awsauth, and the awsauth\n"
      "command, which finds AWS credentials and signs HTTP requests.")
  set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  # The CLI's (and in a shared build the libraries') run-time libraries come from dpkg-shlibdeps;
  # the CMake package and the static libraries need Poco's and OpenSSL's development files.
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libpoco-dev, libssl-dev")
  set(CPACK_GENERATOR "TGZ;DEB")
  set(CPACK_SOURCE_GENERATOR "")
  include(CPack)
endif()
