#!/usr/bin/env python3
"""Speed benchmark: `leadrank score --format csv` against DuckDB queries on the same files.

Engines (each run in its own process under `/usr/bin/time -v`, one at a time, in alternation
for --runs rounds; medians reported):

  leadrank  `leadrank score --leads L --events E --accounts A --as-of T --format csv --out F`
            (every score with its fired rules)
  analyst   bench/analyst_query.sql: the query an analyst would write (one query, facts that
            need a library approximated), COPY one row per lead to CSV; the speed yardstick
  exact     bench/default_model.sql: the exact translation of the model, kept as the
            correctness check (agreement is checked by bench/compare.py); slow

Only the standard library and `duckdb` (PyPI) are used. Run it with the Python that has
duckdb (e.g. a venv: `python3 -m venv bench/.venv && bench/.venv/bin/pip install duckdb==2.0.0`).

    bench/.venv/bin/python bench/speed.py bench-data/1000000 --runs 3
    bench/.venv/bin/python bench/speed.py bench-data/crm-1000000 --runs 3 --engines leadrank,analyst
    bench/.venv/bin/python bench/speed.py D --engines leadrank --leadrank old/leadrank --leadrank new/leadrank

Several --leadrank binaries may be given (named leadrank, leadrank2, ...); their outputs'
SHA-256 are printed, so a change can be shown to leave the output byte for byte unchanged.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from compare import shell, timed  # noqa: E402


def analyst_worker(args: argparse.Namespace) -> int:
    import duckdb

    con = duckdb.connect(":memory:")
    if args.threads:
        con.execute(f"SET threads = {int(args.threads)}")
    for key, value in (v.split("=", 1) for v in args.var):
        con.execute(f"SET VARIABLE {key} = ?", [value])
    out = str(Path(args.out).resolve()).replace("'", "''")
    sql = Path(args.sql).read_text(encoding="utf-8").replace("__OUT__", out)
    con.execute(sql)
    return 0


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("data_dir", nargs="?")
    p.add_argument("--as-of", default="2026-06-30T12:00:00Z")
    p.add_argument("--leadrank", action="append", help="leadrank binary (repeatable; default target/release/leadrank)")
    p.add_argument("--engines", default="leadrank,analyst", help="comma-separated: leadrank, analyst, exact")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--threads", type=int, default=0, help="DuckDB threads (default: all cores)")
    p.add_argument("--workdir", help="where outputs go (default: a fresh directory in /tmp, removed)")
    p.add_argument("--json", help="also write the measurements as JSON here")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--sql", default=str(BENCH / "analyst_query.sql"), help=argparse.SUPPRESS)
    p.add_argument("--var", action="append", default=[], help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        return analyst_worker(args)
    if not args.data_dir:
        p.error("DATA_DIR is required")

    data = Path(args.data_dir).resolve()
    leads, events, accounts = data / "leads.csv", data / "events.csv", data / "accounts.csv"
    facts = ROOT / "crates/leadrank-facts/data"
    binaries = [Path(b).resolve() for b in (args.leadrank or [str(ROOT / "target/release/leadrank")])]
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="leadrank-speed-"))
    work.mkdir(parents=True, exist_ok=True)
    variables = [f"as_of={args.as_of}", f"leads_path={leads}", f"events_path={events}",
                 f"free_mail_path={facts / 'free_mail_domains.txt'}", f"disposable_path={facts / 'disposable_domains.txt'}"]
    var_args = [a for v in variables for a in ("--var", v)]
    threads = ["--threads", str(args.threads)] if args.threads else []

    commands: dict[str, tuple[list[str], Path]] = {}
    for name in args.engines.split(","):
        name = name.strip()
        if name == "leadrank":
            for i, b in enumerate(binaries):
                key = "leadrank" if i == 0 else f"leadrank{i + 1}"
                out = work / f"{key}.csv"
                cmd = [str(b), "score", "--leads", str(leads), "--events", str(events), "--as-of", args.as_of,
                       "--format", "csv", "--out", str(out)]
                if accounts.exists():
                    cmd[6:6] = ["--accounts", str(accounts)]
                commands[key] = (cmd, out)
        elif name == "analyst":
            out = work / "analyst.csv"
            commands["analyst"] = ([sys.executable, str(Path(__file__).resolve()), "--worker", "--sql",
                                    str(BENCH / "analyst_query.sql"), "--out", str(out), *var_args, *threads], out)
        elif name == "exact":
            out = work / "exact.csv"
            commands["exact"] = ([sys.executable, str(BENCH / "compare.py"), "--duckdb-worker", "--sql",
                                  str(BENCH / "default_model.sql"), "--out", str(out), "--stats", str(work / "exact.json"),
                                  *var_args, *threads], out)
        else:
            p.error(f"unknown engine {name!r} (known: leadrank, analyst, exact)")

    import duckdb

    print("## Speed run\n")
    print(f"- Data: {data} ({sum(1 for _ in open(leads, 'rb')) - 1} lead rows, "
          f"{sum(1 for _ in open(events, 'rb')) - 1} event rows)")
    print(f"- Machine: {os.cpu_count()} CPUs, {(Path('/proc/cpuinfo').read_text().split('model name')[1].split(':')[1].splitlines()[0]).strip()}")
    print(f"- DuckDB {duckdb.__version__}, Python {sys.version.split()[0]}, as of {args.as_of}")
    for key, (cmd, _) in commands.items():
        print(f"- {key}: `{shell(cmd)}`")
    print(f"- load average at start: {loadavg()}\n")

    results: dict[str, list[dict]] = {k: [] for k in commands}
    digests: dict[str, set[str]] = {k: set() for k in commands}
    print("| round | engine | wall s | CPU s | peak RSS MB | load before |")
    print("|---:|---|---:|---:|---:|---|")
    for r in range(1, args.runs + 1):
        for key, (cmd, out) in commands.items():
            before = loadavg()
            t = timed(cmd)
            if t["status"] != 0:
                print(f"{key} failed (status {t['status']}):\n{t['stderr'][-3000:]}", file=sys.stderr)
                return 2
            t["load_before"] = before
            results[key].append(t)
            if key.startswith("leadrank"):
                digests[key].add(sha256(out))
            print(f"| {r} | {key} | {t['wall_s']:.2f} | {t['cpu_s']:.1f} | {t['peak_rss_mb']:,.0f} | {before} |", flush=True)
    print(f"\nload average at end: {loadavg()}\n")

    med = {k: {m: statistics.median(x[m] for x in v) for m in ("wall_s", "cpu_s", "peak_rss_mb")} for k, v in results.items()}
    print("| engine | median wall s | median CPU s | median peak RSS MB | max peak RSS MB |")
    print("|---|---:|---:|---:|---:|")
    for k, m in med.items():
        print(f"| {k} | {m['wall_s']:.2f} | {m['cpu_s']:.1f} | {m['peak_rss_mb']:,.0f} | {max(x['peak_rss_mb'] for x in results[k]):,.0f} |")
    base = "leadrank" if "leadrank" in med else None
    if base:
        print()
        for k in med:
            if k != base:
                rounds = ", ".join(f"{a['wall_s'] / b['wall_s']:.2f}x" for a, b in zip(results[k], results[base]))
                print(f"- {k} / {base} (median wall): {med[k]['wall_s'] / med[base]['wall_s']:.2f}x; per round: {rounds}")
    for k, d in digests.items():
        if not d:
            continue
        print(f"- sha256 of {k}'s output: {', '.join(sorted(d))}" + ("" if len(d) == 1 else " (runs differ!)"))
    if args.json:
        Path(args.json).write_text(json.dumps({"results": {k: [{m: x[m] for m in ("wall_s", "cpu_s", "peak_rss_mb", "load_before")} for x in v]
                                                           for k, v in results.items()},
                                               "medians": med, "sha256": {k: sorted(v) for k, v in digests.items()}}, indent=2))
    if not args.workdir:
        for f in work.iterdir():
            f.unlink()
        work.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
