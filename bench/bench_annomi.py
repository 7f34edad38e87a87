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
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.scoring import score  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "annomi"
_FILLERS = r"(?:(?:okay|ok|so|and|um+|uh+|well|yeah|yes|right|mm-hmm|mhm|alright|all right|now|then|but|great|good|i see|oh|hmm)\W+)*"
_FIRST_WORD = re.compile(r"^\W*" + _FILLERS + r"(?:what|how|why|tell me|describe|explain|walk me through|help me understand)\b", re.I)


class Row(NamedTuple):
    """One counsellor question: its text, the majority label, its conversation and how
    many annotators coded it."""

    text: str
    label: str
    transcript: str
    annotators: int


def load(data_dir: Path, split: str) -> list[Row]:
    """The labelled rows of one split."""
    want = 0 if split == "dev" else 1
    out = []
    with open(data_dir / "questions.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            label = row["majority_question_subtype"]
            if label not in ("open", "closed"):
                continue
            if int(row["transcript_id"]) % 2 != want:
                continue
            out.append(Row(row["utterance_text"], label, row["transcript_id"], int(row["n_annotators"])))
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


def cluster_ci(rows: list[Row], pred: list[str], draws: int = 2000, seed: int = 7) -> tuple[float, float]:
    """95% interval of the accuracy, resampling whole conversations (a bootstrap by
    transcript): one annotator coded most of a conversation, so its questions are not
    independent draws and the spread between conversations is the honest error bar."""
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r, p in zip(rows, pred):
        per[r.transcript][0] += p == r.label
        per[r.transcript][1] += 1
    groups = list(per.values())
    rng = random.Random(seed)
    accs = []
    for _ in range(draws):
        ok = n = 0
        for _ in groups:
            g = groups[rng.randrange(len(groups))]
            ok += g[0]
            n += g[1]
        accs.append(ok / n)
    accs.sort()
    return accs[int(0.025 * draws)], accs[int(0.975 * draws) - 1]


def one_sided(rows: list[Row], min_questions: int = 9, share: float = 0.95) -> set[str]:
    """Conversations whose coding does not tell open from closed: at least `min_questions`
    questions and at least `share` of them given the same label."""
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        per[r.transcript][r.label] += 1
    return {t for t, c in per.items() if sum(c.values()) >= min_questions and max(c.values()) >= share * sum(c.values())}


def run(data_dir: Path = DEFAULT_DATA, split: str = "test") -> dict[str, dict]:
    """Metrics for the scorer and the first-word baseline on one split, plus the scorer's
    conversation-level interval and its accuracy on the better-coded subsets."""
    rows = load(data_dir, split)
    gold = [r.label for r in rows]
    mine = [scorer(r.text) for r in rows]
    res = {
        "scorer": metrics(gold, mine),
        "first_word": metrics(gold, [first_word(r.text) for r in rows]),
    }
    res["scorer"]["ci95"] = cluster_ci(rows, mine)
    multi = [i for i, r in enumerate(rows) if r.annotators >= 2]
    res["multi_coded"] = metrics([gold[i] for i in multi], [mine[i] for i in multi])
    flat = one_sided(rows)
    rest = [i for i, r in enumerate(rows) if r.transcript not in flat]
    res["without_one_sided"] = metrics([gold[i] for i in rest], [mine[i] for i in rest])
    res["without_one_sided"]["conversations_left_out"] = len(flat)
    res["without_one_sided"]["rows_left_out"] = len(rows) - len(rest)
    return res


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
    lo, hi = res["scorer"]["ci95"]
    print(f"  95% interval of the accuracy, resampling whole conversations: {lo:.3f} to {hi:.3f}")
    print(report("first-word", res["first_word"]))
    m, w = res["multi_coded"], res["without_one_sided"]
    print("Where the labels are firmer (reported only; the target is on the whole split):")
    print(f"  coded by two or more annotators: n={m['n']} accuracy={m['accuracy']:.3f} macro-F1={m['macro_f1']:.3f}")
    print(
        f"  without the {w['conversations_left_out']} conversations ({w['rows_left_out']} questions) coded at least 95% one way:"
        f" n={w['n']} accuracy={w['accuracy']:.3f} macro-F1={w['macro_f1']:.3f}"
    )
    if args.errors or args.why:
        shown = 0
        why: Counter[tuple[str, str, str]] = Counter()
        for text, gold, _, _ in load(args.data, "dev"):
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
