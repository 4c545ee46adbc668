#!/usr/bin/env bash
# Throughput of grove-server with wrk (2 threads, 32 connections): GET feed of 200 posts and
# POST create, requests/s and p99 latency. Not part of ./grove test; run after a build:
#   bench/server_throughput.sh [seconds per run, default 10]
# Targets (issue 3, for later tuning): GET >= 10,000 req/s, POST >= 2,000 req/s.
# POST runs twice, side by side: --sqlite-sync full (the default, fsync per commit) and normal.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
B=${GROVE_BUILD:-build}
SERVER=${GROVE_SERVER:-$B/native/server-stub/grove-server}
[ -x "$SERVER" ] || { echo "bench: build first (./grove build); $SERVER is missing" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/grove-bench-XXXXXX)
PID=""
cleanup() { if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT

start_server() {   # $1: --sqlite-sync mode
  "$SERVER" --dev --port 0 --db "$WORK/bench-$1.db" --sqlite-sync "$1" --writes-per-minute 1000000 \
    >"$WORK/out" 2>"$WORK/err" &
  PID=$!
  for _ in $(seq 100); do grep -q "listening on" "$WORK/out" 2>/dev/null && break; sleep 0.05; done
  URL=$(sed -n 's/.*listening on \(http[^ ]*\)/\1/p' "$WORK/out" | head -n 1)
  URL=${URL%/}
  [ -n "$URL" ] || { echo "bench: the server did not start:" >&2; cat "$WORK/err" >&2; exit 1; }
  TOKEN=$(curl -sf -X POST "$URL/api/v1/dev/token" -H 'Content-Type: application/json' \
          -d '{"sub":"bench","name":"Bench","role":"learner"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
}

stop_server() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""; }

# wrk's --latency output -> "requests/s p99"
summarize() {
  local rps p99 errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$1")
  p99=$(awk '$1 == "99%" {print $2}' "$1")
  errors=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$1")
  printf '%-44s %12s req/s   p99 %9s   non-2xx %s\n' "$2" "$rps" "$p99" "${errors:-0}"
}

echo "grove-server throughput: wrk -t2 -c32 -d${DURATION}s, $(nproc) cores (shared), $(date -u +%FT%TZ)"

start_server normal
# 200 posts in one module (the feed's default page size).
for i in $(seq 1 200); do
  curl -sf -o /dev/null -X POST "$URL/api/v1/modules/bench/posts" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' \
    -d "{\"id\":\"seed-$i\",\"kind\":\"insight\",\"body\":\"Seed post $i: what I will do differently after this module, in a sentence or two.\"}"
done
posts=$(curl -sf "$URL/api/v1/modules/bench/posts" -H "Authorization: Bearer $TOKEN" | grep -o '"id":"seed-' | wc -l)
[ "$posts" -eq 200 ] || { echo "bench: expected 200 posts in the feed, got $posts" >&2; exit 1; }
bytes=$(curl -sf "$URL/api/v1/modules/bench/posts" -H "Authorization: Bearer $TOKEN" | wc -c)

wrk -t2 -c32 -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" \
  "$URL/api/v1/modules/bench/posts" >"$WORK/get.txt"
wrk -t2 -c32 -d"${DURATION}s" --latency -s bench/server_post.lua -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' "$URL/api/v1/modules/bench-write/posts" >"$WORK/post-normal.txt"
stop_server

start_server full
wrk -t2 -c32 -d"${DURATION}s" --latency -s bench/server_post.lua -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' "$URL/api/v1/modules/bench-write/posts" >"$WORK/post-full.txt"
stop_server

summarize "$WORK/get.txt" "GET feed of 200 posts (${bytes} bytes)"
summarize "$WORK/post-full.txt" "POST create (--sqlite-sync full, default)"
summarize "$WORK/post-normal.txt" "POST create (--sqlite-sync normal)"
if [ -n "${BENCH_VERBOSE:-}" ]; then cat "$WORK"/*.txt; fi
