#!/usr/bin/env bash
# Operating-layer benchmark (issue 6): routing decisions per second end to end and SLA
# breach detection lag with L open leads, on `leadrank serve` with SQLite, the load
# generator in a second process on loopback.
#
#   bench/ops.sh [LEADS]          (default 100000 leads)
#
# `leadrank-loadgen sla` creates 10 teams open 7 days 00:00-23:59:59 UTC with 5 reps each,
# uploads the built-in routing file with one SLA (first_touch: 1 touch within
# WITHIN_MINUTES, no re-route), upserts LEADS quality leads (total 85: each becomes mql, is
# routed and gets a clock on arrival), then waits until every deadline has passed and every
# breach is counted, and reads sla_detection_lag_seconds from /metrics.
#
# Environment: CONCURRENCY (ingest connections, default 4), WITHIN_MINUTES (default 2),
# SKIP_BASELINE=1 to skip the second run (the same number of non-quality leads into a fresh
# server: nothing routed, no clocks; the cost of the operating layer).
set -euo pipefail
LEADS=${1:-100000}
CONCURRENCY=${CONCURRENCY:-4}
WITHIN_MINUTES=${WITHIN_MINUTES:-2}
cd "$(dirname "$0")/.."
. bench/common.sh

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(uname -sr)"

# run NAME ARGS...: a fresh SQLite server, `leadrank-loadgen sla ARGS`, SIGTERM.
run() {
    local name=$1 db=$TMP/$1.db port key pid
    shift
    port=$(free_port)
    key=$("$BIN/leadrank" keys create --db "$db" --name bench --scopes admin 2>/dev/null)
    "$BIN/leadrank" serve --db "$db" --addr "127.0.0.1:$port" >"$TMP/$name.out" 2>"$TMP/$name.log" &
    pid=$!
    PIDS+=("$pid")
    wait_http "http://127.0.0.1:$port/healthz"
    echo "== $name: $LEADS leads, concurrency $CONCURRENCY, batches of 500 ($*); load average $(cut -d' ' -f1-3 /proc/loadavg)"
    "$BIN/leadrank-loadgen" sla --base "http://127.0.0.1:$port" --key "$key" --leads "$LEADS" \
        --concurrency "$CONCURRENCY" --batch 500 --within-minutes "$WITHIN_MINUTES" "$@" | tee "$TMP/$name.sla"
    echo "$name: load average after $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "$name server: RSS $(awk '/VmHWM/ {printf "%.0f MB peak", $2/1024}' "/proc/$pid/status" 2>/dev/null || echo '?')"
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

run quality
if [ "${SKIP_BASELINE:-0}" != 1 ]; then
    run non-quality --non-quality
fi

echo
echo "== summary ($LEADS leads, $(nproc) cores, SQLite, first_touch within $WITHIN_MINUTES min)"
q=$(result "$TMP/quality.sla")
printf 'quality leads:     %8.0f leads/s, %8.0f routing decisions/s end to end (%d decisions in %.2f s); writer drained %.2f s later\n' \
    "$(jq .leads_per_s <<<"$q")" "$(jq .routing_decisions_per_s <<<"$q")" "$(jq .routing_decisions <<<"$q")" \
    "$(jq .ingest_seconds <<<"$q")" "$(jq .writer_drain_seconds <<<"$q")"
if [ -f "$TMP/non-quality.sla" ]; then
    n=$(result "$TMP/non-quality.sla")
    printf 'non-quality leads: %8.0f leads/s (%d decisions in %.2f s); writer drained %.2f s later\n' \
        "$(jq .leads_per_s <<<"$n")" "$(jq .routing_decisions <<<"$n")" "$(jq .ingest_seconds <<<"$n")" "$(jq .writer_drain_seconds <<<"$n")"
fi
printf 'breaches: %s of %s counted; detection lag n=%s mean %.2f ms, p50 <= %s s, p99 <= %s s, max <= %s s (bucket bounds); exact sample p50 %s ms p99 %s ms max %s ms\n' \
    "$(jq .breaches.counted <<<"$q")" "$(jq .breaches.expected <<<"$q")" "$(jq .detection_lag.count <<<"$q")" \
    "$(jq '(.detection_lag.mean_s // 0) * 1000' <<<"$q")" "$(jq .detection_lag.p50_le_s <<<"$q")" \
    "$(jq .detection_lag.p99_le_s <<<"$q")" "$(jq .detection_lag.max_le_s <<<"$q")" \
    "$(jq .detection_lag.exact_sample.p50_ms <<<"$q")" "$(jq .detection_lag.exact_sample.p99_ms <<<"$q")" \
    "$(jq .detection_lag.exact_sample.max_ms <<<"$q")"
printf 'GET /v1/reports/sla after: running_clocks %s, breaches total %s\n' \
    "$(jq .sla_report.running_clocks <<<"$q")" "$(jq .sla_report.breaches_total <<<"$q")"
