#!/usr/bin/env python3
"""How far can held_out_alias recall@1 go without matching near misses?

Classifies every held_out_alias miss of `raqib eval screening` and prints the highest
recall@1 any matcher could reach on the set while near misses stay below the threshold.

A held-out alias only has to share one token with a name the entity keeps. When the best
remaining name shares exactly one token and the other words differ (`Morteza BARATI`
against `Qazi BARATI`), the pair has the shape of the `near_miss` negatives (a listed family
name with other given names), which must not match. Misses fall into:

- not_loaded: the expected entity is not in the lists at all;
- another_entity: another listed entity's name is (nearly) the query itself, scoring at least
  SAME_NAME and no less than the expected entity's best name (`Alexandr Ivanov` is
  another listed person's name): ranking the expected entity first would be wrong;
- one_shared_token: the expected entity's best remaining name aligns one query token and
  leaves a query word and a list word without a partner;
- other: everything else (a matcher could still win these).

Then it measures what admitting the one-shared-token pairs would cost: the threshold that
lets enough of them through to reach the target, and the false-positive rates of the
negatives at that threshold (an eval run with the candidate cutoff lowered).

Usage: eval/screening/held_out_bound.py [--bin target/release/raqib]
       [--queries eval/screening/dev.jsonl] [--target 0.95]
Written for raqib; Apache-2.0.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile


# Score from which another entity's name counts as the query's own name.
SAME_NAME = 0.93


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def compare(binary, a, b):
    out = run([binary, "compare", a, b, "--json"])
    return json.loads(out)["explanation"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--bin", default="target/release/raqib")
    ap.add_argument("--queries", default="eval/screening/dev.jsonl")
    ap.add_argument("--target", type=float, default=0.95)
    args = ap.parse_args()

    n = sum(
        1
        for line in open(args.queries, encoding="utf-8")
        if line.strip() and json.loads(line).get("category") == "held_out_alias"
    )
    with tempfile.TemporaryDirectory() as tmp:
        fails = os.path.join(tmp, "fail.jsonl")
        run([args.bin, "eval", "screening", "--queries", args.queries, "--failures", fails])
        misses = [
            d
            for d in map(json.loads, open(fails, encoding="utf-8"))
            if d.get("category") == "held_out_alias" and d.get("expected")
        ]

    classes = {"not_loaded": [], "another_entity": [], "one_shared_token": [], "other": []}
    for d in misses:
        names = [nm for e in d["diagnosis"]["entities"] for nm in e["names"]]
        if not names:
            classes["not_loaded"].append((d["name"], None, None))
            continue
        best = max(names, key=lambda nm: nm["raw_score"] or 0.0)
        best_score = best["raw_score"] or 0.0
        top = d["hits"][0] if d["hits"] else None
        if top and not top["expected"] and top["score"] >= max(best_score, SAME_NAME):
            classes["another_entity"].append((d["name"], top["name"], top["score"]))
            continue
        exp = compare(args.bin, d["name"], best["name"])
        if (
            len(exp["alignment"]) == 1
            and exp["unmatched_query"]
            and exp["unmatched_list"]
        ):
            classes["one_shared_token"].append((d["name"], best["name"], best_score))
        else:
            classes["other"].append((d["name"], best["name"], best_score))

    print(f"held_out_alias: {n} queries, {len(misses)} misses (recall@1 {1 - len(misses) / n:.3f})")
    for k, rows in classes.items():
        print(f"\n{k}: {len(rows)}")
        for q, nm, s in rows:
            print(f"  {q!r:40} -> {nm!r} {'' if s is None else f'{s:.3f}'}")
    allowed = int(n * (1 - args.target))  # misses allowed at the target
    unreachable = len(classes["not_loaded"]) + len(classes["another_entity"])
    one = sorted((s for _, _, s in classes["one_shared_token"]), reverse=True)
    bound = (n - unreachable - len(one)) / n
    print(f"\nmisses allowed at recall@1 {args.target}: {allowed}")
    print(
        f"upper bound without admitting one-shared-token pairs: {bound:.3f} "
        f"(every 'other' miss fixed)"
    )
    need = unreachable + len(one) - allowed
    if need <= 0:
        print("the target is reachable without admitting them")
        return
    if need > len(one):
        print("the target is out of reach even admitting all of them")
        return
    t = one[need - 1]
    print(
        f"reaching {args.target} needs at least {need} of the {len(one)} one-shared-token "
        f"pairs admitted: a threshold of at most {t:.3f} (with every 'other' miss fixed)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        cfg = os.path.join(tmp, "config.json")
        with open(cfg, "w", encoding="utf-8") as f:
            json.dump({"cutoff": max(0.0, t - 0.01)}, f)
        out = run(
            [
                args.bin,
                "eval",
                "screening",
                "--queries",
                args.queries,
                "--threshold",
                f"{t:.4f}",
                "--config",
                cfg,
            ]
        )
    print(f"\nat threshold {t:.3f} (candidate cutoff lowered to {t - 0.01:.3f}):")
    for line in out.splitlines():
        if line.split()[:1] and line.split()[0] in (
            "category",
            "held_out_alias",
            "unrelated_person",
            "delisted",
            "near_miss",
        ):
            print("  " + line)


if __name__ == "__main__":
    try:
        main()
    except subprocess.CalledProcessError as e:
        sys.exit(f"{' '.join(e.cmd)} failed: {e.stderr.strip()}")
