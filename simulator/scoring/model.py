"""The scorer's contract: what goes in (`Context`) and what comes out (`Score`).

Pure data, no behaviour beyond small derived properties. Everything downstream
(the buyer machine, the session, the app, exports) reads only these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from simulator.scoring.rules import feature_name

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
class Finding:
    """One thing a rule saw in the response: the rule's id (registered in `rules.RULES`),
    the human words (`detail`: "takes money off the price", "volume") and where in the text,
    if the rule points at a place (the buyer's line, for one, is not in the text)."""

    rule: str
    detail: str = ""
    span: Span | None = None
    #: The name the learned layer reads this finding by ("give: takes money off the price",
    #: "condition"): see rules.feature_name. Derived, set once.
    name: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", feature_name(self.rule, self.detail))

    def to_dict(self) -> dict:
        return {"rule": self.rule, "detail": self.detail, "span": self.span.to_dict() if self.span else None}

    def describe(self, rule: bool = True) -> str:
        """`price.give "10% off" [14:21] (takes money off the price)`, for a reader (without
        the rule id where the reader knows it)."""
        parts = ([self.rule] if rule else []) + ([f'"{self.span.text}" [{self.span.start}:{self.span.end}]'] if self.span else [])
        return " ".join(parts + ([f"({self.detail})"] if self.detail else []))

    def __str__(self) -> str:
        return self.describe()


@dataclass(frozen=True)
class Verdict:
    """One habit's verdict: a label, the evidence behind it, a short reason, the rule that
    decided it (`price.give_with_get`, `question.open`, `model` for the learned layer) and
    the findings behind it (the rules' findings, or the learned layer's strongest features
    as findings of rule `model`)."""

    label: str
    evidence: tuple[Span, ...] = ()
    reason: str = ""
    rule: str = ""
    findings: tuple[Finding, ...] = ()

    def because(self, n: int = 3) -> str:
        """Up to `n` of the findings behind the verdict, on one line (for the CLI's text
        output and the corpus scripts' lists of misses)."""
        more = f"; +{len(self.findings) - n} more" if len(self.findings) > n else ""
        return "; ".join(f.describe(f.rule != self.rule) for f in self.findings[:n]) + more

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "evidence": [s.to_dict() for s in self.evidence],
            "reason": self.reason,
            "rule": self.rule,
            "findings": [f.to_dict() for f in self.findings],
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
    #: Every rule that fired, in one list, each a `Finding` naming its rule (`price.give`,
    #: `exchange.get`, `question.open`...), with its words and span: what the learned layer
    #: reads beside the words (by `Finding.name`), and what a trainer sees in `score --json`.
    findings: tuple[Finding, ...] = ()

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
            # The findings by the names the learned layer reads ("give: takes money off the
            # price"), and the same list as records naming each one's rule, words and span.
            "findings": [f.name for f in self.findings],
            "findings_detail": [f.to_dict() for f in self.findings],
        }
