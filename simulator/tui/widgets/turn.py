"""How a rep turn's verdicts look: badges, highlighted evidence and the reasons."""

from __future__ import annotations

from textual.content import Content

from simulator.scorecard import verdict_badges
from simulator.scoring import Score

#: How each tone of a verdict badge looks.
TONE_STYLES = {
    "good": "$text-success on $success-muted",
    "warn": "$text-warning on $warning-muted",
    "bad": "$text-error on $error-muted",
    "neutral": "$text-muted on $boost",
}
EVIDENCE_STYLE = "bold underline $text-warning"


def badges(score: Score, width: int | None = None, moves: tuple[str, ...] = (),
           names: dict[str, str] | None = None) -> Content:
    """The verdicts (and below walk-away / stall / telling) as coloured badges: on one line,
    or, given a `width` in cells, flowed onto as many lines as they need without ever
    splitting a badge (a narrow terminal otherwise leaves an icon at the end of one line
    and its label on the next)."""
    parts = [Content.styled(f" {icon} {label} ", TONE_STYLES[tone])
             for icon, label, tone in verdict_badges(score, moves, names)]
    if width is None:
        return Content(" ").join(parts)
    lines: list[list[Content]] = [[]]
    used = 0
    for part in parts:
        if lines[-1] and used + 1 + part.cell_length > width:
            lines.append([])
            used = 0
        used += part.cell_length + (1 if lines[-1] else 0)
        lines[-1].append(part)
    return Content("\n").join(Content(" ").join(line) for line in lines)


def highlighted(text: str, score: Score | None) -> Content:
    """The rep's words with the evidence behind every verdict underlined."""
    content = Content(text)
    if score is None:
        return content
    for verdict in (score.question, score.price, score.exchange, score.stall, score.telling):
        for span in verdict.evidence:
            start, end = max(0, span.start), min(len(text), span.end)
            if end > start:
                content = content.stylize(EVIDENCE_STYLE, start, end)
    return content


def reasons(score: Score) -> str:
    """Why each verdict was given, for the tooltip."""
    lines = []
    for name, v in (("Question", score.question), ("Price", score.price),
                    ("Exchange", score.exchange), ("Stall", score.stall),
                    ("Telling", score.telling)):
        if v.reason:
            lines.append(f"{name}: {v.label} — {v.reason}")
    return "\n".join(lines)
