"""Unit tests for the scorer: one block per rule family, plus evidence spans and the CLI."""

from __future__ import annotations

import argparse
import io
import json
import sys

import pytest

from simulator.scoring import Context, Term, score
from simulator.scoring.amounts import find_amounts
from simulator.scoring.engine import score_rules

DRIVES = Context(our_price=8.50, their_price=7.50, walk_away=8.20)
SAAS = Context(our_price=120_000, their_price=100_000, walk_away=110_000)
FREIGHT = Context(our_price=2.10, their_price=1.85, walk_away=1.95, currency="EUR")
AGENCY = Context(our_price=11_500, their_price=9_000, walk_away=10_500, currency="GBP")
SEND_INFO = Context(
    gives=(Term("send_information", "Send information", ("send", "email it", "email you", "brochure")),),
    gets=(Term("meeting", "Fifteen minutes", ("fifteen minutes", "15 minutes", "a call")),),
)


def labels(text: str, ctx: Context = DRIVES) -> tuple[str, str, bool]:
    s = score(text, ctx)
    return s.question.label, s.price.label, s.has_exchange


# --- the team's golden lines ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, want",
    [
        ("Our price is $8.50 because you reach full volume six weeks sooner", ("none", "hold", False)),
        ("OK, we can do $7.90", ("none", "concede", False)),
        ("If you commit to the full volume for two years, I can do $8.40", ("none", "trade", True)),
        ("What's behind the $7.50 target?", ("open", "none", False)),
        ("Is $8 OK?", ("closed", "concede", False)),
    ],
)
def test_golden_lines(text, want):
    assert labels(text) == want


def test_trade_names_the_gets():
    s = score("If you commit to the full volume for two years, I can do $8.40", DRIVES)
    assert set(s.gets) == {"volume", "term"}


def test_stall_alone_and_stall_that_promises_a_number():
    s = score("Let me check with my manager", DRIVES)
    assert s.is_stall and s.price.label == "none"
    s = score("Let me check with my manager and see if I can get you a better number.", DRIVES)
    assert s.is_stall and s.price.label == "concede"


# --- amounts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, ref, value, kind",
    [
        ("$8.20", 8.5, 8.20, "price"),
        ("we can do 8.2", 8.5, 8.2, "price"),
        ("eight twenty is fine", 8.5, 8.20, "price"),
        ("120k", 120_000, 120_000, "price"),
        ("€2,10 per km", 2.1, 2.10, "price"),
        ("£11,500 a month", 11_500, 11_500, "price"),
        ("11.2k", 11_500, 11_200, "price"),
        ("5% off", 8.5, 5, "pct"),
        ("fifty cents off", 8.5, 0.5, "delta"),
        ("€1.240 per tonne", 1240, 1240, "price"),
        ("four sixty", 480_000, 460_000, "price"),
        ("nine and a half grand", 11_500, 9_500, "price"),
        ("we can probably do one-fifteen", 120_000, 115_000, "price"),
    ],
)
def test_amounts_in_every_form(text, ref, value, kind):
    found = [a for a in find_amounts(text, ref) if a.kind == kind]
    assert found, text
    assert found[0].value == pytest.approx(value)


def test_counts_and_durations_are_not_prices():
    assert find_amounts("two years, 400 units, net 30, fifteen minutes on Tuesday at 3pm", 8.5) == []


# --- price: concede / hold / trade -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Fine, I'll knock fifty cents off.",
        "eight twenty is the best i can do",
        "I'll see what I can do on price.",
        "Tell you what, because you've been loyal, we'll take 5% off.",
        "We can match the other vendors at $7.50.",
        "We can't go below $8.25 on this order.",
        "There's no way we can do 7.50, but I could do 7.95.",
        "I'll throw in free shipping to get this done.",
        "We'll extend your payment terms to net 60 at the same price.",
    ],
)
def test_concessions(text):
    assert labels(text)[1] == "concede"


@pytest.mark.parametrize(
    "text",
    [
        "We don't discount the platform fee.",
        "No discount from me. The price reflects six weeks of production you gain.",
        "We won't match $7.50, and I don't think you'd want the supplier who would.",
        "We can't go below our quoted $8.50.",
        "Even if you committed to two years, I couldn't go below $8.50.",
        "Eight fifty is our price and it's a good one.",
    ],
)
def test_holds_including_declines_that_say_discount(text):
    assert labels(text)[1:] == ("hold", False)


@pytest.mark.parametrize(
    "text",
    [
        "Commit to two years and I can do 8.20.",
        "As long as we get the whole order, 8.35 works.",
        "I could look at 8.30 provided you give us a firm twelve-month forecast.",
        "In return for a reference and a case study on the launch, we can go to $8.40.",
        "8.30 for a three-year agreement, 8.40 for two.",
        "We'd consider 8.25 only if you took the whole order.",
        "happy to do 8.30 if u can sign this week",
        "Sign the two-year agreement and shipping is on us.",
        "I'd do 8.25, but I'd need all of your volume for that.",
    ],
)
def test_trades_in_many_phrasings(text):
    assert labels(text)[1:] == ("trade", True)


def test_friendly_if_is_not_a_condition():
    assert labels("If it helps, we can do 8.10.")[1:] == ("concede", False)
    assert labels("As a thank-you for the referral, we'll take 5% off.")[1:] == ("concede", False)


def test_freeze_for_three_years_is_a_give_not_a_term_ask():
    assert labels("We can freeze your price for three years.", SAAS)[1:] == ("concede", False)


def test_scenario_gives_and_gets():
    assert labels("Sure, I'll email it over today.", SEND_INFO)[1:] == ("concede", False)
    s = score("I'll send it if you give me fifteen minutes on Tuesday.", SEND_INFO)
    assert (s.price.label, s.gets) == ("trade", ("meeting",))


def test_currencies_and_k_amounts():
    assert labels("I can do 115k.", SAAS)[1] == "concede"
    assert labels("The price is $120k, full stop.", SAAS)[1] == "hold"
    assert labels("We can do €1,98 per km.", FREIGHT)[1] == "concede"
    assert labels("Our rate is €2,10 per kilometre.", FREIGHT)[1] == "hold"
    assert labels("11k a month, provided we agree a twelve-month term.", AGENCY)[1:] == ("trade", True)


def test_named_price_and_walk_away():
    s = score("I can get you down to 8.10.", DRIVES)
    assert s.named_price == pytest.approx(8.10) and s.below_walk_away
    s = score("I'll take 5% off.", DRIVES)
    assert s.named_price == pytest.approx(8.075) and s.below_walk_away
    assert not score("We can go to 8.30.", DRIVES).below_walk_away


# --- questions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "What's behind the $7.50 target?",
        "walk me through how the decision gets made",
        "tell me about the last rollout",
        "Would you help me understand how the committee weighs service?",
        "Could you walk me through a typical week on the lane?",
        "I'd love to hear how you landed on six seats.",
        "whats the story behind the budget cut",
        "Before we go further, what would it take to win the whole order?",
    ],
)
def test_open_questions_with_or_without_question_marks(text):
    assert labels(text)[0] == "open"


@pytest.mark.parametrize(
    "text",
    [
        "Is $8 OK?",
        "When does the contract end?",
        "How many units?",
        "What's your budget?",
        "How about $8?",
        "That works for you, right?",
        "$8.50 is fair given the ramp, wouldn't you agree?",
        "Do you want the drives shipped to Austin or to Penang?",
        "how many seats r u planning for year two",
        "Who signs off on this?",
    ],
)
def test_closed_questions(text):
    assert labels(text)[0] == "closed"


def test_statements_are_not_questions():
    assert labels("What we can do is hold the price for a year.")[0] == "none"
    assert labels("I can explain exactly what the support desk does for you.")[0] == "none"


def test_open_wins_over_closed_in_one_response():
    assert labels("Is the date fixed? And what happens if it slips?")[0] == "open"


# --- stall, telling, tips ---------------------------------------------------------------


def test_telling_versus_coaching():
    mgr = Context(audience="manager")
    s = score("You should call the new CFO and ask for a meeting.", mgr)
    assert s.is_telling and "coaching" in s.tips
    s = score("So what do you think you should do next?", mgr)
    assert not s.is_telling and s.question.label == "open"


def test_tips_cover_every_habit():
    s = score("OK, we can do $7.90", DRIVES)
    assert {"hold_price", "trade", "open_questions"} <= set(s.tips)
    assert all(isinstance(v, str) and v for v in s.tips.values())


# --- evidence ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "OK, we can do $7.90. What else is on your list?",
        "If you commit to the full volume for two years, I can do $8.40",
        "We don't discount. Walk me through the target?",
        "Let me check with my manager and see if I can get you a better number.",
    ],
)
def test_evidence_spans_point_into_the_text(text):
    s = score(text, DRIVES)
    for v in (s.question, s.price, s.exchange, s.stall):
        for sp in v.evidence:
            assert text[sp.start : sp.end] == sp.text and sp.text
        if v.label not in ("none", "no"):
            assert v.evidence or v.reason


def test_evidence_highlights_the_right_words():
    text = "OK, we can do $7.90. What else is on your list?"
    s = score(text, DRIVES)
    assert [e.text for e in s.price.evidence] == ["$7.90"]
    assert s.question.evidence[0].text.startswith("What else")


def test_to_dict_is_json():
    d = score("If you sign today I can do 8.30", DRIVES).to_dict()
    assert json.loads(json.dumps(d))["price"] == "trade"
    assert d["exchange"] is True and d["gets"] == ["signature_date"]


# --- the score command -------------------------------------------------------------------


def _run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    from simulator.commands import score as cmd

    ap = argparse.ArgumentParser(prog="shadowbox")
    cmd.register(ap.add_subparsers(dest="command"))
    args = ap.parse_args(["score", *argv])
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, err
    try:
        rc = args.func(args)
    finally:
        sys.stdin, sys.stdout, sys.stderr = old
    return rc, out.getvalue(), err.getvalue()


def test_command_prints_a_readable_verdict():
    rc, out, _ = _run(["OK, we can do $7.90", "--our-price", "8.50", "--walk-away", "8.20"])
    assert rc == 0
    assert "Price:    concede" in out and '"$7.90"' in out and "BELOW WALK-AWAY" in out


def test_command_jsonl_keeps_order_and_reports_bad_lines():
    lines = [
        json.dumps({"text": "OK, we can do $7.90", "our_price": 8.5}),
        "{not json",
        json.dumps({"our_price": 8.5}),
        json.dumps({"text": 42}),
        json.dumps({"text": "How about 8?", "our_price": "cheap"}),
        json.dumps(["text"]),
        json.dumps({"text": "What's behind the target?"}),
    ]
    rc, out, err = _run(["--jsonl", "-"], "\n".join(lines) + "\n")
    rows = [json.loads(x) for x in out.splitlines()]
    assert len(rows) == 7 and rc == 1 and "Traceback" not in err
    assert (rows[0]["price"], rows[0]["exchange"]) == ("concede", False)
    assert [r.get("line") for r in rows[1:6]] == [2, 3, 4, 5, 6]
    assert all("error" in r for r in rows[1:6])
    assert rows[6]["question"] == "open"


def test_command_missing_file_is_one_line():
    rc, out, err = _run(["--jsonl", "/nonexistent/file.jsonl"])
    assert rc == 2 and "no such file" in err and "Traceback" not in err


# --- misjudgements reported by the team (round two) -------------------------------------

STALLED = Context(
    our_price=36, their_price=30, walk_away=32,
    gives=(Term("pilot", "A smaller first phase", ("just the loans team", "first phase")),),
    gets=(Term("sponsor", "An executive sponsor", ("sponsor", "executive sponsor", "your cfo")),),
)
RISK = Context(
    our_price=2400, their_price=1900, walk_away=2200,
    gives=(Term("liability", "Carrying uptime penalties", ("uncapped liability", "liability", "penalties")),),
)
ADVICE = Context(
    gives=(Term("send_info", "Sending the information", ("send", "email it", "brochure")),),
    gets=(
        Term("meeting", "Fifteen minutes", ("fifteen minutes", "a call")),
        Term("advice", "Her advice", ("your advice", "your opinion")),
    ),
)


def test_a_count_of_vendors_is_not_a_price():
    s = score("I hear you on the five other vendors. Our price is $8.50 a drive...", DRIVES)
    assert (s.price.label, s.named_price) == ("hold", 8.5)


def test_a_value_figure_is_not_an_offer():
    s = score("The faster ramp is worth about four dollars a drive to your launch.", DRIVES)
    assert s.price.label == "hold" and s.named_price is None


@pytest.mark.parametrize("ctx", [Context(), DRIVES])
def test_a_percentage_of_time_saved_is_a_value_claim(ctx):
    text = "Our software cuts route planning time by forty percent, it's the best on the market."
    assert labels(text, ctx)[1:] == ("none", False)
    # ...while money off the price is still a concession
    assert labels("We can cut the price by 5%.", DRIVES)[1] == "concede"
    assert labels("I can bring it down by 5%.", DRIVES)[1] == "concede"


@pytest.mark.parametrize("ctx", [Context(), STALLED])
def test_withdrawing_a_proposal_gives_nothing_away(ctx):
    s = score("Let's take the proposal off the table for now. No pressure from our side.", ctx)
    assert s.price.label in ("hold", "none") and not s.has_exchange


@pytest.mark.parametrize("ctx", [Context(our_price=36, their_price=30), STALLED])
def test_if_we_move_could_you_is_a_trade(ctx):
    text = ("If we start with just the loans team at $36 a user, could you bring your CFO in "
            "as the executive sponsor?")
    s = score(text, ctx)
    assert (s.price.label, s.has_exchange) == ("trade", True)
    assert s.gets[0] in ("decision_maker", "sponsor")


def test_a_question_about_their_view_is_not_telling():
    mgr = Context(audience="manager")
    for text in (
        "What would you need to see to believe a setup could take weeks instead of months?",
        "What would you need to see to believe a setup could take weeks instead of months",
    ):
        s = score(text, mgr)
        assert s.question.label == "open" and not s.is_telling
    assert score("You need to call the CFO today.", mgr).is_telling


def test_deferring_a_term_is_a_stall_not_a_concession():
    s = score("My manager will need to approve any change to liability.", RISK)
    assert s.is_stall and s.price.label != "concede"
    assert score("Fine, we'll carry the uncapped liability.", RISK).price.label == "concede"


def test_a_colon_after_the_price_keeps_the_cents():
    text = "Our price stays at $8.50: you reach full volume weeks sooner. What is behind the target?"
    s = score(text, DRIVES)
    assert (s.question.label, s.price.label, s.named_price) == ("open", "hold", 8.5)
    assert [a.value for a in find_amounts("at 10:30 we meet", 8.5)] == []


def test_a_guarantee_for_volume_and_term_is_a_trade():
    text = ("If you give us the whole order on a two-year contract, we'll guarantee the ramp "
            "dates in writing at $8.50.")
    for ctx in (Context(), DRIVES):
        s = score(text, ctx)
        assert (s.price.label, s.has_exchange) == ("trade", True)
        assert {"volume", "term"} <= set(s.gets)
    assert labels("We can't guarantee the ramp dates.", DRIVES)[1] != "concede"


def test_agreeing_to_send_and_asking_advice_back_is_a_trade():
    # Decision (docs/scoring.md): a give with a request for something named in the same
    # response is asked back, so it is not a concession; asking for advice is open. This is
    # the rules' reading; the learned layer, trained on blind labels that call sending
    # information a non-price give, reads the first line as an open question only.
    text = "Of course, I'll send it over. Can I ask your advice first, so what I send is worth reading?"
    s = score_rules(text, ADVICE)
    assert (s.question.label, s.price.label, s.has_exchange, s.gets) == ("open", "trade", True, ("advice",))
    assert labels("Of course, I'll send it over today.", ADVICE)[1:] == ("concede", False)
    assert labels("Sure, I'll send it. Anything else?", ADVICE)[1:] == ("concede", False)


def test_tips_fit_the_context():
    no_price = score("Thanks for taking the call.", ADVICE).tips["open_questions"]
    assert "target" not in no_price
    assert "target" in score("Thanks for taking the call.", DRIVES).tips["open_questions"]
    mgr = score("Here's what I'd do.", Context(audience="manager")).tips["open_questions"]
    assert "next step" in mgr and "target" not in mgr


# --- open questions in conversation (round two) ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I'm wondering how the team felt when the last rollout slipped.",
        "I'm just kind of wondering where you are with the renewal",
        "I'd like to find out a little about how the pilot has gone since March.",
        "Good to see you again, and I know the audit took a lot out of the team, and how has the week been?",
        "Would you mind filling me in on the history with the old vendor?",
        "tell me where would you like to start",
        "Can you show me how the approvals flow today?",
    ],
)
def test_open_forms_in_conversation(text):
    assert labels(text, Context())[0] == "open"


@pytest.mark.parametrize(
    "text",
    [
        "Can't you see the ramp is worth it?",
        "What do you think about meeting again on Friday?",
        "Could you tell me about how much you spend on freight today?",
        "On a scale from one to ten, where ten means ready to sign, how ready do you feel?",
        "How confident are you in the June date? Zero means no chance, ten means locked.",
    ],
)
def test_closed_forms_in_conversation(text):
    # The rules' reading. Two of these the learned layer reads as open ("what do you think
    # about...", "how ready do you feel?"); it is measured on the blind corpus, where it
    # beats the rules on questions (docs/scoring.md), and these stay the rules' contract.
    assert score_rules(text, Context()).question.label == "closed"


def test_a_scene_setting_when_clause_is_not_the_question():
    s = score("When your team goes live, what changes for the planners?", Context())
    assert s.question.label == "open" and s.question.evidence[0].text.startswith("what changes")


def test_a_scenario_get_names_the_ask_once():
    text = ("If we start with just the loans team at $36 a user, could you bring your CFO in "
            "as the executive sponsor?")
    assert score(text, STALLED).gets == ("sponsor",)


# --- the buyer's number referred to, not offered (third round) --------------------------


@pytest.mark.parametrize(
    "text, price, named",
    [
        ("I hear you on 7.50, but our $8.50 buys you full volume weeks sooner.", "hold", 8.5),
        ("We can't go lower than 8.50, but what's behind the 7.50?", "hold", 8.5),
        ("At 7.50 the others can't ship until spring; we ship next month at 8.50.", "hold", 8.5),
        ("Compared to 7.50, we're a dollar higher for a reason.", "hold", None),
        ("Tell me how the team arrived at the 7.50.", "none", None),
    ],
)
def test_buyers_number_referred_to_is_not_an_offer(text, price, named):
    s = score(text, DRIVES)
    assert s.price.label == price
    assert s.named_price == named
    assert not s.below_walk_away


@pytest.mark.parametrize(
    "text, ctx",
    [
        ("I'll match 7.50.", DRIVES),
        ("ok, 7.50", DRIVES),
        ("7.50 works.", DRIVES),
        ("Let's meet at 7.50.", DRIVES),
        ("Fine. 7.50.", DRIVES),
        ("How about 7.50?", DRIVES),
        ("We can live with €1,85 for the first quarter.", FREIGHT),
        ("Alright, £9,000 and we start on the first.", AGENCY),
    ],
)
def test_buyers_number_offered_is_a_concession(text, ctx):
    s = score(text, ctx)
    assert s.price.label == "concede"
    assert s.named_price == ctx.their_price
    assert s.below_walk_away


def test_asking_what_it_takes_to_win_the_whole_order_is_an_exchange():
    s = score("What would it take to give us the whole order?", DRIVES)
    assert (s.question.label, s.has_exchange, s.gets) == ("open", True, ("volume",))


# --- replies read against the buyer's line ------------------------------------------------


def _reply(text: str, buyer: str, ctx: Context = DRIVES):
    from dataclasses import replace

    return score(text, replace(ctx, buyer_said=buyer))


@pytest.mark.parametrize(
    "buyer, text, price, named",
    [
        ("Can you do $7.50?", "I can do that.", "concede", 7.5),
        ("Get to 7.80 or I walk.", "ok fine", "concede", 7.8),
        ("Knock 10% off and it's yours.", "Deal.", "concede", 7.65),
        ("Take fifty cents off and we're done.", "You've got it.", "concede", 8.0),
        ("Can you throw in the training for free?", "Sure, we can do that.", "concede", None),
        ("Can you do $7.90?", "I can do that if you commit to the full volume.", "trade", 7.9),
        ("$7.90 a unit?", "only if you take the full volume", "trade", 7.9),
        ("Can you do $7.50?", "I can't do that. Our price is $8.50.", "hold", 8.5),
        ("Can you do $7.50?", "No.", "hold", None),
        ("Can you do $7.50?", "I can't do that, but I can do $8.20.", "concede", 8.2),
        ("Can you send me the case study?", "I can do that.", "none", None),
        ("Fine, $8.50. Send the paperwork.", "Deal.", "none", None),
        ("Can you do $7.50?", "Okay, what's behind the $7.50?", "none", None),
        ("Can you do $7.50?", "Let me check with my manager.", "none", None),
        ("We don't need a discount, we need delivery by May.", "We can do that.", "none", None),
    ],
)
def test_a_reply_is_read_against_the_buyers_ask(buyer, text, price, named):
    s = _reply(text, buyer)
    assert s.price.label == price, s.price
    assert s.named_price == named
    for v in (s.price, s.exchange):
        for sp in v.evidence:
            assert text[sp.start : sp.end] == sp.text


def test_the_ask_is_named_in_the_reason_and_the_walk_away_applies():
    s = _reply("Sure, we can do that.", "We need 90-day payment terms, and $7.90.")
    assert s.price.reason.endswith("agrees to the buyer's ask ($7.90).")
    assert s.below_walk_away and s.named_price == 7.9
    assert s.price.evidence[0].text == "we can do that"


def test_without_the_buyers_line_a_bare_yes_is_not_scored():
    assert score("I can do that.", DRIVES).price.label == "none"
    assert _reply("I can do that.", "").price.label == "none"


def test_a_scenario_give_is_an_ask_only_when_asked_for():
    ctx = Context(our_price=2400, gives=(Term("penalties", "Uptime penalties", ("uptime penalties", "penalties")),))
    asked = _reply("Deal.", "We need uptime penalties in the contract.", ctx)
    restated = _reply("Deal.", "Fine. Penalties capped at a year's fees, $2,400 a clinic. Are we agreed?", ctx)
    assert asked.price.label == "concede" and restated.price.label == "none"


def test_command_reads_the_buyer_line():
    rc, out, _ = _run(["I can do that.", "--our-price", "8.50", "--walk-away", "8.20", "--buyer", "Can you do 7.50?"])
    assert rc == 0 and "Buyer:    Can you do 7.50?" in out and "Price:    concede" in out and "BELOW WALK-AWAY" in out
    lines = [json.dumps({"text": "I can do that.", "our_price": 8.5, "buyer": "Can you do 7.50?"}),
             json.dumps({"text": "I can do that.", "buyer": 7.5})]
    rc, out, _ = _run(["--jsonl", "-"], "\n".join(lines) + "\n")
    rows = [json.loads(x) for x in out.splitlines()]
    assert rows[0]["price"] == "concede" and rows[0]["named_price"] == 7.5
    assert rows[1] == {"line": 2, "error": "buyer must be a string"}
