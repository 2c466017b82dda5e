#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The test command: installs dependencies, builds, and runs every ctest suite (unit, integration
# against real nats-server processes the tests start themselves, and compat with the real
# socket.io-client from npm). Extra arguments go to ctest, e.g. `scripts/test.sh -L unit`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
npm ci --prefix tests/compat --no-audit --no-fund --loglevel=error
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --timeout 600 "$@"
