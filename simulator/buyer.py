"""The scripted buyer: a `transitions` state machine built from a validated scenario.

The triggers are the rep's moves. Conditions are closures built here from the
scenario's `when:` data (a fixed set of checks), never names resolved by
`transitions`, so nothing in a YAML file can name code to run. The deal (the
rep's standing offer and the buyer's number) moves by the rules in
`Deal.apply`, driven by the persona's temperament.
"""

from __future__ import annotations

import logging
import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from transitions import EventData, Machine

from simulator.model import (
    PLACEHOLDER_RE,
    Condition,
    Ending,
    Persona,
    Reveal,
    Scenario,
    TransitionSpec,
)
from simulator.money import format_money
from simulator.scoring import Score

# transitions logs at INFO on every event; a buyer is not worth a log line per turn.
logging.getLogger("transitions").setLevel(logging.WARNING)

#: Moves that count as progress: they reset the buyer's patience.
PRODUCTIVE = frozenset({"hold", "trade", "open_question"})


def moves_of(score: Score) -> tuple[str, ...]:
    """The moves one response makes, strongest first. The first is the primary move.

    A concession outweighs everything said around it; a hold with an open question
    is both (the buyer tries the hold first, then the question).
    """
    out: list[str] = []
    if score.price.label in ("concede", "trade"):
        out.append(score.price.label)
    if score.is_stall:
        out.append("stall")
    if score.is_telling:
        out.append("tell")
    if score.price.label == "hold":
        out.append("hold")
    if score.question.label == "open":
        out.append("open_question")
    elif score.question.label == "closed":
        out.append("closed_question")
    return tuple(out) or ("other",)


@dataclass
class Deal:
    """The money on the table, per unit."""

    currency: str
    list_price: float
    walk_away: float
    target: float
    offer: float
    buyer_number: float
    floor: float
    in_play: bool = True

    @classmethod
    def of(cls, scenario: Scenario) -> Deal:
        m = scenario.money
        return cls(
            currency=m.currency,
            list_price=m.list_price,
            walk_away=m.walk_away,
            target=m.rep_target,
            offer=m.list_price,
            buyer_number=m.buyer_target,
            floor=max(0.0, m.buyer_target - (m.list_price - m.buyer_target)),
            in_play=m.price_in_play,
        )

    def apply(self, score: Score, moves: tuple[str, ...], push: float, give: float) -> float:
        """Move the deal for one response; returns the size of the rep's concession."""
        if not self.in_play:
            return 0.0
        conceded = 0.0
        named = score.named_price
        if named is not None and ("concede" in moves or "trade" in moves):
            if 0 < named < self.offer:
                conceded = self.offer - named
                self.offer = named
        step = 0.02 * self.list_price
        if "concede" in moves:
            self.buyer_number -= push * max(conceded, step)
        elif "stall" in moves:
            self.buyer_number -= push * step
        elif "hold" in moves or "trade" in moves:
            self.buyer_number += give * (self.offer - self.buyer_number)
        # A buyer names round numbers: cents on $8.50, tens on $2,400, hundreds on $60,000.
        step = 10.0 ** (math.floor(math.log10(self.list_price)) - 2)
        number = round(round(self.buyer_number / step) * step, 2)
        self.buyer_number = min(max(number, round(self.floor, 2)), self.offer)
        self.offer = round(self.offer, 2)
        return conceded

    def snapshot(self) -> dict:
        return {"offer": self.offer, "buyer_number": self.buyer_number}


@dataclass
class Progress:
    """What has happened so far, for conditions and the scorecard."""

    counts: Counter = field(default_factory=Counter)
    turns: int = 0
    idle: int = 0
    revealed: list[str] = field(default_factory=list)
    gets: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Reply:
    """The buyer's answer to one rep response."""

    text: str
    state: str
    moves: tuple[str, ...]
    fired: str | None  # the move whose transition fired, or None when the state stayed
    revealed: Reveal | None
    ending: Ending | None


class _Model:
    """The object `transitions` decorates; only `state` and the move triggers live here."""

    state: str


class Buyer:
    """One buyer in one conversation."""

    def __init__(self, scenario: Scenario, persona: Persona, rng: random.Random) -> None:
        self.scenario = scenario
        self.persona = persona
        self.rng = rng
        self.deal = Deal.of(scenario)
        self.progress = Progress()
        self.reveals: list[Reveal] = list(
            scenario.reveals if scenario.reveals is not None else persona.reveals
        )
        self._fired: TransitionSpec | None = None
        self._current_moves: tuple[str, ...] = ()
        conv = scenario.conversation
        self.model = _Model()
        self.machine = Machine(
            model=self.model,
            states=list(conv.states),
            initial=conv.start,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=True,
        )
        for spec in conv.transitions:
            check = self._condition(spec.when)
            mark = self._marker(spec)
            for move in spec.moves:
                self.machine.add_transition(
                    trigger=move,
                    source=list(spec.sources),
                    dest=spec.to,
                    conditions=[check],
                    after=[mark],
                )

    # ---------------------------------------------------------------- conditions

    def _condition(self, when: Condition) -> Callable[[EventData], bool]:
        """A closure over the condition's data; the only code a condition can run."""
        p, d = self.progress, self.deal

        def check(_event: EventData) -> bool:
            if any(p.counts[m] < n for m, n in when.at_least.items()):
                return False
            if any(p.counts[m] > n for m, n in when.at_most.items()):
                return False
            if when.turns_at_least is not None and p.turns < when.turns_at_least:
                return False
            if when.turns_at_most is not None and p.turns > when.turns_at_most:
                return False
            if when.offer_at_least is not None and d.offer < when.offer_at_least:
                return False
            if when.offer_below is not None and not d.offer < when.offer_below:
                return False
            if when.offer_below_walk_away is not None and (
                (d.offer < d.walk_away) != when.offer_below_walk_away
            ):
                return False
            if when.offer_at_or_below_buyer is not None and (
                (d.offer <= d.buyer_number) != when.offer_at_or_below_buyer
            ):
                return False
            if when.revealed_at_least is not None and len(p.revealed) < when.revealed_at_least:
                return False
            if any(g not in p.gets for g in when.gets_asked):
                return False
            if when.gets_asked_at_least is not None and len(p.gets) < when.gets_asked_at_least:
                return False
            if when.patience_spent is not None and (
                (p.idle >= self.persona.temperament.patience) != when.patience_spent
            ):
                return False
            if when.chance is not None and self.rng.random() >= when.chance:
                return False
            return True

        return check

    def _marker(self, spec: TransitionSpec) -> Callable[[EventData], None]:
        def mark(_event: EventData) -> None:
            self._fired = spec

        return mark

    # ---------------------------------------------------------------- lines

    @property
    def state(self) -> str:
        return self.model.state

    @property
    def ending(self) -> Ending | None:
        return self.scenario.conversation.states[self.state].ending

    def fill(self, line: str) -> str:
        """Fill a line's {placeholders} from the deal (an allow-list, never format())."""
        m = self.scenario.money
        cur = m.currency
        values = {
            "list_price": format_money(m.list_price, cur),
            "offer": format_money(self.deal.offer, cur),
            "buyer_number": format_money(self.deal.buyer_number, cur),
            "competitor_price": format_money(m.competitor_price, cur),
            "walk_away": format_money(m.walk_away, cur),
            "target": format_money(m.rep_target, cur),
            "unit": m.unit,
            "name": self.persona.name,
            "company": self.persona.company,
            "rep_company": self.scenario.rep_company,
        }
        return PLACEHOLDER_RE.sub(lambda mt: values.get(mt.group(1), mt.group(0)), line)

    def _pick(self, lines: list[str]) -> str:
        return self.fill(self.rng.choice(lines))

    def state_line(self, name: str) -> str:
        st = self.scenario.conversation.states[name]
        lines = list(st.say)
        if st.moment:
            lines += self.persona.lines[st.moment]
        return self._pick(lines)

    def opening(self) -> str:
        return self.state_line(self.state)

    def _reaction(self, move: str) -> str:
        st = self.scenario.conversation.states[self.state]
        if move in st.react:
            return self._pick(st.react[move])
        lines = self.persona.lines.get(f"on_{move}") or self.persona.lines["on_other"]
        return self._pick(lines)

    def _reveal(self, text: str) -> Reveal | None:
        hidden = [r for r in self.reveals if r.id not in self.progress.revealed]
        if not hidden:
            return None
        lowered = text.lower()
        for r in hidden:
            if any(k.lower() in lowered for k in r.keywords):
                return r
        # A need with keywords waits for a question on its topic ("how was your holiday?"
        # reveals nothing); one without keywords answers any open question.
        return next((r for r in hidden if not r.keywords), None)

    # ---------------------------------------------------------------- a turn

    def respond(self, score: Score) -> Reply:
        """React to one scored rep response: move the deal, the counts and the state."""
        if self.ending is not None:
            raise RuntimeError("the conversation has ended")
        moves = moves_of(score)
        t = self.persona.temperament
        self.deal.apply(score, moves, t.push, t.give)
        p = self.progress
        p.turns += 1
        p.counts.update(moves)
        p.idle = 0 if PRODUCTIVE.intersection(moves) else p.idle + 1
        for g in score.gets:
            if g not in p.gets:
                p.gets.append(g)
        revealed = self._reveal(score.text) if "open_question" in moves else None
        if revealed is not None:
            p.revealed.append(revealed.id)

        self._fired = None
        fired_move = None
        events = self.machine.events
        for move in moves:
            if move in events and self.model.trigger(move):
                fired_move = move
                break
        if self._fired is not None:
            text = self._pick(self._fired.say) if self._fired.say else self.state_line(self.state)
        else:
            text = self._reaction(moves[0])
        if revealed is not None and self.ending is None:
            text = f"{self.fill(revealed.text)} {text}"
        return Reply(text, self.state, moves, fired_move, revealed, self.ending)

