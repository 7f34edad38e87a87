"""Accuracy of the scorer on the labelled corpus (tests/corpus/responses.jsonl).

    python bench/corpus_eval.py [--errors] [--held-out | --file PATH]

Prints accuracy per field (question, price, exchange) and, with --errors, every miss.
--held-out scores tests/corpus/heldout.jsonl, written and labelled after the rules were
tuned and never tuned on since: its figure is the honest out-of-sample one.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.scoring import Context, Term, score  # noqa: E402

CORPUS = ROOT / "tests" / "corpus" / "responses.jsonl"
HELD_OUT = ROOT / "tests" / "corpus" / "heldout.jsonl"


def context_of(rec: dict) -> Context:
    """The scoring context a corpus record describes."""
    terms = lambda key: tuple(Term(t["id"], t["name"], tuple(t.get("phrases", ()))) for t in rec.get(key, ()))  # noqa: E731
    return Context(
        our_price=rec.get("our_price"),
        their_price=rec.get("their_price"),
        walk_away=rec.get("walk_away"),
        currency=rec.get("currency") or "USD",
        gets=terms("gets"),
        gives=terms("gives"),
        audience=rec.get("audience", "rep"),
        buyer_said=rec.get("buyer") or "",
    )


def load(path: Path = CORPUS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _rule(v) -> str:
    """The rule that decided a verdict and the findings behind it."""
    return v.rule + (f": {v.because()}" if v.findings else "")


def evaluate(records: list[dict], score_fn=score) -> tuple[dict[str, float], list[tuple[dict, dict]]]:
    """Accuracy per field and the misses (record, predicted)."""
    hits = {"question": 0, "price": 0, "exchange": 0}
    misses = []
    for rec in records:
        s = score_fn(rec["text"], context_of(rec))
        pred = {"question": s.question.label, "price": s.price.label, "exchange": s.has_exchange,
                "rules": {k: _rule(v) for k, v in (("question", s.question), ("price", s.price), ("exchange", s.exchange))}}
        wrong = False
        for k in hits:
            if pred[k] == rec[k]:
                hits[k] += 1
            else:
                wrong = True
        if wrong:
            misses.append((rec, pred))
    n = len(records)
    return {k: v / n for k, v in hits.items()}, misses


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--errors", action="store_true", help="list every miss")
    ap.add_argument("--held-out", action="store_true", help="score the held-out corpus")
    ap.add_argument("--file", type=Path, help="score another corpus file")
    args = ap.parse_args(argv)
    path = args.file or (HELD_OUT if args.held_out else CORPUS)
    records = load(path)
    acc, misses = evaluate(records)
    print(f"corpus: {path.name}, {len(records)} responses")
    for k, v in acc.items():
        print(f"  {k:9} accuracy {v:.3f}")
    if args.errors:
        for rec, pred in misses:
            diffs = "\n    ".join(f"{k}: want {rec[k]} got {pred[k]} [{pred['rules'][k]}]"
                                   for k in ("question", "price", "exchange") if pred[k] != rec[k])
            print(f"- [{rec['id']}] {rec['text']}\n    {diffs}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
