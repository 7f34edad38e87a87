"""Evidence spans, shared by every verdict: a span of the response, and a verdict's spans
in text order without those inside another."""

from __future__ import annotations

from simulator.scoring.model import Span

MAX_EVIDENCE = 24  # spans kept per verdict; a response of 6,000 "$1"s needs no more


def span(text: str, s: int, e: int) -> Span:
    return Span(s, e, text[s:e])


def dedupe(spans: list[Span]) -> tuple[Span, ...]:
    """The spans in text order, without those inside another: one pass after sorting (a
    span sorted after the others starts no earlier, so it lies inside one of them exactly
    when it ends no later than the furthest end so far)."""
    out = []
    reach = -1
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if s.end <= reach:
            continue
        reach = s.end
        out.append(s)
        if len(out) == MAX_EVIDENCE:
            break
    return tuple(out)
