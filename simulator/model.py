"""Domain objects for personas and scenarios, validated with pydantic.

Every model forbids unknown fields and is frozen once loaded. Every field
carries a description: the JSON Schema and the authoring reference are
generated from these, so this module is the single source of truth for the
file formats. Conditions are data interpreted by `simulator.buyer`, never code. What the
objects can do (their methods) is in `simulator.shapes`, shared with the plain records
that practice straight in rebuilds from the cache.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from simulator.habits import HABITS
from simulator.moves import MOVES
from simulator.shapes import (
    PLACEHOLDER_RE,
    PLACEHOLDERS,
    ConversationShape,
    MoneyShape,
    ScenarioShape,
    TransitionShape,
)

#: The rep's moves (see simulator/moves.py): the triggers of every buyer machine.
Move = Literal[MOVES]  # type: ignore[valid-type]
#: A transition may name one move, a list of moves, or "any".
MoveSpec = Literal[(*MOVES, "any")]  # type: ignore[valid-type]
Habit = Literal[HABITS]  # type: ignore[valid-type]

#: Default number of rep turns after which the buyer closes the conversation.
DEFAULT_TURN_BUDGET = 20

Status = Literal["deal", "no_deal", "stalled", "escalated", "meeting", "retained"]


Identifier = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_-]{0,62}$",
        description="Lower-case letters, digits, '-' and '_', starting with a letter.",
    ),
]
StateName = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]{0,39}$",
        description="Lower-case letters, digits and '_', starting with a letter (no dots).",
    ),
]
Line = Annotated[str, Field(min_length=1, max_length=1000, description="One line of dialogue.")]
Lines = Annotated[
    list[Line],
    Field(min_length=1, description="Variants of one line; one is picked at random (seeded)."),
]


#: One record of the fields written per combination: `_shared_fields_set`.
_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


class Strict(BaseModel):
    """Base for file models: unknown fields are errors, objects are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="after")
    def _shared_fields_set(self) -> Strict:
        """Objects that wrote the same fields share pydantic's record of them: a set of its
        own per object was over a quarter of a loaded library's memory (12 of 41 MiB for
        1,000 scenarios). Nothing changes a frozen object's record."""
        written = self.__pydantic_fields_set__
        object.__setattr__(self, "__pydantic_fields_set__",
                           _FIELDS_SETS.setdefault(frozenset(written), written))
        return self


# ---------------------------------------------------------------- personas


class Temperament(Strict):
    """How the buyer behaves under pressure."""

    patience: int = Field(
        5,
        ge=1,
        le=50,
        description="Rep turns the buyer tolerates going nowhere; scenarios use it via "
        "`when: {patience_spent: true}`.",
    )
    push: float = Field(
        0.5,
        ge=0,
        le=2,
        description="How hard the buyer pushes after a concession: their number drops by "
        "push x the size of the concession (at least 2% of list).",
    )
    give: float = Field(
        0.25,
        ge=0,
        le=1,
        description="Share of the gap between the buyer's number and the rep's offer the "
        "buyer closes after a hold or a trade.",
    )


class Reveal(Strict):
    """Something the buyer says only when asked a good open question."""

    id: Identifier = Field(description="Name of this hidden need, unique in the persona.")
    text: Line = Field(description="What the buyer reveals.")
    keywords: list[str] = Field(
        default_factory=list,
        description="Words in the rep's question that bring this reveal first; "
        "otherwise reveals come in the order written.",
    )


class Persona(Strict):
    """A reusable buyer character."""

    id: Identifier = Field(description="Unique id; scenarios refer to the persona by it.")
    name: str = Field(min_length=1, max_length=80, description="The buyer's full name.")
    role: str = Field(min_length=1, max_length=80, description="Job title.")
    company: str = Field(min_length=1, max_length=80, description="The buyer's company.")
    summary: str = Field(
        "", max_length=600, description="A few words on who they are, for the persona card."
    )
    temperament: Temperament = Field(
        default_factory=Temperament, description="Patience and how they push and give."
    )
    lines: dict[Identifier, Lines] = Field(
        description="The buyer's lines per kind of moment. `on_<move>` (on_hold, on_trade, "
        "on_open_question, ...) are the reactions said when a move keeps the conversation "
        "where it is; a persona that writes none for a move gets the default of "
        "simulator/moves.py. Any other moment names (price_attack, walk_out...) are free "
        "and used by scenario states via `moment:`; `out_of_time` lines, if given, open the "
        "buyer's closing line when the turn budget or the buyer's patience runs out, and "
        "`all_told` lines answer an open question once every hidden need has been said."
    )
    reveals: list[Reveal] = Field(
        default_factory=list,
        description="Hidden needs, revealed one per open question about the deal (small "
        "talk reveals none): the first whose keywords the question names, else the next "
        "in the order written.",
    )

    @field_validator("lines")
    @classmethod
    def _known_reactions(cls, lines: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = [k for k in lines if k.startswith("on_") and k[3:] not in MOVES]
        if unknown:
            raise ValueError(
                "unknown reaction(s) " + ", ".join(unknown) + "; reactions are on_<move> "
                "for a move of: " + ", ".join(MOVES)
            )
        return lines

    @field_validator("reveals")
    @classmethod
    def _unique_reveals(cls, reveals: list[Reveal]) -> list[Reveal]:
        ids = [r.id for r in reveals]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"reveal ids must be unique; repeated: {', '.join(dupes)}")
        return reveals


# ---------------------------------------------------------------- scenarios


class Money(Strict, MoneyShape):
    """The numbers of the deal, all per `unit` in `currency`."""

    currency: str = Field(
        "USD", pattern=r"^[A-Z]{3}$", description="ISO 4217 code: USD, EUR, GBP..."
    )
    unit: str = Field("unit", min_length=1, max_length=40, description="What one price buys.")
    list_price: float = Field(gt=0, description="The rep's opening price (the standing offer).")
    target: float | None = Field(
        None, gt=0, description="What the rep aims for; defaults to list_price."
    )
    walk_away: float = Field(gt=0, description="The lowest price the rep may accept.")
    buyer_target: float = Field(gt=0, description="The buyer's opening number.")
    competitor_price: float | None = Field(None, gt=0, description="What a competitor offers.")
    value: str = Field(
        "", max_length=400, description="The value the buyer gets, in words, for the brief."
    )
    value_per_unit: float | None = Field(
        None, ge=0, description="That value in money per unit, if it can be put in numbers."
    )
    quantity: float | None = Field(
        None, gt=0, description="How many units the deal covers, to show totals."
    )
    price_in_play: bool = Field(
        True,
        description="False when the conversation is not about price (the buyer's number "
        "then never moves and the deal meter is hidden).",
    )

    @model_validator(mode="after")
    def _order(self) -> Money:
        if self.walk_away > self.list_price:
            raise ValueError("walk_away must not be above list_price")
        if self.target is not None and not self.walk_away <= self.target <= self.list_price:
            raise ValueError("target must lie between walk_away and list_price")
        return self


class TermSpec(Strict):
    """A give (what the rep may offer) or a get (what the rep may ask for)."""

    id: Identifier = Field(description="Short id, used in conditions and reports.")
    name: str = Field(min_length=1, max_length=80, description="How it is shown to the rep.")
    phrases: list[str] = Field(
        default_factory=list,
        description="Words or phrases that signal it in a rep's response (lower case).",
    )
    worth: str = Field("", max_length=200, description="What it is worth, for the plan.")
    requested: bool = Field(
        False,
        description="For gives: the buyer asks for this (a remedy, a document, a visit). "
        "Promising it is the `commit` move, not a concession.",
    )


class Condition(Strict):
    """When a transition may fire. All given fields must hold. Counts include this turn."""

    since: Literal["start", "state"] = Field(
        "start",
        description="What `at_least`, `at_most` and `turns_*` count from: the `start` of "
        "the conversation, or entering the current `state` (so a condition means the same "
        "whatever path led here).",
    )
    at_least: dict[Move, int] = Field(
        default_factory=dict,
        description="Minimum count of each rep move so far, e.g. {hold: 2}. A response "
        "counts for each move it makes (a hold with an open question counts for both).",
    )
    at_most: dict[Move, int] = Field(
        default_factory=dict, description="Maximum count of each rep move so far."
    )
    turns_at_least: int | None = Field(None, ge=1, description="Rep turns so far, at least.")
    turns_at_most: int | None = Field(None, ge=1, description="Rep turns so far, at most.")
    offer_at_least: float | None = Field(None, description="Standing offer at least this.")
    offer_below: float | None = Field(None, description="Standing offer below this.")
    offer_below_walk_away: bool | None = Field(
        None, description="true: the standing offer is under the walk-away; false: it is not."
    )
    offer_at_or_below_buyer: bool | None = Field(
        None, description="true: the rep has come down to the buyer's number (or below)."
    )
    revealed_at_least: int | None = Field(
        None, ge=0, description="Hidden needs uncovered so far, at least."
    )
    gets_asked: list[Identifier] = Field(
        default_factory=list, description="Gets (ids) the rep has asked for so far."
    )
    gets_asked_at_least: int | None = Field(
        None, ge=0, description="Number of distinct gets asked for so far, at least."
    )
    patience_spent: bool | None = Field(
        None,
        description="true: the rep has used up the persona's patience (that many turns in "
        "a row without a productive move: see simulator/moves.py). Without any rule naming "
        "it, a buyer whose patience runs out closes the conversation anyway.",
    )
    chance: float | None = Field(
        None, gt=0, le=1, description="Probability (seeded) that the transition may fire."
    )


def _no_condition() -> Condition:
    """The condition of a transition that gives none: one object, shared (it is frozen)."""
    return _NO_CONDITION


class Ending(Strict):
    """Marks a state as an outcome of the conversation."""

    status: Status = Field(description="deal, no_deal, stalled, escalated, meeting or retained.")
    won: bool = Field(description="Whether this ending reaches the scenario's goal.")
    label: str = Field(min_length=1, max_length=120, description="One line shown as the result.")
    price: Literal["offer", "buyer", "list", "none"] | float = Field(
        "none",
        description="Whether the ending records a price: `none`, or `offer` (the rep's "
        "standing offer: the lowest the rep offered, or a number the rep accepted). "
        "`buyer`, `list` and a number are read as `offer`: a deal never closes at a number "
        "the rep did not offer or accept. A deal below the walk-away is never counted as won.",
    )


class State(Strict):
    """One moment of the conversation and what the buyer says on entering it."""

    say: list[Line] = Field(
        default_factory=list, description="Variants of the buyer's line on entering the state."
    )
    moment: Identifier | None = Field(
        None, description="Use the persona's lines for this moment (added to `say`)."
    )
    react: dict[Move, Lines] = Field(
        default_factory=dict,
        description="Lines for moves that keep the conversation in this state "
        "(override the persona's on_<move> reactions here).",
    )
    ending: Ending | None = Field(None, description="Present if this state ends the conversation.")
    proposal: bool = Field(
        False,
        description="The buyer's line here proposes a deal at the standing offer, so "
        "agreeing to it is the `accept` move. (A line that names {offer} and asks a "
        "question is read as a proposal without this.)",
    )
    exemplar: Line | None = Field(
        None,
        alias="model_answer",
        description="How a strong rep might answer the buyer here (placeholders allowed). "
        "The debrief shows it under each weak response given in this state; lint warns "
        "about states a rep can be in without one.",
    )

    @model_validator(mode="after")
    def _has_line(self) -> State:
        if not self.say and self.moment is None:
            raise ValueError("a state needs `say` lines or a persona `moment`")
        return self


class TransitionSpec(Strict, TransitionShape):
    """A way out of a state, taken when the rep makes the move and the condition holds.

    For each rep response the first listed transition whose move and condition match
    fires; if none does, the buyer reacts and the state stays.
    """

    from_: list[StateName] | StateName = Field(
        alias="from",
        description="Source state, a list of source states, or `any` (every state that "
        "is not an ending).",
    )
    move: list[MoveSpec] | MoveSpec = Field(description="The rep move(s) that trigger it, or any.")
    to: StateName = Field(description="Destination state.")
    when: Condition = Field(default_factory=_no_condition, description="Extra conditions.")
    say: list[Line] = Field(
        default_factory=list,
        description="Lines said on this transition instead of the destination's `say`.",
    )

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Conversation(Strict, ConversationShape):
    """The buyer as a state machine."""

    start: StateName = Field(description="The state the conversation opens in.")
    states: dict[StateName, State] = Field(min_length=2, description="All states by name.")
    transitions: list[TransitionSpec] = Field(
        min_length=1, description="Transitions, tried in the order written."
    )
    turn_budget: int = Field(
        DEFAULT_TURN_BUDGET,
        ge=2,
        le=200,
        description="Rep turns before the buyer closes the conversation with the ending "
        "the progress so far has earned.",
    )

    @field_validator("states")
    @classmethod
    def _any_reserved(cls, states: dict[str, State]) -> dict[str, State]:
        if "any" in states:
            raise ValueError("'any' is reserved (`from: any` means every state); rename "
                             "the state")
        return states


_NO_CONDITION = Condition()


class Weights(Strict):
    """Which habits the scenario scores and how much each counts (0 = not scored)."""

    hold_price: float = Field(1.0, ge=0, le=10, description="Weight of holding price.")
    trade: float = Field(1.0, ge=0, le=10, description="Weight of trading, not conceding.")
    open_questions: float = Field(1.0, ge=0, le=10, description="Weight of open questions.")
    coaching: float = Field(
        0.0, ge=0, le=10, description="Weight of not handing over the answer (managers)."
    )

    @model_validator(mode="after")
    def _some(self) -> Weights:
        if not any(getattr(self, h) for h in HABITS):
            raise ValueError("at least one habit needs a weight above 0")
        return self


class Scenario(Strict, ScenarioShape):
    """A persona in a deal: the brief, the money, the conversation and the lesson."""

    id: Identifier = Field(description="Unique id, used on the command line.")
    title: str = Field(min_length=1, max_length=100, description="Shown in the library.")
    persona: Identifier = Field(description="Id of the buyer persona.")
    audience: Literal["rep", "manager"] = Field(
        "rep", description="rep: a rep practises; manager: a manager practises coaching."
    )
    difficulty: Literal["easy", "medium", "hard"] = Field(description="easy, medium or hard.")
    tags: list[Identifier] = Field(default_factory=list, description="For search and filters.")
    rep_company: str = Field(
        "Shadowbox Demo Co", max_length=80, description="The rep's company in this deal."
    )
    brief: str = Field(min_length=1, max_length=3000, description="What the rep reads first.")
    money: Money = Field(description="The numbers of the deal.")
    gives: list[TermSpec] = Field(
        default_factory=list, description="What the rep may offer in this deal."
    )
    gets: list[TermSpec] = Field(
        default_factory=list, description="What the rep may ask for in return."
    )
    habits: Weights = Field(default_factory=Weights, description="Scored habits and weights.")
    reveals: list[Reveal] | None = Field(
        None, description="Hidden needs for this deal; replaces the persona's if given."
    )
    conversation: Conversation = Field(description="The buyer's state machine.")
    lesson: str = Field(min_length=1, max_length=2000, description="The debrief lesson.")

    @field_validator("tags")
    @classmethod
    def _unique_tags(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys(v))
