"""Telling: a manager hands the rep the answer ("you should call her", "if I were you…")
instead of coaching with a question.

The forms are the lexicon's `TELLING`; one counts only in a statement: inside a question
("what would you need to see…?", "should you call her?") it asks for the rep's view.
"""

from __future__ import annotations

import re

from simulator.scoring.evidence import dedupe, span
from simulator.scoring.fastre import lazy, lower_exact
from simulator.scoring.lexicon import TELLING, TELLING_LOW
from simulator.scoring.model import Span, Verdict
from simulator.scoring.text import Piece

_ASKING_BEFORE = lazy(r"\b(?:would|do|does|did|will|could|might|can|what|why|how|whether|if)\s+\Z", re.I)


def find_telling(text: str, sents: list[Piece], asked: frozenset[int]) -> list[Span]:
    """Every telling form outside a question. `asked`: starts of the sentences that hold a
    question or a request."""
    out = []
    low = lower_exact(text)
    for m in TELLING_LOW.finditer(low) if low is not None else TELLING.finditer(text):
        sent = next((p for p in sents if p.start <= m.start() < p.end), None)
        if sent is not None and (sent.start in asked or sent.is_question):
            continue
        if _ASKING_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue  # "what would you need to see…": a question about their view, not advice
        out.append(span(text, m.start(), m.end()))
    return out


def verdict(found: list[Span]) -> Verdict:
    if found:
        return Verdict("yes", dedupe(found), "Hands over the answer instead of coaching.", "telling.instruct")
    return Verdict("no", rule="telling.none")
