"""Small text helpers shared by the rules: sentence and clause splitting with offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.scoring.fastre import lazy

# A sentence ends at . ! ? (runs of them), a newline, or a semicolon; decimals like 8.20 and
# "e.g." do not end one. Boundaries are found with a flat pattern and filtered in Python.
_BOUND = lazy(r"[.!?]+|\n|;")
_NUMBER_NEXT = lazy(r"\s*(?:\d|#)")
_ABBR = lazy(r"(?:\b(?:e\.g|i\.e|vs|etc|approx|mr|mrs|ms|dr|no|st|inc|ltd|co)|\b[A-Z])\Z", re.I)
_WS = lazy(r"\S")


@dataclass(frozen=True)
class Piece:
    """A sentence or clause: its text and where it starts in the response."""

    start: int
    end: int
    text: str

    @property
    def is_question(self) -> bool:
        return self.text.rstrip().endswith("?")


def _push(out: list[Piece], text: str, s: int, e: int) -> None:
    seg = text[s:e]
    body = seg.lstrip()  # str and re agree on white space (\s is str.isspace)
    if not body:
        return
    s += len(seg) - len(body)
    seg = body.rstrip()
    if not seg.strip(".!?;"):
        return
    out.append(Piece(s, s + len(seg), seg))


def sentences(text: str) -> list[Piece]:
    """Split a response into sentences, keeping character offsets."""
    out: list[Piece] = []
    start = 0
    n = len(text)
    for m in _BOUND.finditer(text):
        b = m.group(0)
        if b == ".":
            nxt = text[m.end() : m.end() + 1]
            if nxt.isdigit() or (nxt and nxt.isalpha() and nxt.islower()):
                continue  # 8.20, e.g.x, version.minor
            ab = _ABBR.search(text[max(start, m.start() - 6) : m.start()])
            if ab is not None and not (ab.group(0).lower() == "no" and not _NUMBER_NEXT.match(text, m.end())):
                continue  # "e.g.", "Dr." and "No. 5"; but "No. Our price is 8.50." ends at "No."
        _push(out, text, start, m.end() if b not in ("\n", ";") else m.start())
        start = m.end()
    if start < n:
        _push(out, text, start, n)
    return out


_CLAUSE = lazy(r"[^,:\u2014\u2013()]+(?:[,:\u2014\u2013()]|$)|[,:\u2014\u2013()]")
_DASH = lazy(r" - |--")
_SPLITS = lazy(r"[,:\u2014\u2013()\n]| - |--")


def clauses(p: Piece) -> list[Piece]:
    """Split a sentence at commas, colons, dashes and brackets (keeping offsets)."""
    text = p.text
    if _SPLITS.search(text) is None:
        # One clause: the sentence itself without white space at either end (a sentence
        # has no line break, so the pattern below would match it whole).
        body = text.lstrip()
        if not body:
            return []
        s = len(text) - len(body)
        seg = body.rstrip(" ")
        return [Piece(p.start + s, p.start + s + len(seg), seg)]
    out: list[Piece] = []
    if " - " in text or "--" in text:
        text = _DASH.sub(lambda m: " \u2014 " if m.group(0) == " - " else "\u2014\u2014", text)
    for m in _CLAUSE.finditer(text):
        seg = m.group(0)
        ws = _WS.search(seg)
        if ws is None:
            continue
        s = m.start() + ws.start()
        seg = text[s : m.end()].rstrip(",:\u2014\u2013() ")
        if not seg.strip():
            continue
        out.append(Piece(p.start + s, p.start + s + len(seg), p.text[s : s + len(seg)]))
    return out
