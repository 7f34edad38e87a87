"""The buyer machine, deal movement, reproducibility, the session and its scorecard."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.buyer import moves_of
from simulator.loading import load_library
from simulator.scorecard import build
from simulator.session import Plan, Session, SessionOver
from tests.conftest import scripted_scorer, verdict

HOLD = verdict("Ten dollars, and worth it.", price="hold")
HOLD2 = verdict("The price stays at ten: you get the whole service.", price="hold")
HOLD_Q = verdict("Ten dollars. What's behind your budget?", price="hold", question="open")
CONCEDE_9 = verdict("OK, nine.", price="concede", named=9.0)
CONCEDE_7 = verdict("Fine, seven.", price="concede", named=7.0)
TRADE = verdict("If you double the volume, nine.", price="trade", named=9.0, gets=("volume",))
OPEN = verdict("What's behind your budget?", question="open")
OPEN2 = verdict("Who else has a say in this?", question="open")
CLOSED = verdict("Is that final?", question="closed")
STALL = verdict("Let me ask my manager.", stall=True)
SCORER = scripted_scorer({v.text: v for v in
                          (HOLD, HOLD2, HOLD_Q, CONCEDE_9, CONCEDE_7, TRADE, OPEN, OPEN2, CLOSED,
                           STALL)})


@pytest.fixture
def make(tiny_lib: Path):
    lib = load_library([tiny_lib])

    def _make(seed: int | None = 1, plan: Plan | None = None) -> Session:
        sc = lib.scenarios["tiny"]
        return Session(sc, lib.persona_of(sc), seed=seed, plan=plan, scorer=SCORER)

    return _make


def test_moves_order_concession_first() -> None:
    # A concession that names a number comes first; a stall in a price moment is also a
    # concession (LABELLING.md), but with no number named the buyer answers the stall.
    both = verdict("x", price="concede", question="open", stall=True, named=7.9)
    assert moves_of(both) == ("concede", "stall", "open_question")
    stall_only = verdict("x", price="concede", question="open", stall=True)
    assert moves_of(stall_only) == ("stall", "open_question")
    # Holding the price and asking an open question: the buyer answers the question.
    assert moves_of(HOLD_Q) == ("open_question", "hold")
    assert moves_of(verdict("hi")) == ("other",)


def test_opening_line_fills_placeholders(make) -> None:
    s = make()
    assert s.turns[0].speaker == "buyer"
    assert "$10.00" in s.turns[0].text and "{" not in s.turns[0].text


def test_holding_wins_at_list(make) -> None:
    s = make()
    s.respond(HOLD.text)
    assert s.state == "pressed"
    # buyer gives ground after a hold: half the gap between 6 and 10
    assert s.deal.buyer_number == 8.0
    s.respond(HOLD2.text)
    assert s.outcome.status == "deal" and s.outcome.won and s.outcome.price == 10.0


def test_caving_drops_the_offer_and_hardens_the_buyer(make) -> None:
    s = make()
    s.respond(CONCEDE_9.text)
    assert s.deal.offer == 9.0
    assert s.deal.buyer_number == 5.5  # 6 - push 0.5 x concession 1.0
    assert s.deal.buyer_number == 5.5
    s.respond(CONCEDE_7.text)
    assert s.outcome.status == "deal" and not s.outcome.won
    # The deal closes at the rep's lowest offer, never at the buyer's lower number, and the
    # buyer's number meets it so the closing line says the price recorded.
    assert s.outcome.price == s.deal.offer == s.deal.buyer_number == 7.0
    card = build(s)
    assert card.concessions == 2
    assert any("below your own walk-away" in n and "turn 2" in n for n in card.plan_notes)


def test_trade_needs_the_get(make) -> None:
    s = make()
    s.respond(HOLD.text)
    s.respond(TRADE.text)
    assert s.outcome.won and s.outcome.price == 9.0
    assert build(s).gets == ["volume"]


def test_unhandled_move_stays_and_reacts(make) -> None:
    s = make()
    _, buyer = s.respond(CLOSED.text)
    assert s.state == "opening" and buyer.text == "Maybe."


def test_open_question_reveals_by_keyword(make) -> None:
    s = make()
    _, buyer = s.respond(OPEN.text)
    assert buyer.revealed == "budget" and "budget resets in May" in buyer.text
    _, buyer = s.respond(OPEN2.text)
    assert buyer.revealed == "boss"


def test_patience_runs_out(make) -> None:
    s = make()
    for _ in range(3):
        s.respond(CLOSED.text)
    assert s.outcome.status == "no_deal"


def test_stall_hardens_the_buyer_a_little(make) -> None:
    s = make()
    s.respond(STALL.text)
    assert s.deal.buyer_number == pytest.approx(5.9)
    assert s.deal.offer == 10.0


def test_same_seed_same_conversation(make) -> None:
    lines = [CLOSED.text, HOLD.text, CLOSED.text, HOLD.text]

    def run(seed):
        s = make(seed)
        s.play(lines)
        return [t.text for t in s.turns]

    assert run(5) == run(5)
    texts = {tuple(run(seed)) for seed in range(20)}
    assert len(texts) > 1, "different seeds should read differently"


def test_without_a_seed_one_is_chosen_and_recorded(make) -> None:
    a, b = make(None), make(None)
    assert a.seed and b.seed and a.seed != b.seed


def test_play_reports_unused_and_unfinished(make) -> None:
    s = make()
    assert s.play([HOLD.text, HOLD2.text, "extra", "more"]) == ["extra", "more"]
    s2 = make()
    assert s2.play([CLOSED.text]) == []
    assert s2.outcome.status == "unfinished" and not s2.outcome.won


def test_no_response_after_the_end(make) -> None:
    s = make()
    s.play([HOLD.text, HOLD2.text])
    with pytest.raises(SessionOver):
        s.respond("hello?")


def test_listeners_see_every_turn(make) -> None:
    seen = []
    s = make()
    s.listeners.append(lambda _s, t: seen.append((t.speaker, t.index)))
    s.respond(HOLD.text)
    assert seen == [("rep", 1), ("buyer", 2)]


def test_scorecard_totals_and_habits(make) -> None:
    s = make()
    s.play([OPEN.text, CLOSED.text, HOLD_Q.text, HOLD.text])
    card = build(s)
    d = card.to_dict()
    assert d["outcome"]["status"] == "deal"
    habits = d["habits"]
    assert habits["hold_price"]["score"] == 100.0
    assert habits["trade"]["score"] is None  # nothing given, nothing to trade
    assert habits["open_questions"]["score"] == pytest.approx(66.7)
    assert card.overall == pytest.approx((100 + 66.7) / 2, abs=0.1)
    assert [r["question"] for r in d["turns"]] == ["open", "closed", "open", "none"]
    assert d["deal"]["price"] == 10.0 and d["deal"]["vs_list_pct"] == 0.0
    assert d["lesson"] == "Hold the price."


def test_habit_details_count_in_words(make) -> None:
    s = make()
    s.play([CONCEDE_9.text, TRADE.text])
    detail = build(s).to_dict()["habits"]["trade"]["detail"]
    assert detail == "1 trade, 1 free concession, 1 response asked for something back"
    s = make()
    s.play([OPEN.text, CLOSED.text])
    assert build(s).to_dict()["habits"]["open_questions"]["detail"] == "1 open, 1 closed question"


def test_long_and_unicode_responses(make) -> None:
    s = make()
    rep, _ = s.respond("🙂 Ünïcode " * 5000)
    assert len(rep.text) <= 20_000
    assert s.state == "opening"


def test_real_scorer_runs_on_the_session(tiny_lib: Path) -> None:
    lib = load_library([tiny_lib])
    sc = lib.scenarios["tiny"]
    s = Session(sc, lib.persona_of(sc), seed=2)
    rep, buyer = s.respond("What is behind your budget for this?")
    assert rep.score.question.label == "open"
    assert buyer.speaker == "buyer"


def test_machines_hold_only_callables_never_names(make) -> None:
    """transitions resolves a string condition as an attribute or dotted import path:
    every condition and callback a buyer gets must already be a function."""
    s = make()
    machine = s.buyer.machine
    assert machine.auto_transitions is False
    for event in machine.events.values():
        for transitions in event.transitions.values():
            for tr in transitions:
                assert all(callable(c.func) for c in tr.conditions)
                assert all(callable(cb) for cb in tr.after + tr.before + tr.prepare)


def test_the_rep_answers_the_buyers_last_line() -> None:
    """The scorer sees the buyer's line: a bare "I can do that." to "Match it" is a
    concession at the buyer's number and the deal moves; to "Explain that dollar to me" it
    is not."""
    lib = load_library()
    sc = lib.scenario("procurement-head")
    match = Session(sc, lib.persona_of(sc), seed=5)
    assert "Match it" in match.turns[-1].text and match.context().buyer_said == match.turns[-1].text
    rep, buyer = match.respond("I can do that.")
    assert rep.score.price.label == "concede" and rep.score.named_price == 7.5
    assert match.deal.offer == 7.5
    assert match.context().buyer_said == buyer.text
    explain = Session(sc, lib.persona_of(sc), seed=1)
    assert "Explain that dollar" in explain.turns[-1].text
    rep, _ = explain.respond("I can do that.")
    assert rep.score.price.label == "none" and explain.deal.offer == 8.5
