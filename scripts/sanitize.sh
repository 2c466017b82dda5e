#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole test suite (unit, integration with real nats-server processes, compat with the npm
# socket.io-client) built with AddressSanitizer, LeakSanitizer and UBSan into build-asan. Any
# sanitizer report aborts the test that triggered it, including reports from the reservo-ws
# processes the integration and compat tests start. Extra arguments go to ctest, e.g.
# `scripts/sanitize.sh -L unit`. g++ by default; for clang use a fresh build directory:
# `CXX=clang++ SANITIZE_BUILD_DIR=build-asan-clang scripts/sanitize.sh`.
# Leaks inside Qt, GLib or nats.c that no caller can free would be suppressed in
# scripts/lsan.supp (none needed so far); the project's own code is never suppressed.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${SANITIZE_BUILD_DIR:-build-asan}
scripts/install-deps.sh
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRESERVO_SANITIZE=ON \
  >/dev/null
cmake --build "$build_dir"
npm ci --prefix tests/compat --no-audit --no-fund --loglevel=error

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp:print_suppressions=0"
command -v llvm-symbolizer >/dev/null && export ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer)
ctest --test-dir "$build_dir" --output-on-failure --timeout 900 "$@"
