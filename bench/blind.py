"""The blind corpus (tests/corpus/blind/): loading, contexts and the figures it reports.

    python bench/blind.py [--split train|dev|test|test2|all] [--rules] [--errors]

Prints, per verdict, accuracy and macro-F1 on the split; the same on replies to a buyer's
line; and the weakest deal context. `--rules` scores with the rules alone (no learned
layer), for comparison. `--errors` lists the misses, and is refused on the held-out splits
(test, and test2 from a later writer): they are scored once per scorer version and their
rows are never read while tuning.

The corpus was written and labelled by helpers who never saw the scorer (see
docs/labelling.md); rows are split by writer, so a context seen in one split is never in
another.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.scoring import Context, Term  # noqa: E402

BLIND = ROOT / "tests" / "corpus" / "blind"
SPLITS = ("train", "dev", "test", "test2", "test3", "test4")
#: Held out: never read while tuning, scored once per scorer version.
HELD_OUT = ("test", "test2", "test3", "test4")
#: The verdicts every blind row is labelled on, with their labels.
VERDICTS = {
    "question": ("open", "closed", "none"),
    "price": ("hold", "trade", "concede", "none"),
    "exchange": ("yes", "no"),
    "stall": ("yes", "no"),
    "telling": ("yes", "no"),
}


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", s.lower()).strip("_")[:40] or "term"


def _terms(items: list[str]) -> tuple[Term, ...]:
    return tuple(Term(_slug(t), t, (t.lower(),)) for t in items if isinstance(t, str) and t.strip())


def contexts() -> dict[str, dict]:
    return {c["id"]: c for c in json.loads((BLIND / "contexts.json").read_text(encoding="utf-8"))}


def context_of(c: dict, buyer: str | None = None) -> Context:
    """The scoring context a blind deal context describes, answering `buyer` if given."""
    in_play = c.get("price_in_play", True)
    num = lambda k: float(c[k]) if in_play and isinstance(c.get(k), (int, float)) else None  # noqa: E731
    return Context(
        our_price=num("our_price"),
        their_price=num("their_price"),
        walk_away=num("walk_away"),
        list_price=num("our_price"),
        currency=(c.get("currency") or "USD"),
        gets=_terms(c.get("gets", [])),
        gives=_terms(c.get("gives", [])),
        audience="manager" if c.get("audience") == "manager" else "rep",
        buyer_said=buyer or "",
    )


def load(split: str) -> list[dict]:
    """The rows of one split (or of all of them), each with its final labels."""
    names = SPLITS if split == "all" else (split,)
    rows = []
    for n in names:
        path = BLIND / f"{n}.jsonl"
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def gold(row: dict) -> dict[str, str]:
    return {k: row[k] for k in VERDICTS}


def predict(score_fn, row: dict, ctxs: dict[str, dict]) -> dict[str, str]:
    s = score_fn(row["text"], context_of(ctxs[row["context"]], row.get("buyer")))
    out = {"question": s.question, "price": s.price, "exchange": s.exchange, "stall": s.stall, "telling": s.telling}
    return {**{k: v.label for k, v in out.items()},
            "rules": {k: v.rule + (f": {v.because()}" if v.findings else "") for k, v in out.items()}}


def macro_f1(pairs: list[tuple[str, str]], labels: tuple[str, ...]) -> float:
    """Macro-F1 over the labels that occur in the gold or the predictions."""
    present = [lab for lab in labels if any(g == lab or p == lab for g, p in pairs)]
    if not present:
        return 1.0
    f1s = []
    for lab in present:
        tp = sum(1 for g, p in pairs if g == lab and p == lab)
        fp = sum(1 for g, p in pairs if g != lab and p == lab)
        fn = sum(1 for g, p in pairs if g == lab and p != lab)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s)


def report(rows: list[dict], preds: list[dict[str, str]]) -> dict:
    """Accuracy and macro-F1 per verdict, on all rows and on replies; per-context accuracy."""
    out: dict = {"n": len(rows), "n_replies": sum(1 for r in rows if r.get("buyer"))}
    for name, subset in (("all", range(len(rows))), ("replies", [i for i, r in enumerate(rows) if r.get("buyer")])):
        sub = list(subset)
        block = {}
        for v, labels in VERDICTS.items():
            pairs = [(rows[i][v], preds[i][v]) for i in sub]
            acc = sum(g == p for g, p in pairs) / len(pairs) if pairs else 1.0
            block[v] = {"accuracy": round(acc, 4), "macro_f1": round(macro_f1(pairs, labels), 4)}
        out[name] = block
    by_ctx: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_ctx[r["context"]].append(i)
    worst = {}
    for v in VERDICTS:
        accs = {c: sum(rows[i][v] == preds[i][v] for i in idx) / len(idx) for c, idx in by_ctx.items()}
        c = min(accs, key=accs.get)
        worst[v] = {"context": c, "accuracy": round(accs[c], 4)}
    out["weakest_context"] = worst
    return out


def print_report(title: str, rep: dict) -> None:
    print(f"{title}: {rep['n']} rows, {rep['n_replies']} replies to a buyer line")
    print(f"  {'verdict':9} {'acc':>6} {'macroF1':>8}   replies: {'acc':>6} {'macroF1':>8}   weakest context")
    for v in VERDICTS:
        a, r, w = rep["all"][v], rep["replies"][v], rep["weakest_context"][v]
        print(f"  {v:9} {a['accuracy']:6.3f} {a['macro_f1']:8.3f}            {r['accuracy']:6.3f} {r['macro_f1']:8.3f}"
              f"   {w['context']} {w['accuracy']:.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="dev", choices=SPLITS + ("all",))
    ap.add_argument("--rules", action="store_true", help="the rules alone, without the learned layer")
    ap.add_argument("--errors", action="store_true", help="list the misses (not on the held-out splits)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    if args.errors and args.split in HELD_OUT + ("all",):
        print(f"blind.py: --errors is not available on {args.split}: held-out rows are never read while tuning", file=sys.stderr)
        return 2
    from simulator.scoring.engine import score, score_rules

    fn = score_rules if args.rules else score
    ctxs = contexts()
    rows = load(args.split)
    preds = [predict(fn, r, ctxs) for r in rows]
    rep = report(rows, preds)
    if args.json:
        print(json.dumps(rep, indent=2))
    else:
        print_report(f"blind {args.split} ({'rules only' if args.rules else 'rules + learned layer'})", rep)
    if args.errors:
        counts = Counter()
        for r, p in zip(rows, preds):
            diffs = [f"{v}: want {r[v]} got {p[v]} [{p['rules'][v]}]" for v in VERDICTS if r[v] != p[v]]
            for v in VERDICTS:
                if r[v] != p[v]:
                    counts[(v, r[v], p[v])] += 1
            if diffs:
                b = f"\n    buyer: {r['buyer']}" if r.get("buyer") else ""
                print(f"- [{r['id']}] {r['text']}{b}\n    {'; '.join(diffs)}")
        for (v, g, p), n in counts.most_common(15):
            print(f"  {n:4} {v}: {g} -> {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
