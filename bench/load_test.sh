#!/usr/bin/env bash
# The load test: simulated widgets (default 200) syncing and writing against a real
# grove-server with its default limits for a minute on loopback; then every acknowledged write is
# checked against the database and the server's memory (RSS) must have levelled off. Prints the
# figures and a summary line; exits non-zero on any error other than 429, any lost or duplicated
# write, or growing memory. ./grove test runs a 10-second round of the same program.
#   bench/load_test.sh [seconds, default 60] [clients, default 200] [grove-server flags...]
# Build first (./grove build).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-60}
CLIENTS=${2:-200}
shift $(( $# > 2 ? 2 : $# ))
B=${GROVE_BUILD:-build}
LOAD=$B/native/tests/hardening/grove_load
[ -x "$LOAD" ] || { echo "load_test: build first (./grove build); $LOAD is missing" >&2; exit 1; }
args=()
for a in "$@"; do args+=(--server-arg "$a"); done
exec "$LOAD" --clients "$CLIENTS" --seconds "$SECONDS_TO_RUN" "${args[@]}"
