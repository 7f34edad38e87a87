"""A phased offer: one price for the first year, another after it ("year one at $42, then $46
for years two and three"). The offer such a response puts on the table is the price averaged
over the years it names, not its first step: the rep asked for $46 for two years of three.

`phased_price` reads the years each offered amount covers from the words right beside it:
"year one", "the first year", "years two and three", "the next two years", "y2", or "then
$46" after a first phase (the rest of the term the response names, "three years", or one
year when it names none).
"""

from __future__ import annotations

import re

from simulator.scoring.amounts import Amount
from simulator.scoring.fastre import lazy

_N = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "first": 1, "second": 2, "third": 3,
      "fourth": 4, "fifth": 5, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5}
_NUM = r"(?:one|two|three|four|five|[1-5])"
_ORD = r"(?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)"
#: Years named beside an amount: a range, one year, or "the next two years".
_YEARS = lazy(
    r"\b(?:years? (?P<lo>" + _NUM + r") (?:and|to|through|&|-|–) (?P<hi>" + _NUM + r")"
    r"|(?:year|yr) ?(?P<n>" + _NUM + r")|y(?P<y>[1-5])|(?P<rel>this|next) year|(?P<nxt>next)(?= *(?:[,.;]|\Z))|(?P<ord>" + _ORD + r") (?:year|yr)"
    r"|the (?:first|next|following|remaining|other|last) (?P<span>" + _NUM + r") years)\b",
    re.I,
)
_AFTER = lazy(r"\A\W{0,3}(?:after that|thereafter|afterwards|from then on|from year (?:two|2) on|(?:for )?the rest(?: of the term)?)\b", re.I)
_THEN = lazy(r"\b(?:then|after that|thereafter|afterwards|from then on|and)\W{0,3}(?:\w+\W{1,3}){0,2}\Z", re.I)
_AVERAGE = lazy(r"(?:\A\W{0,3}(?:an? \w+\W{1,3}){0,1}(?:on average|averag\w*|blended|effective(?:ly)?|overall)\b|\b(?:averag\w*|blended|effective(?:ly)?|works out (?:at|to))\W{0,3}(?:\w+\W{1,3}){0,2}\Z)", re.I)
_TERM = lazy(r"\b(two|three|four|five|[2-5])[ -]years?\b|\b(24|36|48|60)[ -]months?\b", re.I)
_SPAN = 40  # how far from an amount its years may be named


def _num(s: str) -> int:
    return int(s) if s.isdigit() else _N[s.lower()]


def _years(m: re.Match) -> tuple[int, int]:
    """(first, last) year a match of _YEARS names; "the next two years" is (0, 2): two years
    after the phase before it."""
    g = m.groupdict()
    if g["lo"]:
        return _num(g["lo"]), _num(g["hi"])
    if g["rel"] or g["nxt"]:
        n = 1 if (g["rel"] or "").lower() == "this" else 2
        return n, n
    if g["span"]:
        return 0, _num(g["span"])
    n = _num(g["n"] or g["y"] or g["ord"])
    return n, n


def _term(text: str) -> int | None:
    """The longest term in years the response names ("sign three years", "a 36-month deal")."""
    found = [_num(m.group(1)) if m.group(1) else int(m.group(2)) // 12 for m in _TERM.finditer(text)]
    return max(found, default=None)


def phased_price(text: str, amounts: list[Amount], offers: list[Amount]) -> float | None:
    """The average over the years of a phased offer, or None when the response holds none.

    `amounts`: every amount in the response, in text order; `offers`: those the rules read
    as prices put on the table. A phase is a price with its years beside it, or one that
    follows a phase with "then"; the first phase is year one and each runs on from the one
    before. Other amounts before and among the phases ("42 isn't possible", "I'll hold 46,
    but...") are passed over, but an offer after the first phase that is none of them means
    the response is not a phased offer."""
    offered = {id(a) for a in offers}
    prices = [a for a in amounts if a.kind == "price"]
    if len(prices) < 2 or not offered:
        return None
    phases: list[tuple[float, int]] = []  # (price, years it covers)
    next_year = 1
    any_offer = False
    used = 0  # where the words read for the amount before end ("$44 in year one and $46...")
    for i, a in enumerate(prices):
        lo = max(prices[i - 1].end if i else 0, a.start - _SPAN, used)
        hi = min(prices[i + 1].start if i + 1 < len(prices) else len(text), a.end + _SPAN)
        before, after = text[lo:a.start], text[a.end:hi]
        named_before = list(_YEARS.finditer(before))
        # the years named last before the amount, else the first after it
        m = named_before[-1] if named_before else _YEARS.search(after)
        used = a.end + m.end() if m is not None and not named_before else a.end
        if m is not None:
            first, last = _years(m)
            if first == 0:  # "the next two years"
                first, last = next_year, next_year + last - 1
        elif phases and (_THEN.search(before) or _AFTER.match(after)):
            term = _term(text)
            first = next_year
            last = term if term is not None and term >= next_year else next_year
        elif id(a) in offered and phases:
            if _AVERAGE.search(before[-20:]) or _AVERAGE.match(after):
                return a.value  # "so $44 a user on average": the rep has done the sum
            return None  # a price for the whole deal beside the phases
        else:
            continue  # not a phase ("42 isn't possible", "I'll hold 46, but...")
        if first != next_year or last < first:
            return None  # the years must run on from the phase before: year one first
        phases.append((a.value, last - first + 1))
        any_offer = any_offer or id(a) in offered
        next_year = last + 1
    if not any_offer or len({p for p, _ in phases}) < 2:
        return None
    years = sum(n for _, n in phases)
    return sum(p * n for p, n in phases) / years
