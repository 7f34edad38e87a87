"""The debrief of one session: per-turn verdicts, habit totals, the deal and the lesson.

Habit scores are 0-100, or None when the habit never came up (a rep who was
never asked to move on price cannot be scored on holding it). The overall
score is the scenario-weighted mean of the habits that came up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simulator.habits import HABITS, SHORT, TITLES
from simulator.money import format_money
from simulator.moves import BY_NAME, PRODUCTIVE
from simulator.scoring.lexicon import BUILTIN_GETS
from simulator.wording import counted

if TYPE_CHECKING:
    from simulator.model import Weights
    from simulator.scoring import Score
    from simulator.session import Session, Turn

#: The outcome of a session that has not ended yet.
STILL_TALKING = "Still talking"

HABIT_TITLES = TITLES  # the habit registry's titles (simulator/habits.py)
SHORT_HABITS = SHORT  # and its short names, for a side panel or a table column


#: Moves the buyer read from a response that the verdicts alone do not show, as badges.
MOVE_BADGES = {"commit": ("✓", "good"), "accept": ("✓", "good"), "repeat": ("↺", "warn")}


def price_label(score: Score, moves: Sequence[str] = ()) -> str:
    """The price verdict as the conversation counts it: giving what the buyer asked for (a
    `commit`) is not a concession, so it counts as keeping the price."""
    if score.price.label == "concede" and "commit" in moves and "concede" not in moves:
        return "hold"
    return score.price.label


def term_names(scenario) -> dict[str, str]:
    """How a scenario's gets and gives are shown to a rep, by id ("volume" -> "a larger
    share of the order"): never the raw id."""
    return {t.id: t.name[:1].lower() + t.name[1:] for t in (*scenario.gives, *scenario.gets)}


#: The scorer's own gets (beyond a scenario's) by their lexicon names, and the two it uses
#: when none is named.
BUILTIN_GET_NAMES = {**{i: name for i, name, _ in BUILTIN_GETS},
                     "commitment": "a commitment", "something in return": "something back"}


def shown_name(term_id: str, names: dict[str, str] | None = None) -> str:
    """A get, give or hidden need as the rep reads it: its name, else the scorer's name for
    it, else its id in words."""
    return ((names or {}).get(term_id) or BUILTIN_GET_NAMES.get(term_id)
            or term_id.replace("_", " ").replace("-", " "))


def verdict_badges(score: Score, moves: Sequence[str] = (), names: dict[str, str] | None = None
                   ) -> list[tuple[str, str, str]]:
    """What a rep sees of one scored response: (icon, label, tone) per verdict, in order,
    then the moves the buyer read that the verdicts do not show (simulator/moves.py).

    Tone is good, warn, bad or neutral. The practice screen, the drill and the exports all
    show these, each in its own style. `names` (from `term_names`) shows what the rep asked
    for in words. The exchange badge only appears where it says something: the rep asked
    for something back, or gave something and asked for nothing.
    """
    q, p = score.question.label, price_label(score, moves)
    out = [
        ("?", {"open": "open question", "closed": "closed question"}.get(q, "no question"),
         {"open": "good", "closed": "warn"}.get(q, "neutral")),
        ("$", {"hold": "held price", "trade": "traded", "concede": "conceded"}.get(p, "no price"),
         {"hold": "good", "trade": "good", "concede": "bad"}.get(p, "neutral")),
    ]
    if score.has_exchange:
        # "a commitment" is the scorer's guess where nothing is named: shown only alone
        gets = [g for g in score.gets if g != "commitment"] or list(score.gets)
        asked = ", ".join(shown_name(g, names) for g in gets) or "something back"
        out.append(("⇄", f"asked {asked}", "good"))
    elif p == "concede" or score.below_walk_away:
        out.append(("⇄", "nothing back", "bad"))
    if score.below_walk_away:
        out.append(("↓", "below walk-away", "bad"))
    if score.is_stall:
        out.append(("⏸", "stall", "bad"))
    if score.is_telling:
        out.append(("✎", "told the answer", "bad"))
    for m in moves:
        if m in MOVE_BADGES:
            icon, tone = MOVE_BADGES[m]
            out.append((icon, BY_NAME[m].short, tone))
    return out


def asks_for_a_get(scenario, turn) -> bool:
    """The response asks for one of the scenario's gets (a meeting, a commitment...): a
    closed question that does is the right ask, not a weak one."""
    if turn.score is not None and turn.score.gets:
        return True
    text = turn.text.casefold()
    return any(p.casefold() in text for g in scenario.gets for p in g.phrases)


def is_weak(score: Score, moves: Sequence[str] = ()) -> bool:
    """A response worth showing a stronger answer for: it conceded, went below the
    walk-away, stalled, told, asked only a closed question, repeated itself, or moved
    nothing at all. Read with the moves the buyer heard (`price_label`): promising what
    the buyer asked for is not a concession, and accepting a proposal moves things."""
    if any(tone in ("bad", "warn") for _icon, _label, tone in verdict_badges(score, moves)):
        return True
    return (score.question.label == "none" and price_label(score, moves) == "none"
            and not score.has_exchange and not PRODUCTIVE.intersection(moves))


def stronger_answer(session: Session, turn) -> str | None:
    """How a strong rep might have answered at that moment: the model answer of the state
    the buyer was in, with the deal's numbers as they stood then. None when the response
    was not weak or the state has no model answer."""
    if turn.score is None or not is_weak(turn.score, turn.moves) or turn.index == 0:
        return None
    bad = any(tone == "bad" for _i, _l, tone in verdict_badges(turn.score, turn.moves))
    if not bad and asks_for_a_get(session.scenario, turn):
        return None
    before = session.turns[turn.index - 1]
    state = session.scenario.conversation.states.get(before.state)
    if state is None or not state.exemplar:
        return None
    cur = session.scenario.money.currency
    text = (state.exemplar.replace("{offer}", format_money(before.offer, cur))
            .replace("{buyer_number}", format_money(before.buyer_number, cur)))
    return session.buyer.fill(text)


def turn_record(session: Session, turn) -> dict[str, Any]:
    """A turn as the history stores it and the debrief reads it: `Turn.to_dict()`, and for
    a weak rep turn the stronger answer shown under it (worked out with the deal as it
    stood then)."""
    data = turn.to_dict()
    if turn.speaker == "rep":
        better = stronger_answer(session, turn)
        if better:
            data["stronger"] = better
    return data


@dataclass(frozen=True)
class HabitTotal:
    """One habit over the whole session."""

    habit: str
    weight: float
    score: float | None
    detail: str
    counts: dict[str, int]

    def to_dict(self) -> dict:
        return {"habit": self.habit, "title": HABIT_TITLES[self.habit], "weight": self.weight,
                "score": self.score, "detail": self.detail, "counts": dict(self.counts)}


@dataclass(frozen=True)
class Scorecard:
    """Everything the debrief shows, as data; renderers format it."""

    scenario_id: str
    title: str
    seed: int
    outcome: dict
    habits: list[HabitTotal]
    overall: float | None
    turns: list[dict]
    concessions: int
    gets_asked: int
    gets: list[str]
    deal: dict
    plan_notes: list[str] = field(default_factory=list)
    revealed: list[str] = field(default_factory=list)
    lesson: str = ""
    names: dict[str, str] = field(default_factory=dict)  # gets and gives in words, by id

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario_id,
            "title": self.title,
            "seed": self.seed,
            "outcome": self.outcome,
            "overall": self.overall,
            "habits": {h.habit: h.to_dict() for h in self.habits},
            "concessions": self.concessions,
            "gets_asked": self.gets_asked,
            "gets": self.gets,
            "deal": self.deal,
            "plan_notes": self.plan_notes,
            "revealed": self.revealed,
            "turns": self.turns,
            "lesson": self.lesson,
            "names": dict(self.names),
        }


def _pct(good: int, total: int) -> float | None:
    return round(100.0 * good / total, 1) if total else None


@dataclass
class Tally:
    """Counts over scored responses, added one at a time: what habit totals are made of.

    The debrief counts a whole conversation at once (`Tally.of_turns`); a session being saved
    keeps one and adds each new response, so the work per turn stays the same at turn 200.
    """

    responses: int = 0
    holds: int = 0
    trades: int = 0
    concedes: int = 0
    stalls: int = 0
    opens: int = 0
    closed: int = 0
    tells: int = 0
    exchanges: int = 0
    caves: int = 0  # gives below the walk-away, traded or not
    caved_not_conceded: int = 0  # of those, the ones the scorer did not call a concession
    gets: dict[str, None] = field(default_factory=dict)  # the gets asked for, in order
    below: tuple[int, float] | None = None  # first (turn, offer) under the rep's walk-away

    def add(self, s: Score, moves: Sequence[str] = ()) -> Tally:
        price = price_label(s, moves)
        self.responses += 1
        self.holds += price == "hold"
        self.trades += price == "trade"
        self.concedes += price == "concede"
        self.stalls += s.is_stall
        self.opens += s.question.label == "open"
        self.closed += s.question.label == "closed"
        self.tells += s.is_telling
        self.exchanges += s.has_exchange
        self.caves += s.below_walk_away
        self.caved_not_conceded += s.below_walk_away and price != "concede"
        for g in s.gets:
            self.gets.setdefault(g)
        return self

    def add_turn(self, turn: Turn, walk_away: float | None) -> Tally:
        """Count a rep turn, noting the first offer under the rep's own walk-away."""
        self.add(turn.score, turn.moves)
        if self.below is None and walk_away is not None and turn.offer < walk_away:
            self.below = (turn.index // 2 + 1, turn.offer)
        return self

    @classmethod
    def of(cls, scores: Iterable[Score], moves: Sequence[Sequence[str]] | None = None) -> Tally:
        t = cls()
        for i, s in enumerate(scores):
            t.add(s, moves[i] if moves else ())
        return t

    @classmethod
    def of_turns(cls, turns: Iterable[Turn], walk_away: float | None) -> Tally:
        t = cls()
        for turn in turns:
            t.add_turn(turn, walk_away)
        return t


def habit_totals(
    scores: Sequence[Score] | Tally, weights: Weights, *, questions_expected: bool = True,
    moves: Sequence[Sequence[str]] | None = None,
) -> tuple[list[HabitTotal], float | None]:
    """The weighted habits over some scored responses (or their Tally), and their weighted
    overall.

    Shared by the session debrief and the drill leaderboard, so both judge alike. A whole
    conversation without a single question scores 0 on open questions. A single drill
    answer (questions_expected=False) that deals with the price (holds, trades, concedes or
    stalls) is not also required to ask a question; any other answer without one scores 0.
    """
    t = scores if isinstance(scores, Tally) else Tally.of(scores, moves)
    holds, trades, concedes, stalls = t.holds, t.trades, t.concedes, t.stalls
    # A give below the walk-away is a cave, traded or not: it never counts as holding.
    caves, caved_not_conceded = t.caves, t.caved_not_conceded
    opens, closed, tells, exchanges, n = t.opens, t.closed, t.tells, t.exchanges, t.responses

    addressed = holds + trades + concedes
    raw: dict[str, tuple[float | None, str, dict]] = {
        "hold_price": (
            _pct(addressed - concedes - caved_not_conceded, addressed + stalls)
            if addressed + stalls else None,
            f"{holds} held, {trades} traded, {concedes} conceded, {stalls} stalled"
            + (f", {caves} below walk-away" if caves else ""),
            {"hold": holds, "trade": trades, "concede": concedes, "stall": stalls,
             "below_walk_away": caves},
        ),
        "trade": (
            _pct(trades, trades + concedes),
            f"{counted(trades, 'trade')}, {counted(concedes, 'free concession')}, "
            f"{counted(exchanges, 'response')} asked for something back",
            {"trade": trades, "concede": concedes, "exchange": exchanges},
        ),
        "open_questions": (
            _pct(opens, opens + closed) if n else None,
            f"{opens} open, {counted(closed, 'closed question')}",
            {"open": opens, "closed": closed},
        ),
        "coaching": (
            _pct(n - tells, n),
            f"{counted(tells, 'response')} handed over the answer",
            {"telling": tells},
        ),
    }
    dealt_with_price = addressed + stalls > 0
    if n and opens + closed == 0 and (questions_expected or not dealt_with_price):
        raw["open_questions"] = (0.0, "no questions asked", {"open": 0, "closed": 0})
    habits = []
    for h in HABITS:
        weight = getattr(weights, h)
        if weight:
            value, detail, counts = raw[h]
            habits.append(HabitTotal(h, weight, value, detail, counts))
    scored = [(h.weight, h.score) for h in habits if h.score is not None]
    overall = (
        round(sum(w * s for w, s in scored) / sum(w for w, _ in scored), 1) if scored else None
    )
    return habits, overall


def turn_row(index: int | dict, text: str = "", moves: Sequence[str] = (), question: str = "",
             price: str = "", exchange: bool = False, gets: Sequence[str] = (),
             stall: bool = False, telling: bool = False, offer: float | None = None,
             buyer_number: float | None = None, state: str = "",
             stronger: str | None = None) -> dict[str, Any]:
    """One rep turn as the scorecard lists it; `index` may be a stored `Turn.to_dict()`
    (with the "stronger" answer the history saved beside it)."""
    if isinstance(index, dict):
        t, sc = index, index.get("scores") or {}
        return turn_row(t["index"], t["text"], t.get("moves") or (), sc.get("question", ""),
                        sc.get("price", ""), bool(sc.get("exchange")), sc.get("gets") or (),
                        bool(sc.get("stall")), bool(sc.get("telling")), t.get("offer"),
                        t.get("buyer_number"), t.get("state", ""), t.get("stronger"))
    return {"turn": index // 2 + 1, "text": text, "moves": list(moves), "question": question,
            "price": price, "exchange": exchange, "gets": list(gets), "stall": stall,
            "telling": telling, "offer": offer, "buyer_number": buyer_number, "state": state,
            "stronger": stronger}


def build(session: Session, tally: Tally | None = None, *, turns: bool = True) -> Scorecard:
    """Build the scorecard of a session (finished or not).

    With a `tally` of its rep turns kept up to date by the caller, and `turns=False` (no
    per-turn rows), the work does not grow with the length of the conversation.
    """
    sc = session.scenario
    plan = session.plan
    walk_away = plan.walk_away if plan else None
    reps = session.rep_turns() if tally is None or turns else []
    t = tally if tally is not None else Tally.of_turns(reps, walk_away)
    concedes, exchanges, gets = t.concedes, t.exchanges, list(t.gets)
    habits, overall = habit_totals(t, sc.habits)

    m = sc.money
    out = session.outcome
    final = out.price if out else None
    deal = {
        "currency": m.currency,
        "unit": m.unit,
        "list_price": m.list_price,
        "target": session.deal.target,  # the rep's plan from Prep (else the scenario's)
        "walk_away": session.deal.walk_away,
        "buyer_target": m.buyer_target,
        "final_offer": session.deal.offer,
        "buyer_number": session.deal.buyer_number,
        "price": final,
        "vs_list_pct": round(100.0 * (final - m.list_price) / m.list_price, 1)
        if final is not None else None,
        "price_in_play": m.price_in_play,
    }

    notes: list[str] = []
    if t.below is not None:
        n, offer = t.below
        notes.append(f"You went below your own walk-away "
                     f"({format_money(walk_away, m.currency)}) at turn {n}, "
                     f"offering {format_money(offer, m.currency)}.")
    names = term_names(sc)
    if plan and plan.trades and t.responses:
        unasked = [g for g in plan.trades if g not in gets]
        if len(unasked) < len(plan.trades):
            notes.append("You asked for " + ", ".join(shown_name(g, names) for g in plan.trades
                                                      if g in gets) + " from your plan.")
        elif concedes:
            notes.append("You planned to trade for "
                         + ", ".join(shown_name(g, names) for g in plan.trades)
                         + " but never asked for any of it.")

    turn_rows = [turn_row(r.index, r.text, r.moves, r.score.question.label, price_label(r.score, r.moves),
                          r.score.has_exchange, r.score.gets, r.score.is_stall,
                          r.score.is_telling, r.offer, r.buyer_number, r.state,
                          stronger_answer(session, r)) for r in reps]
    return Scorecard(
        scenario_id=sc.id,
        title=sc.title,
        seed=session.seed,
        outcome=out.to_dict() if out else {"status": "in_progress", "won": False,
                                           "label": STILL_TALKING, "price": None,
                                           "state": session.state},
        habits=habits,
        overall=overall,
        turns=turn_rows,
        concessions=concedes,
        gets_asked=exchanges,
        gets=gets,
        deal=deal,
        plan_notes=notes,
        revealed=list(session.buyer.progress.revealed),
        lesson=sc.lesson.strip(),
        names=names,
    )

