"""A buyer who listens: every conversation ends, one home for moves, no line twice, money
that adds up, coherent turns. Each property on a small library built to show it, then on
the bundled library with the real scorer."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.loading import load_library
from simulator.moves import BY_NAME, GOOD, MOVES, PRODUCTIVE, is_repeat, moves_of
from simulator.scorecard import build, verdict_badges
from simulator.session import Plan, Session
from tests.conftest import PERSONA, SCENARIO, scripted_scorer, verdict, write

HOLD = verdict("Ten dollars, and worth it.", price="hold")
HOLD2 = verdict("The price stays at ten: you get the whole service.", price="hold")
CLOSED = verdict("Is that final?", question="closed")
CONCEDE_9 = verdict("OK, nine.", price="concede", named=9.0)
LOOK = verdict("Let me look for a better number for you.", price="concede")
QUESTIONS = [verdict(t, question="open") for t in (
    "What's behind the number?", "Who else decides?", "How did you pick that target?",
    "What happens if this slips?", "Tell me about the last rollout.",
    "What would a good outcome look like?", "Walk me through the approval.",
    "What worries you most?", "How do you measure success?", "What changed this year?")]
OTHERS = [verdict(t) for t in (
    "Nice weather today.", "I had a long drive in.", "The coffee here is good.",
    "Did you see the game?", "My phone is nearly flat.", "Traffic was awful.",
    "I like your office.", "Busy week for me.")]
TABLE = {v.text: v for v in (HOLD, HOLD2, CLOSED, CONCEDE_9, LOOK, *QUESTIONS, *OTHERS)}


def lib_with(tmp_path: Path, scenario: str = SCENARIO, persona: str = PERSONA):
    write(tmp_path / "personas" / "tester.yaml", persona)
    write(tmp_path / "scenarios" / "tiny.yaml", scenario)
    lib = load_library([tmp_path])
    assert lib.errors == [], lib.errors
    return lib


def session(lib, table=TABLE, seed: int = 1, plan: Plan | None = None) -> Session:
    sc = lib.scenarios["tiny"]
    return Session(sc, lib.persona_of(sc), seed=seed, plan=plan, scorer=scripted_scorer(table))


PATIENT = PERSONA.replace("patience: 3", "patience: 50")


# ------------------------------------------------------------------ every conversation ends


def test_the_turn_budget_closes_with_the_ending_good_play_earned(tmp_path: Path) -> None:
    """Open questions in 'opening' keep the state; at the budget the buyer closes, and
    play that made progress without giving anything away earns the won ending."""
    text = SCENARIO.replace("  transitions:\n", "  turn_budget: 4\n  transitions:\n", 1)
    s = session(lib_with(tmp_path, text, PATIENT))
    for q in QUESTIONS[:3]:
        s.respond(q.text)
        assert not s.finished
    _, last = s.respond(QUESTIONS[3].text)
    assert s.outcome.status == "deal" and s.outcome.won and s.outcome.cause == "budget"
    assert s.outcome.label == "Won (out of time)" and s.outcome.price == 10.0
    assert last.text.endswith("Deal at $10.00.")
    assert s.outcome.to_dict()["cause"] == "budget"


def test_the_budget_gives_a_losing_ending_to_play_that_gave_ground(tmp_path: Path) -> None:
    text = SCENARIO.replace("  transitions:\n", "  turn_budget: 3\n  transitions:\n", 1)
    s = session(lib_with(tmp_path, text, PATIENT))
    s.play([CONCEDE_9.text, OTHERS[0].text, QUESTIONS[0].text])
    assert s.outcome.cause == "budget" and not s.outcome.won


def test_the_default_budget_is_twenty_rep_turns(tmp_path: Path) -> None:
    s = session(lib_with(tmp_path, persona=PATIENT))
    assert s.scenario.conversation.turn_budget == 20
    s.play([q.text for q in QUESTIONS] + [q.text for q in OTHERS] + ["x", "y", "z"])
    assert s.finished and len(s.rep_turns()) == 20 and s.outcome.cause == "budget"


def test_patience_ends_the_conversation_with_no_rule_naming_it(tmp_path: Path) -> None:
    """Without any `patience_spent` transition, a buyer whose patience runs out still
    closes, in whatever state, on the nearest ending that is lost."""
    text = SCENARIO.replace(
        "    - {from: [opening, pressed], move: any, to: gone, when: {patience_spent: true}}\n",
        "").replace("lesson:", "    - {from: pressed, move: stall, to: gone}\nlesson:")
    s = session(lib_with(tmp_path, text))
    s.play([HOLD.text] + [o.text for o in OTHERS[:3]])
    assert s.state == "gone" and s.outcome.cause == "patience" and not s.outcome.won
    assert s.outcome.label == "Gone (out of patience)"


def test_from_any_applies_in_every_state_that_is_not_an_ending(tmp_path: Path) -> None:
    text = SCENARIO.replace(
        "{from: [opening, pressed], move: any, to: gone, when: {patience_spent: true}}",
        "{from: any, move: closed_question, to: gone}")
    lib = lib_with(tmp_path, text)
    conv = lib.scenarios["tiny"].conversation
    assert conv.sources_of(conv.transitions[0]) == ("opening", "pressed")
    for first in ([], [HOLD.text]):
        s = session(lib)
        s.play(first + [CLOSED.text])
        assert s.state == "gone" and s.outcome.cause is None


def test_counts_since_entering_the_state(tmp_path: Path) -> None:
    """`since: state`: the hold that entered 'pressed' does not count there."""
    text = SCENARIO.replace("when: {at_least: {hold: 2}}",
                            "when: {since: state, at_least: {hold: 2}}")
    s = session(lib_with(tmp_path, text))
    s.respond(HOLD.text)
    assert s.state == "pressed"
    s.respond(HOLD2.text)
    assert s.state == "pressed"  # one hold here so far (two since the start)
    s.respond("Still ten, because the service is worth it.")
    assert s.state == "pressed"  # unknown to the scripted scorer: no hold
    hold3 = verdict("Ten it is, for everything you get.", price="hold")
    s.scorer = scripted_scorer({**TABLE, hold3.text: hold3})
    s.respond(hold3.text)
    assert s.outcome.status == "deal" and s.outcome.won
    # Counted from the start, the second hold would already have won.
    s2 = session(lib_with(tmp_path))
    s2.play([HOLD.text, HOLD2.text])
    assert s2.outcome.won


# ------------------------------------------------------------------ one home for moves


def test_the_registry_is_the_one_list_of_moves() -> None:
    from simulator.model import Move

    import typing
    assert typing.get_args(Move) == MOVES
    assert {"accept", "commit", "ask", "repeat"} <= set(MOVES)
    assert PRODUCTIVE == {m for m in MOVES if BY_NAME[m].productive}
    assert "repeat" not in PRODUCTIVE and "concede" not in GOOD
    assert all(len(BY_NAME[m].reaction) >= 3 for m in MOVES)


def test_new_moves_from_the_score_and_the_history() -> None:
    # Asking for a get with nothing given is an ask (the exchange verdict is "no").
    ask = verdict("Could you commit to two years?", asks=("term",))
    assert moves_of(ask) == ("ask",)
    # Asking with a question counts both.
    ask_q = verdict("Would you sign for two years?", question="closed", asks=("term",))
    assert moves_of(ask_q) == ("ask", "closed_question")
    # A give that is not money, swapped for a get, is a trade ("exchange: yes", no price).
    swap = verdict("I'll send one page; in return, two years?", gets=("term",))
    assert moves_of(swap) == ("trade",)
    # Saying it again is a repeat, and only that.
    assert moves_of(HOLD, earlier=["ten dollars and worth it"]) == ("repeat",)
    assert is_repeat("Our price is $8.50 and it's worth it.",
                     ["Our price is $8.50, and it is worth it."])
    assert not is_repeat("Our price is $8.50.", ["What is behind the target?"])
    # Agreeing to a proposal at the standing offer is an accept; elsewhere it is nothing.
    deal = verdict("Deal. I'll send the contract today.")
    assert moves_of(deal, proposal=True) == ("accept",)
    assert moves_of(deal) == ("other",)
    then = verdict("Deal. I'll have the contract over to you this afternoon.")
    assert moves_of(then, proposal=True) == ("accept",)
    assert moves_of(verdict("Deal? No, we can't do that."), proposal=True) == ("other",)
    # Giving what the buyer asked for is a commitment, not a concession.
    trailer = verdict("We'll put a standby trailer on your site.", price="concede")
    assert moves_of(trailer, requested=[("standby trailer",)]) == ("commit",)
    assert moves_of(trailer) == ("concede",)


PROPOSING = SCENARIO.replace(
    "    won: {say:",
    '    closing: {say: ["Alright, {offer} for the lot. Do we have a deal?"]}\n'
    "    won: {say:").replace(
    "    - {from: pressed, move: hold, to: won, when: {at_least: {hold: 2}}}",
    "    - {from: pressed, move: hold, to: closing, when: {at_least: {hold: 2}}}\n"
    "    - {from: closing, move: accept, to: won}")


def test_accepting_the_buyers_proposal_closes_the_deal(tmp_path: Path) -> None:
    s = session(lib_with(tmp_path, PROPOSING))
    s.respond(HOLD.text)
    s.respond(HOLD2.text)
    assert s.state == "closing" and "Do we have a deal?" in s.turns[-1].text
    rep, buyer = s.respond("Yes, that works for us.")
    assert rep.moves == ("accept",) and s.outcome.won and s.outcome.price == 10.0
    assert buyer.text == "Deal at $10.00."


def test_a_persona_without_a_reaction_says_the_default(tmp_path: Path) -> None:
    persona = PERSONA.replace('  on_closed_question: ["Maybe."]\n', "")
    s = session(lib_with(tmp_path, persona=persona))
    _, buyer = s.respond(CLOSED.text)
    assert buyer.text in BY_NAME["closed_question"].reaction


COMMITTING = SCENARIO.replace(
    "gets:\n",
    "gives:\n  - {id: trailer, name: A standby trailer, phrases: [standby trailer], "
    "requested: true}\ngets:\n").replace(
    "    - {from: pressed, move: trade, to: won, when: {gets_asked: [volume]}}",
    "    - {from: pressed, move: trade, to: won, when: {gets_asked: [volume]}}\n"
    "    - {from: opening, move: commit, to: won}")


def test_committing_to_the_remedy_is_a_move_not_a_concession(tmp_path: Path) -> None:
    trailer = verdict("We'll put a standby trailer on site.", price="concede")
    s = session(lib_with(tmp_path, COMMITTING), {**TABLE, trailer.text: trailer})
    rep, _ = s.respond(trailer.text)
    assert rep.moves == ("commit",)
    assert s.outcome.won and s.deal.offer == 10.0
    card = build(s)
    assert card.concessions == 0 and card.turns[0]["price"] == "hold"
    assert card.turns[0]["stronger"] is None  # not a weak turn: no stronger answer under it
    labels = [label for _, label, _ in verdict_badges(rep.score, rep.moves)]
    assert "conceded" not in labels and "committed" in labels


def test_an_old_scenario_reads_new_moves_as_before(tmp_path: Path) -> None:
    """A scenario written before `ask` existed takes it where it took `other`."""
    text = SCENARIO.replace("{from: opening, move: [hold, concede], to: pressed}",
                            "{from: opening, move: [hold, concede, other], to: pressed}")
    ask = verdict("Could you commit to more volume?", asks=("volume",))
    s = session(lib_with(tmp_path, text), {**TABLE, ask.text: ask})
    rep, _ = s.respond(ask.text)
    assert rep.moves == ("ask",) and s.state == "pressed"


def test_a_repeat_earns_nothing(tmp_path: Path) -> None:
    s = session(lib_with(tmp_path))
    s.respond(HOLD.text)
    number = s.deal.buyer_number
    rep, buyer = s.respond(HOLD.text)
    assert rep.moves == ("repeat",) and s.state == "pressed"
    assert s.deal.buyer_number == number and s.buyer.progress.counts["hold"] == 1
    assert buyer.text in BY_NAME["repeat"].reaction
    # Saying it again is weak: the debrief shows the state's model answer under it.
    assert build(s).turns[1]["stronger"] == "If you take more volume, $10.00 holds."


# ------------------------------------------------------------------ no line twice


def test_no_buyer_line_twice_while_a_variant_is_unused(tmp_path: Path) -> None:
    persona = PATIENT.replace('  on_other: ["Pardon?"]', '  on_other: ["Pardon?", "Sorry?"]')
    for seed in range(1, 6):
        s = session(lib_with(tmp_path, persona=persona), seed=seed)
        s.play([o.text for o in OTHERS[:7]])
        said = [t.text for t in s.turns if t.speaker == "buyer"]
        # 7 reactions drawn from 2 persona lines + 5 defaults: all different.
        assert len(set(said)) == len(said), said
        # The persona's own lines come first.
        assert {said[1], said[2]} == {"Pardon?", "Sorry?"}


# ------------------------------------------------------------------ money that adds up


def test_a_deal_never_closes_below_the_reps_lowest_offer(tmp_path: Path) -> None:
    cave = verdict("Fine, nine fifty.", price="concede", named=9.5)
    s = session(lib_with(tmp_path), {**TABLE, cave.text: cave})
    s.respond(CONCEDE_9.text)
    assert s.deal.buyer_number < 9.0  # the buyer wants more than the rep offered
    _, closing = s.respond(cave.text)
    # The second 'concession' names more than the standing offer: the offer stays at 9,
    # and the deal closes there, not at the buyer's lower number.
    lowest = min(t.offer for t in s.turns)
    assert s.outcome.status == "deal" and s.outcome.price == lowest == 9.0
    assert closing.text == "Deal at $9.00."


def test_a_promise_to_look_for_a_better_number_names_no_price(tmp_path: Path) -> None:
    s = session(lib_with(tmp_path))
    before = s.deal.buyer_number
    rep, buyer = s.respond(LOOK.text)
    assert rep.moves == ("concede",)
    assert s.deal.offer == 10.0  # no price named, none recorded
    assert s.deal.buyer_number < before  # but the buyer hardens
    s.respond(CONCEDE_9.text)
    assert s.outcome.price == 9.0 and s.turns[-1].text == "Deal at $9.00."


def test_the_prep_plan_is_the_one_everything_uses(tmp_path: Path) -> None:
    plan = Plan(target=9.8, walk_away=9.2)
    seen = []

    def scorer(text, context):
        seen.append(context.walk_away)
        return TABLE.get(text, verdict(text))

    lib = lib_with(tmp_path)
    sc = lib.scenarios["tiny"]
    s = Session(sc, lib.persona_of(sc), seed=1, plan=plan, scorer=scorer)
    s.play([CONCEDE_9.text, verdict("Fine, eight.", price="concede", named=8.0).text])
    assert seen == [9.2, 9.2]  # the scorer (and so the below-walk-away badge) reads the plan
    assert s.deal.walk_away == 9.2 and s.deal.target == 9.8
    card = build(s)
    assert card.deal["walk_away"] == 9.2 and card.deal["target"] == 9.8
    assert any("below your own walk-away ($9.20)" in n for n in card.plan_notes)
    # A deal at 9 is under the plan's walk-away (though over the scenario's 8): not won.
    won_text = SCENARIO.replace("{from: opening, move: [hold, concede], to: pressed}",
                                "{from: opening, move: [hold, concede], to: pressed}\n"
                                "    - {from: pressed, move: any, to: won}")
    lib2 = lib_with(tmp_path / "b", won_text)
    s2 = Session(lib2.scenarios["tiny"], lib2.personas["tester"], seed=1, plan=plan,
                 scorer=scripted_scorer(TABLE))
    s2.play([CONCEDE_9.text, HOLD.text])
    assert s2.outcome.status == "deal" and s2.outcome.price == 9.0 and not s2.outcome.won


# ------------------------------------------------------------------ coherent turns


def test_the_answer_comes_last_and_counts_only_when_said(tmp_path: Path) -> None:
    s = session(lib_with(tmp_path))
    _, buyer = s.respond(QUESTIONS[0].text)  # names no keyword: the first need written
    assert buyer.revealed == "budget" and buyer.text == "Good question. Our budget resets in May."
    # A question that closes the conversation reveals nothing it never said.
    text = SCENARIO.replace("{from: opening, move: [hold, concede], to: pressed}",
                            "{from: opening, move: [hold, concede, open_question], to: pressed}"
                            "\n    - {from: pressed, move: open_question, to: gone}")
    s2 = session(lib_with(tmp_path, text))
    s2.respond(HOLD.text)
    _, buyer = s2.respond(QUESTIONS[1].text)
    assert s2.finished and buyer.revealed is None and s2.buyer.progress.revealed == []
    assert build(s2).revealed == []


def test_every_open_question_about_the_deal_uncovers_the_next_need(tmp_path: Path) -> None:
    """Whatever the rep's words: the need a question names comes first, then the others in
    the order written; small talk uncovers nothing; once all is said, the buyer hands the
    turn back instead of promising an answer that never comes."""
    from simulator.buyer import ALL_TOLD, NOTHING_NEW

    drive = verdict("How was the drive in?", question="open")
    legal = verdict("What does your legal team look for?", question="open")
    table = dict(TABLE, **{v.text: v for v in (drive, legal)})
    s = session(lib_with(tmp_path, persona=PATIENT), table=table)
    _, buyer = s.respond(drive.text)
    assert buyer.revealed is None and buyer.text in NOTHING_NEW
    _, buyer = s.respond(QUESTIONS[1].text)  # names no need: the first written
    assert buyer.revealed == "budget"
    _, buyer = s.respond(QUESTIONS[2].text)
    assert buyer.revealed == "boss"
    _, buyer = s.respond(QUESTIONS[3].text)
    assert buyer.revealed is None and buyer.text in ALL_TOLD

    s = session(lib_with(tmp_path, persona=PATIENT.replace(
        "keywords: [budget]}", "keywords: [budget]}\n  - {id: legal, text: 'Legal reads everything.', keywords: [legal]}")),
        table=table)
    _, buyer = s.respond(legal.text)  # names the second need: it comes first
    assert buyer.revealed == "legal"
    _, buyer = s.respond(QUESTIONS[1].text)
    assert buyer.revealed == "budget"


# ------------------------------------------------------------------ the bundled library


SMALL_TALK = [
    "Lovely weather today.", "How was the drive in?", "I like the new office.",
    "Did you catch the match at the weekend?", "My kids are off school this week.",
    "The coffee here is great.", "Have you been on holiday yet?", "Traffic was terrible.",
    "I'm thinking of taking up running.", "Do you know a good lunch place around here?",
] * 3


@pytest.mark.parametrize("scenario_id", sorted(load_library().scenarios))
def test_small_talk_ends_within_the_budget_and_never_repeats(scenario_id: str) -> None:
    lib = load_library()
    sc = lib.scenario(scenario_id)
    for seed in (1, 2, 3, 4):
        s = Session(sc, lib.persona_of(sc), seed=seed)
        s.play(SMALL_TALK)
        assert s.finished and s.outcome.status != "unfinished", s.outcome
        assert len(s.rep_turns()) <= sc.conversation.turn_budget
        assert not s.outcome.won
        said = [t.text for t in s.turns if t.speaker == "buyer"]
        assert len(set(said)) == len(said), said


def test_needs_are_heard_by_topic_in_any_form_and_order() -> None:
    from simulator.buyer import on_topic, topic_words

    def heard(keyword: str, question: str) -> bool:
        return on_topic(keyword, question.lower(), topic_words(question))

    assert heard("put it right", "If we could put one thing right first, what would it be?")
    assert heard("launch", "How is the launching going?")
    assert heard("last time", "What happened the last time a vendor was late?")
    assert not heard("last time", "What happened with the vendor?")
    assert not heard("make it right", "What would you make of that?")


def test_a_personas_own_out_of_time_lines_open_the_close(tmp_path: Path) -> None:
    from simulator.lint import lint_library

    persona = PATIENT.replace("lines:\n", 'lines:\n  out_of_time: ["Right, I have a train to catch."]\n')
    text = SCENARIO.replace("  transitions:\n", "  turn_budget: 2\n  transitions:\n", 1)
    lib = lib_with(tmp_path, text, persona)
    s = session(lib)
    s.play([QUESTIONS[0].text, QUESTIONS[1].text])
    assert s.turns[-1].text.startswith("Right, I have a train to catch. ")
    assert lint_library(lib) == []  # out_of_time is not an unused moment


# ------------------------------------------------------------------ any sequence of verdicts

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_LIB = load_library()
_IDS = sorted(_LIB.scenarios)


@st.composite
def _plays(draw):
    sc = _LIB.scenarios[draw(st.sampled_from(_IDS))]
    gets = [g.id for g in sc.gets]
    lines = []
    for i in range(draw(st.integers(1, 26))):
        price = draw(st.sampled_from(["hold", "trade", "concede", "none"]))
        named = draw(st.one_of(st.none(), st.floats(0.5, 1.1).map(
            lambda f: round(f * sc.money.list_price, 2)))) if price in ("trade", "concede") \
            else None
        lines.append(verdict(
            f"response {i} {draw(st.integers(0, 3))}",  # sometimes the same words again
            question=draw(st.sampled_from(["open", "closed", "none"])), price=price,
            gets=tuple(draw(st.lists(st.sampled_from(gets), max_size=2, unique=True)))
            if gets else (), stall=draw(st.booleans()), named=named))
    return sc, draw(st.integers(1, 1000)), lines


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_plays())
def test_any_sequence_ends_in_budget_and_the_money_adds_up(play) -> None:
    sc, seed, lines = play
    table = {v.text: v for v in lines}
    s = Session(sc, _LIB.persona_of(sc), seed=seed, scorer=scripted_scorer(table))
    for v in lines:
        if s.finished:
            break
        s.respond(v.text)
    assert len(s.rep_turns()) <= sc.conversation.turn_budget
    if len(lines) >= sc.conversation.turn_budget:
        assert s.finished
    if s.outcome is not None and s.outcome.price is not None:
        lowest = min(t.offer for t in s.turns)
        assert s.outcome.price == s.deal.offer == lowest
        assert s.deal.buyer_number == s.outcome.price  # the closing line says that price
    said = " ".join(t.text for t in s.turns if t.speaker == "buyer")
    reveals = {r.id: r.text for r in (sc.reveals or _LIB.persona_of(sc).reveals)}
    for rid in s.buyer.progress.revealed:
        assert s.buyer.fill(reveals[rid]) in said  # uncovered only when spoken
