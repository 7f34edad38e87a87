"""A conversation with one buyer, with no UI: the object every front end drives.

    session = Session(scenario, persona, seed=7)
    session.turns[0].text                  # the buyer's opening line
    rep, buyer = session.respond("Our price is $8.50 ...")
    session.outcome                        # set once an ending is reached
    scorecard.build(session)               # the debrief (simulator/scorecard.py)

The same scenario, seed and rep lines always give the same conversation, so a
session can be resumed or re-checked by replaying its rep lines.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simulator.buyer import Buyer, Deal, fill_line
from simulator.safetext import printable
from simulator.scoring import Context, Score, Term

if TYPE_CHECKING:  # (validated models or their records: simulator.shapes)
    from simulator.model import Persona, Scenario

#: Longest response kept; anything past it is cut before scoring.
MAX_RESPONSE = 20_000


def clean_reply(text: str) -> str:
    """A rep's reply as it is scored, kept and shown: trimmed, at most MAX_RESPONSE
    characters, control characters (a pasted escape sequence) as visible escapes."""
    return printable(str(text).strip())[:MAX_RESPONSE]

Scorer = Callable[[str, Context], Score]


def default_score(text: str, context: Context) -> Score:
    """The shipped scorer; its engine loads with the first response, not with the session
    (so the practice screen opens without it)."""
    from simulator.scoring import score

    return score(text, context)


@dataclass(frozen=True)
class Plan:
    """The rep's plan for the negotiation, made before it starts."""

    target: float | None = None
    walk_away: float | None = None
    trades: tuple[str, ...] = ()

    @classmethod
    def default(cls, scenario: Scenario) -> Plan:
        m = scenario.money
        trades = tuple(g.id for g in scenario.gets)
        if not m.price_in_play:
            return cls(None, None, trades)
        return cls(m.rep_target, m.walk_away, trades)

    def to_dict(self) -> dict:
        return {"target": self.target, "walk_away": self.walk_away, "trades": list(self.trades)}


@dataclass(frozen=True)
class Outcome:
    """How the conversation ended."""

    status: str  # an Ending status, or "unfinished" / "ended" (the rep stopped)
    won: bool
    label: str
    price: float | None = None
    state: str | None = None
    cause: str | None = None  # "budget" / "patience": the buyer closed it for that

    def to_dict(self) -> dict:
        out = {"status": self.status, "won": self.won, "label": self.label,
               "price": self.price, "state": self.state}
        if self.cause:
            out["cause"] = self.cause
        return out


@dataclass(frozen=True)
class Turn:
    """One line of the conversation."""

    index: int
    speaker: str  # "buyer" or "rep"
    text: str
    state: str  # the state after this line
    offer: float
    buyer_number: float
    score: Score | None = None
    moves: tuple[str, ...] = ()
    revealed: str | None = None

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            "index": self.index,
            "speaker": self.speaker,
            "text": self.text,
            "state": self.state,
            "offer": self.offer,
            "buyer_number": self.buyer_number,
        }
        if self.score is not None:
            out["moves"] = list(self.moves)
            out["scores"] = self.score.to_dict()
        if self.revealed:
            out["revealed"] = self.revealed
        return out


@dataclass(frozen=True)
class Setting:
    """What a conversation with one buyer is set in, shared by a session and a drill: the
    scenario and persona, the terms the scorer listens for, and what a deal reads as: the
    scorer's context and the buyer's lines with their {placeholders} filled."""

    scenario: Scenario
    persona: Persona
    gets: tuple[Term, ...]
    gives: tuple[Term, ...]

    @classmethod
    def of(cls, scenario: Scenario, persona: Persona) -> Setting:
        def terms(items) -> tuple[Term, ...]:
            return tuple(Term(t.id, t.name, tuple(t.phrases)) for t in items)

        return cls(scenario, persona, terms(scenario.gets), terms(scenario.gives))

    def context(self, deal: Deal, buyer_said: str = "") -> Context:
        """What the scorer needs to know about `deal`, answering the line `buyer_said`."""
        m = self.scenario.money
        return Context(
            our_price=deal.offer if m.price_in_play else None,
            their_price=deal.buyer_number if m.price_in_play else None,
            walk_away=deal.walk_away if m.price_in_play else None,
            list_price=m.list_price,
            currency=m.currency,
            gets=self.gets,
            gives=self.gives,
            audience=self.scenario.audience,
            buyer_said=buyer_said,
        )

    def fill(self, line: str, deal: Deal) -> str:
        """A buyer line with its {placeholders} filled from `deal`."""
        return fill_line(line, self.scenario, self.persona, deal)


class SessionOver(Exception):
    """Raised when a response is given after the conversation has ended."""


@dataclass
class Session:
    """One rep practising one scenario."""

    scenario: Scenario
    persona: Persona
    seed: int | None = None
    plan: Plan | None = None
    scorer: Scorer = default_score
    turns: list[Turn] = field(default_factory=list)
    outcome: Outcome | None = None
    listeners: list[Callable[[Session, Turn], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.seed is None:
            self.seed = random.SystemRandom().randrange(1, 2**31)
        if self.plan is None:
            self.plan = Plan.default(self.scenario)
        plan = self.plan
        deal = Deal.of(self.scenario, plan.target, plan.walk_away)
        self.buyer = Buyer(self.scenario, self.persona, random.Random(self.seed), deal=deal)
        self.setting = Setting.of(self.scenario, self.persona)
        self._add("buyer", self.buyer.opening())

    # ------------------------------------------------------------------ state

    @property
    def finished(self) -> bool:
        return self.outcome is not None

    @property
    def state(self) -> str:
        return self.buyer.state

    @property
    def deal(self):
        return self.buyer.deal

    def context(self) -> Context:
        """What the scorer needs to know about the deal right now."""
        last = self.turns[-1] if self.turns else None
        return self.setting.context(
            self.buyer.deal, last.text if last is not None and last.speaker == "buyer" else "")

    def rep_turns(self) -> list[Turn]:
        return [t for t in self.turns if t.speaker == "rep"]

    # ------------------------------------------------------------------ play

    def _add(self, speaker: str, text: str, **extra: Any) -> Turn:
        d = self.buyer.deal
        turn = Turn(len(self.turns), speaker, text, self.buyer.state, d.offer, d.buyer_number,
                    **extra)
        self.turns.append(turn)
        for listener in self.listeners:
            listener(self, turn)
        return turn

    def respond(self, text: str) -> tuple[Turn, Turn]:
        """Score one rep response, let the buyer answer; returns (rep turn, buyer turn)."""
        if self.finished:
            raise SessionOver("the conversation has ended")
        text = clean_reply(text)
        verdict = self.scorer(text, self.context())
        reply = self.buyer.respond(verdict)
        rep = self._add("rep", text, score=verdict, moves=reply.moves)
        buyer = self._add("buyer", reply.text,
                          revealed=reply.revealed.id if reply.revealed else None)
        if reply.ending is not None:
            e = reply.ending
            # A deal closes at the rep's standing offer (the buyer's close() met it).
            price = None if e.price == "none" or not self.deal.in_play else self.deal.offer
            # Won only at or above the rep's own walk-away and the scenario's floor.
            floor = max(self.deal.walk_away, self.scenario.money.walk_away)
            won = e.won and not (price is not None and price < floor - 1e-9)
            label = e.label
            if reply.cause == "budget":
                label += " (out of time)"
            elif reply.cause == "patience":
                label += " (out of patience)"
            self.outcome = Outcome(e.status, won, label, price, reply.state, reply.cause)
        return rep, buyer

    def end(self, label: str = "You ended the conversation.") -> Outcome:
        """The rep stops before an ending."""
        if self.outcome is None:
            self.outcome = Outcome("ended", False, label, None, self.buyer.state)
        return self.outcome

    def play(self, lines: Iterable[str]) -> list[str]:
        """Play lines until an ending; returns the lines left unused."""
        lines = list(lines)
        for i, line in enumerate(lines):
            if self.finished:
                return lines[i:]
            self.respond(line)
        if not self.finished:
            self.outcome = Outcome("unfinished", False, "The script ran out before an ending.",
                                   None, self.buyer.state)
        return []
