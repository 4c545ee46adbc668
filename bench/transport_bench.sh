#!/usr/bin/env bash
# Row group 6 of ./grove bench: grove-server's HTTP layer with many connections, side by side in
# one run:
#   GET feed of 200 posts at 32, 400 and 2,000 connections (wrk -t2, --timeout 10s): requests/s,
#     p99, errors; also for GROVE_BASELINE_SERVER when set (an older grove-server: "before"), and
#     for nginx serving the same bytes as a static file (the machine's ceiling at each count)
#   GET feed over 2,000 connections in an open loop (grove_events_bench --paced): each connection
#     asks every 2 s (1,000 requests/s in all), latency from when each request was due
#   10,000 idle event streams on one instance: the server's memory and CPU (grove_events_bench)
#   2,000 idle keep-alive connections (one request each): how many were answered within 20 s and
#     the server's memory per connection; also for GROVE_BASELINE_SERVER
#   one write fanned out to 2,000 event streams: time from sending the write to each delivery
#   the load test (bench/load_test.sh, 200 clients): request latency
# Writes JSON to $1; work files stay in $2.
#   bench/transport_bench.sh OUT.json WORKDIR [seconds per wrk run, default 10] [load seconds, default 60]
# Env: GROVE_SERVER_BINARY (required), GROVE_EVENTS_BENCH and GROVE_LOAD (the tools, from the
# same build), GROVE_BASELINE_SERVER (optional). Every process it starts is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$1
WORK=$2
DURATION=${3:-10}
LOAD_SECONDS=${4:-60}
SERVER=${GROVE_SERVER_BINARY:?set GROVE_SERVER_BINARY}
EVENTS=${GROVE_EVENTS_BENCH:?set GROVE_EVENTS_BENCH}
LOAD=${GROVE_LOAD:-}
BASELINE=${GROVE_BASELINE_SERVER:-}
NGINX=${NGINX:-/usr/sbin/nginx}
command -v wrk >/dev/null || { echo "transport_bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
rm -rf "$WORK"; mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
ulimit -n "$(ulimit -Hn)"   # 2,000 wrk connections, 10,000 streams

PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# wrk --latency output -> JSON object {rps, p99_ms, non2xx, socket_errors}
summarize() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { non2xx = $5 }
    /Socket errors:/ { errors = $4 + $6 + $8 + $10 }
    END { printf "{\"rps\": %s, \"p99_ms\": %s, \"non2xx\": %d, \"socket_errors\": %d}", rps + 0, p99 + 0, non2xx + 0, errors + 0 }
  ' "$1"
}

start_server() {   # name binary [flags...]
  local name=$1 bin=$2; shift 2
  # --dev takes no secret: unset one the environment may carry.
  : >"$WORK/$name.out"   # exists before the server opens it: the loop below reads it at once
  env -u GROVE_JWT_SECRET "$bin" --dev --port 0 --db "$WORK/$name.db" --sqlite-sync normal --writes-per-minute 1000000 "$@" \
    >"$WORK/$name.out" 2>"$WORK/$name.err" &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  URL=""
  for _ in $(seq 200); do
    URL=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$WORK/$name.out" | head -n 1)
    [ -n "$URL" ] && break
    sleep 0.05
  done
  URL=${URL%/}
  [ -n "$URL" ] || { echo "transport_bench: $bin did not start:" >&2; cat "$WORK/$name.err" >&2; exit 1; }
  PORT=${URL##*:}
  TOKEN=$(curl -sf -X POST "$URL/api/v1/dev/token" -H 'Content-Type: application/json' \
          -d '{"sub":"bench","name":"Bench","role":"learner"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
}
stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; }

seed_feed() {
  for i in $(seq 1 200); do
    curl -sf -o /dev/null -X POST "$URL/api/v1/modules/bench/posts" -H "Authorization: Bearer $TOKEN" \
      -H 'Content-Type: application/json' \
      -d "{\"id\":\"seed-$i\",\"kind\":\"insight\",\"body\":\"Seed post $i: what I will do differently after this module, in a sentence or two.\"}"
  done
  curl -sf "$URL/api/v1/modules/bench/posts" -H "Authorization: Bearer $TOKEN" >"$WORK/feed.json"
  wc -c <"$WORK/feed.json" >"$WORK/feed-bytes"
}

wrk_at() {   # name connections url -> JSON {rps, p99_ms, non2xx, socket_errors, held}
  local name=$1 c=$2 url=$3 wrk_pid held_mid
  echo "  $name: wrk -t2 -c$c -d${DURATION}s GET feed of 200 posts" >&2
  wrk -t2 -c"$c" -d"${DURATION}s" --timeout 10s --latency -H "Authorization: Bearer ${TOKEN:-none}" \
    "$url" >"$WORK/$name-c$c.txt" 2>&1 &
  wrk_pid=$!
  sleep "$(( DURATION / 2 ))"
  held_mid=$(held)
  wait "$wrk_pid" || true
  summarize "$WORK/$name-c$c.txt" | sed "s/}\$/, \"held\": $held_mid}/"
  sleep 1
}

# Connections the server has accepted and holds open on its port right now (a server whose
# listen backlog is full leaves the rest waiting in the client's connect, where wrk counts no latency).
held() { ss -Htn state established "( sport = :$PORT )" 2>/dev/null | wc -l; }

feed_rows() {   # name binary -> JSON {"c32": ..., "c400": ..., "c2000": ...}
  local name=$1 bin=$2 c first=1
  start_server "$name" "$bin"
  seed_feed
  printf '{'
  for c in 32 400 2000; do
    [ $first -eq 1 ] || printf ', '
    first=0
    printf '"c%s": %s' "$c" "$(wrk_at "$name" "$c" "$URL/api/v1/modules/bench/posts")"
  done
  printf '}'
  stop_server
}

# nginx serving the feed's bytes as a static file, at the same connection counts: what this
# machine's loopback, kernel and wrk allow at each count, whatever the server.
nginx_rows() {
  local c first=1 port user_line="" nginx_pid
  mkdir -p "$WORK/nginx/www" "$WORK/nginx/tmp"
  cp "$WORK/feed.json" "$WORK/nginx/www/feed.json"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  [ "$(id -u)" -eq 0 ] && user_line="user $(id -un) $(id -gn);"
  cat >"$WORK/nginx/nginx.conf" <<EOF
$user_line
worker_processes auto;
worker_rlimit_nofile 20000;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 10000; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 600;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  default_type application/json;
  server { listen 127.0.0.1:$port; root $WORK/nginx/www; }
}
EOF
  "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" >&2 &
  nginx_pid=$!
  PIDS+=("$nginx_pid")
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/feed.json" && break; sleep 0.05; done
  PORT=$port
  printf '{'
  for c in 32 400 2000; do
    [ $first -eq 1 ] || printf ', '
    first=0
    printf '"c%s": %s' "$c" "$(wrk_at nginx "$c" "http://127.0.0.1:$port/feed.json")"
  done
  printf '}'
  kill -QUIT "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true
}

BEFORE=null
if [ -n "$BASELINE" ]; then
  [ -x "$BASELINE" ] || { echo "transport_bench: GROVE_BASELINE_SERVER=$BASELINE is not a program" >&2; exit 1; }
  BEFORE=$(feed_rows before "$BASELINE")
fi
AFTER=$(feed_rows after "$SERVER")
NGINX_FEED=null
if [ -x "$NGINX" ]; then NGINX_FEED=$(nginx_rows)
else echo "transport_bench: $NGINX not found, no nginx ceiling" >&2; fi

echo "  GET feed over 2,000 connections, open loop, 1,000 requests/s" >&2
start_server paced "$SERVER"
seed_feed
PACED=$("$EVENTS" --port "$PORT" --token "$TOKEN" --pid "$SERVER_PID" --paced 2000 --rate 1000 \
        --path /api/v1/modules/bench/posts --seconds "$DURATION" || echo '{"failed": true}')
stop_server

echo "  10,000 idle event streams" >&2
start_server streams "$SERVER"
IDLE=$("$EVENTS" --port "$PORT" --token "$TOKEN" --pid "$SERVER_PID" --idle 10000 --seconds 30 || echo '{"failed": true}')
stop_server

idle_keepalive() {   # name binary -> JSON from grove_events_bench --keepalive 1
  local out
  start_server "$1" "$2" --idle-timeout 600
  out=$("$EVENTS" --port "$PORT" --token "$TOKEN" --pid "$SERVER_PID" --idle 2000 --keepalive 1 --open-limit 20 --seconds 10 || true)
  stop_server
  echo "${out:-{\"failed\": true\}}"
}
echo "  2,000 idle keep-alive connections" >&2
KEEPALIVE_BEFORE=null
[ -z "$BASELINE" ] || KEEPALIVE_BEFORE=$(idle_keepalive keepalive-before "$BASELINE")
KEEPALIVE_AFTER=$(idle_keepalive keepalive-after "$SERVER")

echo "  one write fanned out to 2,000 event streams (20 writes)" >&2
start_server fanout "$SERVER"
FANOUT=$("$EVENTS" --port "$PORT" --token "$TOKEN" --pid "$SERVER_PID" --fanout 2000 --writes 20 --gap-ms 300 || echo '{"failed": true}')
stop_server

LOAD_RESULT=null
if [ -n "$LOAD" ] && [ -x "$LOAD" ]; then
  echo "  load test: 200 clients for ${LOAD_SECONDS} s" >&2
  "$LOAD" --clients 200 --seconds "$LOAD_SECONDS" >"$WORK/load.txt" 2>&1 || true
  LOAD_RESULT=$(awk '/^latency ms:/ { printf "{\"p50_ms\": %s, \"p99_ms\": %s, \"max_ms\": %s", $4, $6, $8 }
                     /^grove_load: .* errors/ { for (i = 1; i <= NF; i++) if ($i ~ /^errors/) e = $(i - 1) }
                     END { printf ", \"errors\": %d}", e + 0 }' "$WORK/load.txt")
  case $LOAD_RESULT in '{"p50_ms'*) ;; *) LOAD_RESULT='{"failed": true}' ;; esac
fi

cat >"$OUT" <<EOF
{
  "duration_s": $DURATION,
  "feed_bytes": $(cat "$WORK/feed-bytes"),
  "feed_after": $AFTER,
  "feed_before": $BEFORE,
  "feed_nginx": $NGINX_FEED,
  "feed_paced": $PACED,
  "idle_streams": $IDLE,
  "idle_keepalive_after": $KEEPALIVE_AFTER,
  "idle_keepalive_before": $KEEPALIVE_BEFORE,
  "fanout": $FANOUT,
  "load": $LOAD_RESULT
}
EOF
cat "$OUT" >&2
