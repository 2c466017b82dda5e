#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The live demo: builds, starts nats-server, reservo-ws and the events simulator changing seats,
# then shows the seat changes of the first event arriving in a terminal watcher, as a browser sees
# them, serves the browser example (examples/web) and prints its URL, and opens reservo-monitor
# when a display is available. Ctrl-C stops everything it started.
# DEMO_SECONDS=N stops it after N seconds; WEB_PORT=N serves the page there (default 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
# The example page's socket.io-client browser bundle.
npm ci --prefix examples/web --no-audit --no-fund --loglevel=error
bin=${BUILD_DIR:-build}
nats_port=${NATS_PORT:-4222}
ws_port=${PORT:-3000}
web_port=${WEB_PORT:-8080}
rate=${DEMO_RATE:-2}
logs=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "demo stopped; logs in $logs"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

wait_for() { # wait_for <what> <command...>: poll up to 20 s
  local what=$1; shift
  for _ in $(seq 1 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "demo: $what did not come up; see $logs" >&2; exit 1
}

if ! (exec 3<>"/dev/tcp/127.0.0.1/$nats_port") 2>/dev/null; then
  nats-server -a 127.0.0.1 -p "$nats_port" >"$logs/nats.log" 2>&1 & pids+=($!)
  wait_for nats-server bash -c "exec 3<>/dev/tcp/127.0.0.1/$nats_port"
fi
export NATS_SERVER="nats://127.0.0.1:$nats_port"
PORT=$ws_port "$bin/service/reservo-ws" >"$logs/reservo-ws.log" 2>&1 & pids+=($!)
wait_for reservo-ws curl -fs "http://127.0.0.1:$ws_port/readyz"
"$bin/tools/sim/reservo-events-sim" --rate "$rate" >"$logs/sim.out" 2>"$logs/sim.log" & pids+=($!)
wait_for reservo-events-sim grep -q '^event ' "$logs/sim.out"
event=$(awk '/^event /{print $2; exit}' "$logs/sim.out")
# Another port, so another origin than the service, as a real frontend.
node examples/web/serve.mjs --host 127.0.0.1 --port "$web_port" >"$logs/web.log" 2>&1 & pids+=($!)
wait_for "the example page's server (port $web_port)" grep -q '^http://' "$logs/web.log"
page="$(head -1 "$logs/web.log")?server=http://127.0.0.1:$ws_port&event=$event"

cat <<INFO
Reservo Live demo
  nats-server      $NATS_SERVER
  reservo-ws       ws://127.0.0.1:$ws_port/socket.io/  (metrics: http://127.0.0.1:$ws_port/metrics)
  simulator        $rate seat changes/s over $(grep -c '^event ' "$logs/sim.out") events
  watching event   $event
  browser page     $page
Seat changes appear below as they reach a client. Ctrl-C stops the demo.
INFO
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${DEMO_NO_MONITOR:-}" ]; then
  echo "Opening reservo-monitor on every event (DEMO_NO_MONITOR=1 to skip)."
  monitor_events=()
  for id in $(awk '/^event /{print $2}' "$logs/sim.out"); do monitor_events+=(--event "$id"); done
  "$bin/monitor/reservo-monitor" --url "http://127.0.0.1:$ws_port" "${monitor_events[@]}" \
    >"$logs/monitor.log" 2>&1 & pids+=($!)
fi
if [ -n "${DEMO_SECONDS:-}" ]; then
  timeout "$DEMO_SECONDS" "$bin/tools/watch/reservo-watch" --url "http://127.0.0.1:$ws_port" --event "$event" || true
else
  "$bin/tools/watch/reservo-watch" --url "http://127.0.0.1:$ws_port" --event "$event"
fi
