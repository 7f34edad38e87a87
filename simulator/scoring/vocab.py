"""The vocabulary of gets (what a rep asks for in return) and gives.

Built-in gets cover the playbook's list; scenarios add their own `Term`s (id, name,
phrases), which are compiled once per distinct tuple of terms and cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from simulator.scoring.fastre import Rx
from simulator.scoring.lexicon import BUILTIN_GETS
from simulator.scoring.model import Term


@dataclass(frozen=True)
class CompiledTerm:
    """A get or give with its phrases compiled into one bounded alternation."""

    id: str
    name: str
    rx: Rx


BUILTIN_GET_TERMS = tuple(
    CompiledTerm(i, n, Rx(r"(?<![\w-])(?:" + p + r")(?![\w])")) for i, n, p in BUILTIN_GETS
)


def _phrase_rx(phrases: tuple[str, ...]) -> Rx | None:
    parts = [re.escape(p.strip().lower()).replace(r"\ ", r"\s{1,3}") for p in phrases if p and p.strip()]
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return Rx(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])")


@lru_cache(maxsize=256)
def compile_terms(terms: tuple[Term, ...]) -> tuple[CompiledTerm, ...]:
    """Compile a scenario's Terms (phrases matched as whole words, case-insensitive)."""
    out = []
    for t in terms:
        rx = _phrase_rx(tuple(t.phrases) + ((t.name,) if t.name else ()))
        if rx is not None:
            out.append(CompiledTerm(t.id, t.name or t.id, rx))
    return tuple(out)


def gets_for(terms: tuple[Term, ...]) -> tuple[CompiledTerm, ...]:
    """Scenario gets first (they name the asks), then the built-in vocabulary."""
    return compile_terms(terms) + BUILTIN_GET_TERMS if terms else BUILTIN_GET_TERMS
