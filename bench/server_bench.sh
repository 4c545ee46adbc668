#!/usr/bin/env bash
# Row group 4 of ./grove bench: grove-server throughput with wrk (2 threads, 32 connections),
# side by side in one run with nginx serving a static 10 KB file on the same machine (the
# ceiling of this machine for HTTP/1.1 keep-alive requests):
#   nginx static 10 KB | GET feed of 200 posts, as it is and gzip (what a browser asks for) |
#   POST create, --sqlite-sync full and normal
# Writes JSON to the file given as $1; work files (nginx config, pid, logs, databases) stay in $2.
#   bench/server_bench.sh OUT.json WORKDIR [seconds per run, default 10]
# Every process it starts is stopped by its PID, also when interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$1
WORK=$2
DURATION=${3:-10}
SERVER=${GROVE_SERVER_BINARY:?set GROVE_SERVER_BINARY}
NGINX=${NGINX:-/usr/sbin/nginx}
command -v wrk >/dev/null || { echo "server_bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
[ -x "$SERVER" ] || { echo "server_bench: $SERVER is missing" >&2; exit 1; }
rm -rf "$WORK"; mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# wrk --latency output -> JSON object {rps, p99_ms, non2xx, errors}
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

run_wrk() {   # label file wrk-args...
  local label=$1 file=$2; shift 2
  echo "  wrk -t2 -c32 -d${DURATION}s: $label" >&2
  wrk -t2 -c32 -d"${DURATION}s" --latency "$@" >"$WORK/$file"
}

# --- nginx: static 10 KB file, its own config, pid and logs in the work folder.
NGINX_RESULT='null'
if [ -x "$NGINX" ]; then
  mkdir -p "$WORK/nginx/www" "$WORK/nginx/tmp"
  head -c 10240 /dev/urandom | base64 -w 100 | head -c 10240 >"$WORK/nginx/www/static-10k.txt"
  port=$(free_port)
  user_line=""
  [ "$(id -u)" -eq 0 ] && user_line="user $(id -un) $(id -gn);"
  cat >"$WORK/nginx/nginx.conf" <<EOF
$user_line
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  default_type text/plain;
  server {
    listen 127.0.0.1:$port;
    root $WORK/nginx/www;
  }
}
EOF
  "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/static-10k.txt" && break; sleep 0.05; done
  bytes=$(curl -sf "http://127.0.0.1:$port/static-10k.txt" | wc -c)
  [ "$bytes" -eq 10240 ] || { echo "server_bench: nginx did not serve the file:" >&2; cat "$WORK/nginx/error.log" >&2; exit 1; }
  run_wrk "nginx static 10 KB file" nginx.txt "http://127.0.0.1:$port/static-10k.txt"
  kill -QUIT "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true
  NGINX_RESULT=$(summarize "$WORK/nginx.txt")
else
  echo "server_bench: $NGINX not found, no nginx ceiling" >&2
fi

# --- grove-server
start_server() {   # $1: --sqlite-sync mode, $2: a name for its database and logs (default: the mode)
  local tag=${2:-$1}
  "$SERVER" --dev --port 0 --db "$WORK/grove-$tag.db" --sqlite-sync "$1" --writes-per-minute 1000000 \
    >"$WORK/server-$tag.out" 2>"$WORK/server-$tag.err" &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  URL=""
  for _ in $(seq 200); do
    URL=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$WORK/server-$tag.out" | head -n 1)
    [ -n "$URL" ] && break
    sleep 0.05
  done
  URL=${URL%/}
  [ -n "$URL" ] || { echo "server_bench: grove-server did not start:" >&2; cat "$WORK/server-$tag.err" >&2; exit 1; }
  TOKEN=$(curl -sf -X POST "$URL/api/v1/dev/token" -H 'Content-Type: application/json' \
          -d '{"sub":"bench","name":"Bench","role":"learner"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
}
stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; }

start_server normal
echo "  seeding 200 posts by 20 people (bench/lib/reflections.py: text that compresses as real text does)" >&2
AUTHORS=()
for a in $(seq 0 19); do
  AUTHORS+=("$(curl -sf -X POST "$URL/api/v1/dev/token" -H 'Content-Type: application/json' \
    -d "{\"sub\":\"author-$a\",\"name\":\"Bench Person $a\",\"role\":\"learner\"}" | sed 's/.*"token":"\([^"]*\)".*/\1/')")
done
i=0
while IFS= read -r body; do
  curl -sf -o /dev/null -X POST "$URL/api/v1/modules/bench/posts" -H "Authorization: Bearer ${AUTHORS[$((i % 20))]}" \
    -H 'Content-Type: application/json' -d "$body"
  i=$((i + 1))
done < <(python3 bench/lib/reflections.py 200 seed)
posts=$(curl -sf "$URL/api/v1/modules/bench/posts" -H "Authorization: Bearer $TOKEN" | grep -o '"id":"seed-' | wc -l)
[ "$posts" -eq 200 ] || { echo "server_bench: expected 200 posts in the feed, got $posts" >&2; exit 1; }
feed_bytes=$(curl -sf "$URL/api/v1/modules/bench/posts" -H "Authorization: Bearer $TOKEN" | wc -c)
feed_gzip_bytes=$(curl -sf "$URL/api/v1/modules/bench/posts" -H "Authorization: Bearer $TOKEN" -H 'Accept-Encoding: gzip' | wc -c)
run_wrk "GET feed of 200 posts" get.txt -H "Authorization: Bearer $TOKEN" "$URL/api/v1/modules/bench/posts"
# What a browser sends with every fetch (Chromium's and Firefox's Accept-Encoding over http).
run_wrk "GET feed of 200 posts, gzip" get-gzip.txt -H "Authorization: Bearer $TOKEN" \
  -H 'Accept-Encoding: gzip, deflate, br' "$URL/api/v1/modules/bench/posts"
stop_server

# The two POST runs each on a fresh server and an empty database, so that neither mode gets a
# server warmed by the runs before it.
start_server normal post-normal
run_wrk "POST create, --sqlite-sync normal" post-normal.txt -s bench/server_post.lua \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$URL/api/v1/modules/bench-write/posts"
stop_server

start_server full
run_wrk "POST create, --sqlite-sync full" post-full.txt -s bench/server_post.lua \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$URL/api/v1/modules/bench-write/posts"
stop_server

cat >"$OUT" <<EOF
{
  "duration_s": $DURATION,
  "feed_bytes": $feed_bytes,
  "feed_gzip_bytes": $feed_gzip_bytes,
  "nginx_static": $NGINX_RESULT,
  "get_feed": $(summarize "$WORK/get.txt"),
  "get_feed_gzip": $(summarize "$WORK/get-gzip.txt"),
  "post_full": $(summarize "$WORK/post-full.txt"),
  "post_normal": $(summarize "$WORK/post-normal.txt")
}
EOF
cat "$OUT" >&2
