"""The habits every response is scored on: one registry that the scorecard, the app, drills
and the scenario format read (name, title, short name, what it means).

Adding a habit is one entry here, its total in `scorecard.habit_totals`, and a weight in
scenarios that score it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HabitDef:
    """One habit of the playbook's."""

    name: str
    title: str
    short: str  # a table column or a side panel (the drill board fits 80 columns)
    description: str


REGISTRY: tuple[HabitDef, ...] = (
    HabitDef("hold_price", "Hold the price", "Hold", "Weight of holding price."),
    HabitDef("trade", "Trade, never concede", "Trade", "Weight of trading, not conceding."),
    HabitDef("open_questions", "Ask open questions", "Open Qs", "Weight of open questions."),
    HabitDef("coaching", "Coach, don't tell", "Coach",
             "Weight of not handing over the answer (managers)."),
)

HABITS: tuple[str, ...] = tuple(h.name for h in REGISTRY)
TITLES: dict[str, str] = {h.name: h.title for h in REGISTRY}
SHORT: dict[str, str] = {h.name: h.short for h in REGISTRY}
