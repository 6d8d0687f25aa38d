#!/usr/bin/env bash
# Runs every fuzz target (one per fuzz/fuzz_*.cpp) for SECONDS (default 60) on a scratch copy
# of its seed corpus, so the committed seeds stay small; JOBS targets at a time (default 1).
# Prints one summary line per target and exits non-zero if any target crashed, broke a
# property, reported a sanitizer error, timed out or is missing.
# Usage: fuzz/run_all.sh [build-dir] [seconds] [jobs]
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-fuzz}
seconds=${2:-60}
jobs=${3:-1}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

targets=()
for source in fuzz/fuzz_*.cpp; do
  targets+=("$(basename "$source" .cpp)")
done

# One target: its log in $logs/<target>.log, libFuzzer's exit status in $logs/<target>.rc.
run_one() {
  local target=$1 work
  work=$(mktemp -d)
  [ -d "fuzz/corpus/$target" ] && cp "fuzz/corpus/$target/"* "$work"/ 2>/dev/null
  if [ ! -x "$build/fuzz/$target" ]; then
    echo "not built: $build/fuzz/$target" >"$logs/$target.log"
    echo 127 >"$logs/$target.rc"
    rm -rf "$work"
    return
  fi
  # -max_total_time ends the run; timeout is the backstop if libFuzzer itself hangs (a stuck
  # input is caught by -timeout, per input).
  timeout --kill-after=10 $((seconds + 60)) \
    "$build/fuzz/$target" -max_total_time="$seconds" -timeout=10 -max_len=4096 \
    -rss_limit_mb=1536 -print_final_stats=1 -artifact_prefix="$build/fuzz/crash-$target-" \
    "$work" >"$logs/$target.log" 2>&1
  echo $? >"$logs/$target.rc"
  rm -rf "$work"
}

running=0
for target in "${targets[@]}"; do
  if ((running >= jobs)); then
    wait -n
    running=$((running - 1))
  fi
  run_one "$target" &
  running=$((running + 1))
done
wait

status=0
for target in "${targets[@]}"; do
  log="$logs/$target.log"
  rc=$(cat "$logs/$target.rc" 2>/dev/null || echo 1)
  # The last status line: "#1043689 DONE cov: 271 ft: 1110 corp: 250/11584b ...".
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$done_line")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$done_line")
  corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$done_line")
  if [ "$rc" -eq 0 ] && [ -n "$done_line" ]; then
    printf '%-32s ok      %10s runs in %ss  cov: %-5s ft: %-6s corpus: %s\n' \
      "$target" "${runs:-?}" "$seconds" "${cov:-?}" "${ft:-?}" "${corp:-?}"
  else
    status=1
    printf '%-32s FAILED  (exit %s)\n' "$target" "$rc"
    grep -E '==[0-9]+==ERROR|SUMMARY|runtime error|deadly signal|Test unit written|not built' \
      "$log" | head -20 | sed 's/^/    /'
    grep -E '^ +#[0-9]+ ' "$log" | grep -v -E 'in (__sanitizer|fuzzer::|abort|raise|gsignal)|libc\.so' |
      head -8 | sed 's/^/    /'
  fi
done
exit $status
