#!/usr/bin/env python3
"""Four-way comparison of `leadrank learn` with scikit-learn and InterpretML on the same split.

Usage (from the repository root, after `cargo build --release -p leadrank-cli`):
    python3 -m venv bench/.venv
    bench/.venv/bin/pip install interpret-core==0.7.8 scikit-learn==1.6.1 pandas==2.2.3
    bench/.venv/bin/python bench/learn_compare.py --data-dir DATA [--only x_education]

For each data set the script runs `leadrank learn` twice (--method ebm, the default, and
--method logistic), each time writing the train/test split (--write-split); every other
model is fitted on exactly those training rows and scored on those held-out rows, with the
columns `learn` used (its JSON says which: identifiers, constant columns, excluded and leaking
columns are left out), cells read as `learn` reads them (the same missing tokens, categories
compared in lower case):

* leadrank learn --method ebm: integer points, at most 8 bands per column (held-out AUC of
  the points, and of the boosted shape functions before banding).
* leadrank learn --method logistic: integer points from L2 logistic regression.
* scikit-learn LogisticRegression (one-hot categories, standardised numbers with a missing
  indicator).
* InterpretML ExplainableBoostingClassifier, default settings (with pairwise interactions),
  and with interactions=0 (purely additive, like leadrank's).
* scikit-learn HistGradientBoostingClassifier, default settings, categories native.

Times: for leadrank the whole command (read, screen, fit, evaluate); for the others the fit
alone. Data sets: X Education leads (target Converted, the sales-filled columns excluded),
the Maven CRM closed deals (Won/Lost, joined with accounts, products and teams; dates and
close value left out) and scikit-learn's bundled breast-cancer table.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

MISSING = {"", "na", "n/a", "null", "nan", "none", "select"}
BINARY = os.environ.get("LEADRANK", "target/release/leadrank")
SEED = 42


def x_education(data_dir, tmp):
    path = os.path.join(data_dir, "x_education", "Leads.csv")
    exclude = ["Tags", "Lead Quality", "Lead Profile", "Last Notable Activity",
               "Asymmetrique Activity Index", "Asymmetrique Profile Index",
               "Asymmetrique Activity Score", "Asymmetrique Profile Score"]
    return path, "Converted", exclude


def maven_crm(data_dir, tmp):
    d = os.path.join(data_dir, "maven_crm")
    deals = pd.read_csv(os.path.join(d, "sales_pipeline.csv"), dtype=str, keep_default_na=False)
    deals = deals[deals["deal_stage"].isin(["Won", "Lost"])].copy()
    deals["product"] = deals["product"].replace({"GTXPro": "GTX Pro"})
    accounts = pd.read_csv(os.path.join(d, "accounts.csv"), dtype=str, keep_default_na=False)
    products = pd.read_csv(os.path.join(d, "products.csv"), dtype=str, keep_default_na=False)
    teams = pd.read_csv(os.path.join(d, "sales_teams.csv"), dtype=str, keep_default_na=False)
    t = deals.merge(accounts, on="account", how="left").merge(products, on="product", how="left")
    t = t.merge(teams, on="sales_agent", how="left")
    t["engage_month"] = t["engage_date"].str.slice(5, 7)
    t = t.drop(columns=["opportunity_id", "engage_date", "close_date", "close_value"]).fillna("")
    path = os.path.join(tmp, "maven_closed_deals.csv")
    t.to_csv(path, index=False)
    return path, "deal_stage", []


def breast_cancer(data_dir, tmp):
    b = load_breast_cancer(as_frame=True)
    t = b.frame.copy()
    t.columns = [c.replace(" ", "_") for c in t.columns]
    path = os.path.join(tmp, "breast_cancer.csv")
    t.to_csv(path, index=False)
    return path, "target", []


SETS = {"x_education": x_education, "maven_crm": maven_crm, "breast_cancer": breast_cancer}


def run_learn(path, target, exclude, method, tmp):
    split_file = os.path.join(tmp, f"split-{method}.csv")
    cmd = [BINARY, "learn", "--data", path, "--target", target, "--method", method,
           "--write-split", split_file, "--json", "--seed", str(SEED)]
    if exclude:
        cmd += ["--exclude", ",".join(exclude)]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    elapsed = time.perf_counter() - t0
    return json.loads(out), pd.read_csv(split_file)["split"].values, elapsed


def frame(path, target, learned):
    """The table as `learn` reads it: the columns it used, missing tokens as NaN, numbers as
    floats, categories in lower case (pandas 'category' dtype)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    y = df[target].str.strip().str.lower().isin(["1", "1.0", "true", "yes", "y", "won", "converted"]).astype(int).values
    kinds = {c["name"]: c["kind"] for c in learned["columns"]}
    X = pd.DataFrame(index=df.index)
    for c in df.columns:
        kind = kinds.get(c)
        if kind not in ("numeric", "categorical"):
            continue
        col = df[c].str.strip()
        col = col.where(~col.str.lower().isin(MISSING), np.nan)
        if kind == "numeric":
            X[c] = pd.to_numeric(col, errors="coerce")
        else:
            X[c] = col.str.lower().astype("category")
    return X, y


def one_hot(X, train):
    parts = []
    for c in X.columns:
        col = X[c]
        if pd.api.types.is_numeric_dtype(col):
            med = col[train].median()
            mu, sd = col[train].mean(), col[train].std() or 1.0
            parts.append(((col.fillna(med) - mu) / sd).rename(c).to_frame())
            if col.isna().any():
                parts.append(col.isna().astype(float).rename(c + "_missing").to_frame())
        else:
            counts = col[train].value_counts()
            keep = set(counts[counts >= 20].index)
            v = col.astype(object).where(col.isna() | col.isin(keep), "__other__").fillna("__missing__")
            parts.append(pd.get_dummies(v, prefix=c, dtype=float))
    return pd.concat(parts, axis=1).values


def timed(fit):
    t0 = time.perf_counter()
    m = fit()
    return m, time.perf_counter() - t0


def compare(name, path, target, exclude, tmp):
    from interpret.glassbox import ExplainableBoostingClassifier

    ebm_run, split, t_ebm = run_learn(path, target, exclude, "ebm", tmp)
    log_run, split_l, t_log = run_learn(path, target, exclude, "logistic", tmp)
    assert (split == split_l).all(), "the two methods split differently"
    X, y = frame(path, target, ebm_run)
    train, test = split == "train", split == "test"
    rows = []
    h = ebm_run["holdout"]
    bands = max((sum(1 for r in ebm_run["rules"] if r["column"] == c) for c in {r["column"] for r in ebm_run["rules"]}), default=0)
    rows.append(("leadrank learn (ebm points)", h["auc_points"], t_ebm,
                 f"{len(ebm_run['rules'])} rules, <= {bands} per column; shapes before banding {h['auc_shapes']:.4f}"))
    hl = log_run["holdout"]
    rows.append(("leadrank learn --method logistic (points)", hl["auc_points"], t_log, f"{len(log_run['rules'])} rules"))
    M = one_hot(X, train)
    clf, t = timed(lambda: LogisticRegression(max_iter=5000).fit(M[train], y[train]))
    rows.append(("scikit-learn LogisticRegression", roc_auc_score(y[test], clf.decision_function(M[test])), t, f"{M.shape[1]} one-hot columns"))
    for label, kw in [("InterpretML EBM (default, with interactions)", {}), ("InterpretML EBM (interactions=0)", {"interactions": 0})]:
        ebm, t = timed(lambda: ExplainableBoostingClassifier(random_state=SEED, **kw).fit(X[train], y[train]))
        rows.append((label, roc_auc_score(y[test], ebm.predict_proba(X[test])[:, 1]), t, ""))
    hgb, t = timed(lambda: HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=SEED).fit(X[train], y[train]))
    rows.append(("scikit-learn HistGradientBoosting", roc_auc_score(y[test], hgb.predict_proba(X[test])[:, 1]), t, ""))
    print(f"\n## {name}: {train.sum()} training rows, {test.sum()} held out, {X.shape[1]} columns used")
    print("| model | held-out AUC | fit time s | note |")
    print("|---|---:|---:|---|")
    for label, auc, t, note in rows:
        print(f"| {label} | {auc:.4f} | {t:.2f} | {note} |")
    ours = rows[0][1]
    print(f"gap: leadrank points - EBM(default) {ours - rows[3][1]:+.4f}; - EBM(no interactions) {ours - rows[4][1]:+.4f}; - HGB {ours - rows[5][1]:+.4f}")
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True, help="folder with x_education/Leads.csv and the Maven CRM files")
    ap.add_argument("--only", choices=list(SETS))
    a = ap.parse_args()
    import interpret, sklearn
    print(f"interpret {interpret.__version__}, scikit-learn {sklearn.__version__}, pandas {pd.__version__}, numpy {np.__version__}; leadrank {BINARY}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in SETS.items():
            if a.only and name != a.only:
                continue
            path, target, exclude = make(a.data_dir, tmp)
            compare(name, path, target, exclude, tmp)


if __name__ == "__main__":
    sys.exit(main())
