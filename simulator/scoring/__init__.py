"""Scoring: `score(text, context) -> Score`, pure Python, no UI imports."""

from simulator.scoring.engine import score
from simulator.scoring.model import Context, Score, Span, Term, Verdict

__all__ = ["Context", "Score", "Span", "Term", "Verdict", "score"]
