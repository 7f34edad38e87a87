"""Scoring: `score(text, context) -> Score`, pure Python, no UI imports.

Importing the package loads only its data model (`Score`, `Context`...); the engine, its
patterns and the learned layer load when `score` is first imported from it, so the buyer
and a session (whose default scorer imports it on the first response) load without them."""

from simulator.scoring.model import Context, Finding, Score, Span, Term, Verdict

__all__ = ["Context", "Finding", "Score", "Span", "Term", "Verdict", "score"]


def __getattr__(name: str):
    if name == "score":
        from simulator.scoring.engine import score

        globals()["score"] = score
        return score
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
