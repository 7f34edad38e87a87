"""Buyer reactions found by the fifth blind playthrough batch, played on the bundled library."""

from __future__ import annotations

from tests.conftest import play as _play, rep_moves as _moves


def test_a_freebie_added_to_a_yes_is_a_concession_not_an_accept(lib) -> None:
    s = _play(lib, "procurement-head", [
        "Honestly? I'm not sure I can justify it on paper. Maybe my VP can do something. "
        "But tell me first, what happens to Corvane if the drives arrive late for the launch?",
        "Forget the VP, this is my call. A spring date that can't slip is exactly what we sell: "
        "full volume weeks sooner than the others. $8.50 stands.",
        "Can we at least agree that a late launch costs more than a dollar a drive?",
        "Ok. Keep $8.50 and I'll add a free extra year of warranty on every drive, no strings.",
    ])
    assert "accept" not in _moves(s)[-1] and "concede" in _moves(s)[-1]
    assert s.outcome.status == "unfinished" or not s.outcome.won


def test_saying_yes_to_his_deal_with_the_agreed_terms_repeated_closes_it(lib) -> None:
    s = _play(lib, "outrageous-ask", [
        "Before we talk about the clauses, what happened with your last provider that led to these terms?",
        "Tell me about the pressure you're under on uptime this year.",
        "We can carry uptime penalties up to a year's fees, provided you sign a three-year term "
        "and include the four new clinics in the contract.",
        "We shake on it. Thirty-day payment goes in the paper too; I'll have it to you tomorrow.",
    ])
    assert s.outcome.won and s.outcome.price == 2400


def test_a_deal_never_closes_under_the_reps_own_offer_after_a_stall(lib) -> None:
    s = _play(lib, "outrageous-ask", [
        "Wow, that's a lot. Let me take this to my manager and see what I can do for you.",
        "Hmm ok. I think we can probably do $2,100, would that work?",
    ])
    offers = [t.score.named_price for t in s.turns if t.speaker == "rep" and t.score and t.score.named_price]
    assert offers == [2100.0]
    assert s.outcome.price is None or s.outcome.price >= 2100


def test_disowning_the_last_proposal_withdraws_it_and_the_stalled_deal_restarts(lib) -> None:
    # "version five" is the stalled deal's own word for a discount; calling it a mistake had
    # read as offering another one ("Another discount. I'll add it to the folder...").
    s = _play(lib, "stalled-deal", [
        "Lena, I'll be straight: I think version five was a mistake on our side. Can we step back? "
        "What's changed for you since we first talked?",
        "That sounds like a rough few months. When the full rollout scared people, what exactly were they afraid of?",
        "So a smaller start would be easier to defend. Who would need to back it for it to move this quarter?",
        "Here's an idea: we start with just the loans team at $36 a user. If we do that, could you bring "
        "the CFO in as sponsor and give us a decision by the end of the month?",
    ], seed=2)
    first = _moves(s)[0]
    assert "concede" not in first and "withdraw" in first
    assert s.outcome.won and s.outcome.price == 36.0
