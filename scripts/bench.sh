#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The standard benchmark: builds Release, starts nats-server and a fresh reservo-ws per scenario on
# free loopback ports, runs the reservo-bench scenarios of docs/BENCHMARKS.md (idle up to 20k
# connections, fan-out at 10k/50k/100k deliveries/s with 1,000 and 10,000 clients, a ramp to
# saturation, one hot room of 5,000, slow readers, join storms), prints one table and stops
# everything it started. No events service runs for the fan-out scenarios: the server's seat-map
# fetches fail fast (no responders), which does not touch the fan-out path; every room and seat the
# bench uses is new to the server. The join storms need a real event: reservo-events-sim serves one
# of JOIN_SEATS seats, and nats-server runs with max_payload 8MB (its events.get.id reply is 92 bytes
# a seat, over the default 1 MB from about 11,000 seats).
# Bounded: scenarios that would end past BENCH_BUDGET seconds (default 540) are skipped.
#   BUILD_DIR=dir      build directory (default build-bench)
#   BENCH_OUT=dir      where JSON reports and logs go (default $BUILD_DIR/bench-results/<time>)
#   BENCH_QUICK=1      3 s windows and fewer clients: a smoke run of the whole script
#   BENCH_URL=url      measure another Socket.IO server already running (needs BENCH_PID)
#   BENCH_VARIANTS="ws socketio"  run each scenario once per word, back to back, so that all see
#                      the same machine load (labels get " [word]", repeats " [word #2]"):
#                        ws              reservo-ws as built
#                        ws+VAR=value    reservo-ws with that environment (several: ws+A=1+B=2),
#                                        e.g. ws+RESERVO_SOCKET_WRITES=send
#                        socketio        tools/bench/reference: socket.io 4.8 with the original
#                                        NestJS service's events (needs Node.js; npm ci here)
#                        floor           reservo-bench-floor: the fan-out alone, one thread, no
#                                        product logic (floor-send: one send() per client, the
#                                        raw epoll reference of issue 5); a join gets the room's
#                                        snapshot pre-encoded
#                        base            BENCH_BASE_WS: another build of reservo-ws (e.g. of the
#                                        base commit), measured beside this one
#   BENCH_BASE_WS=path the reservo-ws of the `base` variant
#   JOIN_SEATS, JOIN_NEWCOMERS, JOIN_VIEWERS, JOIN_CHANGES  the join storms' S, N, W and C
#                      (default 5000, 5000 or what RLIMIT_NOFILE allows, 100, 50 changes/s)
#   JOIN_TIMEOUT=s     the longest storm (default 240, quick 90; at most 600)
#   BENCH_DISPATCHERS="qt epoll"  the same for RESERVO_EVENT_DISPATCHER, labelled " [qt]"...
#   BENCH_ONLY=regex   run only the scenarios whose name matches (grep -E), e.g. 'idle|10k @'
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build-bench}
out=${BENCH_OUT:-$build/bench-results/$(date -u +%Y%m%dT%H%M%SZ)}
budget=${BENCH_BUDGET:-540}
quick=${BENCH_QUICK:-0}
variants=${BENCH_VARIANTS:-}
for d in ${BENCH_DISPATCHERS:-}; do variants+=" ws+RESERVO_EVENT_DISPATCHER=$d"; done
for v in $variants; do
  case $v in
    ws | ws+*=* | socketio | floor | floor-send | base) ;;
    *) echo "bench.sh: unknown BENCH_VARIANTS word '$v' (ws, ws+VAR=value, socketio, floor, floor-send, base)" >&2; exit 2 ;;
  esac
done
if [[ " $variants " == *" base "* ]] && [ ! -x "${BENCH_BASE_WS:-}" ]; then
  echo "bench.sh: the base variant needs BENCH_BASE_WS=<a reservo-ws executable>" >&2; exit 2
fi
started=$SECONDS
mkdir -p "$out"
pids=()

cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[bench %3ds] %s\n' $((SECONDS - started)) "$*" >&2; }
die() { log "error: $*"; exit 1; }

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    port_is_free "$p" && { echo "$p"; return 0; }
  done
  die "no free loopback port found"
}
wait_for() { # wait_for <what> <command...>: poll up to 20 s
  local what=$1; shift
  for _ in $(seq 1 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  die "$what did not come up"
}
http_ok() { # http_ok <port> <path>: a 200 from the service, with curl or bash alone
  if command -v curl >/dev/null; then curl -fs "http://127.0.0.1:$1$2"; return; fi
  exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET %s HTTP/1.0\r\n\r\n' "$2" >&3 && head -1 <&3 | grep -q ' 200 '
}
stop_pid() { # SIGTERM, then SIGKILL after 5 s; only processes this script started
  local pid=$1
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local kept=()
  for p in "${pids[@]}"; do [ "$p" != "$pid" ] && kept+=("$p"); done
  pids=("${kept[@]}")
}

log "building Release in $build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRESERVO_BUILD_TESTS=OFF >"$out/cmake.log"
cmake --build "$build" --target reservo-bench reservo-ws reservo-bench-floor reservo-events-sim \
  >>"$out/cmake.log"
bench_bin="$build/tools/bench/reservo-bench"
floor_bin="$build/tools/bench/floor/reservo-bench-floor"
sim_bin="$build/tools/sim/reservo-events-sim"
if [[ " $variants " == *" socketio "* ]]; then
  command -v node >/dev/null || die "the socketio variant needs Node.js"
  npm ci --prefix tools/bench/reference --no-audit --no-fund --loglevel=error >>"$out/cmake.log" 2>&1 ||
    die "npm ci in tools/bench/reference failed (see $out/cmake.log)"
fi
ws_bin="$build/service/reservo-ws"

# Descriptors and memory decide how many idle connections this machine can hold: both processes
# need one descriptor per connection.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fd_limit=$(ulimit -n)
mem_mb=$(awk '/MemAvailable/{print int($2/1024)}' /proc/meminfo)
idle_clients=20000
[ "$fd_limit" != unlimited ] && [ "$fd_limit" -lt $((idle_clients + 200)) ] && idle_clients=$((fd_limit - 200))
[ $((mem_mb / 2)) -lt $((idle_clients / 10)) ] && idle_clients=$((mem_mb * 5))
window=10; big=10000; ramp="20000:300000:20000:3"; ramp_big="10000:100000:10000:3"
slow_window=30; idle_window=30
join_seats=${JOIN_SEATS:-5000}; join_newcomers=${JOIN_NEWCOMERS:-5000}
join_viewers=${JOIN_VIEWERS:-100}; join_changes=${JOIN_CHANGES:-50}; join_timeout=${JOIN_TIMEOUT:-240}
if [ "$quick" = 1 ]; then
  window=3; big=2000; slow_window=5; idle_window=5
  idle_clients=$((idle_clients < 3000 ? idle_clients : 3000))
  ramp="10000:60000:25000:2"; ramp_big=$ramp
  join_newcomers=${JOIN_NEWCOMERS:-500}; join_viewers=${JOIN_VIEWERS:-20}
  join_timeout=${JOIN_TIMEOUT:-90}
fi
# A join storm's viewers, newcomers and probe each hold a descriptor, in the bench and the server.
[ "$fd_limit" != unlimited ] && [ "$fd_limit" -lt $((join_newcomers + join_viewers + 200)) ] &&
  join_newcomers=$((fd_limit - join_viewers - 200))

nats_bin=${NATS_SERVER_EXE:-$(command -v nats-server || true)}
[ -z "$nats_bin" ] && [ -x /usr/sbin/nats-server ] && nats_bin=/usr/sbin/nats-server
[ -n "$nats_bin" ] || die "nats-server not found: install it or set NATS_SERVER_EXE"
nats_port=$(free_port)
# nats-server 2.9 sets max_payload only in a configuration file.
printf 'listen: 127.0.0.1:%s\nmax_payload: 8MB\n' "$nats_port" >"$out/nats.conf"
"$nats_bin" -c "$out/nats.conf" >"$out/nats.log" 2>&1 & pids+=($!)
wait_for nats-server bash -c "exec 3<>/dev/tcp/127.0.0.1/$nats_port"
nats_url="nats://127.0.0.1:$nats_port"

ws_pid=''; ws_port=''
ws_is_up() { # ws_is_up <pid> <port>: polls /readyz up to 20 s; false as soon as the process exits
  for _ in $(seq 1 100); do
    kill -0 "$1" 2>/dev/null || return 1
    http_ok "$2" /readyz >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}
start_ws() { # start_ws <name> <variant or ""> [reservo-ws flags...]: a fresh server per scenario
  local name=$1 variant=$2 attempt settings=() command; shift 2
  [[ "$variant" == ws+* ]] && IFS=+ read -r -a settings <<<"${variant#ws+}"
  for attempt in 1 2 3; do
    ws_port=$(free_port)
    case $variant in
      socketio) command=(node tools/bench/reference/server.mjs --host 127.0.0.1 --port "$ws_port" --nats-server "$nats_url") ;;
      floor|floor-send)
        command=("$floor_bin" --port "$ws_port" --nats-server "$nats_url" --writes "$([ "$variant" = floor ] && echo io_uring || echo send)") ;;
      base) command=("$BENCH_BASE_WS" --host 127.0.0.1 --port "$ws_port" --nats-server "$nats_url" "$@") ;;
      ''|ws|ws+*) command=("$ws_bin" --host 127.0.0.1 --port "$ws_port" --nats-server "$nats_url" "$@") ;;
    esac
    env "${settings[@]}" "${command[@]}" >"$out/$name.ws.log" 2>&1 &
    ws_pid=$!; pids+=("$ws_pid")
    ws_is_up "$ws_pid" "$ws_port" && return 0
    log "server did not come up on port $ws_port (attempt $attempt): $(tail -1 "$out/$name.ws.log")"
    stop_pid "$ws_pid"
  done
  die "server did not come up"
}

# scenario <name> <seconds it may take> <reservo-ws flags> -- <reservo-bench flags...>
# With BENCH_VARIANTS, once per variant in a row, so that all see the same machine load.
scenario() {
  local name=$1 seconds=$2 ws_flags=$3 v label; shift 4
  if [ -n "${BENCH_ONLY:-}" ] && ! printf '%s' "$name" | grep -qE "$BENCH_ONLY"; then return 0; fi
  if [ -z "$variants" ]; then run_scenario "$name" "$seconds" "$ws_flags" "" "$@"; return; fi
  local -A runs=()
  for v in $variants; do
    if [[ $name == join-storm* && $v == socketio ]]; then
      log "skipping $name [socketio]: the reference server sends no snapshot"; continue
    fi
    runs[$v]=$((${runs[$v]:-0} + 1))
    label="$name [${v#ws+RESERVO_EVENT_DISPATCHER=}]"
    [ "${runs[$v]}" -gt 1 ] && label="$name [${v#ws+RESERVO_EVENT_DISPATCHER=} #${runs[$v]}]"
    run_scenario "$label" "$seconds" "$ws_flags" "$v" "$@"
  done
}

run_scenario() { # run_scenario <label> <seconds> <reservo-ws flags> <variant> <bench flags...>
  local name=$1 seconds=$2 ws_flags=$3 variant=$4; shift 4
  if [ $((SECONDS - started + seconds)) -gt "$budget" ]; then
    log "skipping $name: it could end past the ${budget} s budget"; return 0
  fi
  local url pid file
  file="$out/$(printf '%s' "$name" | tr -c 'A-Za-z0-9%.\n' '-')"
  if [ -n "${BENCH_URL:-}" ]; then url=$BENCH_URL; pid=${BENCH_PID:?BENCH_URL needs BENCH_PID}
  else
    # shellcheck disable=SC2086
    start_ws "$(basename "$file")" "$variant" $ws_flags
    url="ws://127.0.0.1:$ws_port/socket.io/"; pid=$ws_pid
  fi
  log "$name: $* (load $(cut -d' ' -f1-3 /proc/loadavg))"
  timeout $((seconds + 60)) "$bench_bin" --url "$url" --nats-server "$nats_url" --server-pid "$pid" \
    --label "$name" --json "$@" >"$file.json" 2>"$file.bench.log" ||
    log "$name: reservo-bench failed, see $file.bench.log"
  [ -s "$file.json" ] && reports+=("$file.json")
  [ -n "${BENCH_URL:-}" ] || stop_pid "$ws_pid"
}

# W viewers in one room of S seats at C changes/s, then N newcomers join at once: the original
# client's JSON join, then compact joins naming the layout they hold. A server that fell behind
# gets up to 30 s after the changes stop to deliver what it owes the viewers (--drain). One events
# simulator serves the event to every server in turn; each server is fresh, so the room is too.
join_storms() {
  if [ -n "${BENCH_ONLY:-}" ] && ! printf 'join-storm json\njoin-storm compact\n' | grep -qE "$BENCH_ONLY"; then
    return 0
  fi
  "$sim_bin" --seats "$join_seats" --events 1 --rate 0 --nats-server "$nats_url" \
    >"$out/sim.out" 2>"$out/sim.log" & pids+=($!)
  local sim_pid=$! event='' mode
  for _ in $(seq 1 100); do
    event=$(awk '$1 == "event" { print $2; exit }' "$out/sim.out")
    [ -n "$event" ] && break; sleep 0.2
  done
  [ -n "$event" ] || die "reservo-events-sim printed no event (see $out/sim.log)"
  log "join storms: event $event, $join_seats seats, $join_viewers viewers, $join_newcomers newcomers, $join_changes changes/s"
  for mode in json compact; do
    scenario "join-storm $mode" $((join_timeout + 180)) "" -- --scenario join-storm --events "$event" \
      --clients "$join_viewers" --newcomers "$join_newcomers" --changes "$join_changes" \
      --snapshot "$mode" --storm-timeout "$join_timeout" --connect-timeout 100 --drain 30
  done
  stop_pid "$sim_pid"
}

uptime_start=$(uptime)
reports=()
# The idle window spans one Engine.IO ping interval (25 s): heartbeats are the idle server's work.
scenario "idle $idle_clients" $((idle_window + 130)) "" -- --scenario idle --clients "$idle_clients" \
  --rooms $((idle_clients / 100)) --duration "$idle_window" --connect-timeout 100
for rate in 10000 50000 100000; do
  scenario "fanout 1k @$((rate / 1000))k" $((window + 25)) "" -- --clients 1000 --rooms 10 --rate "$rate" --duration "$window"
done
for rate in 10000 50000 100000; do
  scenario "fanout $((big / 1000))k @$((rate / 1000))k" $((window + 40)) "" -- --clients "$big" --rooms $((big / 100)) --rate "$rate" --duration "$window"
done
scenario "ramp 1k" 90 "" -- --scenario ramp --clients 1000 --rooms 10 --ramp "$ramp"
scenario "ramp $((big / 1000))k" 80 "" -- --scenario ramp --clients "$big" --rooms $((big / 100)) --ramp "$ramp_big"
scenario "hot room 5k" $((window + 35)) "" -- --scenario hot-room --clients 5000 --rate 50000 --duration "$window"
# 1,000 deliveries/s per client: a slow reader fills the kernel's socket buffers (up to tcp_wmem's
# 4 MB) within the window, so the server's supersede path is reached.
scenario "slow readers 10%" $((slow_window + 40)) "" -- \
  --scenario slow-readers --clients 100 --rooms 1 --rate 100000 --slow 10 --duration "$slow_window" --drain 10
join_storms
stop_pid "${pids[0]}"

{
  echo "reservo-bench $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $((mem_mb / 1024)) GB available, kernel $(uname -r), RLIMIT_NOFILE $fd_limit"
  echo "load at start: ${uptime_start##*load average: }; at end: $(uptime | sed 's/.*load average: //')"
  echo "reports: $out"
  echo
  [ ${#reports[@]} -gt 0 ] && "$bench_bin" --summarize "${reports[@]}"
} | tee "$out/summary.md"
log "done in $((SECONDS - started)) s"
