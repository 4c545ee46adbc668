#!/usr/bin/env bash
# ./grove bench: every benchmark in one run, side by side on this machine, then ONE markdown
# table (figure | value | target | pass/fail), printed and written to $B/bench/results.md (JSON
# of each part in $B/bench/results/).
#   1 payload   2 startup (and the peers' clients doing the same work: "peers")   3 rendering
#   4 server   5 sync   6 transport (many connections, event streams, the load test)
# Installs what it needs (wrk, nginx-light; the peers' npm packages into $B/bench/peers, which
# git ignores), builds the widget (Release wasm) and a Release grove-server in $B/bench/native,
# starts its own servers on free loopback ports and stops them by PID.
# Env: BENCH_ROUNDS (startup/DOM rounds, default 3), BENCH_SECONDS (wrk run, default 10),
#      BENCH_POSTS (cached/pulled posts, default 10000), BENCH_ONLY="payload server ..." (subset),
#      BENCH_LOAD_SECONDS (load test, default 60), GROVE_BASELINE_SERVER (an older grove-server
#      whose feed rows go next to this one's in part 6: "before" and "after" in one run).
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
B=${GROVE_BUILD:-build}
OUTDIR="$B/bench"
RES="$OUTDIR/results"
ROUNDS=${BENCH_ROUNDS:-3}
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
POSTS=${BENCH_POSTS:-10000}
ONLY=${BENCH_ONLY:-"payload startup peers render server sync transport postgres"}
JOBS=$(nproc 2>/dev/null || echo 2)
[ "$JOBS" -gt 2 ] && JOBS=2
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
started=$(date +%s)
step() { printf '\n== [%s s] %s\n' "$(( $(date +%s) - started ))" "$*"; }
wants() { [[ " $ONLY " == *" $1 "* ]]; }

step "setup: packages (scripts/setup.sh, wrk, nginx-light)"
scripts/setup.sh
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  # Install without starting the system service (bench runs its own nginx, as this user).
  guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    guard=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$guard" >/dev/null; $SUDO chmod +x "$guard"
  fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light || \
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx
  [ -n "$guard" ] && $SUDO rm -f "$guard"
fi

mkdir -p "$RES" "$OUTDIR/peers"
# Fresh results for the parts this run measures; the others keep their last ones (BENCH_ONLY).
part_files() {
  case $1 in
    payload) echo payload ;;
    startup|sync) echo startup_sync ;;
    peers) echo peer_clients ;;
    render) echo frame idle dom_list ;;
    server) echo server ;;
    transport) echo transport ;;
  esac
}
for part in $ONLY; do for f in $(part_files "$part"); do rm -f "$RES/$f".*; done; done
if wants payload || wants peers; then
  step "setup: peer widgets from npm into $OUTDIR/peers (@waline/client, artalk, twikoo)"
  cp bench/peers/package.json "$OUTDIR/peers/package.json"
  if [ ! -f "$OUTDIR/peers/node_modules/.package-lock.json" ] || \
     [ bench/peers/package.json -nt "$OUTDIR/peers/node_modules/.package-lock.json" ]; then
    (cd "$OUTDIR/peers" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error) || \
      echo "bench: npm install of the peers failed; their rows will say so"
  fi
fi

step "build: widget (wasm, Release)"
if [ ! -f "$B/wasm/CMakeCache.txt" ]; then
  emcmake cmake -S . -B "$B/wasm" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$B/wasm" -j "$JOBS"
WIDGET_DIST="$(cd "$B/wasm/dist/widget" && pwd)"

step "build: grove-server and the frame benchmark (native, Release)"
NATIVE="$OUTDIR/native"
if [ ! -f "$NATIVE/CMakeCache.txt" ]; then
  cmake -S . -B "$NATIVE" -DCMAKE_BUILD_TYPE=Release -DGROVE_WIDGET_DIST="$WIDGET_DIST" >/dev/null
fi
targets=(--target grove-server --target grove_events_bench --target grove_load)
help=$(cmake --build "$NATIVE" --target help)   # (no pipe into grep -q: SIGPIPE + pipefail)
if grep -q 'grove_ui_frame_bench' <<<"$help"; then targets+=(--target grove_ui_frame_bench); fi
cmake --build "$NATIVE" -j "$JOBS" "${targets[@]}"
export GROVE_SERVER_BINARY="$(cd "$NATIVE/server-stub" && pwd)/grove-server"
export GROVE_WIDGET_DIST="$WIDGET_DIST"
export GROVE_SITE_DIR="$(pwd)/host-page"
export GROVE_EVENTS_BENCH="$(cd "$NATIVE/bench" && pwd)/grove_events_bench"
export GROVE_LOAD="$(cd "$NATIVE/tests/hardening" && pwd)/grove_load"

# A part that fails leaves its rows marked as failed; the others still run.
run_part() {   # name command...
  local name=$1; shift
  if "$@" 2>&1 | tee "$RES/$name.log"; then return 0; fi
  echo "bench: $name failed (log: $RES/$name.log)"
  echo "{\"failed\": true}" >"$RES/$name.json"
}

if wants payload; then
  step "1/5 payload: what the browser downloads, next to the peers' bundles"
  run_part payload node bench/payload.mjs --dist "$WIDGET_DIST" --peers "$OUTDIR/peers" --out "$RES/payload.json"
fi
if wants startup || wants sync; then
  step "2/5 + 5/5 startup and sync in Chromium ($POSTS posts seeded, $ROUNDS rounds)"
  run_part startup_sync node bench/startup_sync.mjs --out "$RES/startup_sync.json" --posts "$POSTS" --rounds "$ROUNDS"
fi
if wants peers; then
  step "2/5 peers' clients: Waline and Artalk against a stub of their APIs, Grove, 100 and 1,000 comments"
  run_part peer_clients node bench/peer_clients.mjs --peers "$OUTDIR/peers" --out "$RES/peer_clients.json" --rounds "$ROUNDS"
fi
if wants render; then
  step "3/5 rendering: widget frame CPU time (native, headless ImGui)"
  FRAME_BENCH="$NATIVE/bench/grove_ui_frame_bench"
  if [ -x "$FRAME_BENCH" ]; then
    run_part frame "$FRAME_BENCH" 200 5
    cp "$RES/frame.log" "$RES/frame.txt"
  else
    echo "bench: no grove_ui_frame_bench in this tree (the ui branch adds it)" | tee "$RES/frame.txt"
  fi
  step "3/5 rendering: idle frames per second in Chromium"
  if [ -f bench/ui_idle_bench.mjs ]; then
    run_part idle node bench/ui_idle_bench.mjs 10
    cp "$RES/idle.log" "$RES/idle.txt"
  else
    echo "bench: no bench/ui_idle_bench.mjs in this tree (the ui branch adds it)" | tee "$RES/idle.txt"
  fi
  step "3/5 rendering: a plain DOM list of the same posts in Chromium"
  run_part dom_list node bench/dom_list.mjs --out "$RES/dom_list.json" --rounds "$ROUNDS"
fi
if wants server; then
  step "4/5 server: wrk -t2 -c32, ${SECONDS_PER_RUN} s per run, nginx static file as the ceiling"
  run_part server bench/server_bench.sh "$RES/server.json" "$OUTDIR/server-work" "$SECONDS_PER_RUN"
  rm -rf "$OUTDIR/server-work"
fi

if wants postgres; then
  step "7 PostgreSQL: POST create/s on SQLite (full) and PostgreSQL, 100 modules and one; cross-instance delivery"
  run_part postgres bench/pg_bench.sh "$OUTDIR/pg-work" "$SECONDS_PER_RUN" "$RES/postgres.json"
  rm -rf "$OUTDIR/pg-work"
fi
if wants transport; then
  step "6/6 transport: feed at 32/400/2,000 connections, 10,000 idle streams, fan-out to 2,000, load test"
  run_part transport bench/transport_bench.sh "$RES/transport.json" "$OUTDIR/transport-work" "$SECONDS_PER_RUN" \
    "${BENCH_LOAD_SECONDS:-60}"
  rm -rf "$OUTDIR/transport-work"
fi

step "results"
node bench/report.mjs --results "$RES" --out "$OUTDIR/results.md"
echo
echo "bench: table written to $OUTDIR/results.md ($(( $(date +%s) - started )) s)"
