#!/usr/bin/env bash
# Instructions the signer's own code spends per sign() call, outside libcrypto, for one case of
# build/bench/awsauth_bench, counted with callgrind (stable on a noisy machine, unlike time).
# Two runs of different lengths are counted and their difference divided by the difference in
# sign() calls, so the warm-up call and Google Benchmark's trial runs cancel out.
# Usage: bash bench/callgrind_own_instructions.sh BM_Sign_W2_StsPost [BUILD_DIR]
set -euo pipefail
case_name=${1:?usage: $0 BENCHMARK_CASE [BUILD_DIR]}
bench="${2:-build}/bench/awsauth_bench"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Prints "<sign() calls> <instructions outside libcrypto>" for one callgrind run.
count() {
  local out="$scratch/run.$1"
  valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect='awsauth::signer::sign(*' \
    "$bench" --benchmark_filter="^${case_name}\$" --benchmark_min_time="$1" >/dev/null 2>&1
  callgrind_annotate --inclusive=no "$out" >"$out.txt" 2>/dev/null
  python3 - "$out" "$out.txt" <<'PY'
import re, sys
names, calls, callee = {}, 0, ""
for line in open(sys.argv[1]):
    m = re.match(r"(c?fn)=\((\d+)\)(?: (.*))?", line)
    if m:
        kind, ident, name = m.groups()
        if name:
            names[ident] = name
        if kind == "cfn":
            callee = names.get(ident, "")
        continue
    m = re.match(r"calls=(\d+)", line)
    if m and callee.startswith("awsauth::signer::sign("):
        calls += int(m.group(1))
lines = [l for l in open(sys.argv[2]) if l.strip()[:1].isdigit()]
total = next(int(l.split()[0].replace(",", "")) for l in lines if "PROGRAM TOTALS" in l)
crypto = sum(int(l.split()[0].replace(",", "")) for l in lines if "libcrypto" in l)
print(calls, total - crypto)
PY
}

read -r short_calls short_own < <(count 0.05)
read -r long_calls long_own < <(count 0.3)
echo "$case_name: $(((long_own - short_own) / (long_calls - short_calls))) instructions per sign() outside libcrypto ($((long_calls - short_calls)) calls)"
