#!/usr/bin/env python3
"""Time leadrank's logistic regression against scikit-learn's (lbfgs) on the same matrix.

Usage (from the repository root):
    python3 -m venv /tmp/lr-venv && /tmp/lr-venv/bin/pip install scikit-learn pandas
    cargo build --release -p leadrank-cli -p leadrank-metrics --example fit_bench
    /tmp/lr-venv/bin/python bench/fit_compare.py bench-data/1000000 [--work DIR] [--scores S.jsonl] [--l2 1.0]

1. Builds the matrix once (written to DIR/matrix.csv): per lead, one 0/1 column for each rule
   of the default model that fired (`leadrank score --format jsonl`, as of 2026-06-30T12:00:00Z),
   one 0/1 column per lead source (sources of at least 1% of leads), phone_verified, consent and
   budget_owner as 0/1, and log1p(employees), log1p(annual_revenue) and timeline_days
   standardised on the training rows (missing as 0) with a missing indicator each. Label: the
   lead has a won opportunity in outcomes.csv (by lead_id; an opportunity without a known lead
   counts for every lead of its account, as `leadrank calibrate` does). 30% of rows (random,
   seed 7) are held out: column `test`.
2. Both engines read that same CSV (correctly rounded parsing on both sides, so the matrices
   are bit-identical), use it as it is (no further scaling), fit on the training rows and
   minimise the same objective: sum of log losses + l2/2 |w|^2, intercept not penalised
   (scikit-learn: C = 1/l2). Fit seconds are measured inside each process around the fit call
   only. AUC is on the held-out rows.
"""
import argparse, json, os, re, subprocess, sys, time, warnings
import numpy as np
import pandas as pd

ap = argparse.ArgumentParser()
ap.add_argument("data")
ap.add_argument("--work", default="/tmp/fitbench")
ap.add_argument("--scores", help="existing `leadrank score --format jsonl` output to reuse")
ap.add_argument("--l2", type=float, default=1.0)
ap.add_argument("--seed", type=int, default=7)
ap.add_argument("--sk-tol", type=float, default=1e-4, help="scikit-learn tol (its default: 1e-4)")
ap.add_argument("--reuse-matrix", action="store_true", help="skip building DIR/matrix.csv")
ap.add_argument("--leadrank", default=os.environ.get("LEADRANK", "target/release/leadrank"))
ap.add_argument("--fit-bench", default="target/release/examples/fit_bench")
args = ap.parse_args()
os.makedirs(args.work, exist_ok=True)
matrix = os.path.join(args.work, "matrix.csv")


def build():
    scores = args.scores or os.path.join(args.work, "scores.jsonl")
    if not args.scores:
        d = args.data
        subprocess.run([args.leadrank, "score", "--leads", f"{d}/leads.csv", "--events", f"{d}/events.csv",
                        "--accounts", f"{d}/accounts.csv", "--as-of", "2026-06-30T12:00:00Z",
                        "--format", "jsonl", "--out", scores], check=True)
    leads = pd.read_csv(f"{args.data}/leads.csv", dtype=str, keep_default_na=False,
                        usecols=["lead_id", "account_id", "employees", "annual_revenue", "phone_verified",
                                 "consent", "source", "budget_owner", "timeline_days"])
    n = len(leads)
    index = {lid: i for i, lid in enumerate(leads["lead_id"])}
    rule_re = re.compile(r'"rule":"([^"]+)"')
    fired = [None] * n
    rules = set()
    with open(scores) as f:
        for line in f:
            i = index[line[12:line.index('"', 12)]]  # {"lead_id":"...
            r = rule_re.findall(line)
            fired[i] = r
            rules.update(r)
    rules = sorted(rules)
    rpos = {r: k for k, r in enumerate(rules)}
    rng = np.random.default_rng(args.seed)
    test = np.zeros(n, dtype=np.int8)
    test[rng.permutation(n)[: round(0.3 * n)]] = 1
    train = test == 0

    cols, names = [], []
    R = np.zeros((n, len(rules)))
    for i, r in enumerate(fired):
        for name in r or ():
            R[i, rpos[name]] = 1.0
    cols += [R[:, k] for k in range(len(rules))]
    names += [f"rule_{r}" for r in rules]
    src = leads["source"].str.lower()
    counts = src[src != ""].value_counts()
    for s in sorted(counts[counts * 100 >= n].index):
        cols.append((src == s).to_numpy(float))
        names.append(f"source_{s}")
    for c in ["phone_verified", "consent", "budget_owner"]:
        cols.append((leads[c] == "true").to_numpy(float))
        names.append(c)
    for c, tf in [("employees", np.log1p), ("annual_revenue", np.log1p), ("timeline_days", lambda v: v)]:
        v = pd.to_numeric(leads[c], errors="coerce").to_numpy(float)
        miss = np.isnan(v)
        v = tf(np.where(miss, np.nan, np.maximum(v, 0.0)))
        ok = train & ~miss
        mu, sd = v[ok].mean(), v[ok].std() or 1.0
        cols.append(np.round(np.where(miss, 0.0, (v - mu) / sd), 6))
        names.append(f"{c}_z")
        cols.append(miss.astype(float))
        names.append(f"{c}_missing")

    won = np.zeros(n, dtype=np.int8)
    out = pd.read_csv(f"{args.data}/outcomes.csv", dtype=str, keep_default_na=False)
    by_account = leads.groupby("account_id").indices
    for lid, acc in zip(out.loc[out["status"] == "won", "lead_id"], out.loc[out["status"] == "won", "account_id"]):
        if lid in index:
            won[index[lid]] = 1
        elif acc and acc in by_account:
            won[by_account[acc]] = 1
    df = pd.DataFrame(dict(zip(names, cols)))
    df["label"] = won
    df["test"] = test
    df.to_csv(matrix, index=False)


t0 = time.perf_counter()
if not args.reuse_matrix:
    build()
    print(f"matrix built in {time.perf_counter() - t0:.1f} s: {matrix}", file=sys.stderr)

# scikit-learn, on the matrix read back from the CSV (round-trip parsing: the same doubles).
from sklearn import __version__ as skv
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

with warnings.catch_warnings():  # pandas 3 deprecates the option; still honoured
    warnings.simplefilter("ignore")
    df = pd.read_csv(matrix, float_precision="round_trip")
y = df.pop("label").to_numpy().astype(int)
te = df.pop("test").to_numpy() != 0
X = np.ascontiguousarray(df.to_numpy(float))
Xtr, ytr, Xte, yte = X[~te], y[~te], X[te], y[te]
del X, df
clf = LogisticRegression(solver="lbfgs", C=1.0 / args.l2, tol=args.sk_tol, max_iter=1000)
t0 = time.perf_counter()
clf.fit(Xtr, ytr)
sk_fit = time.perf_counter() - t0
sk_auc = roc_auc_score(yte, clf.decision_function(Xte))
sk_auc_tr = roc_auc_score(ytr, clf.decision_function(Xtr))


def objective(b, w):
    z = Xtr @ w + b
    return float(np.sum(np.logaddexp(0.0, z) - ytr * z) + 0.5 * args.l2 * (w @ w))


sk_obj = objective(clf.intercept_[0], clf.coef_[0])

# leadrank, as a subprocess on the same file.
res = subprocess.run([args.fit_bench, matrix, "--l2", str(args.l2)], check=True, capture_output=True, text=True)
lr = json.loads(res.stdout)
lr_obj = objective(lr["intercept"], np.array(lr["coef"]))
max_coef_diff = float(np.max(np.abs(np.array(lr["coef"]) - clf.coef_[0])))

print(f"rows: train {len(ytr):,}, test {len(yte):,} (positive rate {y.mean():.4f}); features {Xtr.shape[1]}; "
      f"l2 = {args.l2} (C = {1 / args.l2}); leadrank threads {lr['threads']}; scikit-learn {skv}\n")
print("| engine | fit s | iterations | objective (train) | train AUC | held-out AUC | held-out AUC - scikit-learn |")
print("|---|---:|---:|---:|---:|---:|---:|")
print(f"| scikit-learn LogisticRegression(solver=\"lbfgs\", C={1 / args.l2:g}, tol={args.sk_tol:g}) | {sk_fit:.2f} | {clf.n_iter_[0]} | "
      f"{sk_obj:,.3f} | {sk_auc_tr:.5f} | {sk_auc:.5f} | 0 |")
print(f"| leadrank logistic::fit (Newton, Hessian on {lr['hessian_rows']:,} rows) | {lr['fit_seconds']:.2f} | "
      f"{lr['iterations']} | {lr_obj:,.3f} | {lr['auc_train']:.5f} | {lr['auc_test']:.5f} | {lr['auc_test'] - sk_auc:+.5f} |")
print(f"\nspeed: leadrank {sk_fit / lr['fit_seconds']:.1f}x as fast as scikit-learn (fit only); "
      f"leadrank converged: {lr['converged']}; "
      f"largest coefficient difference {max_coef_diff:.2e}; leadrank CSV read {lr['read_seconds']:.1f} s (not timed)")
