"""How a rep turn's verdicts look: badges, highlighted evidence and the reasons."""

from __future__ import annotations

from textual.content import Content

from simulator.scoring import Score

#: (verdict label -> (badge text, style)) per verdict shown as a badge.
QUESTION_BADGES = {
    "open": ("? open question", "$text-success on $success-muted"),
    "closed": ("? closed question", "$text-warning on $warning-muted"),
    "none": ("? no question", "$text-muted on $boost"),
}
PRICE_BADGES = {
    "hold": ("$ held price", "$text-success on $success-muted"),
    "trade": ("$ traded", "$text-success on $success-muted"),
    "concede": ("$ conceded", "$text-error on $error-muted"),
    "none": ("$ no price", "$text-muted on $boost"),
}
EVIDENCE_STYLE = "bold underline $text-warning"


def badges(score: Score) -> Content:
    """The three verdicts (and stall / telling) as coloured badges on one line."""
    parts: list[Content] = []
    q_text, q_style = QUESTION_BADGES.get(score.question.label, QUESTION_BADGES["none"])
    p_text, p_style = PRICE_BADGES.get(score.price.label, PRICE_BADGES["none"])
    if score.has_exchange:
        x_text = "⇄ asked " + (", ".join(score.gets) if score.gets else "something back")
        x_style = "$text-success on $success-muted"
    else:
        x_text, x_style = "⇄ nothing back", "$text-muted on $boost"
    items = [(q_text, q_style), (p_text, p_style), (x_text, x_style)]
    if score.is_stall:
        items.append(("⏸ stall", "$text-error on $error-muted"))
    if score.is_telling:
        items.append(("✎ told the answer", "$text-error on $error-muted"))
    for text, style in items:
        parts.append(Content.styled(f" {text} ", style))
    return Content(" ").join(parts)


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
