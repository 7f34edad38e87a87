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


DRIVES = Context(our_price=8.50, their_price=7.50, walk_away=8.00)
SEATS = Context(our_price=46.0, their_price=42.0, walk_away=44.0)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        # a rival's number quoted is not the rep's offer
        ("We're at $46, and a $40 competitor means a painful migration in your busiest month.", 46.0),
        ("Going with the $40 vendor means retraining two hundred people.", None),
        # an amount under half of every price in play is a gap or a fee, never the price
        ("I hear you, a dollar a drive adds up. Let me see what I can do.", None),
        ("Honestly, a dollar isn't much against a late ramp.", None),
        # a hypothetical lower number inside a hold is not offered (the standing one stands)
        ("If I dropped to 7.80 I'd be selling you the same drive as everyone else. It's 8.50.", None),
    ],
)
def test_numbers_that_are_not_offers(text: str, named: float | None) -> None:
    ctx = SEATS if "46" in text or "$40" in text else DRIVES
    assert score(text, ctx).named_price == named


def test_a_proposal_as_a_question_asks_for_nothing_unless_it_names_it() -> None:
    # "for the first year" is how long the give lasts, not a longer term asked for
    s = score_rules("What if I throw in free express delivery for the first year?", DRIVES)
    assert s.price.label == "concede" and not s.has_exchange
    s = score_rules("What if I throw in free express delivery if you sign a two-year contract?", DRIVES)
    assert s.price.label == "trade" and s.has_exchange


@pytest.mark.parametrize(
    ("text", "value"),
    [("We can offer the package at SEK 78 000 per event.", 78_000.0),
     ("That's 1 250,50 € a month.", 1250.5)],
)
def test_space_grouped_thousands(text: str, value: float) -> None:
    from simulator.scoring.amounts import find_amounts
    assert [a.value for a in find_amounts(text, 80_000.0)] == [value]


RISK = Context(our_price=2400.0, their_price=1900.0, walk_away=2200.0,
               buyer_said="Here's my position. Unlimited liability, and we pay at ninety days. "
                          "Sign that at $1,900 a clinic and the twelve clinics are yours.")


@pytest.mark.parametrize("text", [
    "Wow, that's a lot. Let me take this to my manager and see what I can do for you.",
    "I'll see what we can do on the price.",
])
def test_seeing_what_one_can_do_is_not_agreeing_to_the_buyers_number(text: str) -> None:
    # "can do" in "see what I can do" had read as "I can do that": the buyer's $1,900 became
    # the rep's offer, and the deal later closed there, under the $2,100 the rep had offered.
    s = score(text, RISK)
    assert s.price.label == "concede" and s.named_price is None


PROPOSED = Context(our_price=2400.0, their_price=1900.0, walk_away=2200.0,
                   buyer_said="Here's what I can take to my board: you carry uptime penalties up to a "
                              "year's fees, and the price stays at $2,400. Do we shake on it?")


@pytest.mark.parametrize("text", [
    "Yes. We shake on it.",
    "We shake on it. Thirty-day payment goes in the paper too; I'll have it to you tomorrow.",
    "Yes, agreed. We'll get the paper over today.",
])
def test_agreeing_to_a_deal_at_ones_own_price_gives_nothing_away(text: str) -> None:
    s = score(text, PROPOSED)
    assert s.price.label != "concede" and not s.below_walk_away


def test_agreeing_to_a_give_the_buyer_asks_for_at_ones_price_is_still_a_concession() -> None:
    # Naming the rep's price does not make the buyer's line a proposal: it asks for a give.
    ctx = Context(our_price=22.0, buyer_said="Can you do 22% but we only pay after the 90-day mark?", currency="%")
    assert score("Yeah, we can do that. Fee stays 22, invoice goes out at day 90.", ctx).price.label == "concede"


def _leaning_model(price: str):
    """A learned layer that reads every response as `price` with nothing asked in return
    (its biases only), to show where the layer is and is not consulted."""
    from simulator.scoring import learned

    heads, bias, off = {}, [], 0
    for verdict, labels in learned.LABELS.items():
        heads[verdict] = (labels, off)
        want = {"price": price, "exchange": "no", "stall": "no", "telling": "no", "question": "none"}[verdict]
        bias += [9.0 if lab == want else 0.0 for lab in labels]
        off += len(labels)
    return learned.Model(heads, tuple(bias), {})


@pytest.mark.parametrize("text", ["", "   ", "...", "?!", "\u2026", "\t\n"])
def test_a_line_that_says_nothing_makes_no_move(monkeypatch, text: str) -> None:
    # seen in play: a retrained layer read an empty line after the buyer's demand as a
    # concession, from the buyer's words alone
    from simulator.scoring import learned

    monkeypatch.setattr(learned, "model", lambda: _leaning_model("concede"))
    ctx = Context(our_price=2400.0, their_price=1900.0, walk_away=2200.0,
                  buyer_said="Sign that at $1,900 a clinic and the twelve clinics are yours.")
    assert score(text, ctx).price.label == "none"
    assert score("Nice office you have here.", ctx).price.label == "concede"  # the layer is live


DRIVES = Context(our_price=8.5, their_price=7.8, walk_away=8.0, list_price=8.5)


@pytest.mark.parametrize(
    ("text", "price", "exchange"),
    [
        # found by a blind player (batch 6): the buyer's alternative named, then turned down
        ("Because $7.50 drives that take four months are not really $7.50 - you pay the penalties on top.", "hold", "no"),
        # someone else's condition asks the buyer for nothing
        ("I'd rather not pretend $7.80 works - it doesn't. If the other five can get you to full volume "
         "before spring, that's your call.", "hold", "no"),
        # a question imagining the buyer's world is no condition on a give
        ("I can do $8.20. What would it mean for you if the spring launch is on time?", "concede", "no"),
        # while the rep's own condition still is one
        ("We could do $8.20 if you give us the full volume.", "trade", "yes"),
        ("If you sign for three years, I can do $8.20. What would the board say to that?", "trade", "yes"),
    ],
)
def test_quoted_numbers_and_other_peoples_conditions(text: str, price: str, exchange: str) -> None:
    s = score_rules(text, DRIVES)
    assert (s.price.label, s.exchange.label) == (price, exchange)


@pytest.mark.parametrize(
    ("text", "price"),
    [
        # what the buyer already has is no give (docs/labelling.md, decision 3)
        ("Those are standard for us at no additional cost.", "hold"),
        ("The fan motor is covered under your service agreement, so there will be no charge for it.", "hold"),
        # a new freebie still is one
        ("I'll throw in the fan motor at no charge.", "concede"),
        ("We can add training at no extra cost.", "concede"),
    ],
)
def test_already_included_is_no_give(text: str, price: str) -> None:
    assert score_rules(text, Context(buyer_said="And the parts?")).price.label == price


@pytest.mark.parametrize("text", ["taking it", "Sold!", "works for me 👍", "let's do it", "we're in"])
def test_short_acceptances_of_the_buyers_proposal(text: str) -> None:
    ctx = Context(our_price=18.5, their_price=17.0, walk_away=17.2,
                  buyer_said="Boss says 17 flat, three years, both buildings. Take it or leave it.")
    assert score_rules(text, ctx).price.label == "concede"
    assert score_rules("I'm in a meeting, one sec", ctx).price.label == "none"


@pytest.mark.parametrize(
    ("buyer", "text", "price"),
    [
        # a dare after a threat keeps the price
        ("I need 5.80 or I'm going with the others.", "Then go with them.", "hold"),
        ("15% final, take it or leave it.", "Then we must leave it, sorry.", "hold"),
        # a threat with no number asks for movement all the same
        ("If you don't move, we walk.", "Then walk.", "hold"),
        ("If you don't move, we walk.", "ok", "concede"),
        # a sigh before the yes is still a yes, and alone it says nothing
        ("Last offer: 6.10, two years.", "ugh. ok 🙄", "concede"),
        ("Last offer: 6.10, two years.", "ugh.", "none"),
        # "leave it there" winds up, it declines nothing
        ("Can we leave it there for today?", "Sure, let's leave it there.", "none"),
    ],
)
def test_dares_threats_and_sighs(buyer: str, text: str, price: str) -> None:
    ctx = Context(our_price=6.4, their_price=5.8, walk_away=6.05, buyer_said=buyer)
    assert score_rules(text, ctx).price.label == price


@pytest.mark.parametrize(
    ("text", "verdict", "label"),
    [
        # found in blind play (batch 6)
        ("Tell me more about what a third flag would mean for you and the credit union.", "price", "none"),
        ("Do you want me to include a free trial too?", "price", "concede"),
        ("It won't happen again, I promise. But if it does we'd give you a credit for that month too.", "price", "concede"),
        # the labellers read "what's the biggest...?" as open (23 of 25 rows)
        ("What's the biggest headache in route planning across your depots right now?", "question", "open"),
        ("What's the lowest you could take?", "question", "closed"),
    ],
)
def test_read_in_blind_play(text: str, verdict: str, label: str) -> None:
    assert getattr(score_rules(text, Context(our_price=2400.0, their_price=1900.0, walk_away=2200.0)), verdict).label == label


def test_that_is_what_id_do_hands_over_the_answer() -> None:
    mgr = Context(audience="manager")
    assert score_rules("Have him set up the meeting and bring our finance lead - that's what I'd do.", mgr).telling.label == "yes"


def test_a_package_listed_with_commas_is_a_trade() -> None:
    # batch 6, budget-freeze: the gets come first, one after another, then the give
    from simulator.scoring import Term

    ctx = Context(our_price=60000.0, their_price=50000.0, walk_away=54000.0, buyer_said="Lay it out for me.",
                  gives=(Term("defer", "Billing from the new budget year", ("billing from april",)),))
    s = score_rules("Sign this month, two-year term, billing from April, at 60,000.", ctx)
    assert (s.price.label, s.exchange.label) == ("trade", "yes")
    # a bare "agree," opens no such list
    s = score_rules("Agree, that's not ok. We'll credit the 3 pallets in full.", ctx)
    assert s.price.label == "concede"


@pytest.mark.parametrize(
    "text",
    [
        # batch 7, outrageous-ask: taking on the buyer's terms is the rep's give, not a get
        "just wondering. would you be ok with $2200 if we accept all the other terms?",
        # and a refund "if we slip" is a promise about the rep's own failure
        "so unlimited liability, full refund if we slip, 90 days payment, and $2200. can we sign?",
    ],
)
def test_taking_on_the_buyers_terms_asks_for_nothing(text: str) -> None:
    s = score_rules(text, Context(our_price=2400.0, their_price=1900.0, walk_away=2200.0))
    assert (s.price.label, s.exchange.label) == ("concede", "no")


def test_a_price_that_names_a_product_is_quoted_not_offered() -> None:
    # batch 7, renewal: "a $40 system" is the rival, and the deal had closed at $40
    ctx = Context(our_price=46.0, their_price=42.0, walk_away=44.0, buyer_said="$40.50 and I'll sign today.")
    s = score_rules("No, $44 is as far as I go. A $40 system that has to be learned from scratch will cost you more.", ctx)
    assert s.named_price == 44.0
    assert score_rules("I can do a $40 rate if you sign today.", ctx).named_price == 40.0


def test_a_number_named_and_then_refused_is_not_offered() -> None:
    # batch 8, toughest-customer: the rival's $1,000 named as the topic and refused in the
    # same sentence had closed the account at $1,000, under the rep's walk-away
    ctx = Context(our_price=1150.0, their_price=950.0, walk_away=1080.0)
    text = ("About the $1,000: I will not cut the price, $1,150 is what pays for this kind of cover. "
            "But if you sign twelve more months with us, I can add the standby trailer for the year.")
    s = score_rules(text, ctx)
    assert s.named_price == 1150.0 and not s.below_walk_away
    assert score_rules("We can do $1,100 if you renew for a year.", ctx).named_price == 1100.0


@pytest.mark.parametrize(
    ("text", "agreed"),
    [
        # batch 8, outrageous-ask: "Do we shake on it?" answered "we shake." was heard as nothing
        ("we shake. sixteen clinics, four years, 2400. i'll send the draft tomorrow.", True),
        ("We shake on it, with one detail.", True),
        ("Shake on it.", True),
        # parting words are not a yes
        ("If it's not useful, we shake hands and I leave you alone.", False),
        ("I'll shake your hand and leave you alone.", False),
    ],
)
def test_we_shake_agrees(text: str, agreed: bool) -> None:
    from simulator.scoring.reply import agrees

    assert agrees(text) is agreed


@pytest.mark.parametrize(
    ("text", "price"),
    [
        # batch 8, procurement-head: the rep's manager saying yes is no get for the buyer to give
        ("He's usually ok with small discounts. Would $8.00 be acceptable if he agrees?", "concede"),
        ("I can go to $8.00 if my manager signs off.", "concede"),
        # the buyer agreeing to a longer term still is one
        ("We can do $8.00, provided she agrees to three years as well.", "trade"),
    ],
)
def test_the_reps_own_side_approving_is_no_get(text: str, price: str) -> None:
    assert score_rules(text, Context(our_price=8.5, their_price=7.5, walk_away=8.2)).price.label == price


@pytest.mark.parametrize(
    ("text", "named"),
    [
        # batch 8, renewal: a phased offer had closed at its first step, under the walk-away
        ("42 isn't possible. What we can do: year one at 42, then 46 for years two and three, "
         "if you sign three years and prepay.", 44.67),
        ("Then make it two years. Year one $44, year two $46, prepaid annually.", 45.0),
        ("We can do $44 in the first year and $46 after that on a three-year deal.", 45.33),
        ("$44 this year and $46 next year, on a two-year renewal.", 45.0),
        # batch 1, renewal: a restated price before the phases, and "a phased increase" to 44
        # (under the standing 46, so money off it, not a raise)
        ("I'll hold 46 because the warehouse runs on it, but I can help with the flat part: "
         "a phased increase, say 44 this year and 46 next, if you prepay annually.", 45.0),
        # two prices that are not phases of one offer: the lower is the offer
        ("I can do $44 on two years or $45 on one.", 44.0),
        ("We can do $43 if you sign three years.", 43.0),
    ],
)
def test_a_phased_offer_is_its_average_over_the_years(text: str, named: float) -> None:
    s = score_rules(text, Context(our_price=46.0, their_price=42.0, walk_away=44.0))
    assert s.named_price is not None and round(s.named_price, 2) == named


def test_the_call_we_are_on_is_not_a_meeting_asked_for() -> None:
    # batch 8, send-information: "after a call like this" had counted as asking for a meeting,
    # and Priya then gave fifteen minutes "at the time you said" that nobody had asked for
    from simulator.scoring.price import named_gets

    ctx = Context()
    assert not named_gets("Most times I send a PDF after a call like this, it ends in silence.", ctx)
    assert [g for g, _ in named_gets("Could we book a call next week?", ctx)] == ["meeting"]


def test_a_get_inside_a_give_is_part_of_the_give() -> None:
    # batch 8, budget-freeze: "three months free" had asked for a three-month term
    ctx = Context(our_price=60000.0, their_price=50000.0, walk_away=54000.0)
    s = score_rules("ok. what if i threw in the first three months free? would that count as not spending?", ctx)
    assert (s.price.label, s.exchange.label) == ("concede", "no")
    s = score_rules("Three months free if you sign a three-year term.", ctx)
    assert (s.price.label, s.exchange.label) == ("trade", "yes")
