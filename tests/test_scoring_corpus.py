"""Accuracy floors on the labelled corpus and (when the data is present) on AnnoMI.

The floors sit just under what the scorer reaches, so a regression fails the build. Never
lower a floor to make a change pass: fix the rule, or explain the trade-off in review.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import corpus_eval  # noqa: E402

CORPUS = ROOT / "tests" / "corpus" / "responses.jsonl"
HELD_OUT = ROOT / "tests" / "corpus" / "heldout.jsonl"
REPLIES = ROOT / "tests" / "corpus" / "replies.jsonl"
REPLIES_HELD_OUT = ROOT / "tests" / "corpus" / "replies_heldout.jsonl"
ANNOMI = ROOT.parent / "shared" / "data" / "annomi"

# Reached when these floors were set: question 0.998, price 0.996, exchange 0.998 (492 lines).
FLOORS = {"question": 0.99, "price": 0.99, "exchange": 0.99}
# Held-out corpus (130 lines, labelled before the scorer saw them, never tuned on):
# reached question 0.969, price 0.923, exchange 0.969 (third round; 0.908 on price before).
HELD_OUT_FLOORS = {"question": 0.96, "price": 0.92, "exchange": 0.96}
# Replies read against the buyer's line ("I can do that." to "Can you do $7.50?"): 65 lines
# tuned on (1.000 on each; price 0.477 without the buyer's line) and 45 written by someone who
# had not seen the rules (first run 1.000 / 0.956 / 0.978, then 1.000 each after two fixes;
# price 0.822 without the buyer's line).
REPLY_FLOORS = {"question": 0.98, "price": 0.98, "exchange": 0.98}


def test_corpus_is_big_varied_and_well_formed():
    recs = corpus_eval.load(CORPUS)
    assert len(recs) >= 400
    assert len({r["industry"] for r in recs}) >= 6
    assert {"USD", "EUR", "GBP"} <= {r["currency"] for r in recs}
    for r in recs:
        assert r["question"] in ("open", "closed", "none")
        assert r["price"] in ("hold", "trade", "concede", "none")
        assert isinstance(r["exchange"], bool)
        assert r["text"].strip()
    assert len({r["text"] for r in recs}) == len(recs), "duplicate responses"


@pytest.fixture(scope="module")
def corpus_accuracy():
    acc, _ = corpus_eval.evaluate(corpus_eval.load(CORPUS))
    return acc


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_corpus_accuracy_floor(corpus_accuracy, field):
    assert corpus_accuracy[field] >= FLOORS[field], f"{field}: {corpus_accuracy[field]:.3f}"


def test_held_out_corpus_is_new_and_well_formed():
    held = corpus_eval.load(HELD_OUT)
    assert len(held) >= 120
    assert len({r["industry"] for r in held}) >= 8
    # Three lines coincide with the tuning corpus (two are the playbook's own coaching
    # questions); the file is kept as committed before it was scored.
    assert len({r["text"] for r in held} & {r["text"] for r in corpus_eval.load(CORPUS)}) <= 3


@pytest.mark.parametrize("field", sorted(HELD_OUT_FLOORS))
def test_held_out_accuracy_floor(field):
    acc, _ = corpus_eval.evaluate(corpus_eval.load(HELD_OUT))
    assert acc[field] >= HELD_OUT_FLOORS[field], f"{field}: {acc[field]:.3f}"


@pytest.mark.skipif(not (ANNOMI / "questions.csv").is_file(), reason="AnnoMI data not present")
def test_annomi_test_split_floor():
    import bench_annomi

    res = bench_annomi.run(ANNOMI, "test")
    mine, base = res["scorer"], res["first_word"]
    # Reached: accuracy 0.775, macro-F1 0.774 (see docs/scoring.md; tuned on dev only).
    assert mine["accuracy"] >= 0.77
    assert mine["macro_f1"] >= 0.77
    assert mine["accuracy"] > base["accuracy"]
    lo, hi = mine["ci95"]
    assert lo < mine["accuracy"] < hi


@pytest.mark.parametrize("path", [REPLIES, REPLIES_HELD_OUT], ids=["replies", "replies-held-out"])
def test_replies_to_the_buyer_accuracy_floor(path):
    recs = corpus_eval.load(path)
    assert len(recs) >= 45 and all(r["buyer"] or r["text"] for r in recs)
    acc, misses = corpus_eval.evaluate(recs)
    for field, floor in REPLY_FLOORS.items():
        assert acc[field] >= floor, f"{field}: {acc[field]:.3f}; misses: {[r['id'] for r, _ in misses]}"


def test_the_buyer_line_is_what_makes_replies_scorable():
    # Without the buyer's line most of these replies cannot be scored by the rules: the
    # corpus tests the feature, not rules that would have passed anyway. (The learned layer
    # is trained on this corpus, so it is measured on the blind corpus instead; see
    # test_scoring_blind.py.)
    from simulator.scoring.engine import score_rules

    recs = [dict(r, buyer="") for r in corpus_eval.load(REPLIES)]
    acc, _ = corpus_eval.evaluate(recs, score_rules)
    assert acc["price"] < 0.6
