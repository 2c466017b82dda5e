#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the libFuzzer targets in fuzz/ with clang (ASan + UBSan) into build-fuzz and runs each one
# for SECONDS (default 60) on a scratch copy of its seed corpus in fuzz/corpus/; the repo is never
# written to. Exits non-zero if any target crashes, leaks or hangs, and prints the reproducer.
#   scripts/fuzz.sh [SECONDS]          every target
#   FUZZ_TARGETS="natswire jwt" scripts/fuzz.sh 300
# Reproduce a finding: build-fuzz/fuzz/fuzz_<target> <reproducer file>
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build_dir=${FUZZ_BUILD_DIR:-build-fuzz}
targets=(${FUZZ_TARGETS:-enginepacket socketpacket serversession natswire websocketframe httprequest config jwt})

# clang 14 itself, and libclang-rt-14-dev for libFuzzer and the sanitizer runtimes; llvm-14 has
# llvm-symbolizer, without which the stacks in a crash report are bare addresses.
scripts/install-deps.sh
missing=()
for p in clang libclang-rt-14-dev llvm-14; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "fuzz: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

CC=clang CXX=clang++ cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DRESERVO_FUZZ=ON -DRESERVO_BUILD_TESTS=OFF >/dev/null
cmake --build "$build_dir" --target fuzzers

# UBSan only reports and continues unless told to stop; a finding must stop the fuzzer.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
command -v llvm-symbolizer >/dev/null && export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$(command -v llvm-symbolizer)}

run_dir="$build_dir/fuzz-runs/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$run_dir"
failed=()
summary=()
for t in "${targets[@]}"; do
  work="$run_dir/$t"
  mkdir -p "$work/corpus"
  cp fuzz/corpus/"$t"/* "$work/corpus/"
  dict=()
  [ -f "fuzz/$t.dict" ] && dict=(-dict="fuzz/$t.dict")
  echo "fuzz: $t for ${seconds}s (log $work/log)"
  status=0
  started=$SECONDS
  "$build_dir/fuzz/fuzz_$t" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1 || status=$?
  elapsed=$((SECONDS - started))
  execs=$(awk '/stat::number_of_executed_units/{print $2}' "$work/log")
  rate=$(awk '/stat::average_exec_per_sec/{print $2}' "$work/log")
  units=$(find "$work/corpus" -type f | wc -l)
  if [ "$status" -ne 0 ]; then
    failed+=("$t")
    reproducer=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$work/log" | tail -n 1)
    echo "fuzz: $t FAILED (exit $status); reproducer: ${reproducer:-none written, see $work/log}"
    grep -m 1 -A 40 -E '^==[0-9]+==ERROR|runtime error|fuzz property violated|ALARM|out-of-memory' \
      "$work/log" || tail -n 40 "$work/log"
    summary+=("$(printf '%-14s %6ss %10s execs %8s exec/s %6s inputs  FAILED' "$t" "$elapsed" "${execs:-?}" "${rate:-?}" "$units")")
  else
    summary+=("$(printf '%-14s %6ss %10s execs %8s exec/s %6s inputs  ok' "$t" "$elapsed" "${execs:-?}" "${rate:-?}" "$units")")
  fi
done

echo "fuzz summary ($run_dir):"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]}; reproducers and logs are in $run_dir" >&2
  exit 1
fi
