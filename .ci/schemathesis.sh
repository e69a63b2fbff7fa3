#!/usr/bin/env bash
# Schemathesis against the live server, on SQLite and on PostgreSQL: every operation of the
# served OpenAPI document, a bounded number of generated requests each, with the checks
# `not_a_server_error` (no 5xx), `response_schema_conformance` (every answer matches the
# document), `status_code_conformance` and `content_type_conformance` (every status and
# content type is documented). Exits non-zero on any failure.
#
#   bash .ci/schemathesis.sh                   # both back ends
#   SCHEMATHESIS_BACKENDS=sqlite bash .ci/schemathesis.sh
#   SCHEMATHESIS_EXAMPLES=50 bash .ci/schemathesis.sh
#
# PostgreSQL: a fresh database on 127.0.0.1:5432 (user postgres, trust auth), dropped at the
# end. When nothing answers there the PostgreSQL run is skipped with a notice, except under
# CI, where that is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

ST_VERSION=4.32.5
EXAMPLES="${SCHEMATHESIS_EXAMPLES:-50}"
BACKENDS="${SCHEMATHESIS_BACKENDS:-sqlite postgres}"
VENV="${SCHEMATHESIS_VENV:-target/schemathesis-venv}"
PG_ADMIN_URL="${LEADRANK_SCHEMATHESIS_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
started=$SECONDS

echo "== schemathesis $ST_VERSION"
if [ ! -x "$VENV/bin/st" ] || [ "$("$VENV/bin/st" --version 2>/dev/null)" != "st, version $ST_VERSION" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$ST_VERSION"
fi

echo "== build"
cargo build --locked --quiet -p leadrank-cli --bin leadrank
BIN="$(pwd)/target/debug/leadrank"

work="$(mktemp -d)"
server_pid=""
pg_db=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    if [ -n "$pg_db" ]; then psql "$PG_ADMIN_URL/postgres" -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# Starts `leadrank serve --demo` on the database $1 (any free port); sets BASE and KEY.
start_server() {
    local out="$work/serve.out"
    "$BIN" serve --db "$1" --addr 127.0.0.1:0 --demo --demo-leads 300 >"$out" 2>"$work/serve.log" &
    server_pid=$!
    for _ in $(seq 1 600); do
        if grep -q '^demo admin key' "$out" 2>/dev/null; then break; fi
        if ! kill -0 "$server_pid" 2>/dev/null; then echo "the server exited:" >&2; cat "$work/serve.log" >&2; return 1; fi
        sleep 0.1
    done
    BASE="$(sed -n 's/^leadrank listening on \(http:[^ ]*\).*/\1/p' "$out")"
    KEY="$(sed -n 's/^demo admin key (shown once): //p' "$out")"
    if [ -z "$BASE" ] || [ -z "$KEY" ]; then echo "the server did not start in time" >&2; cat "$work/serve.log" >&2; return 1; fi
}

stop_server() {
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

failed=0
run_backend() {
    local name=$1 db=$2 t0=$SECONDS
    echo "== schemathesis on $name ($EXAMPLES examples per operation)"
    start_server "$db"
    local status=0
    # Model and routing files (application/toml) and CSV imports (text/csv) are sent as text: see
    # schemathesis_hooks.py.
    PYTHONPATH="$(pwd)/.ci" SCHEMATHESIS_HOOKS=schemathesis_hooks "$VENV/bin/st" run "$BASE/openapi.json" \
        --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
        --phases examples,coverage,fuzzing \
        --max-examples "$EXAMPLES" \
        --seed 20261206 \
        --workers 2 \
        --header "Authorization: Bearer $KEY" \
        --request-timeout 30 \
        --suppress-health-check all \
        --generation-database none \
        --report junit --report-junit-path "$work/$name.xml" \
        --no-color || status=$?
    stop_server
    if grep -q 'internal error' "$work/serve.log"; then
        echo "server log: internal errors on $name" >&2
        grep 'internal error' "$work/serve.log" | head -20 >&2
        status=1
    fi
    echo "$name: exit $status in $((SECONDS - t0)) s"
    [ "$status" -eq 0 ] || failed=1
}

for backend in $BACKENDS; do
    case "$backend" in
        sqlite)
            run_backend sqlite "$work/schemathesis.db"
            ;;
        postgres)
            if ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
                if [ -n "${CI:-}" ]; then echo "no PostgreSQL server answers on 127.0.0.1:5432 and CI is set" >&2; exit 1; fi
                echo "NOTICE: skipping schemathesis on PostgreSQL: no server answers on 127.0.0.1:5432"
                continue
            fi
            pg_db="leadrank_schemathesis_$$"
            psql "$PG_ADMIN_URL/postgres" -qc "CREATE DATABASE $pg_db" >/dev/null
            # The PostgreSQL store seals personal data with keys from a key vault file.
            LEADRANK_KEY_VAULT="$work/schemathesis-keys.db" run_backend postgres "$PG_ADMIN_URL/$pg_db"
            psql "$PG_ADMIN_URL/postgres" -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null
            pg_db=""
            ;;
        *)
            echo "unknown back end '$backend' (sqlite, postgres)" >&2
            exit 2
            ;;
    esac
done

echo "== schemathesis: $((SECONDS - started)) s in all"
exit "$failed"
