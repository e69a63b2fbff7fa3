#!/usr/bin/env bash
# Service benchmark (issue 4): ingest throughput and ack->readable latency of `leadrank serve`
# on SQLite and PostgreSQL, and the empty-handler ceiling, with the load generator in a
# second process on loopback.
#
#   bench/service.sh [LEADS]          (default 20000 leads)
#
# Environment: CONCURRENCY (ingest connections, default 4), SAMPLES (latency samples,
# default 1000), PG_URL (default postgres://postgres@127.0.0.1:5432/leadrank_bench),
# SKIP_PG=1 to skip PostgreSQL, WRK_SECONDS (default 10).
set -euo pipefail
LEADS=${1:-20000}
CONCURRENCY=${CONCURRENCY:-4}
SAMPLES=${SAMPLES:-1000}
WRK_SECONDS=${WRK_SECONDS:-10}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/leadrank_bench}
cd "$(dirname "$0")/.."
. bench/common.sh

AS_OF=$(date -u +%Y-%m-%dT%H:%M:%SZ)
"$BIN/leadrank" generate --leads "$LEADS" --out "$TMP/data" --as-of "$AS_OF"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(uname -sr)"

run_backend() {
    local name=$1 db=$2 port key pid
    port=$(free_port)
    key=$("$BIN/leadrank" keys create --db "$db" --name bench --scopes admin 2>/dev/null)
    "$BIN/leadrank" serve --db "$db" --addr "127.0.0.1:$port" >"$TMP/$name.out" 2>"$TMP/$name.log" &
    pid=$!
    PIDS+=("$pid")
    wait_http "http://127.0.0.1:$port/healthz"
    echo "== $name: ingest ($LEADS leads, concurrency $CONCURRENCY, batches of 500)"
    "$BIN/leadrank-loadgen" ingest --base "http://127.0.0.1:$port" --key "$key" --leads "$TMP/data" \
        --concurrency "$CONCURRENCY" --batch 500 | tee "$TMP/$name.ingest"
    echo "== $name: ack -> readable ($SAMPLES samples)"
    "$BIN/leadrank-loadgen" latency --base "http://127.0.0.1:$port" --key "$key" --samples "$SAMPLES" | tee "$TMP/$name.latency"
    if command -v wrk >/dev/null; then
        echo "== $name: wrk GET /v1/leads/L0000001/score (2 threads, 32 connections, ${WRK_SECONDS}s)"
        wrk -t2 -c32 -d"${WRK_SECONDS}s" --latency -H "Authorization: Bearer $key" \
            "http://127.0.0.1:$port/v1/leads/L0000001/score" | tee "$TMP/$name.wrk"
    fi
    kill -TERM "$pid"
    # A clean stop commits what is queued; give it 30 s, then report and SIGKILL.
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        echo "!! $name server still running 30 s after SIGTERM; last errors:" >&2
        grep -E 'ERROR|WARN' "$TMP/$name.log" | tail -n 3 >&2 || true
        kill -KILL "$pid"
    fi
    wait "$pid" 2>/dev/null || echo "$name server exited with status $?"
    echo "$name server log: $(grep -c ERROR "$TMP/$name.log" || true) ERROR line(s)"
    grep -m1 ERROR "$TMP/$name.log" || true
}

run_backend sqlite "$TMP/bench.db"
if [ "${SKIP_PG:-0}" != 1 ]; then
    psql -h 127.0.0.1 -U postgres -d test -q -c 'DROP DATABASE IF EXISTS leadrank_bench' -c 'CREATE DATABASE leadrank_bench'
    # The PostgreSQL store keeps its per-lead keys in a key vault file beside the data.
    LEADRANK_KEY_VAULT="$TMP/bench-keys.db" run_backend postgres "$PG_URL"
fi

echo "== empty handler (axum, GET /empty)"
EPORT=$(free_port)
"$BIN/leadrank-loadgen" empty-server --addr "127.0.0.1:$EPORT" >/dev/null &
PIDS+=("$!")
wait_http "http://127.0.0.1:$EPORT/empty"
"$BIN/leadrank-loadgen" empty-load --url "http://127.0.0.1:$EPORT/empty" --concurrency 32 --seconds "$WRK_SECONDS" | tee "$TMP/empty.loadgen"
if command -v wrk >/dev/null; then
    wrk -t2 -c32 -d"${WRK_SECONDS}s" --latency "http://127.0.0.1:$EPORT/empty" | tee "$TMP/empty.wrk"
fi

wrk_rps() { [ -f "$1" ] && awk '/^Requests\/sec/ {printf "%.0f", $2}' "$1" || echo "-"; }
echo
echo "== summary ($LEADS leads, $(nproc) cores; events phase = events/s accepted over its wall time)"
printf '%-9s %10s %9s %9s %9s %10s %10s %10s %8s %10s\n' backend events/s req_p50 req_p99 leads/s ack_p50 ack_p99 ack_max not_refl score_rps
for name in sqlite postgres; do
    [ -f "$TMP/$name.ingest" ] || continue
    i=$(result "$TMP/$name.ingest"); l=$(result "$TMP/$name.latency")
    printf '%-9s %10.0f %7.1fms %7.1fms %9.0f %8.2fms %8.2fms %8.2fms %8s %10s\n' "$name" \
        "$(jq .events.accepted_per_s <<<"$i")" "$(jq .events.latency.p50_ms <<<"$i")" "$(jq .events.latency.p99_ms <<<"$i")" \
        "$(jq .leads.accepted_per_s <<<"$i")" \
        "$(jq .ack_to_readable.p50_ms <<<"$l")" "$(jq .ack_to_readable.p99_ms <<<"$l")" "$(jq .ack_to_readable.max_ms <<<"$l")" \
        "$(jq .not_reflected_first_read <<<"$l")" "$(wrk_rps "$TMP/$name.wrk")"
done
printf 'empty handler: %s requests/s (wrk -t2 -c32), %.0f requests/s (leadrank-loadgen empty-load, 32 connections)\n' \
    "$(wrk_rps "$TMP/empty.wrk")" "$(jq .rps <<<"$(result "$TMP/empty.loadgen")")"
