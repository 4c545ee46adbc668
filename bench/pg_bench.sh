#!/usr/bin/env bash
# SQLite vs PostgreSQL side by side in one run, and delivery across instances (prints numbers,
# judges nothing):
#   POST create/s into 100 modules and into one module (wrk -t2 -c32), on SQLite (--sqlite-sync
#   full) and on PostgreSQL (a cluster of its own in WORKDIR, fsync on: durable like SQLite full);
#   cross-instance delivery: 100 event streams on instance A, writes on instance B of the same
#   database, p50/p99 from a write's sending to its event (grove_events_bench --write-port).
#   bench/pg_bench.sh [WORKDIR, default build/bench/pg] [seconds per run, default 5] [JSON out]
# With a third argument it also writes the figures as JSON there (./grove bench's report reads it),
# whole or not at all (written aside, then renamed).
# Every server gets a warm-up first (PG_BENCH_WARMUP seconds of the same load, default 2, not
# counted): prepared statements, pooled connections, the modules' rows. Each PostgreSQL figure
# also says the CPU time per request of grove-server and of PostgreSQL (all its processes).
# Before/after: with GROVE_SERVER_BASELINE set to another grove-server ("before"), the PostgreSQL
# runs alternate between the two, PG_BENCH_ROUNDS times (default 2; before, after, then after,
# before, ...), each on a database of its own, and a table shows them side by side: on a noisy
# machine only figures measured next to each other compare.
# Needs GROVE_SERVER_BINARY and GROVE_EVENTS_BENCH (default: build/native paths), wrk, and
# PostgreSQL's programs (Debian's postgresql). As root the cluster runs as the postgres user.
# Every process it starts is stopped by its PID, also when interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-build/bench/pg}
DURATION=${2:-5}
JSON_OUT=${3:-}
SERVER=${GROVE_SERVER_BINARY:-build/native/server-stub/grove-server}
BASELINE=${GROVE_SERVER_BASELINE:-}
ROUNDS=${PG_BENCH_ROUNDS:-2}
[ -n "$BASELINE" ] || ROUNDS=1
WARMUP=${PG_BENCH_WARMUP:-2}
TICKS_PER_S=$(getconf CLK_TCK)
EVENTS=${GROVE_EVENTS_BENCH:-build/native/bench/grove_events_bench}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
command -v wrk >/dev/null || { echo "pg_bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
[ -x "$SERVER" ] || { echo "pg_bench: $SERVER is missing (./grove build)" >&2; exit 1; }
[ -z "$BASELINE" ] || [ -x "$BASELINE" ] || { echo "pg_bench: GROVE_SERVER_BASELINE $BASELINE is missing" >&2; exit 1; }
[ -n "$PGBIN" ] || { echo "pg_bench: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
rm -rf "$WORK"; mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

PIDS=()
PG_PID=""
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ -n "$PG_PID" ]; then
    kill -INT "$PG_PID" 2>/dev/null || true   # fast shutdown
    for _ in $(seq 100); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.1; done
  fi
}
trap cleanup EXIT

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# --- a PostgreSQL cluster on a Unix socket in the work folder
mkdir -p "$WORK/pg"
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$WORK/pg"
  d=$WORK; while [ "$d" != / ]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done
fi
echo "  initdb" >&2
as_pg "$PGBIN/initdb" -D "$WORK/pg/data" -U grove --auth=trust -E UTF8 --locale=C >"$WORK/pg/initdb.log" 2>&1
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w \
  -o "-k $WORK/pg -c listen_addresses='' -c max_connections=200" start >/dev/null
PG_PID=$(head -n 1 "$WORK/pg/data/postmaster.pid")
"$PGBIN/createdb" -h "$WORK/pg" -U grove grove_a
"$PGBIN/createdb" -h "$WORK/pg" -U grove grove_b
[ -z "$BASELINE" ] || "$PGBIN/createdb" -h "$WORK/pg" -U grove grove_before
URI_BASE="postgresql://grove@/%s?host=$WORK/pg"

# --- one secret, one token
SECRET="$WORK/secret"
head -c 48 /dev/urandom | base64 -w 0 >"$SECRET"
TOKEN=$(python3 - "$SECRET" <<'EOF'
import base64, hashlib, hmac, json, sys, time
secret = open(sys.argv[1]).read().strip().encode()
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
body = b64(json.dumps({"sub": "bench", "name": "Bench", "role": "learner", "exp": int(time.time()) + 3600}).encode())
sig = b64(hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest())
print(f"{head}.{body}.{sig}")
EOF
)

STARTS=0
start_server() {   # $1: name, $2: --db, [$3: binary]; sets PORT and SPID
  # Its own output files each time: a port read from an earlier server's would be a dead one.
  STARTS=$((STARTS + 1))
  local out="$WORK/server-$1-$STARTS.out" err="$WORK/server-$1-$STARTS.err"
  : >"$out"; : >"$err"   # there before the server's shell opens them: read at once below
  "${3:-$SERVER}" --port 0 --db "$2" --jwt-secret-file "$SECRET" --writes-per-minute 1000000 >"$out" 2>"$err" &
  SPID=$!
  PIDS+=("$SPID")
  PORT=""
  for _ in $(seq 200); do
    PORT=$(sed -n 's/.*listening on http:\/\/[^ ]*:\([0-9]*\)\/.*/\1/p' "$out" | head -n 1)
    [ -n "$PORT" ] && break
    sleep 0.05
  done
  [ -n "$PORT" ] || { echo "pg_bench: grove-server did not start:" >&2; cat "$err" >&2; exit 1; }
}
stop_server() { kill "$1"; wait "$1" 2>/dev/null || true; }

# CPU time (clock ticks) of a process, all its threads; and of the cluster: the postmaster and
# every process it started (the backends serving grove-server among them).
ticks_of() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
cluster_ticks() {
  local total=0 p
  for p in "$PG_PID" $(ps -o pid= --ppid "$PG_PID"); do total=$((total + $(ticks_of "$p"))); done
  echo "$total"
}

warm_up() {   # modules port: the same load, not counted
  [ "$WARMUP" -gt 0 ] || return 0
  GROVE_MODULES=$1 GROVE_RUN=warm-$2-$RANDOM wrk -t2 -c32 -d"${WARMUP}s" -s bench/pg_post.lua \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "http://127.0.0.1:$2/" >/dev/null
}

posts_per_s() {   # label modules port server-pid -> requests/s (non-2xx counted apart)
  # Also writes "$WORK/cpu-<label>.txt": CPU ms per request of grove-server and of PostgreSQL.
  local out="$WORK/wrk-$1.txt" s0 p0 s1 p1
  echo "  wrk -t2 -c32 -d${DURATION}s: $1" >&2
  warm_up "$2" "$3"
  s0=$(ticks_of "$4"); p0=$(cluster_ticks)
  GROVE_MODULES=$2 GROVE_RUN=$1 wrk -t2 -c32 -d"${DURATION}s" -s bench/pg_post.lua -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' "http://127.0.0.1:$3/" >"$out"
  s1=$(ticks_of "$4"); p1=$(cluster_ticks)
  awk -v s=$((s1 - s0)) -v p=$((p1 - p0)) -v hz="$TICKS_PER_S" '/ requests in / { n = $1 }
    END { if (n > 0) printf "%.3f %.3f\n", s * 1000 / hz / n, p * 1000 / hz / n; else print "0 0" }' "$out" \
    >"$WORK/cpu-$1.txt"
  awk '/^Requests\/sec:/ { rps = $2 } /Non-2xx/ { bad = $5 } END { printf "%.0f%s", rps, bad ? " (" bad " non-2xx)" : "" }' "$out"
}
cpu_of() { read -r s p <"$WORK/cpu-$1.txt"; printf 'server %s + PostgreSQL %s ms CPU/req' "$s" "$p"; }

start_server sqlite "$WORK/grove.db"
SQLITE_100=$(posts_per_s sqlite-100 100 "$PORT" "$SPID")
SQLITE_1=$(posts_per_s sqlite-1 1 "$PORT" "$SPID")
stop_server "$SPID"

# PostgreSQL: this grove-server ("after"), alternating with the baseline ("before") if given.
pg_runs() {   # name database binary round: one server, 100 modules then one
  start_server "$1" "$(printf "$URI_BASE" "$2")" "$3"
  posts_per_s "$1-100-r$4" 100 "$PORT" "$SPID" >"$WORK/rps-$1-100-r$4.txt"
  posts_per_s "$1-1-r$4" 1 "$PORT" "$SPID" >"$WORK/rps-$1-1-r$4.txt"
  stop_server "$SPID"
}
for round in $(seq "$ROUNDS"); do
  if [ -z "$BASELINE" ]; then pg_runs pg grove_a "$SERVER" "$round"
  elif [ $((round % 2)) -eq 1 ]; then
    pg_runs before grove_before "$BASELINE" "$round"; pg_runs pg grove_a "$SERVER" "$round"
  else
    pg_runs pg grove_a "$SERVER" "$round"; pg_runs before grove_before "$BASELINE" "$round"
  fi
done
PG_100=$(cat "$WORK/rps-pg-100-r$ROUNDS.txt")
PG_1=$(cat "$WORK/rps-pg-1-r$ROUNDS.txt")

CROSS="(grove_events_bench not built)"
if [ -x "$EVENTS" ]; then
  start_server pg-a "$(printf "$URI_BASE" grove_b)"; A_PORT=$PORT; A_PID=$SPID
  start_server pg-b "$(printf "$URI_BASE" grove_b)"; B_PORT=$PORT
  echo "  cross-instance: 100 streams on A, 30 writes on B" >&2
  CROSS=$("$EVENTS" --port "$A_PORT" --write-port "$B_PORT" --token "$TOKEN" --pid "$A_PID" \
          --fanout 100 --writes 30 --gap-ms 100 || true)
fi

printf '\n| %-44s | %12s | %12s |\n' "grove-server, wrk -t2 -c32, ${DURATION} s" "SQLite full" "PostgreSQL"
printf '| %-44s | %12s | %12s |\n' "--------------------------------------------" "-----------:" "-----------:"
printf '| %-44s | %12s | %12s |\n' "POST create/s across 100 modules" "$SQLITE_100" "$PG_100"
printf '| %-44s | %12s | %12s |\n' "POST create/s into one module" "$SQLITE_1" "$PG_1"
printf '\nPostgreSQL: CPU per request (last round): 100 modules %s; one module %s\n' \
  "$(cpu_of "pg-100-r$ROUNDS")" "$(cpu_of "pg-1-r$ROUNDS")"
if [ -n "$BASELINE" ]; then
  printf '\nPostgreSQL POST create/s, before (%s) and after (%s), runs alternating:\n\n' "$BASELINE" "$SERVER"
  printf '| round | modules | before | after | before, CPU/req | after, CPU/req |\n|---|---|---:|---:|---|---|\n'
  for round in $(seq "$ROUNDS"); do
    for m in 100 1; do
      printf '| %s | %s | %s | %s | %s | %s |\n' "$round" "$m" "$(cat "$WORK/rps-before-$m-r$round.txt")" \
        "$(cat "$WORK/rps-pg-$m-r$round.txt")" "$(cpu_of "before-$m-r$round")" "$(cpu_of "pg-$m-r$round")"
    done
  done
fi
printf '\ncross-instance delivery (write on B, event on A, 100 streams x 30 writes): %s\n' "$CROSS"

if [ -n "$JSON_OUT" ]; then   # requests/s as the table shows them ("768", or "768 (3 non-2xx)")
  case "$CROSS" in \{*) cross_json=$CROSS ;; *) cross_json=null ;; esac
  printf '{"seconds": %s, "sqlite_100": "%s", "sqlite_1": "%s", "pg_100": "%s", "pg_1": "%s", "cross": %s}\n' \
    "$DURATION" "$SQLITE_100" "$SQLITE_1" "$PG_100" "$PG_1" "$cross_json" >"$JSON_OUT.part"
  mv "$JSON_OUT.part" "$JSON_OUT"   # a reader never sees half of it
fi
