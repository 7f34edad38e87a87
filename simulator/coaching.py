"""What the app says around the scores: the hint for the moment and the turning points.

Core, beside the scorecard: pure functions over a Session (no UI import), tested alone. They
never score anything: they read the verdicts, moves and states the core produced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator.money import format_money
from simulator.moves import GOOD, words
from simulator.scorecard import HABIT_TITLES, asks_for_a_get, price_label

if TYPE_CHECKING:
    from simulator.session import Session, Turn


@dataclass(frozen=True)
class Hint:
    """The playbook habit that fits the moment, and how to use it now."""

    habit: str
    advice: str
    tip: str = ""  # the scorer's tip on the last response, if it missed something

    @property
    def title(self) -> str:
        return HABIT_TITLES.get(self.habit, self.habit)


def _get_names(session: Session, wanted: tuple[str, ...]) -> list[str]:
    names = {g.id: g.name.lower() for g in session.scenario.gets}
    return [names[g] for g in wanted if g in names]


def hint_for(session: Session) -> Hint:
    """The habit to reach for next, from the last move the rep made and the deal."""
    sc = session.scenario
    money = sc.money
    reps = session.rep_turns()
    last = reps[-1] if reps else None
    move = last.moves[0] if last and last.moves else None
    revealed = len(session.buyer.progress.revealed)
    tip = _weakest_tip(last) if last else ""

    if move == "repeat":
        return Hint("open_questions", "You said that already, and saying it again earns "
                    "nothing. Say something new: ask what's behind their position, or put a "
                    "trade on the table.", tip)
    if sc.audience == "manager":
        if move == "tell":
            return Hint("coaching", "You handed over an answer. Give it back: \"What's your "
                        "opinion on the next step?\"", tip)
        return Hint("coaching", "Don't solve it for them. Ask what is going on, then \"What "
                    "would you do next?\"; if they don't know: \"If you did know, what might "
                    "it sound like?\"", tip)

    offer = format_money(session.deal.offer, money.currency)
    value = f" ({money.value.rstrip('.')})" if money.value else ""  # the hint ends the sentence
    asked = set(session.buyer.progress.gets)
    plan_gets = tuple(g for g in (session.plan.trades if session.plan else ()) if g not in asked)
    gets = _get_names(session, plan_gets) or _get_names(
        session, tuple(g.id for g in sc.gets if g.id not in asked))
    trade = (f"If they need a move, make it conditional: \"If you can give us "
             f"{gets[0]}, we can look at it.\"" if gets else
             "If you move at all, ask for something of equal value in return.")

    if move == "closed_question" and asks_for_a_get(session.scenario, last):
        # Asking for the meeting (or another get) is the point, yes-or-no or not: no scolding.
        return Hint("trade", "Good: you asked for the next step. If the answer is no, ask "
                    "what would make it worth their while: \"What would need to be true for "
                    "that to be time well spent?\"")
    if not money.price_in_play:
        if move == "open_question":
            return Hint("open_questions", "Good. Follow the answer with another open question: "
                        "\"Tell me more about that.\"", tip)
        return Hint("open_questions", "Ask a question that makes them explain: \"What's "
                    "behind that?\" or \"Walk me through how you decide.\"", tip)
    if move in ("concede", "stall"):
        return Hint("hold_price", f"Stop the slide: don't move again without a trade. Restate "
                    f"{offer} and what it buys them{value}. {trade}", tip)
    if move == "closed_question":
        return Hint("open_questions", "That question invites a yes or no. Reopen it: \"What's "
                    "behind that number?\" or \"How did you arrive at it?\"", tip)
    if move == "hold" and not revealed:
        return Hint("open_questions", "You held. Now find the value behind the price with an "
                    "open question: \"What would it cost you if this went wrong?\"", tip)
    if move in ("hold", "open_question", "trade") and revealed:
        return Hint("trade", f"They have told you what matters. Tie {offer} to it. {trade}", tip)
    if move == "open_question":
        return Hint("hold_price", f"Use what you learn to hold {offer}: tie the price to the "
                    f"value{value}.", tip)
    return Hint("hold_price", f"A negotiation starts with the first ask. Restate {offer} and "
                f"tie it to the value{value}; don't offer to \"see what you can do\".", tip)


def _weakest_tip(turn: Turn) -> str:
    """The scorer's tip for the first habit the response missed, if any."""
    s = turn.score
    if s is None:
        return ""
    if s.is_stall and "stall" in s.tips:
        return s.tips["stall"]
    if s.is_telling and "coaching" in s.tips:
        return s.tips["coaching"]
    if price_label(s, turn.moves) == "concede" or s.below_walk_away:
        return s.tips.get("hold_price", "")
    if s.question.label == "closed":
        return s.tips.get("open_questions", "")
    return ""


@dataclass(frozen=True)
class TurningPoint:
    """A rep turn after which the conversation changed course."""

    turn: int  # 1-based rep turn number
    text: str
    good: bool




def turning_points(session: Session) -> list[TurningPoint]:
    """Rep turns that moved the buyer to a new state, revealed a need, or gave money away."""
    return points_in(session.turns, session.scenario.money.currency)


def points_in(turns: Sequence[Turn], cur: str) -> list[TurningPoint]:
    """The turning points of a conversation's turns (live, or read back from history)."""
    out: list[TurningPoint] = []
    for i, t in enumerate(turns):
        if t.speaker != "rep" or i + 1 >= len(turns):
            continue
        before = turns[i - 1]
        reply = turns[i + 1]
        n = t.index // 2 + 1
        move = t.moves[0] if t.moves else "other"
        what = words(move)
        if t.offer < before.offer:
            out.append(TurningPoint(n, f"Turn {n}: {what}; your offer fell from "
                                       f"{format_money(before.offer, cur)} to "
                                       f"{format_money(t.offer, cur)}.", False))
        elif reply.revealed:
            out.append(TurningPoint(n, f"Turn {n}: {what} and the buyer revealed a hidden "
                                       f"need ({reply.revealed.replace('_', ' ')}).", True))
        elif t.state != before.state:
            # In the rep's words, not the scenario's state names: what the buyer said next.
            out.append(TurningPoint(n, f"Turn {n}: {what}, and the buyer changed course: "
                                       f"“{_quote(reply.text)}”", move in GOOD))
    return out


def _quote(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
