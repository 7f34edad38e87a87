"""Buyer reactions found by the sixth blind playthrough batch (send-information, stalled-deal,
toughest-customer, outrageous-ask, coaching-rep): each reply fits what the rep just did."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.buyer import ALL_TOLD, YOUR_IDEA
from simulator.loading import load_library
from simulator.session import Session
from tests.conftest import PERSONA, SCENARIO, scripted_scorer, verdict, write, play as _play, buyer_lines as _buyer, rep_moves as _moves


# ------------------------------------------------------------------ the engine


def test_once_every_need_is_told_an_open_question_is_handed_back_before_a_state_line(tmp_path: Path) -> None:
    # A state's own reaction to an open question ("Ask away") invites more questions; once
    # nothing is left to tell, the buyer hands the turn back instead.
    scenario = SCENARIO.replace(
        '    opening: {moment: attack, model_answer: "Our price is {offer}. What is behind your number?"}',
        '    opening:\n'
        '      moment: attack\n'
        '      model_answer: "Our price is {offer}. What is behind your number?"\n'
        '      react:\n'
        '        open_question: ["Ask away.", "Ask me anything.", "Go on, ask."]')
    write(tmp_path / "personas" / "tester.yaml", PERSONA)
    write(tmp_path / "scenarios" / "tiny.yaml", scenario)
    library = load_library([tmp_path])
    assert library.errors == []
    qs = [verdict(t, question="open") for t in ("What's behind the budget?", "Who signs?", "What else?")]
    sc = library.scenario("tiny")
    s = Session(sc, library.persona_of(sc), seed=1, scorer=scripted_scorer({v.text: v for v in qs}))
    s.play([v.text for v in qs])
    last = _buyer(s)[-1]
    assert last in ALL_TOLD


def test_a_freebie_on_top_of_the_remedy_is_a_concession_and_keeps_a_bought_account(lib) -> None:
    heard = [
        "You're right, that was an excuse and you don't need it. It's our failure. Tell me what it did to your business.",
        "No, you're right, passing you up the chain isn't the answer. What would make this right for you?",
    ]
    remedy = ("Done. Standby trailer on site from this week through the peak, and I'm your named "
              "person, my mobile, always on.")
    freebie = " And I'll waive the rent on the three trailers that failed for the next two months, to say sorry."
    close = "Then nothing fails on my watch for ninety days. The rate stays at $1,150. Can we agree the fleet stays?"
    clean = _play(lib, "toughest-customer", [*heard, remedy, close])
    assert "concede" not in _moves(clean)[2] and "commit" in _moves(clean)[2]
    assert clean.outcome.won
    paid = _play(lib, "toughest-customer", [*heard, remedy + freebie, close])
    assert {"concede", "commit"} <= set(_moves(paid)[2])
    assert not paid.outcome.won and paid.outcome.status == "retained"


def test_a_need_that_names_what_the_rep_offered_credits_the_rep(lib) -> None:
    s = _play(lib, "stalled-deal", [
        "Hi Lena, thanks for calling. Let's park the proposal completely for now, no pressure from me. "
        "What's changed on your side since we last talked?",
        "So what is actually keeping this from moving, beyond the COO leaving? What would whoever's upstairs need to see?",
        "Right, so the loan files are the real pain. How about we just do the loans team first then, and "
        "I'll keep the $33 on it and throw in free setup so it's a no-brainer?",
        "OK, then help me out here. If you were in my shoes, what would you put in front of the people upstairs?",
    ])
    turn = next(t for t in s.turns if t.revealed == "small_start")
    assert any(opener in turn.text for opener in YOUR_IDEA)


# ------------------------------------------------------------------ the content


def test_buyers_do_not_plead_ignorance_to_a_closed_question_about_their_own_business(lib) -> None:
    dodge = re.compile(r"\b(?:don't know|no idea|look into it|hard to say)\b", re.I)
    for sc in lib.scenarios.values():
        if sc.audience != "rep":
            continue
        persona = lib.persona_of(sc)
        for line in persona.lines.get("on_closed_question", ()):
            assert not dodge.search(line), (persona.id, line)


def test_no_state_line_promises_candour_and_stops(lib) -> None:
    # Said without a need after it ("I'll be straight with you, since you asked properly."),
    # such a line promises an answer and gives none.
    lead_in = re.compile(r"(?:I'll be (?:straight|honest) with you|let me be (?:straight|honest))[^.!?]*[.!]$|:$", re.I)
    for sc in lib.scenarios.values():
        for name, st in sc.conversation.states.items():
            for line in st.say:
                assert not lead_in.search(line.strip()), (sc.id, name, line)


def test_the_competitors_quote_comes_up_on_the_way_to_keeping_the_account(lib) -> None:
    good = [
        "No excuses, Marcus. We failed you. I'm sorry. What went wrong from where you were standing?",
        "Six hours. That's worse than the breakdown. What did losing the Colby's delivery cost you?",
        "I hear you. What would make this right for you?",
    ]
    for seed in (1, 2, 3, 4):
        s = _play(lib, "toughest-customer", good, seed=seed)
        assert any("$1,000" in line for line in _buyer(s)), seed


def test_the_angry_customer_answers_what_else_in_his_own_words_once_all_is_told(lib) -> None:
    s = _play(lib, "toughest-customer", [
        "Marcus, that's a bad failure and it's ours. What happened on your side when the trailers went down?",
        "For the ninety days with Colby's, what did losing that delivery cost you?",
        "What would make this right for you?",
        "What else do you need from me?",
    ])
    assert _buyer(s)[-1] in lib.persona_of(lib.scenario("toughest-customer")).lines["all_told"]


def test_asking_for_her_time_with_a_real_question_gets_the_meeting_the_rep_then_sets(lib) -> None:
    # The rep asks for fifteen minutes together with a real question, then sets the day.
    s = _play(lib, "send-information", [
        "Sure thing. What's prompting the interest - is there something about how routes get planned across your forty depots that's not working today?",
        "Yeah we hear that a lot. Do you have a budget set aside for software this year?",
        "Fair point. Tell me about the last time you tried to fix the November problem - what happened?",
        "Ha, noted - no forty pages. I'll send our case studies and the spec sheet so you can see we're nothing like that last tool, and you can reach out when you're ready.",
        "Fair - let me be straight. Usually when I send stuff after a call like this, it goes nowhere, and that's fine if this isn't for you. But what would you need to see to believe setup won't take six months again?",
        "We can absolutely do weeks. And to make it easy I'll throw in free onboarding and the first three months at no charge. Shall I just send the contract over with the info?",
        "Just one - would fifteen minutes with you and your finance lead be worth it, so you can see a real setup timeline before March?",
        "Great. Is Tuesday at 2 ok for you?",
        "No problem. I'll send a short one-pager on setup time today and a calendar invite for Tuesday - move it if it doesn't suit. What would make those fifteen minutes worth your time?",
        "Will do - one page, what your planners stop doing by hand, plus setup time. See you Tuesday, and thanks for the advice.",
        "Understood - I'll bring setup timelines from two carriers your size to the fifteen minutes, so you and your finance lead can judge for yourselves.",
        "No, that's everything - invite's on its way for Tuesday. Thanks, Priya.",
    ])
    assert s.outcome.status == "meeting" and s.outcome.won


def test_a_closing_line_never_says_a_price_stayed_when_it_moved(lib) -> None:
    s = _play(lib, "outrageous-ask", [
        "Thanks Gordon. Price is 2,400 a clinic and it stays there. Is the unlimited liability coming from your board?",
        "We do believe in it. Would you take a cap at six months of fees instead?",
        "Fine, a full year of fees as the cap, and I'll drop to 2,200 a clinic. But I need a five-year term for that. Deal?",
        "So - five years, 2,200, liability capped at a year's fees. And the go-live refund is off the table. "
        "Can you sign this week?",
    ])
    assert s.deal.offer == 2200
    assert not any(re.search(r"stays at \$2,200", line) for line in _buyer(s))


def test_a_hold_in_the_middle_of_a_package_is_not_called_a_refusal(lib) -> None:
    s = _play(lib, "outrageous-ask", [
        "Gordon, before I respond to each term, what happened with your last network provider that makes "
        "uncapped liability feel necessary?",
        "So tell me, what would a day of downtime actually cost Meridian, in diverted patients and in the board's eyes?",
        "I can go well beyond our standard liability cap on outages - if Meridian signs a five-year term "
        "rather than three, and brings the four clinics you open next year onto the same contract.",
        "On price, it stays at $2,400 a clinic. That buys a network your clinics don't go dark on. On go-live: a "
        "full refund for one day late doesn't work, but I'll put a per-day service credit in writing if you "
        "pay at thirty days instead of ninety.",
    ])
    assert _moves(s)[-1][0] == "hold"
    assert "won't do" not in _buyer(s)[-1]


def test_asked_for_her_own_view_in_any_words_the_rep_says_she_does_not_know_yet(lib) -> None:
    for question in ("ok. and what do you think you should do next?",
                     "What's your take on the next step?",
                     "So how would you like to approach her?"):
        s = _play(lib, "coaching-rep", ["yeah of course, come in. whats going on?", question])
        assert s.state == "stuck", question


def test_orders_on_top_of_her_own_plan_do_not_end_as_if_the_plan_were_the_managers(lib) -> None:
    s = _play(lib, "coaching-rep", [
        "yeah of course, come in. whats going on?",
        "ok. and what do you think you should do next?",
        "ah ok, burned CFO. honestly just send her our case studies and the security docs, thats what they always want. then push for the signing date.",
        "hmm good q. what would you want to say to her?",
        "nice. so ask Dev to set up a call, tell her about the case studies, done. you good?",
        "ok fair. if you did know, what would it sound like?",
        "yeah thats better than my case studies idea honestly. go with that. but still push for the end of month date ok?",
    ])
    assert s.outcome.status == "escalated" and not s.outcome.won
    assert "what you said" not in _buyer(s)[-1]


def test_asking_for_one_more_get_adds_to_the_package_on_the_table(lib) -> None:
    """Batch 8 (x1, procurement-head): after a full package was on the table, "Only one more
    thing: a short meeting with your launch engineering team" was an ask with nothing given,
    and Victor answered "You want something from me already? What's in it for me?". It adds
    to the trade, and closes it at the rep's price."""
    s = _play(lib, "procurement-head", [
        "What's behind the $7.50 target?",
        "In the contract: $8.50 per drive and a fixed full-volume date, with a penalty on us if we miss it. "
        "In exchange Corvane gives us the whole order and a two year term. Which of these is hard for you?",
        "Only one more thing: a short meeting with your launch engineering team next week, so our ramp "
        "plan matches their schedule. Can we agree on this?",
    ], seed=3)
    assert _moves(s)[-1][0] == "trade", _moves(s)
    assert not any("What's in it for me" in b or "Depends what you put on the table" in b for b in _buyer(s))
    assert s.outcome.won and s.outcome.price == 8.5, (s.outcome, _buyer(s))
