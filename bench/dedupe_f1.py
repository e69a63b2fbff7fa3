#!/usr/bin/env python3
"""Pair precision, recall and F1 of `leadrank dedupe`'s merge map against labels.

    python3 bench/dedupe_f1.py TRUTH.csv OUT/merge_map.csv

TRUTH.csv maps lead_id to person (as `dedupe_bench write PEOPLE SEED FILE` writes it next to
FILE, as FILE.truth.csv); merge_map.csv is the `old_id,cluster` map `leadrank dedupe --out OUT`
writes. A pair is two records in one cluster; it is true when both are the same person. The
definition is the one the Rust side uses (`leadrank_hygiene::labelled::pair_metrics`), so the
figures compare with `dedupe_bench` and with bench/splink_dedupe.py. Standard library only.
"""

import csv
import sys
from collections import Counter, defaultdict


def pairs(n: int) -> int:
    return n * (n - 1) // 2


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    truth = {}
    with open(sys.argv[1], newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            truth[row["lead_id"]] = row["person"]
    clusters = defaultdict(list)
    with open(sys.argv[2], newline="", encoding="utf-8") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            if row["old_id"] not in truth:
                print(f"{sys.argv[2]}:{line}: old_id {row['old_id']!r} is not in {sys.argv[1]}", file=sys.stderr)
                return 1
            clusters[row["cluster"]].append(row["old_id"])
    true_pairs = sum(pairs(n) for n in Counter(truth.values()).values())
    predicted = sum(pairs(len(c)) for c in clusters.values())
    hits = sum(sum(pairs(n) for n in Counter(truth[i] for i in c).values()) for c in clusters.values())
    precision = hits / predicted if predicted else 1.0
    recall = hits / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"true pairs {true_pairs} predicted {predicted} true positives {hits} "
          f"precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
