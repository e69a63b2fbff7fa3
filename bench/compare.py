#!/usr/bin/env python3
"""Benchmark leadrank against the same default model written as SQL in DuckDB.

Runs `leadrank score` and the DuckDB SQL of bench/default_model.sql on the same CSV files,
one after the other, each in its own process under `/usr/bin/time -v` (wall time and peak
resident memory are measured the same way for both), then compares the per-lead totals and
the per-rule "fired" flags and prints a Markdown report.

Only the Python standard library and `duckdb` (PyPI) are used. Exit status: 0 when the share
of leads on which both engines agree (same total and same fired rules) is at least
--min-agreement, 1 when it is lower, 2 when a run fails.

    python3 bench/compare.py bench-data/1000000 --as-of 2026-06-30T12:00:00Z
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

# The default model's rules (models/default.toml), in model order, with their dimension.
RULES = [
    ("icp_industry", "fit"), ("employee_band", "fit"), ("tech_stack", "fit"), ("target_geo", "fit"),
    ("use_case", "fit"),
    ("pricing_page", "intent"), ("demo_request", "intent"), ("trial_activation", "intent"),
    ("intent_surge", "intent"), ("high_intent_burst", "intent"),
    ("director_plus", "access"), ("budget_owner", "access"), ("buying_committee", "access"),
    ("timeline_90d", "timing"), ("contract_end", "timing"), ("event_follow_up", "timing"),
    ("corporate_email", "integrity"), ("phone_verified", "integrity"), ("consent", "integrity"),
    ("unique_record", "integrity"),
    ("careers_page", "penalty"), ("personal_email", "penalty"), ("student", "penalty"),
    ("competitor", "penalty"), ("bounced_email", "penalty"), ("spam", "penalty"),
]
DIMENSIONS = ["fit", "intent", "access", "timing", "integrity", "penalty"]


# ---------------------------------------------------------------------------------------
# The DuckDB side, run in a child process (`--duckdb-worker`) so that its peak memory is
# measured exactly like leadrank's.

def duckdb_worker(args: argparse.Namespace) -> int:
    import duckdb

    started = time.monotonic()
    con = duckdb.connect(":memory:")
    if args.threads:
        con.execute(f"SET threads = {int(args.threads)}")
    for key, value in (v.split("=", 1) for v in args.var):
        con.execute(f"SET VARIABLE {key} = ?", [value])
    sql = Path(args.sql).read_text(encoding="utf-8")
    con.execute(sql)
    # Write the scores, like leadrank writes its JSON Lines.
    out = str(Path(args.out).resolve()).replace("'", "''")
    con.execute(f"COPY (SELECT * FROM lr_scores) TO '{out}' (FORMAT csv, HEADER true)")
    finished = time.monotonic()
    stats = {
        "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
        "memory_limit": con.execute("SELECT current_setting('memory_limit')").fetchone()[0],
        "duckdb_version": duckdb.__version__,
        "leads": con.execute("SELECT count(*) FROM lr_leads").fetchone()[0],
        "events_used": con.execute("SELECT count(*) FROM lr_events").fetchone()[0],
        "seconds_in_process": round(finished - started, 3),
    }
    Path(args.stats).write_text(json.dumps(stats), encoding="utf-8")
    return 0


# ---------------------------------------------------------------------------------------
# Measuring a command

def timed(cmd: list[str], cwd: Path | None = None) -> dict:
    """Runs `cmd` under /usr/bin/time -v; returns wall seconds, peak RSS (MB), status, stderr."""
    full = ["/usr/bin/time", "-v", *cmd]
    proc = subprocess.run(full, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    err = proc.stderr
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", err)
    cpu_user = re.search(r"User time \(seconds\): ([\d.]+)", err)
    cpu_sys = re.search(r"System time \(seconds\): ([\d.]+)", err)
    seconds = None
    if wall:
        seconds = 0.0
        for part in wall.group(1).split(":"):
            seconds = seconds * 60 + float(part)
    # The tool's own stderr, without /usr/bin/time's report.
    own = err.split("\tCommand being timed:")[0]
    return {
        "status": proc.returncode,
        "wall_s": seconds,
        "peak_rss_mb": int(rss.group(1)) / 1024 if rss else None,
        "cpu_s": (float(cpu_user.group(1)) + float(cpu_sys.group(1))) if cpu_user and cpu_sys else None,
        "stderr": own,
        "stdout": proc.stdout,
        "cmd": cmd,
    }


def shell(cmd: list[str]) -> str:
    return " ".join(c if re.fullmatch(r"[\w@%+=:,./-]+", c) else "'" + c.replace("'", "'\\''") + "'" for c in cmd)


# ---------------------------------------------------------------------------------------
# Comparison (in this process; not part of either measurement)

def compare(leadrank_jsonl: Path, duckdb_csv: Path, examples: int) -> dict:
    import duckdb

    con = duckdb.connect(":memory:")
    dims = ", ".join(f"{d} INTEGER" for d in DIMENSIONS)
    con.execute(
        f"""
        CREATE TABLE lr AS
        SELECT lead_id, total, dimensions,
               [r.rule FOR r IN reasons IF r.rule <> 'cap'] AS rules
        FROM read_json(?, format = 'newline_delimited', columns = {{
            'lead_id': 'VARCHAR', 'total': 'INTEGER',
            'dimensions': 'STRUCT({dims})',
            'reasons': 'STRUCT(rule VARCHAR, dimension VARCHAR, points INTEGER, detail VARCHAR)[]'}})
        """,
        [str(leadrank_jsonl)],
    )
    con.execute("CREATE TABLE db AS SELECT * FROM read_csv(?, header = true)", [str(duckdb_csv)])
    rule_cols = ",\n".join(
        f"coalesce(list_contains(lr.rules, '{r}'), false) AS lr_{r}, coalesce(db.{r}, false) AS db_{r}" for r, _ in RULES
    )
    dim_cols = ",\n".join(f"lr.dimensions.{d} AS lr_dim_{d}, db.{d} AS db_dim_{d}" for d in DIMENSIONS)
    con.execute(
        f"""
        CREATE TABLE j AS
        SELECT coalesce(lr.lead_id, db.lead_id) AS lead_id,
               lr.lead_id IS NOT NULL AS in_lr, db.lead_id IS NOT NULL AS in_db,
               lr.total AS lr_total, db.total AS db_total,
               {dim_cols},
               {rule_cols}
        FROM lr FULL OUTER JOIN db USING (lead_id)
        """
    )
    flags_equal = " AND ".join(f"lr_{r} = db_{r}" for r, _ in RULES)
    (n, only_lr, only_db, total_eq, all_eq) = con.execute(
        f"""
        SELECT count(*),
               count(*) FILTER (WHERE NOT in_db),
               count(*) FILTER (WHERE NOT in_lr),
               count(*) FILTER (WHERE in_lr AND in_db AND lr_total = db_total),
               count(*) FILTER (WHERE in_lr AND in_db AND lr_total = db_total AND {flags_equal})
        FROM j
        """
    ).fetchone()
    per_rule = []
    for rule, dim in RULES:
        lr_only, db_only, lr_fired, db_fired = con.execute(
            f"""SELECT count(*) FILTER (WHERE lr_{rule} AND NOT db_{rule}),
                       count(*) FILTER (WHERE db_{rule} AND NOT lr_{rule}),
                       count(*) FILTER (WHERE lr_{rule}), count(*) FILTER (WHERE db_{rule})
                FROM j WHERE in_lr AND in_db"""
        ).fetchone()
        ids = []
        if lr_only + db_only and examples:
            ids = [
                r[0]
                for r in con.execute(
                    f"SELECT lead_id FROM j WHERE in_lr AND in_db AND lr_{rule} <> db_{rule} ORDER BY lead_id LIMIT {examples}"
                ).fetchall()
            ]
        per_rule.append(
            {"rule": rule, "dimension": dim, "leadrank_fired": lr_fired, "duckdb_fired": db_fired,
             "leadrank_only": lr_only, "duckdb_only": db_only, "examples": ids}
        )
    per_dim = {}
    for d in DIMENSIONS:
        per_dim[d] = con.execute(
            f"SELECT count(*) FILTER (WHERE lr_dim_{d} <> db_dim_{d}) FROM j WHERE in_lr AND in_db"
        ).fetchone()[0]
    total_examples = [
        r for r in con.execute(
            f"SELECT lead_id, lr_total, db_total FROM j WHERE in_lr AND in_db AND lr_total <> db_total ORDER BY lead_id LIMIT {examples}"
        ).fetchall()
    ]
    sums = con.execute("SELECT sum(lr_total), sum(db_total) FROM j").fetchone()
    return {
        "leads": n, "only_leadrank": only_lr, "only_duckdb": only_db,
        "total_equal": total_eq, "all_equal": all_eq,
        "per_rule": per_rule, "per_dimension": per_dim, "total_examples": total_examples,
        "sum_totals": {"leadrank": sums[0], "duckdb": sums[1]},
    }


# ---------------------------------------------------------------------------------------

def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("data_dir", nargs="?", help="directory with leads.csv, events.csv, accounts.csv")
    p.add_argument("--as-of", default="2026-06-30T12:00:00Z", help="scoring time T (default: the generator's)")
    p.add_argument("--leadrank", default=str(ROOT / "target/release/leadrank"), help="path to the leadrank binary")
    p.add_argument("--sql", default=str(BENCH / "default_model.sql"))
    p.add_argument("--facts-data", default=str(ROOT / "crates/leadrank-facts/data"),
                   help="directory with free_mail_domains.txt and disposable_domains.txt")
    p.add_argument("--min-agreement", type=float, default=1.0,
                   help="least share of leads with the same total and the same fired rules (default 1.0)")
    p.add_argument("--threads", type=int, default=0, help="DuckDB threads (default: DuckDB's default, all cores)")
    p.add_argument("--workdir", help="where the outputs go (default: a fresh directory in /tmp)")
    p.add_argument("--keep", action="store_true", help="keep the outputs")
    p.add_argument("--examples", type=int, default=3, help="mismatching lead ids shown per rule")
    p.add_argument("--reuse-leadrank", help="compare this leadrank JSONL instead of running leadrank (no timing)")
    p.add_argument("--json", help="also write the full report as JSON here")
    p.add_argument("--runs", type=int, default=1,
                   help="rounds of (leadrank, DuckDB) run alternately; the report uses each engine's median "
                        "wall time, so one disturbed run on a shared machine does not decide the ratio (default 1)")
    # internal: the DuckDB child process
    p.add_argument("--duckdb-worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--var", action="append", default=[], help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    p.add_argument("--stats", help=argparse.SUPPRESS)
    args = p.parse_args()

    if args.duckdb_worker:
        return duckdb_worker(args)
    if not args.data_dir:
        p.error("data_dir is required")

    data = Path(args.data_dir).resolve()
    leads, events, accounts = data / "leads.csv", data / "events.csv", data / "accounts.csv"
    for f in (leads, events):
        if not f.exists():
            print(f"error: {f} is missing", file=sys.stderr)
            return 2
    facts = Path(args.facts_data).resolve()
    free_mail, disposable = facts / "free_mail_domains.txt", facts / "disposable_domains.txt"
    for f in (free_mail, disposable):
        if not f.exists():
            print(f"error: {f} is missing (the vendored domain lists)", file=sys.stderr)
            return 2
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="leadrank-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    results = {}
    lr_out = work / "leadrank.jsonl"
    lr_cmd = [args.leadrank, "score", "--leads", str(leads), "--events", str(events)]
    if accounts.exists():
        lr_cmd += ["--accounts", str(accounts)]
    lr_cmd += ["--as-of", args.as_of, "--format", "jsonl", "--out", str(lr_out)]
    db_out, db_stats = work / "duckdb_scores.csv", work / "duckdb_stats.json"
    db_cmd = [sys.executable, str(Path(__file__).resolve()), "--duckdb-worker", "--sql", str(Path(args.sql).resolve()),
              "--out", str(db_out), "--stats", str(db_stats),
              "--var", f"as_of={args.as_of}", "--var", f"leads_path={leads}", "--var", f"events_path={events}",
              "--var", f"free_mail_path={free_mail}", "--var", f"disposable_path={disposable}"]
    if args.threads:
        db_cmd += ["--threads", str(args.threads)]
    if args.reuse_leadrank:
        lr_out = Path(args.reuse_leadrank).resolve()
    lr_runs, db_runs = [], []
    for _ in range(max(args.runs, 1)):
        # --- leadrank -----------------------------------------------------------------
        if not args.reuse_leadrank:
            print(f"running: {shell(lr_cmd)}", file=sys.stderr)
            run = timed(lr_cmd)
            if run["status"] not in (0, 1):  # 1 = some rows rejected, still scored
                print(run["stderr"], file=sys.stderr)
                print(f"error: leadrank exited with {run['status']}", file=sys.stderr)
                return 2
            print(run["stderr"].strip()[-2000:], file=sys.stderr)
            lr_runs.append(run)
        # --- DuckDB -------------------------------------------------------------------
        print(f"running: {shell(db_cmd)}", file=sys.stderr)
        run = timed(db_cmd, cwd=work)
        if run["status"] != 0:
            print(run["stderr"], file=sys.stderr)
            print(f"error: the DuckDB run exited with {run['status']}", file=sys.stderr)
            return 2
        db_runs.append(run)

    def median_run(runs: list[dict]) -> dict | None:
        return sorted(runs, key=lambda r: r["wall_s"])[(len(runs) - 1) // 2] if runs else None

    lr_run, db_run = median_run(lr_runs), median_run(db_runs)
    if lr_run is not None:
        results["leadrank"] = lr_run
    stats = json.loads(db_stats.read_text())
    results["duckdb"] = db_run

    # --- counts and comparison ------------------------------------------------------------
    import duckdb

    con = duckdb.connect()
    event_rows = con.execute("SELECT count(*) FROM read_csv(?, all_varchar = true, header = true)", [str(events)]).fetchone()[0]
    lead_rows = con.execute("SELECT count(*) FROM read_csv(?, all_varchar = true, header = true)", [str(leads)]).fetchone()[0]
    con.close()
    cmp = compare(lr_out, db_out, args.examples)

    # --- report ---------------------------------------------------------------------------
    out = []
    out.append(f"## leadrank vs DuckDB: {lead_rows:,} leads, {event_rows:,} event rows, as of {args.as_of}\n")
    out.append(f"Data: `{data}`  \nDuckDB {stats['duckdb_version']}, threads={stats['threads']}, "
               f"memory_limit={stats['memory_limit']} (defaults)\n")
    if len(db_runs) > 1:
        out.append(f"{len(db_runs)} rounds, leadrank then DuckDB in each; the table shows each engine's median run.\n")
        out.append("| round | leadrank wall s | DuckDB wall s | ratio |")
        out.append("|---:|---:|---:|---:|")
        for i, d in enumerate(db_runs):
            l = lr_runs[i] if i < len(lr_runs) else None
            ratio = f"{d['wall_s'] / l['wall_s']:.2f}x" if l and l["wall_s"] else ""
            out.append(f"| {i + 1} | {l['wall_s']:.2f} | {d['wall_s']:.2f} | {ratio} |" if l else f"| {i + 1} | | {d['wall_s']:.2f} | |")
        out.append("")
    out.append("| engine | wall s | events/s | peak RSS MB | CPU s |")
    out.append("|---|---:|---:|---:|---:|")
    for name, run in (("leadrank", lr_run), ("DuckDB SQL", db_run)):
        if run is None:
            out.append(f"| {name} | (not run) | | | |")
            continue
        eps = event_rows / run["wall_s"] if run["wall_s"] else float("nan")
        out.append(f"| {name} | {run['wall_s']:.2f} | {eps:,.0f} | {run['peak_rss_mb']:,.0f} | {run['cpu_s']:.1f} |")
    if lr_run is not None:
        speedup = db_run["wall_s"] / lr_run["wall_s"] if lr_run["wall_s"] else float("nan")
        peak = max(r["peak_rss_mb"] for r in lr_runs)
        out.append(f"\nleadrank is **{speedup:.2f}x** as fast as DuckDB (goal: >= 3x); "
                   f"leadrank peak RSS {peak:,.0f} MB, the highest of its runs (goal: < 1,536 MB). "
                   f"DuckDB time inside its process: {stats['seconds_in_process']:.2f} s.")
        m = re.search(r"scored (\d+) leads .* with (\d+) events \((\d+) duplicates ignored\), (\d+) rows rejected",
                      lr_run["stderr"])
        if m:
            out.append(f"leadrank: {int(m.group(1)):,} leads scored, {int(m.group(2)):,} events, "
                       f"{int(m.group(3)):,} duplicate events ignored, {int(m.group(4)):,} rows rejected. "
                       f"DuckDB: {stats['leads']:,} leads, {stats['events_used']:,} deduplicated events at or before T.")
    n_both = cmp["leads"] - cmp["only_leadrank"] - cmp["only_duckdb"]
    denom = max(cmp["leads"], 1)
    out.append("\n### Agreement\n")
    out.append("| measure | leads | share |")
    out.append("|---|---:|---:|")
    out.append(f"| leads in both outputs | {n_both:,} | {n_both / denom:.6f} |")
    out.append(f"| only in leadrank / only in DuckDB | {cmp['only_leadrank']:,} / {cmp['only_duckdb']:,} | |")
    out.append(f"| same total | {cmp['total_equal']:,} | {cmp['total_equal'] / denom:.6f} |")
    out.append(f"| same total and same fired rules | {cmp['all_equal']:,} | {cmp['all_equal'] / denom:.6f} |")
    out.append(f"| totals differ | {n_both - cmp['total_equal']:,} | {(n_both - cmp['total_equal']) / denom:.6f} |")
    out.append(f"\nSum of totals: leadrank {cmp['sum_totals']['leadrank']:,}, DuckDB {cmp['sum_totals']['duckdb']:,}.")
    out.append("\n### Per rule (leads where the rule fired in one engine only)\n")
    out.append("| rule | dimension | fired (leadrank) | fired (DuckDB) | leadrank only | DuckDB only | examples |")
    out.append("|---|---|---:|---:|---:|---:|---|")
    for r in cmp["per_rule"]:
        out.append(f"| {r['rule']} | {r['dimension']} | {r['leadrank_fired']:,} | {r['duckdb_fired']:,} | "
                   f"{r['leadrank_only']:,} | {r['duckdb_only']:,} | {' '.join(r['examples'])} |")
    out.append("\nDimension points that differ (after caps): "
               + ", ".join(f"{d} {c:,}" for d, c in cmp["per_dimension"].items()))
    if cmp["total_examples"]:
        out.append("Examples of differing totals (lead, leadrank, DuckDB): "
                   + "; ".join(f"{a} {b} {c}" for a, b, c in cmp["total_examples"]))
    agreement = cmp["all_equal"] / denom
    out.append(f"\n**Agreement {agreement:.6f}** (minimum {args.min_agreement}).")
    print("\n".join(out))

    if args.json:
        report = {"as_of": args.as_of, "data": str(data), "lead_rows": lead_rows, "event_rows": event_rows,
                  "duckdb_stats": stats, "comparison": cmp,
                  "runs": {k: {kk: vv for kk, vv in v.items() if kk not in ("stderr", "stdout")}
                           for k, v in results.items()},
                  "rounds": {"leadrank": [r["wall_s"] for r in lr_runs], "duckdb": [r["wall_s"] for r in db_runs]}}
        Path(args.json).write_text(json.dumps(report, indent=2, default=str))
    if not args.keep and not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"\noutputs kept in {work}", file=sys.stderr)
    return 0 if agreement >= args.min_agreement else 1


if __name__ == "__main__":
    sys.exit(main())
