"""Misjudgements found by playing the bundled scenarios as a rep would; each stays fixed."""

from __future__ import annotations

import pytest

from simulator.scoring import Context, score
from simulator.scoring.engine import score_rules

PRICE = Context(our_price=36.0, their_price=30.0, walk_away=32.0)


@pytest.mark.parametrize(
    ("text", "price"),
    [
        # owning a failure is not giving anything away...
        ("I'm sorry, that's on us. What happened on your end?", "none"),
        ("That one is entirely on us, and I'm sorry.", "none"),
        ("This was completely on us.", "none"),
        # ...but a freebie still is
        ("The first month is on us.", "concede"),
        ("Shipping's on us if you sign today.", "trade"),
    ],
)
def test_on_us(text: str, price: str) -> None:
    assert score(text, Context()).price.label == price


@pytest.mark.parametrize(
    "text",
    [
        "If we started with just the loans team at $36 a user, could you bring your CFO in as sponsor?",
        "If we started with the loans team, would you bring your CFO in?",
    ],
)
def test_if_we_did_x_could_you_y_in_the_past_tense_is_a_trade(text: str) -> None:
    # The rules' reading. The learned layer reads the first (a smaller start at the standing
    # price, for the CFO) as a concession: a known miss, listed in docs/scoring.md.
    s = score_rules(text, PRICE)
    assert s.price.label == "trade" and s.has_exchange and "decision_maker" in s.gets
