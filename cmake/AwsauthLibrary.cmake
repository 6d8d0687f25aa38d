# What every awsauth library target shares: the C++ standard its headers need and the export
# name (awsauth::<name>, also its in-tree alias).

# awsauth/version.hpp is generated into the build tree from project(VERSION).
set(AWSAUTH_GENERATED_INCLUDE_DIR "${PROJECT_BINARY_DIR}/generated/include")
configure_file("${PROJECT_SOURCE_DIR}/cmake/version.hpp.in"
               "${AWSAUTH_GENERATED_INCLUDE_DIR}/awsauth/version.hpp" @ONLY)

function(awsauth_library target export_name)
  add_library(awsauth::${export_name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${export_name})
  target_compile_features(${target} PUBLIC cxx_std_20)
endfunction()
