#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Soak run (not a CI test), loopback only: a fresh nats-server and reservo-ws, the events simulator
# publishing seat changes, two watchers (reservo-watch) connected throughout, then SOAK_CYCLES
# connect/join/disconnect cycles by reservo-bench (idle scenario, SOAK_BATCH clients per run) in
# rounds, with nats-server killed and restarted on the same port in the middle of the first while
# changes are being published and clients are connected. Reports the server's RSS in its steady
# state before, between and after the rounds (and after every batch, in rss.tsv), the errors counted
# on every side, and whether the watchers still receive updates after the NATS restart. Exits
# non-zero if any check fails. Bounded in count and time (SOAK_BUDGET seconds); stops everything it
# started.
#   SOAK_CYCLES=N      connect/join/disconnect cycles (default 10000; 1000 under valgrind/heaptrack)
#   SOAK_BATCH=N       clients per reservo-bench run (default 200)
#   SOAK_ROUNDS=N      rounds the cycles are split into, steady state between them (default 2)
#   SOAK_RATE=N        seat changes per second from the simulator (default 20)
#   SOAK_BUDGET=S      give up after S seconds (default 900)
#   SOAK_VALGRIND=1    run reservo-ws under valgrind --leak-check=full and report definite leaks
#   SOAK_HEAPTRACK=1   run reservo-ws under heaptrack and report what it leaked
#   BUILD_DIR=dir      build directory (default build-soak, RelWithDebInfo for readable stacks)
#   SOAK_OUT=dir       logs and reports (default $BUILD_DIR/soak-results/<time>)
# reservo-ws runs with ROOM_GRACE_MS=2000 and MAX_DISCONNECTION_DURATION_MS=10000, so the rooms and
# recovery sessions of a round expire within the run and RSS is compared in the same steady state.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build-soak}
out=${SOAK_OUT:-$build/soak-results/$(date -u +%Y%m%dT%H%M%SZ)}
valgrind=${SOAK_VALGRIND:-0}
heaptrack=${SOAK_HEAPTRACK:-0}
tool=none
[ "$valgrind" = 1 ] && tool=valgrind
[ "$heaptrack" = 1 ] && tool=heaptrack
[ "$valgrind" = 1 ] && [ "$heaptrack" = 1 ] && { echo "soak: SOAK_VALGRIND or SOAK_HEAPTRACK, not both" >&2; exit 2; }
default_cycles=10000
[ "$tool" != none ] && default_cycles=1000
cycles=${SOAK_CYCLES:-$default_cycles}
batch=${SOAK_BATCH:-200}
rounds=${SOAK_ROUNDS:-2}
rate=${SOAK_RATE:-20}
budget=${SOAK_BUDGET:-900}
slow=1 # waits are stretched under an instrumenting tool
[ "$tool" != none ] && slow=5
started=$SECONDS
mkdir -p "$out"
pids=()
failures=()

cleanup() {
  # Under heaptrack the service is the wrapper script's child: end it first, by its own pid.
  if [ -n "${ws_pid:-}" ] && [ "$ws_pid" != "${wrapper:-}" ] &&
    [ "$(cat "/proc/$ws_pid/comm" 2>/dev/null)" = reservo-ws ]; then
    kill "$ws_pid" 2>/dev/null || true
  fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[soak %4ds] %s\n' $((SECONDS - started)) "$*" >&2; }
die() { log "error: $*"; exit 1; }
expect() { # expect <what> <command...>: runs the check, records a failure and carries on
  local what=$1; shift
  if "$@"; then log "ok: $what"; else log "FAILED: $what"; failures+=("$what"); fi
}
over_budget() { [ $((SECONDS - started)) -ge "$budget" ]; }

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Below the kernel's ephemeral range: the churn's 10,000 client sockets take ports from that range,
# and a port that one of them holds cannot be listened on.
ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((10000 + RANDOM % (ephemeral_low > 12000 ? ephemeral_low - 10000 : 20000)))
    port_is_free "$p" && { echo "$p"; return 0; }
  done
  die "no free loopback port found"
}
wait_until() { # wait_until <seconds> <command...>: poll every 0.2 s
  local tries=$(($1 * 5)); shift
  for _ in $(seq 1 "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}
http_status() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$ws_port$1" || true; }
ready() { [ "$(http_status /readyz)" = 200 ]; }
not_ready() { [ "$(http_status /readyz)" = 503 ]; }
metric() { curl -fs "http://127.0.0.1:$ws_port/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
metric_is() { [ "$(metric "$1")" = "$2" ]; }
rss_kb() { awk '/^VmRSS/{print $2}' "/proc/$1/status" 2>/dev/null || echo -1; }
seat_lines() { grep -c '  seat ' "$1" || true; }
forget() { # forget <pid>: a process of ours that has exited and been waited for
  local kept=() p
  for p in "${pids[@]}"; do [ "$p" != "$1" ] && kept+=("$p"); done
  pids=("${kept[@]}")
}
stop_service() { # SIGTERM to reservo-ws itself, then waits for it (and its tool) to exit
  local grace=$1
  ws_status=0
  kill "$ws_pid" 2>/dev/null || true
  for _ in $(seq 1 $((grace * 10))); do kill -0 "$wrapper" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$wrapper" 2>/dev/null; then
    log "reservo-ws still running ${grace}s after SIGTERM: killed"
    kill -9 "$ws_pid" "$wrapper" 2>/dev/null || true
  fi
  wait "$wrapper" 2>/dev/null || ws_status=$?
  forget "$wrapper"
}

log "building RelWithDebInfo in $build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRESERVO_BUILD_TESTS=OFF >"$out/cmake.log"
cmake --build "$build" --target reservo-ws reservo-events-sim reservo-bench reservo-watch >>"$out/cmake.log"
ws_bin="$build/service/reservo-ws"
sim_bin="$build/tools/sim/reservo-events-sim"
bench_bin="$build/tools/bench/reservo-bench"
watch_bin="$build/tools/watch/reservo-watch"
nats_bin=${NATS_SERVER_EXE:-$(command -v nats-server || true)}
[ -z "$nats_bin" ] && [ -x /usr/sbin/nats-server ] && nats_bin=/usr/sbin/nats-server
[ -n "$nats_bin" ] || die "nats-server not found: install it or set NATS_SERVER_EXE"
case $tool in
  valgrind) command -v valgrind >/dev/null || die "valgrind not found (apt-get install valgrind)" ;;
  heaptrack) command -v heaptrack >/dev/null || die "heaptrack not found (apt-get install heaptrack)" ;;
esac

nats_port=$(free_port)
nats_url="nats://127.0.0.1:$nats_port"
start_nats() {
  "$nats_bin" -a 127.0.0.1 -p "$nats_port" >>"$out/nats.log" 2>&1 &
  nats_pid=$!; pids+=("$nats_pid")
  wait_until 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$nats_port" || die "nats-server did not come up"
}
start_nats

start_ws() {
  ws_port=$(free_port)
  ws_args=(--host 127.0.0.1 --port "$ws_port" --nats-server "$nats_url" --room-grace 2000
           --max-disconnection-duration 10000)
  case $tool in
    valgrind)
      valgrind --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite --num-callers=40 --log-file="$out/valgrind.log" \
        "$ws_bin" "${ws_args[@]}" >"$out/ws.log" 2>&1 &
      wrapper=$! ;;
    heaptrack)
      heaptrack -o "$out/heaptrack.reservo-ws" "$ws_bin" "${ws_args[@]}" >"$out/ws.log" 2>&1 &
      wrapper=$! ;;
    *) "$ws_bin" "${ws_args[@]}" >"$out/ws.log" 2>&1 & wrapper=$! ;;
  esac
  pids+=("$wrapper")
  wait_until $((20 * slow)) ready
}
for attempt in 1 2 3; do # another process may take the port first: only that is worth a retry
  start_ws && break
  kill "$wrapper" 2>/dev/null || true; wait "$wrapper" 2>/dev/null || true; forget "$wrapper"
  grep -q 'cannot listen' "$out/ws.log" && [ "$attempt" -lt 3 ] || die "reservo-ws not ready; see $out/ws.log"
done
ws_pid=$wrapper
if [ "$tool" = heaptrack ]; then # the profiled process is the wrapper's child
  ws_pid=$(pgrep -P "$wrapper" -x reservo-ws || true)
  [ -n "$ws_pid" ] || die "no reservo-ws under heaptrack"
fi
log "reservo-ws pid $ws_pid on port $ws_port (tool: $tool), nats-server on $nats_port"

"$sim_bin" --events 3 --rate "$rate" --nats-server "$nats_url" >"$out/sim.out" 2>"$out/sim.log" &
pids+=($!)
wait_until 20 bash -c "[ \$(grep -c '^event ' '$out/sim.out') -eq 3 ]" || die "simulator printed no events"
events=()
for id in $(awk '/^event /{print $2}' "$out/sim.out"); do events+=(--event "$id"); done
for w in 1 2; do
  "$watch_bin" --url "http://127.0.0.1:$ws_port" "${events[@]}" >"$out/watch$w.log" 2>&1 &
  pids+=($!)
done
wait_until $((30 * slow)) bash -c "[ \$(grep -c '  seat ' '$out/watch1.log') -gt 3 ] && [ \$(grep -c '  seat ' '$out/watch2.log') -gt 3 ]" ||
  die "watchers receive no seat changes; see $out/watch*.log"
rss_before=$(rss_kb "$ws_pid")
log "warm: RSS ${rss_before} kB with 2 watchers in 3 rooms; $cycles cycles in batches of $batch"

# The churn: SOAK_ROUNDS rounds of an equal share of the cycles, NATS restarted in the middle of
# the first, and the server back in its steady state after each. A leak grows RSS in every round
# alike; memory the allocator keeps for reuse grows it in the first round only. Batches alternate between the
# simulator's rooms (real seat maps, live changes) and ten fresh rooms each (created, fetched from
# the events service, which does not know them, and dropped after ROOM_GRACE_MS).
sim_ids=$(awk '/^event /{print $2}' "$out/sim.out" | paste -sd, -)
joined=0; failed=0; bench_errors=0; done_cycles=0; batch_no=0
printf 'cycles\trss_kb\n0\t%s\n' "$rss_before" >"$out/rss.tsv"
run_batch() { # run_batch <n> <clients>
  local rooms=(--rooms 10)
  [ $(($1 % 2)) -eq 1 ] && rooms=(--events "$sim_ids")
  timeout $((120 * slow)) "$bench_bin" --url "ws://127.0.0.1:$ws_port/socket.io/" --scenario idle \
    --clients "$2" "${rooms[@]}" --duration 0.1 --settle 0 --connect-timeout $((60 * slow)) \
    --label "soak-$1" --json >"$out/bench-$1.json" 2>"$out/bench-$1.log"
}
count_batch() { # count_batch <n> <exit status of the run>
  local j f
  j=$(sed -n 's/^    "joined": \([0-9]*\),$/\1/p' "$out/bench-$1.json" 2>/dev/null | head -1)
  f=$(sed -n 's/^    "failed": \([0-9]*\),$/\1/p' "$out/bench-$1.json" 2>/dev/null | head -1)
  joined=$((joined + ${j:-0})); failed=$((failed + ${f:-0}))
  if [ "$2" -ne 0 ] || [ -z "$j" ]; then
    bench_errors=$((bench_errors + 1))
    log "batch $1: reservo-bench exit $2, see $out/bench-$1.log"
  fi
}
restart_nats_during_batch() { # restart_nats_during_batch <n> <clients>
  local status=0 bench_pid
  run_batch "$1" "$2" & bench_pid=$!
  pids+=("$bench_pid")
  sleep 0.2
  log "killing nats-server (SIGKILL) with a batch connecting, watchers connected, changes flowing"
  kill -9 "$nats_pid"; wait "$nats_pid" 2>/dev/null || true
  forget "$nats_pid"
  expect "reservo-ws reports not ready during the NATS outage" wait_until $((10 * slow)) not_ready
  sleep 2 # the outage: the simulator cannot publish, the service keeps serving its clients
  start_nats
  log "nats-server restarted on port $nats_port"
  wait "$bench_pid" || status=$?
  forget "$bench_pid"
  count_batch "$1" "$status"
  expect "reservo-ws ready again after the NATS restart" wait_until $((30 * slow)) ready
  restart_marks=("$(seat_lines "$out/watch1.log")" "$(seat_lines "$out/watch2.log")")
}
steady() { # only the watchers, only the simulator's rooms, no recovery sessions left
  metric_is reservo_recovery_sessions 0 && metric_is reservo_connections 2 && metric_is reservo_rooms 3
}
churn_round() { # churn_round <cycles> <restart NATS in the middle: 1/0>
  local target=$((done_cycles + $1)) size status first=$((batch_no + 1))
  local restart_at=$((batch_no + (($1 + batch - 1) / batch + 1) / 2))
  while [ "$done_cycles" -lt "$target" ]; do
    if over_budget; then
      log "time budget of ${budget}s reached after $done_cycles cycles"; failures+=("budget"); return
    fi
    batch_no=$((batch_no + 1))
    size=$((target - done_cycles < batch ? target - done_cycles : batch))
    if [ "$2" = 1 ] && [ "$batch_no" -eq "$restart_at" ]; then
      restart_nats_during_batch "$batch_no" "$size"
    else
      status=0; run_batch "$batch_no" "$size" || status=$?
      count_batch "$batch_no" "$status"
    fi
    done_cycles=$((done_cycles + size))
    printf '%s\t%s\n' "$done_cycles" "$(rss_kb "$ws_pid")" >>"$out/rss.tsv"
  done
  log "batches $first-$batch_no: $done_cycles cycles so far, RSS $(rss_kb "$ws_pid") kB"
  expect "back to 2 connections, 3 rooms and no recovery sessions after $done_cycles cycles" \
    wait_until $((60 * slow)) steady
}

rss_rounds=()
for r in $(seq 1 "$rounds"); do
  churn_round $((cycles * r / rounds - cycles * (r - 1) / rounds)) $((r == 1 ? 1 : 0))
  rss_rounds+=("$(rss_kb "$ws_pid")")
done
log "churn done: $done_cycles cycles, $joined joined, $failed failed, $bench_errors bench errors"

# Watchers connected before the restart must get changes published after it.
got_updates=0
updated_since_restart() {
  [ "$(seat_lines "$out/watch1.log")" -gt $((restart_marks[0] + 5)) ] &&
    [ "$(seat_lines "$out/watch2.log")" -gt $((restart_marks[1] + 5)) ]
}
[ -n "${restart_marks:-}" ] && wait_until $((60 * slow)) updated_since_restart && got_updates=1
expect "watchers connected before the NATS restart receive seat changes after it" [ "$got_updates" = 1 ]
watch_disconnects=$(cat "$out"/watch*.log | grep -c 'disconnected (' || true)
expect "watchers were never disconnected ($watch_disconnects disconnects)" [ "$watch_disconnects" = 0 ]
curl -fs "http://127.0.0.1:$ws_port/metrics" >"$out/metrics.txt" || true
ws_warnings=$(grep -c ' W reservo' "$out/ws.log" || true)
m() { awk -v m="$1" '$1 == m {print $2}' "$out/metrics.txt"; }
expect "every cycle connected and joined ($joined of $done_cycles, $bench_errors bench errors)" \
  [ "$failed" = 0 -a "$bench_errors" = 0 -a "$joined" = "$done_cycles" ]
expect "one NATS reconnect counted ($(m reservo_nats_reconnects_total))" [ "$(m reservo_nats_reconnects_total)" = 1 ]

# Shutdown: graceful, and the leak report of the tool.
stop_service $((10 * slow))
expect "reservo-ws exits 0 on SIGTERM (status $ws_status)" [ "$ws_status" = 0 ]
leaks="not measured (SOAK_VALGRIND=1 or SOAK_HEAPTRACK=1)"
case $tool in
  valgrind)
    definite=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes in \([0-9,]*\) blocks.*/\1 bytes in \2 blocks/p' "$out/valgrind.log" | tail -1)
    indirect=$(sed -n 's/.*indirectly lost: \([0-9,]*\) bytes in \([0-9,]*\) blocks.*/\1 bytes in \2 blocks/p' "$out/valgrind.log" | tail -1)
    errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$out/valgrind.log" | tail -1)
    leaks="valgrind: definitely lost ${definite:-0 bytes (no leak found)}, indirectly lost ${indirect:-0 bytes}, ${errors:-?} errors (see $out/valgrind.log)"
    expect "no definite leak under valgrind" [ -z "$definite" -o "${definite%% *}" = 0 ] ;;
  heaptrack)
    file=$(ls "$out"/heaptrack.reservo-ws*.zst 2>/dev/null | head -1)
    if [ -n "$file" ]; then
      heaptrack_print -f "$file" --print-leaks >"$out/heaptrack.txt" 2>&1 || true
      leaks="heaptrack: $(grep -m1 'total memory leaked' "$out/heaptrack.txt" || echo 'no summary') (see $out/heaptrack.txt; it counts what was not freed at exit, globals included)"
    else
      leaks="heaptrack: no output file"; failures+=("heaptrack output")
    fi ;;
esac
cleanup; pids=()

{
  echo "reservo-ws soak $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "tool: $tool; cycles: $done_cycles in $batch_no batches of $batch (odd: the simulator's 3 rooms; even: 10 fresh rooms); simulator: $rate changes/s; NATS killed and restarted in the middle of round 1"
  echo "RSS (kB, steady state: 2 watchers, 3 rooms, no recovery sessions): before $rss_before, after each of $rounds rounds ${rss_rounds[*]}$( [ "$tool" != none ] && echo " (under $tool: not comparable)")"
  echo "cycles joined $joined, failed $failed, reservo-bench errors $bench_errors; watcher disconnects $watch_disconnects; reservo-ws warnings in log $ws_warnings"
  echo "server counters: connections_total $(m reservo_connections_total), malformed $(m reservo_malformed_packets_total), http_bad_requests $(m reservo_http_bad_requests_total), slow_consumers $(m reservo_slow_consumers_total), nats_reconnects $(m reservo_nats_reconnects_total), events_requests_failed $(m reservo_events_requests_failed_total)"
  echo "updates after the NATS restart: $( [ "$got_updates" = 1 ] && echo yes || echo NO) (watcher seat lines at restart ${restart_marks[*]:-?}, at the end $(seat_lines "$out/watch1.log") $(seat_lines "$out/watch2.log"))"
  echo "leaks: $leaks"
  echo "took $((SECONDS - started)) s; logs in $out"
  [ ${#failures[@]} -eq 0 ] && echo "soak: all checks passed" || printf 'soak: FAILED: %s\n' "${failures[@]}"
} | tee "$out/summary.txt"
[ ${#failures[@]} -eq 0 ]
