"""A buyer who keeps to what it said, found by the sixth blind playthrough batch (players'
reports on procurement-head, renewal-price-increase and budget-freeze): it takes its own
number when the rep agrees to it, answers a proposal rather than brushing it off, and its
reactions fit what the rep did."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.loading import load_library
from simulator.session import Session
from tests.conftest import PERSONA, SCENARIO, scripted_scorer, verdict, write, play as _play, buyer_lines as _buyer


def _tiny(tmp_path: Path, table: dict, scenario: str = SCENARIO, persona: str = PERSONA) -> Session:
    write(tmp_path / "personas" / "tester.yaml", persona)
    write(tmp_path / "scenarios" / "tiny.yaml", scenario)
    tiny = load_library([tmp_path])
    assert tiny.errors == [], tiny.errors
    sc = tiny.scenarios["tiny"]
    return Session(sc, tiny.persona_of(sc), seed=1, scorer=scripted_scorer(table))


# ------------------------------------------------------------------ its own number


def test_coming_down_to_the_buyers_own_number_closes_there(tmp_path: Path) -> None:
    """The tiny buyer asks $6.00; "OK, six." is a deal at $6.00 (lost: under the walk-away),
    not a push to a lower number that the buyer never asked for."""
    six = verdict("OK, six.", price="concede", named=6.0)
    s = _tiny(tmp_path, {six.text: six})
    s.respond(six.text)
    assert s.outcome is not None and s.outcome.price == 6.0 and not s.outcome.won
    assert s.deal.buyer_number == 6.0


@pytest.mark.parametrize("scenario,lines,price", [
    # He demands $7.80 "or I give your share to the others"; the rep says yes to $7.80.
    ("procurement-head", [
        "Price is $8.50, and the ramp is why: full production weeks before the others.",
        "Ok, fine, $7.80 it is then, we don't want to lose you.",
    ], 7.80),
    # She opens at the old price, $42; the rep gives it to her.
    ("renewal-price-increase", ["OK, $42 it is."], 42.0),
])
def test_agreeing_to_the_buyers_demand_closes_at_it(lib, scenario, lines, price) -> None:
    s = _play(lib, scenario, lines)
    said = _buyer(s)
    assert s.outcome.status in ("deal", "retained") and s.outcome.price == price
    assert not s.outcome.won
    assert f"${price:.2f}" in said[-1] and "real number" not in said[-1]


# ------------------------------------------------------------------ a proposal gets an answer


def test_a_proposal_with_a_question_is_answered_once_all_is_told(tmp_path: Path) -> None:
    """Both needs told, the rep holds and asks what else is needed: the buyer answers the
    hold (its on_hold line), not "there isn't more to it" as if only asked a question."""
    ask_budget = verdict("How does the budget work?", question="open")
    ask_more = verdict("What else should I know?", question="open")
    offer = verdict("Ten stays, it's worth it. What would you need to say yes?", question="open", price="hold")
    table = {v.text: v for v in (ask_budget, ask_more, offer)}
    text = SCENARIO.replace("move: [hold, concede], to: pressed", "move: concede, to: pressed")
    s = _tiny(tmp_path, table, scenario=text)
    for line in (ask_budget.text, ask_more.text):
        s.respond(line)
    assert [t.revealed for t in s.turns if t.speaker == "buyer"][1:] == ["budget", "boss"]
    _, said = s.respond(offer.text)
    assert said.text.startswith("Hmm, $"), said.text


# ------------------------------------------------------------------ a freeze is a rule, not a price


@pytest.mark.parametrize("lines", [
    ["I understand. We could give you a 10% discount to help.",
     "And I can add the premium support package at no cost on top."],
    ["I'm prepared to offer $55,000 for the first year.",
     "Okay, let's take another five thousand off, down to $50,000."],
])
def test_no_price_cut_buys_a_deal_through_the_freeze(lib, lines) -> None:
    s = _play(lib, "budget-freeze", lines)
    assert s.outcome.status == "stalled" and s.outcome.price is None and not s.outcome.won
    assert "exception" not in _buyer(s)[-1]


def test_billing_moved_for_nothing_is_not_heard_as_a_cheaper_price(lib) -> None:
    """Deferred billing given away is a concession, but not a discount: she asks for the
    whole proposal rather than saying "a cheaper thing I can't buy"."""
    s = _play(lib, "budget-freeze", ["We can defer the first invoice to April for you."])
    said = _buyer(s)[-1]
    assert "concede" in s.rep_turns()[0].moves
    assert s.deal.offer == 60000 and "cheaper" not in said.lower() and "further" not in said.lower()


def test_a_proposal_at_full_price_asking_for_the_gets_moves_the_deal(lib) -> None:
    """Held at list, asking for the signature and the term once she has said how the freeze
    works (read as a hold and an ask, the billing unheard): the proposal moves the
    conversation, and said again, it closes the deal. A player's own lines (batch 6, u4)."""
    s = _play(lib, "budget-freeze", [
        "I understand Ruth, thank you for call me. Before we speak of price, can you tell me what "
        "your operations team was hoping to fix with Northstar?",
        "That is expensive problem, and it will not wait for next year - the next season comes anyway. "
        "Help me to understand the freeze: what excatly does the board stop, and what is still allowed?",
        "Ok so the problem is timing, not the price. I keep the price at 60,000 a year, it is fair for "
        "what one bad season cost you. But if you sign now and take a two year contract, we start the "
        "billing when your new budget year begins. When does it begin for you?",
        "What would your board need to see to be comfortable with it?",
        "Then it fits well. You sign this month, two years, first invoice in April at 60,000. Your team "
        "start onboarding now and is ready before the garden season. Shall I send you the contract today?",
    ])
    turns = s.rep_turns()
    assert "ask" in turns[2].moves and "trade" not in turns[2].moves
    assert turns[2].state == "structuring"
    assert s.outcome.won and s.outcome.price == 60000 and len(turns) == 5
    assert not any("isn't more to it" in line for line in _buyer(s))


# ------------------------------------------------------------------ reactions that fit


#: Words that presume the rep has said something before, or made a speech.
_PRESUMES = ("keep saying", "keep repeating", "heard the speech", "heard the justification", "value, value")


@pytest.mark.parametrize("scenario,first_hold", [
    ("procurement-head", "pressure"),      # a first hold from the opening lands here
    ("renewal-price-increase", "firm"),
    ("budget-freeze", "firm"),
])
def test_lines_a_first_hold_can_get_do_not_presume_a_repeat(lib, scenario, first_hold) -> None:
    """The buyer's hold reactions, and the state a first hold enters, fit a first hold: a
    closed question the scorer reads as a hold had got "I've heard the speech"."""
    sc = lib.scenario(scenario)
    persona = lib.persona_of(sc)
    st = sc.conversation.states[first_hold]
    lines = [*persona.lines.get("on_hold", ()), *st.react.get("hold", ()), *st.say,
             *(persona.lines[st.moment] if st.moment else ())]
    assert lines
    for line in lines:
        assert not any(p in line.lower() for p in _PRESUMES), line


_PHASED = [  # a player's own lines (batch 6, u4)
    "Ruth! Ugh, I know, I know, pricing changes are never fun, and honestly finance on our side "
    "forced it on everyone. Is $42 really a hard line for you?",
    "Fair. So tell me what's going on with the budget this year - what's squeezing it?",
]


def test_a_trade_under_the_walk_away_is_closed_with_its_terms_acknowledged(lib) -> None:
    """A phased increase for prepayment that averages under the walk-away ($42, then $44:
    $43 over two years): the deal is lost, at that average, and her closing line keeps the
    terms ("Good. $42.00 it is." had dropped the step-up and the prepayment)."""
    s = _play(lib, "renewal-price-increase", [*_PHASED,
        "Okay, that helps. Here's a way to keep this year flat: if you pay the year up front, I'll phase "
        "it - $42 this year, $44 from year two. Flat for the board now. Thoughts?",
    ])
    last = _buyer(s)[-1]
    assert s.outcome.state == "old_price" and s.outcome.price == 43.0 and not s.outcome.won
    assert "terms" in last or "conditions" in last, last


def test_a_phased_offer_is_worth_its_average_not_its_first_step(lib) -> None:
    """$42 this year and $46 from year two is $44 over the two years, the rep's walk-away:
    not a renewal lost at $42 (batch 8: "Then we have a deal at $42.00 a user", and the
    first step had been the price of the deal). Renewed at $44, on the rep's terms."""
    s = _play(lib, "renewal-price-increase", [*_PHASED,
        "Okay, that helps. Here's a way to keep this year flat: if you pay the year up front, I'll phase "
        "it - $42 this year, $46 from year two. Flat for the board now, and the new features keep coming "
        "for your shifts. Thoughts?",
        "Two years then: $42 this year, $46 next year, paid up front each year.",
    ])
    phased = s.rep_turns()[2]
    assert phased.score.named_price == 44.0 and phased.state != "old_price"
    assert s.outcome.won and s.outcome.price == 44.0, (s.outcome, _buyer(s)[-1])


def test_giving_ground_first_is_not_praised_as_making_the_case(lib) -> None:
    """A rep who conceded to $44 for nothing, then traded for the term: she agrees, and says
    the early move was noticed, never "You made the case properly"."""
    lines = [
        "Morning Ruth. What's making the increase hard for you this year in particular?",
        "Walk me through what a switch would mean for your warehouse team mid-season.",
        "So $44 keeps them running with everything they have now. Shall we sign at that?",
        "No. $44 is my floor. If you want less than that, I'd need a three-year commitment and annual "
        "prepayment, and even then it's $44.",
        "Then: three years, $44 a user locked for the whole term, paid annually up front.",
    ]
    for seed in (1, 2, 3, 4):
        s = _play(lib, "renewal-price-increase", lines, seed=seed)
        assert any("concede" in t.moves for t in s.rep_turns())
        assert s.outcome.won and s.outcome.price == 44.0
        assert "made the case" not in _buyer(s)[-1]


def test_trading_after_going_under_the_walk_away_closes_at_that_number(lib) -> None:
    """Procurement: a cut to $7.95 (under the $8.20 walk-away), then trades at $7.95. The
    trade table had closed only at or above the walk-away, so good moves there went round
    until the budget ran out; now he takes the number, a lost deal at the rep's price."""
    s = _play(lib, "procurement-head", [
        "Okay, I can do $7.95 a drive.",
        "No, $7.95 is the real number. If you want lower, you must give me the whole order and sign this month.",
        "A two-year term and a reference after launch, then we stay at $7.95 and I guarantee the ramp dates.",
    ])
    assert [t.state for t in s.rep_turns()][1] == "trade_table"
    assert s.outcome.status == "deal" and s.outcome.price == 7.95 and not s.outcome.won
    assert "buyer's number" not in s.outcome.label


def test_a_number_taken_to_the_boss_is_not_a_deal_yet(lib) -> None:
    """"Let me take $7.80 back to my boss" names his number but agrees to nothing: he does
    not close on it (he hardens, as for any stall that names a price)."""
    s = _play(lib, "procurement-head", [
        "Ok here's straight talk. We hit full volume weeks earlier than anyone, about $4 a drive "
        "to a spring launch that can't slip. $8.50 stays.",
        "Let me take $7.80 back to my boss and see if he'll sign off. I'll call you this afternoon.",
    ])
    assert "stall" in s.rep_turns()[1].moves
    assert s.outcome.status == "unfinished"


def test_a_withdrawn_number_is_not_the_one_the_deal_closes_at(lib) -> None:
    # batch 7: "$33" floated, then "forget the price", then a loans-only proposal at $36
    s = _play(lib, "stalled-deal", [
        "Lena, hello. Thank you. Let me start by withdrawing the proposal; all four versions. They clearly have not helped you.",
        "Then tell me what has happened inside Brightwater since the spring.",
        "I see. Would a lower price help you find a new owner? I can ask my director if we can do $33.",
        "Okay, forget the price. What is it that people at Brightwater are worried about?",
        "Loans team first then. What's driving the loans team to need it?",
        "Then we make a loans-only proposal at $36 a user, and I add the onboarding for free. "
        "If you can give me a decision date, I will send it tomorrow.",
    ])
    assert "withdraw" in s.turns[7].moves
    assert s.outcome.status == "deal" and s.outcome.price == 36.0
