"""Open vs closed questions on AnnoMI (expert-coded counselling talk), an outside check.

    python bench/bench_annomi.py [--split test|dev] [--data DIR] [--errors N] [--why]

Reads ../shared/data/annomi/questions.csv at run time (never copied into the project).
Rows whose majority label is open or closed are used; even transcript_id = dev (for
looking at errors and tuning), odd = test (reported, never tuned on). A response the scorer
calls `none` counts as not open (closed). Prints the confusion matrix, accuracy, F1 for
open and closed, macro-F1, and the same for the first-word baseline.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.scoring import score  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "annomi"
_FILLERS = r"(?:(?:okay|ok|so|and|um+|uh+|well|yeah|yes|right|mm-hmm|mhm|alright|all right|now|then|but|great|good|i see|oh|hmm)\W+)*"
_FIRST_WORD = re.compile(r"^\W*" + _FILLERS + r"(?:what|how|why|tell me|describe|explain|walk me through|help me understand)\b", re.I)


def load(data_dir: Path, split: str) -> list[tuple[str, str]]:
    """(utterance, gold label) pairs of one split."""
    want = 0 if split == "dev" else 1
    out = []
    with open(data_dir / "questions.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            label = row["majority_question_subtype"]
            if label not in ("open", "closed"):
                continue
            if int(row["transcript_id"]) % 2 != want:
                continue
            out.append((row["utterance_text"], label))
    return out


def first_word(text: str) -> str:
    """The baseline: a sentence starting (after fillers like "okay, so") with
    what/how/why/tell me/describe… is open; anything else is closed."""
    sents = re.split(r"(?<=[.!?])\s+", text.strip())
    return "open" if any(_FIRST_WORD.match(s) for s in sents) else "closed"


def scorer(text: str) -> str:
    return "open" if score(text).question.label == "open" else "closed"


def metrics(gold: list[str], pred: list[str]) -> dict:
    """Confusion matrix (gold x predicted), accuracy, per-class F1 and macro-F1."""
    labels = ("open", "closed")
    cm = {g: {p: 0 for p in labels} for g in labels}
    for g, p in zip(gold, pred):
        cm[g][p] += 1
    n = len(gold)
    acc = sum(cm[lab][lab] for lab in labels) / n if n else 0.0
    f1 = {}
    for lab in labels:
        tp = cm[lab][lab]
        fp = sum(cm[o][lab] for o in labels if o != lab)
        fn = sum(cm[lab][o] for o in labels if o != lab)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1[lab] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"n": n, "cm": cm, "accuracy": acc, "f1_open": f1["open"], "f1_closed": f1["closed"], "macro_f1": (f1["open"] + f1["closed"]) / 2}


def run(data_dir: Path = DEFAULT_DATA, split: str = "test") -> dict[str, dict]:
    """Metrics for the scorer and the first-word baseline on one split."""
    rows = load(data_dir, split)
    gold = [g for _, g in rows]
    return {
        "scorer": metrics(gold, [scorer(t) for t, _ in rows]),
        "first_word": metrics(gold, [first_word(t) for t, _ in rows]),
    }


def report(name: str, m: dict) -> str:
    cm = m["cm"]
    return (
        f"{name}: n={m['n']} accuracy={m['accuracy']:.3f} F1(open)={m['f1_open']:.3f} "
        f"F1(closed)={m['f1_closed']:.3f} macro-F1={m['macro_f1']:.3f}\n"
        f"  confusion (rows gold, columns predicted)\n"
        f"              open  closed\n"
        f"    open    {cm['open']['open']:6d}  {cm['open']['closed']:6d}\n"
        f"    closed  {cm['closed']['open']:6d}  {cm['closed']['closed']:6d}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("test", "dev"), default="test")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="show N misses (dev split only)")
    ap.add_argument("--why", action="store_true", help="count misses by the scorer's reason (dev split only)")
    args = ap.parse_args(argv)
    if (args.errors or args.why) and args.split != "dev":
        print("errors are shown for the dev split only", file=sys.stderr)
        return 2
    if not (args.data / "questions.csv").is_file():
        print(f"AnnoMI data not found at {args.data}", file=sys.stderr)
        return 2
    res = run(args.data, args.split)
    print(f"AnnoMI open vs closed, {args.split} split")
    print(report("scorer    ", res["scorer"]))
    print(report("first-word", res["first_word"]))
    if args.errors or args.why:
        shown = 0
        why: Counter[tuple[str, str, str]] = Counter()
        for text, gold in load(args.data, "dev"):
            s = score(text)
            pred = "open" if s.question.label == "open" else "closed"
            if pred == gold:
                continue
            why[(gold, s.question.label, s.question.reason)] += 1
            if shown < args.errors:
                shown += 1
                print(f"[gold {gold} / got {s.question.label}] {text[:200]}")
        if args.why:
            print("dev misses by the scorer's reason (count, gold, got, reason)")
            for (gold, got, reason), n in sorted(why.items(), key=lambda kv: (-kv[1], kv[0])):
                print(f"  {n:4d}  {gold:6s} {got:6s} {reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
