#!/usr/bin/env bash
# Web app benchmark: how long the screens take to render with L leads in the service.
#
#   bench/web.sh [LEADS]          (default 100000 leads)
#
# Starts `leadrank serve --demo --demo-leads LEADS` on a fresh SQLite database (the demo
# loads generated leads, accounts and events through the service, routes the quality
# leads to 20 reps, and prints one user per role), signs in as the printed `rep` and
# `manager` users, and runs `leadrank-loadgen web` RUNS times against the same server:
# GET /queue, GET /queue/rows, GET /team and GET /leads/<id> for every lead on the user's
# queue in turn, REQUESTS measured requests each (after WARMUP unmeasured ones),
# CONCURRENCY at a time. Before the screens, the same client loads two baselines: an empty
# axum handler in its own process (`leadrank-loadgen empty-server`) and the service's own
# GET /healthz (an empty handler behind the service's middleware).
#
# Client-side latency: request sent to last body byte read. Server-side latency: the `ms=`
# field of the service's per-request log line (the handler and the middleware, from the
# request's arrival in the router to the response leaving it), matched by request id.
#
# With WRITES=1 a writer posts one demo_request after another during the runs
# (`leadrank-loadgen latency`), so every read finds the scores changed since the last one.
#
# Environment: REQUESTS (default 2000), WARMUP (50), CONCURRENCY (4), RUNS (3), WRITES (0),
# DB (a database file to use instead of a temporary one: loaded once, reused when it
# already has leads; then the demo users must be given as REP_PASSWORD and
# MANAGER_PASSWORD, since their passwords are printed only when they are made).
set -euo pipefail
LEADS=${1:-100000}
REQUESTS=${REQUESTS:-2000}
WARMUP=${WARMUP:-50}
CONCURRENCY=${CONCURRENCY:-4}
RUNS=${RUNS:-3}
cd "$(dirname "$0")/.."

# The release build, temporary directory, cleanup and port helpers shared with the other
# service benchmarks.
source bench/common.sh

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(uname -sr); load average $(cut -d' ' -f1-3 /proc/loadavg)"

eport=$(free_port)
"$BIN/leadrank-loadgen" empty-server --addr "127.0.0.1:$eport" >"$TMP/empty.out" 2>&1 &
PIDS+=("$!")
wait_http "http://127.0.0.1:$eport/empty"

db=${DB:-$TMP/web.db}
port=$(free_port)
started=$(date +%s.%N)
# The per-request log line is at the info level; set it whatever the caller's RUST_LOG.
RUST_LOG=info "$BIN/leadrank" serve --demo --demo-leads "$LEADS" --db "$db" --addr "127.0.0.1:$port" >"$TMP/serve.out" 2>"$TMP/serve.log" &
pid=$!
PIDS+=("$pid")
# The server prints its address once the demo is loaded (and the users once they are made).
until grep -q '^leadrank listening' "$TMP/serve.out" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "!! leadrank serve exited during start-up:" >&2
        tail -n 20 "$TMP/serve.log" >&2
        exit 1
    fi
    sleep 0.5
done
sleep 0.5
loaded=$(date +%s.%N)
head -n 1 "$TMP/serve.out"
printf 'start-up with the demo load: %.1f s (load average %s); server RSS %s\n' "$(echo "$loaded - $started" | bc)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "$(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$pid/status")"

# The background writer may still be committing the demo's scores and operating log: the
# funnel report waits for it (a flush), so time one before measuring.
key=$(awk '/^demo admin key/ {print $NF}' "$TMP/serve.out")
if [ -n "$key" ]; then
    t0=$(date +%s.%N)
    curl -fsS -o /dev/null -H "Authorization: Bearer $key" "http://127.0.0.1:$port/v1/reports/funnel"
    printf 'background writer drained %.1f s after start-up (GET /v1/reports/funnel waits for it)\n' "$(echo "$(date +%s.%N) - $t0" | bc)"
fi

rep_pw=${REP_PASSWORD:-$(awk '$1 == "rep" && $2 == "rep" {print $3}' "$TMP/serve.out")}
mgr_pw=${MANAGER_PASSWORD:-$(awk '$1 == "manager" && $2 == "manager" {print $3}' "$TMP/serve.out")}
if [ -z "$rep_pw" ] || [ -z "$mgr_pw" ]; then
    echo "!! no password for the demo users rep and manager (a reused DB needs REP_PASSWORD and MANAGER_PASSWORD)" >&2
    exit 1
fi
grep -E '^  (rep|manager) ' "$TMP/serve.out" | awk '{ $3 = "***"; print "user:", $0 }'

if [ "${WRITES:-0}" = 1 ]; then
    [ -n "$key" ] || { echo "!! WRITES=1 needs the demo admin key (a fresh database)" >&2; exit 1; }
    "$BIN/leadrank-loadgen" latency --base "http://127.0.0.1:$port" --key "$key" --samples 100000000 >"$TMP/writer.out" 2>&1 &
    writer=$!
    PIDS+=("$writer")
    sleep 2
    echo "writer: posting one demo_request after another during the runs"
fi

for run in $(seq 1 "$RUNS"); do
    echo
    echo "== run $run of $RUNS: $REQUESTS requests per screen and user, concurrency $CONCURRENCY; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    "$BIN/leadrank-loadgen" web --base "http://127.0.0.1:$port" --user "rep:$rep_pw" --user "manager:$mgr_pw" \
        --requests "$REQUESTS" --warmup "$WARMUP" --concurrency "$CONCURRENCY" \
        --baseline "http://127.0.0.1:$eport/empty" --baseline "http://127.0.0.1:$port/healthz" \
        --server-log "$TMP/serve.log" --tag "wb$run" | tee "$TMP/run$run.txt"
    echo "run $run: load average after $(cut -d' ' -f1-3 /proc/loadavg)"
done

if [ -n "${writer:-}" ]; then
    kill "$writer" 2>/dev/null || true
    echo "writer: $(grep -c 'method=POST route=/v1/events status=200' "$TMP/serve.log" || true) events accepted during the runs"
fi

echo
echo "server: RSS $(awk '/VmRSS/ {printf "%.0f MB now", $2/1024}' "/proc/$pid/status"), $(awk '/VmHWM/ {printf "%.0f MB peak", $2/1024}' "/proc/$pid/status"); $(grep -c ERROR "$TMP/serve.log" || true) ERROR line(s) in its log"
grep -m3 ERROR "$TMP/serve.log" || true

echo
echo "== medians of $RUNS runs ($LEADS leads, concurrency $CONCURRENCY, $(nproc) cores, SQLite)"
python3 - "$TMP"/run*.txt <<'EOF'
import json, re, statistics, sys
runs = []
for path in sys.argv[1:]:
    lines = [l for l in open(path) if l.startswith("RESULT ")]
    if lines:
        runs.append(json.loads(lines[-1][7:]))
by = {}
for r in runs:
    for s in r["scenarios"]:
        key = re.sub(r" \(\d+ ids in turn\)", "", s["scenario"])
        by.setdefault(key, []).append(s)
med = lambda xs: statistics.median(xs) if xs else float("nan")
def three(ss, side):
    ps = [s[side] for s in ss if s.get(side)]
    if not ps:
        return "-"
    return " / ".join(f"{med([p[k] for p in ps]):.2f}" for k in ("p50_ms", "p95_ms", "p99_ms"))
base = None
print(f"{'scenario':<40} {'runs':>4} | {'client p50 / p95 / p99 ms':>27} | {'server p50 / p95 / p99 ms':>27} | {'server p95 / 50 ms':>18}")
for key, ss in by.items():
    server = [s["server"]["p95_ms"] for s in ss if s.get("server")]
    bar = f"{med(server) / 50:.2f} of the bar" if server and not key.startswith("baseline") else ""
    print(f"{key:<40} {len(ss):>4} | {three(ss, 'client'):>27} | {three(ss, 'server'):>27} | {bar:>18}")
ratios = {}
first = next(iter(by.values()), [])
if first:
    b50 = med([s["client"]["p50_ms"] for s in first])
    print(f"\nclient p50 of each screen / client p50 of the empty axum handler ({b50:.3f} ms):")
    for key, ss in by.items():
        print(f"  {key:<40} {med([s['client']['p50_ms'] for s in ss]) / b50:8.1f}x")
EOF
