# Shared by the service benchmark scripts (bench/service.sh, bench/ops.sh): builds the release
# binaries, makes a temporary directory removed on exit (stopping the servers started), and
# small helpers. Source it from the repository root.
cargo build --release -p leadrank-cli -p leadrank-loadgen
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release
TMP=$(mktemp -d)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 600); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "not ready: $1" >&2; return 1; }
result() { grep '^RESULT ' "$1" | tail -n1 | cut -c8-; }
