#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 60) on a scratch copy of its seed corpus, so the
# committed seeds stay small. Usage: fuzz/run_all.sh [build-dir] [seconds]
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-fuzz}
seconds=${2:-60}
status=0
for seeds in fuzz/corpus/*/; do
  target=$(basename "$seeds")
  work=$(mktemp -d)
  cp "$seeds"* "$work"/
  echo "== $target (${seconds}s)"
  if ! "$build/fuzz/$target" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=1024 \
      -print_final_stats=1 -artifact_prefix="$build/fuzz/crash-$target-" "$work" 2>&1 | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY|.*runtime error)"; then
    :
  fi
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "!! $target FAILED"; status=1; }
  rm -rf "$work"
done
exit $status
