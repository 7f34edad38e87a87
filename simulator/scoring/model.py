"""The scorer's contract: what goes in (`Context`) and what comes out (`Score`).

Pure data, no behaviour beyond small derived properties. Everything downstream
(the buyer machine, the session, the app, exports) reads only these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

QuestionLabel = Literal["open", "closed", "none"]
PriceLabel = Literal["hold", "trade", "concede", "none"]


@dataclass(frozen=True)
class Span:
    """A stretch of the rep's text (character offsets, end exclusive) behind a verdict."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Verdict:
    """One habit's verdict: a label, the evidence behind it, a short reason, and the rule
    that decided it (`price.give_with_get`, `question.open`, `model` for the learned layer)."""

    label: str
    evidence: tuple[Span, ...] = ()
    reason: str = ""
    rule: str = ""

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "evidence": [s.to_dict() for s in self.evidence],
            "reason": self.reason,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class Term:
    """A give or a get of a scenario: an id, a display name and phrases that signal it."""

    id: str
    name: str
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Context:
    """What the scorer knows about the deal when a response is typed.

    our_price: the rep's standing offer; their_price: the buyer's number;
    walk_away: the rep's floor. gets/gives extend the vocabulary per scenario.
    buyer_said: the buyer's line the rep is answering, if known; it gives "I can do that"
    or "no" something to refer to (see scoring/reply.py).
    """

    our_price: float | None = None
    their_price: float | None = None
    walk_away: float | None = None
    list_price: float | None = None
    currency: str = "USD"
    gets: tuple[Term, ...] = ()
    gives: tuple[Term, ...] = ()
    audience: Literal["rep", "manager"] = "rep"
    buyer_said: str = ""


@dataclass(frozen=True)
class Score:
    """The verdicts on one response.

    question: open / closed / none.
    price: hold / trade / concede / none.
    exchange: label "yes" / "no"; `gets` names what was asked in return, `asks` every get
        the response requests (with or without a give).
    stall: label "yes" / "no" (deferring to a manager or someone else).
    telling: label "yes" / "no" (a manager handing over the answer; coaching scenarios).
    named_price: the lowest price the rep named in this response, if any.
    below_walk_away: the rep named or accepted a price under the walk-away.
    tips: one short coaching tip per habit ("hold_price", "trade", "open_questions", ...).
    """

    text: str
    question: Verdict
    price: Verdict
    exchange: Verdict
    gets: tuple[str, ...] = ()
    #: The scenario's gets the response asks for, traded or not ("fifteen minutes next
    #: week?" asks for a meeting with nothing given): what the buyer hears requested.
    asks: tuple[str, ...] = ()
    stall: Verdict = field(default_factory=lambda: Verdict("no"))
    telling: Verdict = field(default_factory=lambda: Verdict("no"))
    named_price: float | None = None
    below_walk_away: bool = False
    tips: dict[str, str] = field(default_factory=dict)
    #: Every rule that fired, in one list ("give: takes money off the price", "get: volume",
    #: "condition", "question.open: ...", "buyer asked: a price", "answer: accept"): what the
    #: learned layer reads beside the words, and what a trainer sees in `score --json`.
    findings: tuple[str, ...] = ()

    @property
    def has_exchange(self) -> bool:
        return self.exchange.label == "yes"

    @property
    def is_stall(self) -> bool:
        return self.stall.label == "yes"

    @property
    def is_telling(self) -> bool:
        return self.telling.label == "yes"

    def to_dict(self) -> dict:
        return {
            "question": self.question.label,
            "price": self.price.label,
            "exchange": self.has_exchange,
            "gets": list(self.gets),
            "stall": self.is_stall,
            "telling": self.is_telling,
            "named_price": self.named_price,
            "below_walk_away": self.below_walk_away,
            "verdicts": {
                "question": self.question.to_dict(),
                "price": self.price.to_dict(),
                "exchange": self.exchange.to_dict(),
                "stall": self.stall.to_dict(),
                "telling": self.telling.to_dict(),
            },
            "tips": dict(self.tips),
            "findings": list(self.findings),
        }
