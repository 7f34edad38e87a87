"""What a persona or scenario can do, apart from how it is checked; and its plain form.

The validated models (`simulator.model`, pydantic) take their behaviour from the shapes
here, and so do *records*: the same objects rebuilt from plain data kept in the cache
folder (`simulator.catalog.read_validated`), so that practising a scenario straight from
the command line needs neither pydantic nor YAML. A record has exactly the fields of the
model it was made from, with the values pydantic gave them, and the same methods (these
shapes): a session cannot tell one from the other.

This module imports nothing of the core (no pydantic, no YAML).

    plain(scenario)            # {"$": "Scenario", "id": ..., "money": {"$": "Money", ...}}
    rebuild(plain(scenario))   # a Record with the same fields, values and methods
"""

from __future__ import annotations

import re
from typing import Any

from simulator.moves import MOVES

#: Placeholders a buyer line may use, filled from the deal at the moment it is said.
PLACEHOLDERS: tuple[str, ...] = (
    "list_price",
    "offer",
    "buyer_number",
    "competitor_price",
    "walk_away",
    "target",
    "unit",
    "name",
    "company",
    "rep_company",
)
PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_]{1,40})\}")


class MoneyShape:
    """The numbers of a deal."""

    @property
    def rep_target(self) -> float:
        return self.target if self.target is not None else self.list_price


class TransitionShape:
    """A way out of a state."""

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources as written (`any` included); `Conversation.sources_of` resolves it."""
        return tuple(self.from_) if isinstance(self.from_, list) else (self.from_,)

    @property
    def moves(self) -> tuple[str, ...]:
        raw = self.move if isinstance(self.move, list) else [self.move]
        if "any" in raw:
            return MOVES
        return tuple(dict.fromkeys(raw))


class ConversationShape:
    """The buyer as a state machine."""

    def sources_of(self, spec: TransitionShape) -> tuple[str, ...]:
        """A transition's source states, with `any` read as every state that is not an ending."""
        if "any" not in spec.sources:
            return spec.sources
        return tuple(n for n, st in self.states.items() if st.ending is None)


class ScenarioShape:
    """A persona in a deal."""

    def endings(self) -> dict[str, Any]:
        return {n: s.ending for n, s in self.conversation.states.items() if s.ending}


#: The shape of each model that has behaviour of its own, by the model's name.
SHAPES: dict[str, type] = {"Money": MoneyShape, "TransitionSpec": TransitionShape,
                           "Conversation": ConversationShape, "Scenario": ScenarioShape}


class Record:
    """A validated object rebuilt from its plain form: read-only, equal to another record
    of the same kind with equal fields (as frozen pydantic models are)."""

    __slots__ = ("_fields",)

    def __init__(self, fields: dict[str, Any]) -> None:
        object.__setattr__(self, "_fields", tuple(fields))
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def _values(self) -> tuple:
        return tuple(getattr(self, n) for n in self._fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._fields == other._fields and self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._values()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._fields)
        return f"{type(self).__name__}({inner})"


_RECORDS: dict[str, type[Record]] = {}


def _record_class(kind: str) -> type[Record]:
    """The record class standing for the model named `kind` (with that model's shape)."""
    cls = _RECORDS.get(kind)
    if cls is None:
        if not kind.isidentifier():
            raise ValueError(f"not a kind of object: {kind!r}")
        bases = (SHAPES[kind], Record) if kind in SHAPES else (Record,)
        # A __dict__ of their own: a record's fields are its attributes.
        cls = _RECORDS[kind] = type(kind, bases, {"__module__": __name__})
    return cls


def plain(value: Any) -> Any:
    """A validated model (or a record) as JSON-able data: each object a dict of its fields
    by attribute name, with its kind under "$" (no field of a file, nor any key of its
    mappings, can be named "$": ids and moves are lower-case words)."""
    fields = getattr(type(value), "model_fields", None)
    if fields is not None:
        return {"$": type(value).__name__, **{n: plain(getattr(value, n)) for n in fields}}
    if isinstance(value, Record):
        return {"$": type(value).__name__, **{n: plain(getattr(value, n))
                                               for n in value._fields}}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def rebuild(data: Any) -> Any:
    """Records back from `plain` data (ValueError on a kind that is not a name)."""
    if isinstance(data, dict):
        values = {k: rebuild(v) for k, v in data.items() if k != "$"}
        if "$" in data:
            kind = data["$"]
            if not isinstance(kind, str):
                raise ValueError("kind")
            return _record_class(kind)(values)
        return values
    if isinstance(data, list):
        return [rebuild(v) for v in data]
    return data
