#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian packages that scripts/package.sh built and checks them as an operator would
# meet them: apt-get installs them with their dependencies; every binary runs from /usr/bin; the
# unit is enabled and passes `systemd-analyze verify` (its exposure score at most 2.5); the menu
# entry validates; the environment file and the alerts are where the unit and Prometheus look; the
# installed reservo-ws, started as an unprivileged user with the environment file's settings, gets
# ready and exits 0 on SIGTERM; the alerts' unit tests pass; and a purge leaves nothing behind.
# Needs root (apt-get). Works without systemd as PID 1 (a container): nothing is started by it.
#   KEEP_PACKAGES=1 scripts/check-packages.sh   leave the packages installed
set -euo pipefail
cd "$(dirname "$0")/.."
packages_dir=${PACKAGE_BUILD_DIR:-build-package}/packages
started=$SECONDS
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
log() { printf '[check-packages %3ds] %s\n' $((SECONDS - started)) "$*"; }
die() { log "FAILED: $*"; exit 1; }
wait_for() { # wait_for <what> <command...>: poll up to 20 s
  local what=$1; shift
  for _ in $(seq 1 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  die "$what"
}
port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    port_is_free "$p" && { echo "$p"; return 0; }
  done
  die "no free loopback port found"
}

scripts/install-deps.sh packaging
shopt -s nullglob
debs=("$packages_dir"/reservo-ws_*.deb "$packages_dir"/reservo-monitor_*.deb "$packages_dir"/reservo-tools_*.deb)
[ ${#debs[@]} -eq 3 ] || die "expected 3 packages in $packages_dir (run scripts/package.sh): ${debs[*]}"
log "installing ${debs[*]##*/}"
# apt-get wants a path with a slash to take a file for a package name.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "${debs[@]/#/$PWD/}" >/tmp/check-packages-apt.log 2>&1 || { cat /tmp/check-packages-apt.log; die "apt-get install"; }

for bin in reservo-ws reservo-events-sim reservo-watch reservo-bench reservo-monitor; do
  [ "$(command -v "$bin")" = "/usr/bin/$bin" ] || die "$bin is not /usr/bin/$bin"
done
/usr/bin/reservo-ws --help | grep -q '^Usage: reservo-ws' || die "/usr/bin/reservo-ws --help"
log "/usr/bin/reservo-ws --help: $(/usr/bin/reservo-ws --help | grep -c '\[[A-Z_]*\]$') settings"
for bin in reservo-events-sim reservo-watch reservo-bench; do
  "/usr/bin/$bin" --help >/dev/null || die "/usr/bin/$bin --help"
done
QT_QPA_PLATFORM=offscreen /usr/bin/reservo-monitor --help >/dev/null || die "/usr/bin/reservo-monitor --help"

unit=$(dpkg -L reservo-ws | grep '/systemd/system/reservo-ws.service$')
env_file=/etc/default/reservo-ws
# postinst enables the unit as debhelper would, with or without systemd running.
wants=/etc/systemd/system/multi-user.target.wants/reservo-ws.service
[ "$(readlink "$wants")" = "$unit" ] || die "postinst did not enable reservo-ws.service ($wants)"
# --man=no: the unit names no man page, and a container may have no man-db to ask.
if ! systemd-analyze verify --man=no "$unit" >/tmp/check-packages-verify.log 2>&1 ||
  [ -s /tmp/check-packages-verify.log ]; then
  cat /tmp/check-packages-verify.log; die "systemd-analyze verify $unit"
fi
log "systemd-analyze verify $unit: clean"
exposure=$(systemd-analyze security --offline=yes "$unit" 2>/dev/null | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
log "systemd-analyze security: overall exposure ${exposure:-?} (0 = most restricted, 10 = none)"
awk -v e="${exposure:-10}" 'BEGIN { exit !(e <= 2.5) }' || die "the unit's exposure ${exposure:-?} is above 2.5"
grep -q "^EnvironmentFile=-$env_file$" "$unit" || die "the unit does not read $env_file"
[ "$(stat -c '%a %U' "$env_file")" = "600 root" ] || die "$env_file is not 600 root"
dpkg-query --showformat='${Conffiles}\n' --show reservo-ws | grep -q "$env_file" || die "$env_file is no conffile"
desktop-file-validate "$(dpkg -L reservo-monitor | grep '\.desktop$')" || die "desktop-file-validate"
[ -f /usr/share/icons/hicolor/scalable/apps/reservo-monitor.svg ] || die "no icon"
promtool check rules /usr/share/reservo-ws/prometheus/alerts.yml >/dev/null || die "promtool check rules"
promtool test rules deploy/prometheus/alerts.test.yml || die "promtool test rules"

# The installed service, as systemd would run it: its environment file's settings (all commented
# out: the defaults), an unprivileged user, an empty working directory; SIGTERM must end it with 0.
nats_port=$(free_port); ws_port=$(free_port)
nats-server -a 127.0.0.1 -p "$nats_port" >/tmp/check-packages-nats.log 2>&1 & pids+=($!)
wait_for "nats-server did not come up" bash -c "exec 3<>/dev/tcp/127.0.0.1/$nats_port"
workdir=$(mktemp -d); chmod 755 "$workdir"
(
  set -a; . "$env_file"; set +a
  cd "$workdir"
  exec setpriv --reuid=nobody --regid=nogroup --clear-groups --no-new-privs \
    env PORT="$ws_port" HOST=127.0.0.1 NATS_SERVER="nats://127.0.0.1:$nats_port" /usr/bin/reservo-ws
) >/tmp/check-packages-ws.log 2>&1 &
ws_pid=$!; pids+=("$ws_pid")
wait_for "the installed reservo-ws did not get ready (see /tmp/check-packages-ws.log)" \
  curl -fs "http://127.0.0.1:$ws_port/readyz"
[ "$(ps -o user= -p "$ws_pid")" = nobody ] || die "reservo-ws does not run as nobody"
kill -TERM "$ws_pid"
status=0; wait "$ws_pid" || status=$?
[ "$status" -eq 0 ] || die "reservo-ws exited $status on SIGTERM (see /tmp/check-packages-ws.log)"
log "installed reservo-ws: ready as nobody on the defaults, exit 0 on SIGTERM"
rm -rf "$workdir"

if [ -z "${KEEP_PACKAGES:-}" ]; then
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq reservo-ws reservo-monitor reservo-tools >/tmp/check-packages-apt.log 2>&1 ||
    { cat /tmp/check-packages-apt.log; die "apt-get purge"; }
  for f in /usr/bin/reservo-ws "$unit" "$env_file" /usr/share/reservo-ws "$wants"; do
    [ ! -e "$f" ] || die "$f is left after the purge"
  done
  log "purged: nothing left"
fi
log "all package checks passed"
