# What every awsauth library target shares: the C++ standard its headers need and the export
# name (awsauth::<name>, also its in-tree alias).
function(awsauth_library target export_name)
  add_library(awsauth::${export_name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${export_name})
  target_compile_features(${target} PUBLIC cxx_std_20)
endfunction()
