#!/usr/bin/env python3
"""Compare `leadrank learn` with scikit-learn's LogisticRegression on the same features and split.

Usage (from the repository root, after `cargo build --release`):
    python3 -m venv /tmp/lr-venv && /tmp/lr-venv/bin/pip install scikit-learn pandas
    /tmp/lr-venv/bin/python bench/learn_compare.py [path/to/Leads.csv]

leadrank writes its train/test split (--write-split); scikit-learn is fitted on the same rows
with the same columns: the sales-filled columns excluded, 'Select' read as missing,
identifier columns dropped, categories one-hot encoded (rare ones pooled, missing as its own
level) and numbers standardised with a missing indicator.
"""
import json, subprocess, sys, tempfile, os, time
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

data = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/x_education/Leads.csv"
binary = os.environ.get("LEADRANK", "target/release/leadrank")
exclude = ["Tags", "Lead Quality", "Lead Profile", "Last Notable Activity",
           "Asymmetrique Activity Index", "Asymmetrique Profile Index",
           "Asymmetrique Activity Score", "Asymmetrique Profile Score"]
split_file = os.path.join(tempfile.mkdtemp(), "split.csv")
t0 = time.perf_counter()
out = subprocess.run([binary, "learn", "--data", data, "--target", "Converted",
                      "--exclude", ",".join(exclude), "--write-split", split_file, "--json"],
                     check=True, capture_output=True, text=True).stdout
t_lr = time.perf_counter() - t0
learned = json.loads(out)
split = pd.read_csv(split_file)["split"].values

df = pd.read_csv(data)
y = df["Converted"].astype(int).values
X = df.drop(columns=exclude + ["Converted", "Prospect ID", "Lead Number"])
X = X.replace("Select", np.nan)
train = split == "train"
test = split == "test"
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
        v = col.where(col.isna() | col.isin(keep), "__other__").fillna("__missing__")
        parts.append(pd.get_dummies(v, prefix=c, dtype=float))
M = pd.concat(parts, axis=1).values
t0 = time.perf_counter()
clf = LogisticRegression(max_iter=5000).fit(M[train], y[train])
t_sk = time.perf_counter() - t0
auc_sk = roc_auc_score(y[test], clf.decision_function(M[test]))
h = learned["holdout"]
print(f"rows: train {train.sum()}, test {test.sum()}; features for scikit-learn: {M.shape[1]}")
print(f"leadrank points model   held-out AUC {h['auc_points']:.4f}")
print(f"leadrank logistic       held-out AUC {h['auc_logistic']:.4f}   (whole command {t_lr:.2f} s)")
print(f"scikit-learn LogisticRegression AUC {auc_sk:.4f}   (fit {t_sk:.2f} s)")
print(f"difference (points - sklearn): {h['auc_points'] - auc_sk:+.4f}")
leaks = [(c["name"], c["alone_auc"], c["purest_value"]) for c in learned["columns"] if c["leak"]]
print("columns flagged as leaking:", leaks)
