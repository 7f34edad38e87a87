"""Scoring: `score(text, context) -> Score`, pure Python, no UI imports.

Importing the package loads only its data model (`Score`, `Context`...): the engine, its
patterns and the learned layer load on the first `score` call, so the buyer, a session
and the app's practice screen open before anything needs scoring."""

from simulator.scoring.model import Context, Score, Span, Term, Verdict

__all__ = ["Context", "Score", "Span", "Term", "Verdict", "score"]


def score(text: str, context: Context | None = None) -> Score:
    """Score one rep response against the deal context (`simulator.scoring.engine.score`)."""
    from simulator.scoring.engine import score as engine_score

    return engine_score(text, context)
