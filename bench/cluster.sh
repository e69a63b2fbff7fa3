#!/usr/bin/env bash
# Cluster-mode benchmark: ingest throughput and ack->readable latency of one node in cluster
# mode (`serve --cluster`, PostgreSQL + NATS JetStream) against a standalone server on the
# same PostgreSQL, in the same run; through a standby (every request crosses NATS to the
# owner); and the takeover time after SIGKILL of the owner with the state loaded.
#
#   bench/cluster.sh [LEADS]          (default 20000 leads)
#
# Environment: CONCURRENCY (ingest connections, default 4), SAMPLES (latency samples,
# default 1000), KILLS (owner SIGKILLs for the takeover figure, default 10), NATS_URL
# (default nats://127.0.0.1:4222), PG (default postgres://postgres@127.0.0.1:5432),
# ONLY_TAKEOVER=1 (skip the standalone and single-owner runs: load the two-node cluster and
# measure the takeover).
set -euo pipefail
LEADS=${1:-20000}
CONCURRENCY=${CONCURRENCY:-4}
SAMPLES=${SAMPLES:-1000}
KILLS=${KILLS:-10}
NATS_URL=${NATS_URL:-nats://127.0.0.1:4222}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
cd "$(dirname "$0")/.."
. bench/common.sh

AS_OF=$(date -u +%Y-%m-%dT%H:%M:%SZ)
"$BIN/leadrank" generate --leads "$LEADS" --out "$TMP/data" --as-of "$AS_OF" >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(uname -sr); load $(cut -d' ' -f1-3 /proc/loadavg)"

fresh_db() { psql -h 127.0.0.1 -U postgres -d test -q -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"; }

# node NAME DB PORT ID: a cluster node in the background (its pid in NODE_PID).
node() {
    "$BIN/leadrank" serve --db "$2" --key-vault "$TMP/$1.vault" --addr "127.0.0.1:$3" \
        --cluster "$NATS_URL" --cluster-name "bench$1" --node-id "$4" >>"$TMP/$1.out" 2>>"$TMP/$1.log" &
    NODE_PID=$!
    PIDS+=("$NODE_PID")
}

stop() {
    kill -TERM "$1" 2>/dev/null || return 0
    for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

measure() { # NAME BASE KEY
    echo "== $1: ingest ($LEADS leads, concurrency $CONCURRENCY, batches of 500)"
    "$BIN/leadrank-loadgen" ingest --base "$2" --key "$3" --leads "$TMP/data" --concurrency "$CONCURRENCY" --batch 500 | tee "$TMP/$1.ingest"
    echo "== $1: ack -> readable ($SAMPLES samples)"
    "$BIN/leadrank-loadgen" latency --base "$2" --key "$3" --samples "$SAMPLES" | tee "$TMP/$1.latency"
}

if [ -z "${ONLY_TAKEOVER:-}" ]; then
# 1. Standalone on PostgreSQL.
fresh_db lr_cbench_standalone
DB="$PG/lr_cbench_standalone"
KEY=$(LEADRANK_KEY_VAULT="$TMP/standalone.vault" "$BIN/leadrank" keys create --db "$DB" --name bench --scopes admin 2>/dev/null)
PORT=$(free_port)
LEADRANK_KEY_VAULT="$TMP/standalone.vault" "$BIN/leadrank" serve --db "$DB" --addr "127.0.0.1:$PORT" >"$TMP/standalone.out" 2>"$TMP/standalone.log" &
SPID=$!; PIDS+=("$SPID")
wait_http "http://127.0.0.1:$PORT/healthz"
measure standalone "http://127.0.0.1:$PORT" "$KEY"
stop "$SPID"

# 2. One cluster node, requests to it (the owner).
fresh_db lr_cbench_owner
DB="$PG/lr_cbench_owner"
KEY=$(LEADRANK_KEY_VAULT="$TMP/owner.vault" "$BIN/leadrank" keys create --db "$DB" --name bench --scopes admin 2>/dev/null)
P1=$(free_port)
node owner "$DB" "$P1" o1; O1=$NODE_PID
until curl -fs "http://127.0.0.1:$P1/cluster" | grep -q '"role":"owner"'; do sleep 0.1; done
measure owner "http://127.0.0.1:$P1" "$KEY"
stop "$O1"

fi

# 3. Two nodes, requests to the standby (record writes through JetStream, reads by request-reply).
fresh_db lr_cbench_standby
DB="$PG/lr_cbench_standby"
KEY=$(LEADRANK_KEY_VAULT="$TMP/standby.vault" "$BIN/leadrank" keys create --db "$DB" --name bench --scopes admin 2>/dev/null)
P1=$(free_port); P2=$(free_port)
node standby "$DB" "$P1" s1; S1=$NODE_PID
until curl -fs "http://127.0.0.1:$P1/cluster" | grep -q '"role":"owner"'; do sleep 0.1; done
node standby "$DB" "$P2" s2; S2=$NODE_PID
wait_http "http://127.0.0.1:$P2/healthz"
measure standby "http://127.0.0.1:$P2" "$KEY"

# 4. Takeover after SIGKILL of the owner, with the state of LEADS leads loaded: from the kill
#    to the first 200 of a one-event write sent to the other node every 50 ms.
echo "== takeover after SIGKILL ($KILLS kills, $LEADS leads and their events loaded, --lease-ttl 5)"
declare -A PORT_OF=([s1]=$P1 [s2]=$P2) PID_OF=([s1]=$S1 [s2]=$S2)
: >"$TMP/takeover.txt"
for k in $(seq 1 "$KILLS"); do
    owner=$(curl -fs "http://127.0.0.1:$P1/cluster" | python3 -c 'import json,sys; print(json.load(sys.stdin)["owner"])')
    other=$([ "$owner" = s1 ] && echo s2 || echo s1)
    kill -KILL "${PID_OF[$owner]}"; t0=$(date +%s.%N)
    body="{\"events\":[{\"event_id\":\"takeover-$k\",\"lead_id\":\"L0000001\",\"type\":\"page_view\",\"occurred_at\":\"$AS_OF\"}]}"
    until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" -H 'content-type: application/json' \
        -d "$body" "http://127.0.0.1:${PORT_OF[$other]}/v1/events")" = 200 ]; do sleep 0.05; done
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc | tee -a "$TMP/takeover.txt"
    node standby "$DB" "${PORT_OF[$owner]}" "$owner"; PID_OF[$owner]=$NODE_PID
    wait_http "http://127.0.0.1:${PORT_OF[$owner]}/healthz"
done
stop "${PID_OF[s1]}"; stop "${PID_OF[s2]}"

echo
echo "== summary ($LEADS leads, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-11s %10s %9s %9s %9s %10s %10s %10s\n' mode events/s req_p50 req_p99 leads/s ack_p50 ack_p99 ack_max
for name in standalone owner standby; do
    [ -f "$TMP/$name.ingest" ] || continue
    i=$(result "$TMP/$name.ingest"); l=$(result "$TMP/$name.latency")
    printf '%-11s %10.0f %7.1fms %7.1fms %9.0f %8.2fms %8.2fms %8.2fms\n' "$name" \
        "$(jq .events.accepted_per_s <<<"$i")" "$(jq .events.latency.p50_ms <<<"$i")" "$(jq .events.latency.p99_ms <<<"$i")" \
        "$(jq .leads.accepted_per_s <<<"$i")" \
        "$(jq .ack_to_readable.p50_ms <<<"$l")" "$(jq .ack_to_readable.p99_ms <<<"$l")" "$(jq .ack_to_readable.max_ms <<<"$l")"
done
sort -n "$TMP/takeover.txt" | awk '{a[NR]=$1} END {printf "takeover after SIGKILL: n=%d, p50 %.2f s, max %.2f s\n", NR, a[int((NR+1)/2)], a[NR]}'
