"""Stall: the rep defers to someone else ("let me check with my manager", "I'd need
approval for that"), which tells the buyer the price was soft.

The forms are the lexicon's `STALL`; any one of them anywhere in the response is a stall.
"""

from __future__ import annotations

from simulator.scoring.evidence import dedupe, span
from simulator.scoring.lexicon import STALL
from simulator.scoring.model import Span, Verdict


def find_stalls(text: str) -> list[Span]:
    """Every stall form in the response."""
    return [span(text, m.start(), m.end()) for m in STALL.finditer(text)]


def verdict(found: list[Span]) -> Verdict:
    if found:
        return Verdict("yes", dedupe(found), "Defers to someone else.", "stall.defer")
    return Verdict("no", rule="stall.none")
