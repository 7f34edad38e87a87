"""The blind corpus (tests/corpus/blind/, docs/labelling.md): its shape, and the floors the
shipped scorer must keep on its held-out splits (test, and test2, test3 and test4 from later writers).

The floors sit just under what the scorer reached when its held-out splits were scored (once
per scorer version); the figures themselves are in README and docs/scoring.md. They are far
under the targets of the scorer issue (macro-F1 0.95 on price, 0.97 on question and
exchange), which are not met yet. Never lower a floor to make a change pass.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import blind  # noqa: E402

from simulator.scoring import score  # noqa: E402
from simulator.scoring.engine import score_rules  # noqa: E402

# Reached by the shipped scorer (rules + learned layer, the weights trained on train and dev
# in the fourth session; the fifth session's rule changes), macro-F1 question / price /
# exchange:
#   test (w4):   0.885 / 0.802 / 0.906; on replies to a buyer line 0.887 / 0.819 / 0.917;
#   test2 (w8):  0.913 / 0.873 / 0.913; on replies 0.895 / 0.867 / 0.879;
#   test3 (w11): 0.906 / 0.794 / 0.905; on replies 0.929 / 0.801 / 0.906 (seventh session's
#                rules: 0.906 / 0.799 / 0.907);
#   test4 (w16, seventh session, first scored with that session's rules):
#                0.899 / 0.849 / 0.940; on replies 0.885 / 0.839 / 0.939.
# A candidate retrained with w9 and w10 (test 0.889 / 0.802 / 0.907, test2 0.916 / 0.874 /
# 0.935, test3 0.931 / 0.791 / 0.916) was not shipped: it broke five golden playthroughs and
# the stalled deal's "smaller start for a sponsor" trade, and won fewer blind playthroughs.
FLOORS = {
    "test": {"question": 0.87, "price": 0.79, "exchange": 0.89},
    "test2": {"question": 0.90, "price": 0.86, "exchange": 0.90},
    "test3": {"question": 0.89, "price": 0.78, "exchange": 0.89},
    "test4": {"question": 0.88, "price": 0.83, "exchange": 0.92},
}
REPLY_FLOORS = {
    "test": {"question": 0.87, "price": 0.80, "exchange": 0.90},
    "test2": {"question": 0.88, "price": 0.85, "exchange": 0.86},
    "test3": {"question": 0.91, "price": 0.79, "exchange": 0.89},
    "test4": {"question": 0.87, "price": 0.82, "exchange": 0.92},
}
FLOOR_CASES = [(split, v) for split in FLOORS for v in sorted(FLOORS[split])]


@pytest.fixture(scope="module")
def rows() -> dict[str, list[dict]]:
    return {s: blind.load(s) for s in blind.SPLITS}


def test_the_corpus_is_big_varied_and_split_by_writer(rows):
    every = [r for s in blind.SPLITS for r in rows[s]]
    ctxs = blind.contexts()
    assert len(every) >= 6000
    assert len(ctxs) >= 30
    assert len({c["currency"] for c in ctxs.values()}) >= 8
    assert any(c["currency"] == "%" for c in ctxs.values())
    assert any(not c.get("price_in_play", True) for c in ctxs.values())
    assert any(c.get("audience") == "manager" for c in ctxs.values())
    assert len({r["style"] for r in every}) >= 10
    assert sum(1 for r in every if r["buyer"]) >= 800
    writers = {s: {r["writer"] for r in rows[s]} for s in blind.SPLITS}
    contexts = {s: {r["context"] for r in rows[s]} for s in blind.SPLITS}
    for a in blind.SPLITS:
        for b in blind.SPLITS:
            if a < b:
                assert not writers[a] & writers[b], (a, b)
                assert not contexts[a] & contexts[b], (a, b)
    # A terse "No." can recur across deals; within one deal and buyer line it may not.
    assert len({(r["context"], r["buyer"], r["text"]) for r in every}) == len(every), "duplicate responses"


def test_every_row_has_two_labellings_and_a_recorded_decision(rows):
    for r in (r for s in blind.SPLITS for r in rows[s]):
        for v, labels in blind.VERDICTS.items():
            assert r[v] in labels, (r["id"], v)
        a, b = r["labeller_a"], r["labeller_b"]
        if a == b:
            assert r["decided"] == "agreed"
        else:
            assert r["decided"] == "third" and r["third_note"], r["id"]


@pytest.fixture(scope="module")
def held_out(rows):
    """Each held-out split's report with the shipped scorer, and with the rules alone."""
    ctxs = blind.contexts()
    return {split: (blind.report(rows[split], [blind.predict(score, r, ctxs) for r in rows[split]]),
                    blind.report(rows[split], [blind.predict(score_rules, r, ctxs) for r in rows[split]]))
            for split in blind.HELD_OUT}


@pytest.mark.parametrize(("split", "verdict"), FLOOR_CASES)
def test_held_out_floor(held_out, split, verdict):
    got = held_out[split][0]["all"][verdict]["macro_f1"]
    assert got >= FLOORS[split][verdict], f"{split} {verdict}: macro-F1 {got:.3f}"


@pytest.mark.parametrize(("split", "verdict"), FLOOR_CASES)
def test_held_out_replies_floor(held_out, split, verdict):
    got = held_out[split][0]["replies"][verdict]["macro_f1"]
    assert got >= REPLY_FLOORS[split][verdict], f"{split} {verdict}: macro-F1 on replies {got:.3f}"


@pytest.mark.parametrize("split", blind.HELD_OUT)
def test_the_learned_layer_beats_the_rules_on_unseen_writers(held_out, split):
    # The reason the layer ships: on a writer and deals it never saw, it must do better
    # than the rules it reads, on every habit.
    model, rules = held_out[split]
    for v in ("question", "price", "exchange"):
        assert model["all"][v]["macro_f1"] > rules["all"][v]["macro_f1"] + 0.02, (split, v)


def test_the_buyer_line_matters_to_the_shipped_scorer(rows):
    # Replies read without the line they answer lose accuracy on price: "Yes, done." means
    # nothing until you know what the buyer asked.
    ctxs = blind.contexts()
    replies = [r for r in rows["test"] if r["buyer"]]  # never trained on
    with_line = sum(blind.predict(score, r, ctxs)["price"] == r["price"] for r in replies)
    without = sum(blind.predict(score, dict(r, buyer=None), ctxs)["price"] == r["price"] for r in replies)
    assert with_line > without + 0.03 * len(replies), (with_line, without, len(replies))


def test_labels_are_balanced_enough_to_measure(rows):
    counts = Counter(r["price"] for s in blind.SPLITS for r in rows[s])
    assert min(counts[k] for k in ("hold", "trade", "concede", "none")) >= 300, counts
