#!/usr/bin/env bash
# The scoring benchmark: leadrank vs the same default model as SQL in DuckDB.
#
#   bench/run.sh                 # 1,000,000 leads (about 10,000,000 events)
#   bench/run.sh 20000           # a quick run
#   bench/run.sh 1000000 --runs 3   # 3 alternating rounds, medians reported (noisy machines)
#   AS_OF=2026-06-30T12:00:00Z SEED=7 bench/run.sh 1000000 --min-agreement 0.999
#
# Installs duckdb (pip) when missing, builds the release binary, generates the data set once
# into bench-data/N (git-ignored) and runs bench/compare.py; extra arguments go to compare.py.
set -euo pipefail

cd "$(dirname "$0")/.."
N="${1:-1000000}"
shift || true
SEED="${SEED:-7}"
AS_OF="${AS_OF:-2026-06-30T12:00:00Z}"
PYTHON="${PYTHON:-python3}"
BIN=target/release/leadrank
DATA="bench-data/$N"

echo "## Machine"
echo
echo "- CPUs (nproc): $(nproc)"
echo "- CPU model: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "- Memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "- Kernel: $(uname -sr)"
echo "- rustc: $(rustc --version 2>/dev/null || echo unknown)"
echo "- Python: $($PYTHON --version 2>&1)"

if ! "$PYTHON" -c 'import duckdb' 2>/dev/null; then
    echo "installing duckdb with pip ..." >&2
    "$PYTHON" -m pip install --quiet duckdb
fi
echo "- DuckDB: $("$PYTHON" -c 'import duckdb; print(duckdb.__version__)')"
echo

echo "building leadrank (release) ..." >&2
cargo build --release -p leadrank-cli >&2

if [ ! -s "$DATA/events.csv" ] || [ ! -s "$DATA/leads.csv" ]; then
    echo "generating $N leads into $DATA (seed $SEED) ..." >&2
    "$BIN" generate --leads "$N" --out "$DATA" --seed "$SEED" --as-of "$AS_OF" >&2
fi
echo "- Data: $DATA ($(du -sh "$DATA" | cut -f1)): $(($(wc -l < "$DATA/leads.csv") - 1)) lead rows, $(($(wc -l < "$DATA/events.csv") - 1)) event rows"
echo

exec "$PYTHON" bench/compare.py "$DATA" --as-of "$AS_OF" --leadrank "$BIN" "$@"
