#!/usr/bin/env bash
# Loopback load test of `interdict serve`: single-name screening requests
# from wrk (2 threads, 64 connections) against a server with a fresh SQLite
# casebook, then the audit chain of everything written is verified.
#
# usage: bench/serve_load.sh [INTERDICT]        (default build/interdict)
#   DURATION=60s      how long (default 10s)
#   NAMES_CSV=FILE    names from the second column of a CSV (default: 3,600
#                     synthetic first x last names)
#   SERVE_ARGS="..."  more options for serve (e.g. --no-cache, --list FILE)
#   WRK_THREADS=N     wrk threads (default 2)
#   RATE=N            send N requests per second on a schedule (default: as
#                     fast as answers come back, which measures the most the
#                     two share of the cores can do; latency at that point is
#                     64 connections' queue over the scheduler, not a rate a
#                     service is run at)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/interdict}
duration=${DURATION:-10s}
command -v wrk >/dev/null || { echo "serve_load: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/interdict-load.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

key=$("$bin" keys create --role client --name load-test --db "$tmp/casebook.db" 2>/dev/null)
# shellcheck disable=SC2086
"$bin" serve --port 0 --port-file "$tmp/port" --db "$tmp/casebook.db" --quiet ${SERVE_ARGS:-} &
pid=$!
for _ in $(seq 300); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
curl -sf "http://127.0.0.1:$port/v1/ready" >/dev/null || { echo "serve_load: server not ready" >&2; exit 1; }

offered="as fast as answered"
[ -n "${RATE:-}" ] && offered="$RATE requests/s"
echo "wrk -t${WRK_THREADS:-2} -c64 -d$duration, POST /v1/screen, $(nproc) cores," \
  "server: ${SERVE_ARGS:-default threads}, offered: $offered"
RATE=${RATE:-} WRK_THREADS=${WRK_THREADS:-2} INTERDICT_KEY=$key wrk -t"${WRK_THREADS:-2}" -c64 -d"$duration" --latency -s "$here/serve_screen.lua" \
  "http://127.0.0.1:$port/" | sed -n '/^requests\/s:/,$p'
curl -s "http://127.0.0.1:$port/metrics" |
  awk '/^interdict_http_requests_total\{route="screen"/ { split($1, a, "status=\""); s = substr(a[2], 1, 3);
         printf "server: %s answers with status %s\n", $2, s }
       /^interdict_screen_cache_total/ { print "server: " $0 }
       /^interdict_http_request_duration_seconds_bucket\{le="0.001"\}/ { in1 = $2 }
       /^interdict_http_request_duration_seconds_bucket\{le="0.005"\}/ { in5 = $2 }
       /^interdict_http_request_duration_seconds_bucket\{le="\+Inf"\}/ { all = $2 }
       END { if (all) printf "server: answered within 1 ms %.2f%%, within 5 ms %.2f%% (request read to answer)\n",
                             100 * in1 / all, 100 * in5 / all }'
kill "$pid"; wait "$pid" || true; pid=""
"$bin" audit verify --db "$tmp/casebook.db"
