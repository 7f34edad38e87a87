"""Answers to the buyer's ask: "I can do that." means nothing on its own, but after "Can you
do $7.50?" it is a concession, after "Can you send the case study?" it is not.

When the context carries the buyer's last line (`Context.buyer_said`), two questions are
asked of it and of the rep's reply:
- Does the buyer ask for movement? A price under the rep's standing offer, a reduction or
  a percentage off, or a give ("throw in onboarding", "waive the setup fee", a scenario's
  own gives).
- Does the rep accept it ("I can do that", "deal", "you've got it", a bare "OK."), decline
  it ("we can't do that", "no"), or put a condition on it ("only if you take 200 seats")?
  ("Let me check with my manager" stays a stall, not a concession.)

Acceptance becomes a give (a concession, or a trade when a get is asked for); a decline
becomes a hold. The rep's own words win: a reply that already names a price or a give is
scored on those words alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.scoring.amounts import find_amounts
from simulator.scoring.fastre import lazy, scope
from simulator.scoring.lexicon import (
    ACCEPT,
    BARE_NO,
    BARE_YES,
    CONDITION_LEAD,
    DECLINE,
    FOLLOW_THROUGH,
    GIVE_PHRASES,
    SIGH,
    negated_before,
)
from simulator.scoring.model import Context, Span
from simulator.scoring.price import PriceFindings
from simulator.scoring.text import Piece, clauses
from simulator.scoring.vocab import compile_terms

MAX_BUYER_CHARS = 2_000  # the buyer's line is looked at up to this length


@dataclass(frozen=True)
class Ask:
    """What the buyer asked for: its words, and the price it implies if it names one."""

    what: str
    price: float | None = None


_REDUCTION_BEFORE = lazy(r"\b(?:off|knock(?:ed)?|take|shave|discount of|reduction of|less)\W+(?:\w+\W+)?\Z", re.I)


#: How a give that is the rep's acceptance of the buyer's ask is named (its finding's detail
#: starts so), as against a give the rep offers of its own accord.
AGREES_TO_ASK = "agrees to the buyer's ask"


def gives_own(score) -> bool:
    """Does the response give something of its own accord ("I'll add a free year of
    warranty"), beyond agreeing to what the buyer asked?"""
    return any(f.rule == "price.give" and not f.detail.startswith(AGREES_TO_ASK) for f in score.price.findings)


def buyer_ask(line: str, ctx: Context) -> Ask | None:
    """The movement the buyer's line asks for, if any."""
    line = line[:MAX_BUYER_CHARS]
    if not line.strip():
        return None
    with scope(line):  # the patterns' prefilters must look at this line, not the reply
        return _ask(line, ctx)


def _ask(line: str, ctx: Context) -> Ask | None:
    ref = ctx.our_price if ctx.our_price is not None else ctx.list_price
    if _INFO_REQUEST.search(line) and not _PRICE_ASK.search(line):
        return None  # "…the others are at $7.50. Explain that dollar to me.": "I can do that" explains
    for a in find_amounts(line, ref if ref is not None else ctx.their_price, ctx.currency == "%"):
        words = line[a.start : a.end]
        if a.kind == "pct":
            return Ask(f"{words} off", round(ref * (1 - a.value / 100), 4) if ref and 0 < a.value < 100 else None)
        reduction = a.kind == "delta" or (_REDUCTION_BEFORE.search(line, 0, a.start) is not None)
        if reduction:
            return Ask(f"{words} off", round(ref - a.value, 4) if ref and 0 < a.value < ref else None)
        if ref is None:
            continue  # a number, but nothing to compare it with
        if 0.5 * ref <= a.value < ref - 1e-9:
            return Ask(words, a.value)
    m = GIVE_PHRASES.search(line)
    if m is not None and not negated_before(line, m.start()):
        return Ask(_clause_of(line, m.start(), m.end()))
    if _ULTIMATUM.search(line):
        return Ask("movement, or the buyer walks")
    low = line.lower()
    for term in compile_terms(ctx.gives):
        # A scenario's give is a noun ("uptime penalties"): asked for only with an asking
        # word in its clause; otherwise the buyer is restating a package already agreed.
        for m in term.rx.finditer(low):
            a = max((c.end() for c in _CLAUSE_END.finditer(low, 0, m.start())), default=0)
            c = _CLAUSE_END.search(low, m.end())
            clause = low[a : c.start() if c else len(low)]
            if _ASK_CUE.search(clause) and not negated_before(low, m.start()):
                return Ask(term.name)
    return None


#: A threat with no number ("if you don't move, we walk"): it asks for movement all the same.
_ULTIMATUM = lazy(
    r"\bor (?:we|i)(?:'ll| will|'re| are| am|'m)? (?:walk|go elsewhere|leave|switch|take (?:it|our business) elsewhere)\b"
    r"|\btake it or leave it\b|\bif you (?:don'?t|can'?t|won'?t) (?:move|budge|come down|do better|sharpen)\b",
    re.I,
)
_ASK_CUE = lazy(
    r"\b(?:can|could|will|would) you\b|\b(?:we|i)(?:'d| would)? (?:need|want|expect|require|insist)\b|\bgive (?:us|me)\b"
    r"|\b(?:has|have|needs?) to\b|\bmust\b|\b(?:throw|add|put|include|build|write)\b|\bwithout\b|\bor (?:we|i)\b|\band (?:it'?s|we|you)\b|\?",
    re.I,
)


# Lines that ask the rep to explain or send something rather than to move.
_INFO_REQUEST = lazy(
    r"\b(?:explain|justify|tell me|walk me through|show me|send|help me understand|convince me|what makes|why)\b", re.I
)
_PRICE_ASK = lazy(
    r"\b(?:(?:can|could|will|would) you (?:do|get|go|come|match|meet|drop|knock|take|sharpen|make|bring|give|offer|waive|throw|include)"
    r"|match|meet|get (?:to|down)|come down|bring (?:it|that|the price) down|knock|take \S+ off|need|want|hoping for|looking for|or (?:i|we)\b"
    r"|and (?:it'?s|we|you)\b|final|deal|at most|max(?:imum)?|tops)\b|\?",
    re.I,
)
_CLAUSE_END = lazy(r"[,.;:?!\n]")
_ASKING = lazy(
    r"\A\W*(?:(?:and|but|so|ok(?:ay)?|look|well|then)\W+)*(?:(?:can|could|would|will) you(?: just)? |(?:we|i)(?:'d| would)? (?:want|need|like|expect)(?: you to)? |(?:we|i) want |just |please )*",
    re.I,
)


def _clause_of(line: str, start: int, end: int) -> str:
    """The words of the buyer's ask around a match ("throw in the training for free"),
    without the asking ("can you…"), at most 60 characters."""
    a = max((m.end() for m in _CLAUSE_END.finditer(line, 0, start)), default=0)
    m = _CLAUSE_END.search(line, end)
    b = m.start() if m else len(line)
    clause = line[a:b].strip()
    clause = clause[_ASKING.match(clause).end() :] or clause
    return clause if len(clause) <= 60 else line[start:end].strip()


@dataclass(frozen=True)
class Answer:
    """What the reply does with the ask: "accept" or "decline", where, and why."""

    kind: str
    span: Span
    why: str


def read_answer(text: str, sents: list[Piece], asked: frozenset[int], ask: Ask) -> Answer | None:
    """Does the reply accept or decline the buyer's ask? The price rules then treat an
    acceptance as a give (so conditions and gets around it count) and a decline as a hold."""
    found = _answer(text, sents, asked)
    if found is None:
        return None
    kind, span = found
    why = f"{AGREES_TO_ASK} ({ask.what})" if kind == "accept" else f"declines the buyer's ask ({ask.what})"
    return Answer(kind, span, why)


def _at(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])  # matches may come from the lower-cased copy


def _answer(text: str, sents: list[Piece], asked: frozenset[int]) -> tuple[str, Span] | None:
    """("decline" | "accept", span) for the rep's reply, or None when it does neither."""
    meaningful = [p for p in sents if p.text.strip() and not SIGH.match(p.text)]  # "ugh. ok" says ok
    if not meaningful:
        return None
    if all(BARE_NO.match(p.text) for p in meaningful):
        p = meaningful[0]
        return "decline", Span(p.start, p.end, p.text)
    if BARE_YES.match(meaningful[0].text) and all(
        BARE_YES.match(p.text) or (FOLLOW_THROUGH.match(p.text) and p.start not in asked and not p.is_question)
        for p in meaningful[1:]
    ):
        # "OK." / "Fine, done. I'll send the revised order form over."
        p = meaningful[0]
        return "accept", Span(p.start, p.end, p.text)
    if BARE_NO.match(meaningful[0].text):
        p = meaningful[0]
        return "decline", Span(p.start, p.end, p.text)  # "No. Our price is $8.50."
    for p in sents:
        m = DECLINE.search(p.text)
        if m is not None:
            return "decline", _at(text, p.start + m.start(), p.start + m.end())
    for p in sents:
        # In a question only the clauses before the question head count ("We can do that,
        # can you sign today?"); "Can we do that?" asks rather than accepts.
        parts = clauses(p)
        if p.start in asked or p.is_question:
            parts = parts[:-1]
        for c in parts:
            m = ACCEPT.search(c.text)
            if m is not None and not negated_before(c.text, m.start()):
                return "accept", _at(text, c.start + m.start(), c.start + m.end())
    return None


def agrees(text: str) -> bool:
    """Does a reply agree to what the buyer just said ("Deal.", "Yes, that works.")?

    Read for any buyer line, not only an ask the scorer recognised: an accepting answer,
    or a bare yes first with no decline after it ("Deal. I'll have the contract with you
    this afternoon.") whatever the rep goes on to say.
    """
    from simulator.scoring.fastre import scope
    from simulator.scoring.text import sentences

    with scope(text):  # the patterns' prefilters look at this reply
        sents = [p for p in sentences(text) if p.text.strip()]
        found = _answer(text, sents, frozenset(p.start for p in sents if p.is_question))
        if found is not None:
            return found[0] == "accept"
        return bool(sents) and BARE_YES.match(sents[0].text) is not None and not any(
            DECLINE.search(p.text) for p in sents)

# "Can you fix 24.6 for three years?" asks the rep for something; "...the price stays at
# $2,400. Do we shake on it?" proposes the deal.
_ASKS_REP = lazy(r"\b(?:can|could|would|will) you\b|\byou (?:hold|fix|give|throw|waive|extend|include|keep)\b", re.I)
_DEAL_WORDS = lazy(r"\b(?:shake|deal|agreed?|write (?:it|that) up|shall we|on paper|go ahead)\b", re.I)


def proposes_our_price(line: str, ctx: Context) -> bool:
    """Does the buyer's line propose the deal at the rep's standing offer ("...and the price
    stays at $2,400. Do we shake on it?"): it names that price and asks for no movement."""
    if (not line.strip() or ctx.our_price is None or _ASKS_REP.search(line) or not _DEAL_WORDS.search(line)
            or buyer_ask(line, ctx) is not None):
        return False
    with scope(line[:MAX_BUYER_CHARS]):
        return any(a.kind not in ("pct", "delta") and abs(a.value - ctx.our_price) < 0.005
                   for a in find_amounts(line[:MAX_BUYER_CHARS], ctx.our_price, ctx.currency == "%"))


def settle_ask(text: str, ask: Ask | None, answer: Answer | None, f: PriceFindings) -> None:
    """After the price rules: the price an acceptance agreed to, and a reply that neither
    accepts nor declines but puts a condition on the ask ("only if you take 200 seats").
    Going off to ask someone ("let me check with my manager") stays a stall, the move the
    buyers have their own answer to."""
    if ask is None or (answer is not None and answer.kind == "decline"):
        return
    if answer is not None:
        if answer.why in f.give_reasons:  # the acceptance leads (its span moves with its reason)
            i = f.give_reasons.index(answer.why)
            f.give_reasons.insert(0, f.give_reasons.pop(i))
            f.gives.insert(0, f.gives.pop(i))
    else:
        gets = f.gets or f.pending_gets
        if f.gives or not gets:
            return  # the rep's own words say what moved, or nothing is asked back
        cond = next((c for c in f.conditions if CONDITION_LEAD.match(c.text)), None)
        if cond is None and CONDITION_LEAD.match(text):
            cond = gets[0][1]
        if cond is None:
            return
        f.gives.insert(0, cond)
        f.give_reasons.insert(0, f"{AGREES_TO_ASK} ({ask.what}) on a condition")
        if not f.gets:
            f.gets.extend(f.pending_gets)  # gets that count only next to a give
    if ask.price is not None and not f.offered:
        f.offered.append(ask.price)
