#!/usr/bin/env bash
# A consumer that uses pkg-config only, against a static install:
#   bash tests/consumers/pkg_config/build.sh PREFIX OUTPUT_DIR
# builds OUTPUT_DIR/sign_fixed_request (awsauth-signer.pc: OpenSSL only) and
# OUTPUT_DIR/compat_0_1 (awsauth.pc: everything) with the documented command line.
set -euo pipefail
prefix=$1
out=$2
here="$(cd "$(dirname "$0")" && pwd)"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
mkdir -p "$out"
# shellcheck disable=SC2046  # pkg-config's output is a list of words
g++ -std=c++20 "$here/../sign_fixed_request.cpp" -o "$out/sign_fixed_request" \
  $(pkg-config --cflags --libs --static awsauth-signer)
# shellcheck disable=SC2046
g++ -std=c++20 "$here/../find_package/compat_0_1.cpp" -o "$out/compat_0_1" \
  $(pkg-config --cflags --libs --static awsauth)
