#!/usr/bin/env bash
# Single events while bulk batches stream in: the latency of a 1-event POST /v1/events (and
# ack -> readable) measured while a second data set is ingested in batches of 500 with 4
# connections, on SQLite.
#
#   bench/single_under_bulk.sh [LEADS] [BIN_DIR]   (default 20000 leads, target/release)
#
# With BIN_DIR the binaries there are used as they are (to compare two builds in one sitting).
set -euo pipefail
LEADS=${1:-20000}
cd "$(dirname "$0")/.."
if [ -n "${2:-}" ]; then
    BIN=$2
    TMP=$(mktemp -d)
    PIDS=()
    cleanup() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
    trap cleanup EXIT
    free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
    wait_http() { for _ in $(seq 1 600); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "not ready: $1" >&2; return 1; }
else
    . bench/common.sh
fi
AS_OF=$(date -u +%Y-%m-%dT%H:%M:%SZ)
"$BIN/leadrank" generate --leads "$LEADS" --out "$TMP/a" --as-of "$AS_OF" >/dev/null
"$BIN/leadrank" generate --leads "$LEADS" --out "$TMP/b" --as-of "$AS_OF" --seed 7 >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
port=$(free_port)
db="$TMP/bench.db"
key=$("$BIN/leadrank" keys create --db "$db" --name bench --scopes admin 2>/dev/null)
"$BIN/leadrank" serve --db "$db" --addr "127.0.0.1:$port" >"$TMP/serve.out" 2>"$TMP/serve.log" &
PIDS+=("$!")
wait_http "http://127.0.0.1:$port/healthz"
base="http://127.0.0.1:$port"
echo "== load the first $LEADS leads"
"$BIN/leadrank-loadgen" ingest --base "$base" --key "$key" --leads "$TMP/a" --concurrency 4 --batch 500 | grep -v '^RESULT'
echo "== single events while a second $LEADS-lead set streams in (4 connections, batches of 500)"
"$BIN/leadrank-loadgen" ingest --base "$base" --key "$key" --leads "$TMP/b" --concurrency 4 --batch 500 >"$TMP/bulk.out" &
bulk=$!
sleep 1
"$BIN/leadrank-loadgen" latency --base "$base" --key "$key" --samples "${SAMPLES:-300}" | grep -v '^RESULT'
if kill -0 "$bulk" 2>/dev/null; then echo "bulk ingest still running when the samples ended: all samples were under load"; else echo "WARNING: the bulk ingest ended before the samples did"; fi
wait "$bulk" || true
grep -v '^RESULT' "$TMP/bulk.out" | tail -n 4
