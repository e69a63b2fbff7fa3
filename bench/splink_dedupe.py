#!/usr/bin/env python3
"""Splink (DuckDB back end, unsupervised EM) on a labelled leads CSV, for comparison with
`leadrank dedupe`.

    python bench/splink_dedupe.py LEADS.csv TRUTH.csv [--thresholds 0.95]

LEADS.csv is a leads file with the custom columns street, city and postcode (as written by
`cargo run --release -p leadrank-hygiene --example dedupe_bench -- write PEOPLE SEED FILE`);
TRUTH.csv maps lead_id to person. Prints pair precision, recall and F1 over the merged
clusters (the same definition as the Rust side), and the wall time of the Splink part.

Setup: a venv with pinned `splink==4.0.12` and `sqlglot<26` (DuckDB back end):

    python3 -m venv bench/.venv && bench/.venv/bin/pip install "splink==4.0.12" "sqlglot<26"

The model follows Splink's quickstart for person data: `NameComparison` on both names and
exact matches on city and postcode with term-frequency adjustments, `EmailComparison`; u
from 1,000,000 random pairs (seeded), the share of matches from deterministic rules, m by
expectation maximisation on two blocking rules (both names; postcode, standing in for the
date of birth this data lacks), and clusters at a match-probability threshold (0.95 in
the quickstart). No labels are used for training. `--thresholds 0.5,0.95,0.999` scores
several thresholds from one prediction.
"""

import argparse
import re
import sys
import time
import unicodedata
from collections import Counter

import pandas as pd


def fold(s):
    if s is None or (isinstance(s, float) and s != s):
        return None
    s = unicodedata.normalize("NFKD", str(s))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[^0-9a-z@.+ ]+", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return s or None


def phone(s):
    if s is None or (isinstance(s, float) and s != s):
        return None
    d = re.sub(r"\D", "", str(s))
    return d[-9:] if len(d) >= 7 else None


def domain(s):
    s = fold(s)
    if not s:
        return None
    s = re.sub(r"^https?\s*", "", s)
    s = s.replace("www.", "").split(" ")[0]
    return s or None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("leads")
    ap.add_argument("truth")
    ap.add_argument("--thresholds", default="0.95", help="comma-separated match-probability thresholds")
    args = ap.parse_args()
    thresholds = sorted(float(t) for t in args.thresholds.split(","))

    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    df = pd.read_csv(args.leads, dtype=str, keep_default_na=False)
    truth = pd.read_csv(args.truth, dtype=str)
    person = dict(zip(truth["lead_id"], truth["person"]))
    t0 = time.time()
    cols = {
        "unique_id": df["lead_id"],
        "first_name": df["first_name"].map(fold),
        "last_name": df["last_name"].map(fold),
        "email": df["email"].map(fold),
        "phone": df["phone"].map(phone),
        "company": df["company"].map(fold),
        "domain": df["domain"].map(domain),
        "country": df["country"].map(fold),
        "street": df["street"].map(fold),
        "city": df["city"].map(fold),
        "postcode": df["postcode"].map(fold),
    }
    data = pd.DataFrame(cols)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("last_name").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email"),
            cl.ExactMatch("phone"),
            cl.JaroWinklerAtThresholds("company", [0.9, 0.8]),
            cl.ExactMatch("domain"),
            cl.ExactMatch("country"),
            cl.JaroWinklerAtThresholds("street", [0.9, 0.8]),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("email"),
            block_on("phone"),
            block_on("last_name", "postcode"),
            block_on("first_name", "postcode"),
            block_on("substr(first_name, 1, 1)", "last_name", "city"),
            block_on("first_name", "last_name"),
            block_on("postcode", "street"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(data, settings, db_api=DuckDBAPI())
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "postcode"), block_on("email")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "last_name"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode"), estimate_without_term_frequencies=True
    )
    pred = linker.inference.predict(threshold_match_probability=thresholds[0])
    trained = time.time() - t0

    true_pairs = sum(n * (n - 1) // 2 for n in Counter(person.values()).values())
    for th in thresholds:
        t1 = time.time()
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, th).as_pandas_dataframe()
        elapsed = trained + time.time() - t1
        # Pair metrics over clusters: every pair inside a predicted cluster is a predicted pair.
        predicted = tp = 0
        for _, ids in clusters.groupby("cluster_id")["unique_id"]:
            ids = list(ids)
            n = len(ids)
            predicted += n * (n - 1) // 2
            for c in Counter(person[i] for i in ids).values():
                tp += c * (c - 1) // 2
        p = tp / predicted if predicted else 1.0
        r = tp / true_pairs if true_pairs else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(
            f"splink at p >= {th}: records {len(data)} true pairs {true_pairs} predicted {predicted} tp {tp} "
            f"precision {p:.4f} recall {r:.4f} F1 {f1:.4f} (train + predict + cluster {elapsed:.2f} s)"
        )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
