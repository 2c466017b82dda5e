#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the Debian packages (cmake/Packaging.cmake) from a Release build of the product targets
# only, in ${PACKAGE_BUILD_DIR:-build-package}: reservo-ws, reservo-monitor and reservo-tools,
# written to $PACKAGE_BUILD_DIR/packages/. Extra arguments go to CMake's configure step, e.g.
# -DCMAKE_CXX_COMPILER_LAUNCHER=ccache. scripts/check-packages.sh installs and checks them.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${PACKAGE_BUILD_DIR:-build-package}

# dpkg-dev has dpkg-shlibdeps, which CPack asks for each package's dependencies; CPack finds the
# executables to ask about with `file`.
scripts/install-deps.sh packaging

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRESERVO_BUILD_TESTS=OFF \
  -DCMAKE_INSTALL_PREFIX=/usr "$@" >/dev/null
cmake --build "$build_dir" --target reservo-ws reservo-monitor reservo-events-sim reservo-watch reservo-bench
rm -rf "$build_dir/packages"
(cd "$build_dir" && cpack -G DEB -B "$PWD/packages" >cpack.log) || {
  cat "$build_dir/cpack.log" >&2; exit 1
}
ls -1 "$build_dir"/packages/*.deb
