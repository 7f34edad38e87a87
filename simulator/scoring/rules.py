"""The registry of the scorer's rule ids: every finding and every verdict names one of these.

A *finding* (`model.Finding`) is one thing a rule saw in the response ("a give: takes money
off the price", "a get: volume"); a *verdict* (`model.Verdict.rule`) names the rule that
decided it, and lists the findings behind it. Where a rule both finds and decides (a give
alone decides a concession), the two share one id.

`feature` is the name the learned layer has always read a finding by (`"F|" + name` and
`"K|" + the part before ":"`, see learned.py): `label` alone, or `label + ": " + detail`
where `keyed`. The shipped weights depend on these names; never change one without
retraining.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One rule id: what it means; how its findings are named for the learned layer
    (`label`, with the finding's detail after it when `keyed`; no label: a verdict only);
    and, for a rule that decides a verdict, the rules whose findings it is decided by (`by`)."""

    id: str
    description: str
    label: str = ""
    keyed: bool = False
    by: tuple[str, ...] = ()


#: Every rule id, in one place. Findings first (each with its learned-layer label), then the
#: ids that only decide a verdict.
RULES: dict[str, Rule] = {r.id: r for r in (
    # findings (most also decide a verdict of the same id)
    Rule("question.open", "a question or request that invites the buyer to explain", "question.open", True,
         by=("question.open",)),
    Rule("question.closed", "a question that can be answered in a word or a number", "question.closed", True,
         by=("question.closed",)),
    Rule("reply.buyer_asked", "the buyer's line asks for movement: a price or a give", "buyer asked", True),
    Rule("reply.answer", "the reply accepts or declines what the buyer asked", "answer", True),
    Rule("reply.own_price", "agrees to the buyer's proposal at the rep's own standing offer, which keeps the price",
         "own price", by=("reply.own_price",)),
    Rule("price.give", "a give: a lower price, money off, a freebie, better terms, a promise to find a better number"
         " (alone, a concession)", "give", True, by=("price.give",)),
    Rule("price.hold", "the price kept: restated, declined, defended with its value", "hold", True,
         by=("price.hold",)),
    Rule("price.topic", "the response talks about price or terms (without moving: a hold)", "price talk",
         by=("price.topic",)),
    Rule("price.find_promise", "a promise to go and find a better number", "promise to look"),
    Rule("exchange.get", "something named asked back (volume, term, payment, a scenario's get...)", "get", True,
         by=("exchange.get", "exchange.return", "exchange.condition")),
    Rule("exchange.condition", "a condition that ties a give to a get (if, provided, in return for...)", "condition"),
    Rule("exchange.return", "asks for something in return without naming it", "something in return"),
    Rule("stall.defer", "defers to a manager or someone else", "stall", by=("stall.defer",)),
    Rule("telling.instruct", "a manager hands the rep the answer (you should..., if I were you...)", "telling",
         by=("telling.instruct",)),
    # verdicts only
    Rule("question.none", "no question asked"),
    Rule("price.give_with_get", "a give tied to a get: a trade",
         by=("price.give", "exchange.get", "exchange.return", "exchange.condition")),
    Rule("price.condition", "movement offered only in return for something the buyer gives: a trade",
         by=("exchange.get", "exchange.return", "exchange.condition")),
    Rule("price.none", "price and terms not addressed"),
    Rule("exchange.none", "nothing asked in return"),
    Rule("stall.none", "no stall"),
    Rule("telling.none", "no telling"),
    Rule("model", "the learned layer decided (learned.py); its findings are the features that weighed most"),
)}


def feature_name(rule: str, detail: str) -> str:
    """The name the learned layer reads a finding of `rule` with `detail` by."""
    r = RULES[rule]
    return f"{r.label}: {detail}" if r.keyed else r.label
