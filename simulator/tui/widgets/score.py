"""How a habit score looks on screen: the bar the practice side panel and the debrief share."""

from __future__ import annotations

from textual.content import Content


def score_bar(score: float | None, width: int = 10) -> Content:
    """A habit score 0-100 as a short coloured bar and the number."""
    if score is None:
        return Content.styled("·" * width + "   –", "dim")
    filled = round(score / 100 * width)
    style = "$success" if score >= 70 else "$warning" if score >= 40 else "$error"
    return Content.assemble(("█" * filled, style), ("░" * (width - filled), "dim"),
                            f" {score:3.0f}")
