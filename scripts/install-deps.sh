#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what building, the demo and the tests need, from Debian 12 packages only.
# Extra groups: `browser` (chromium, for ctest -L browser), `packaging` (what scripts/package.sh
# and scripts/check-packages.sh need).
#   scripts/install-deps.sh [browser] [packaging]
set -euo pipefail

packages=(cmake ninja-build g++ pkg-config qt6-base-dev qt6-websockets-dev libnats-dev liburing-dev nats-server prometheus
          curl ca-certificates)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
for group in "$@"; do
  case $group in
    browser) packages+=(chromium) ;;
    # dpkg-dev: dpkg-shlibdeps; file: CPack finds executables with it; systemd: systemd-analyze;
    # desktop-file-utils: desktop-file-validate.
    packaging) packages+=(dpkg-dev file systemd desktop-file-utils) ;;
    *) echo "install-deps: unknown group '$group' (browser, packaging)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
