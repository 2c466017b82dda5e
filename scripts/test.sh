#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The test command: installs dependencies, builds, and runs every ctest suite (unit, integration
# against real nats-server processes the tests start themselves, compat with the real
# socket.io-client from npm, deploy for the dashboard, alerts and environment file, and browser:
# the example page in Debian's chromium). Extra arguments go to ctest, e.g. `scripts/test.sh -L unit`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh browser
scripts/build.sh
for dir in tests/compat tests/browser examples/web; do
  npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
done
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --timeout 600 "$@"
