"""The rep's moves: one registry that the buyer, scorecard, coach, lint, graph and schema read.

A move is what one rep response does to the conversation, decided from the scorer's
verdicts (`Score`) and the session's history. Each move has a name (the trigger of every
buyer machine and the key in `on_<move>` / `react:`), a title and a short name for
screens, a few words for the coach, whether it counts as progress (it resets the buyer's
patience), the playbook's verdict on it (good, bad or neutral: what lint's model checker
plays), and the buyer's default reaction for personas that write no `on_<move>`.

Adding a move is one entry here (and a line in `moves_of` saying when a response makes
it); every persona gets the default reaction, every scenario may name it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from simulator.scoring import Score

Kind = Literal["good", "bad", "neutral"]


@dataclass(frozen=True)
class MoveDef:
    """One move of the rep's."""

    name: str
    title: str
    short: str
    words: str  # how the coach describes it: "you held the price"
    productive: bool  # resets the buyer's patience
    kind: Kind  # the playbook's verdict, for lint's model checker
    reaction: tuple[str, ...]  # the buyer's default lines when a move keeps the state
    legacy: str | None = None  # the move older scenarios read it as (tried if no rule takes it)
    description: str = ""


#: Every move, in the order a response's moves are tried (strongest first).
REGISTRY: tuple[MoveDef, ...] = (
    MoveDef("concede", "Concession", "conceded", "you conceded", False, "bad",
            ("That's a start. What else can you do?",
             "Good. So there was room after all.",
             "Noted. I'll take that, and I'm still listening.",
             "If you can move that easily, you can move further.",
             "Thank you. Now let's see how far it goes."),
            description="Gives something (price, terms) with nothing asked back."),
    MoveDef("trade", "Trade", "traded", "you traded", True, "good",
            ("That's a real offer. I'm weighing it.",
             "A swap. I'm not there yet, but keep going.",
             "Hm. Not nothing. Let me think about what it's worth to me."),
            description="A give tied to a get: 'if you can give us X, we can do Y'."),
    MoveDef("commit", "Commitment", "committed", "you committed to what they asked for",
            True, "good",
            ("That's what I asked for. I'll hold you to it.",
             "Good. That's the kind of thing I needed to hear.",
             "Alright. If that really happens, we can keep talking."),
            legacy="trade",
            description="Promises what the buyer asked for (a scenario give marked "
            "`requested: true`, such as a remedy), rather than conceding something else."),
    MoveDef("stall", "Stall", "stalled", "you deferred to someone else", False, "bad",
            ("So you have to ask someone. Who actually decides here?",
             "Go and check, then. I'll be here.",
             "I'd rather deal with someone who can say yes.",
             "Take your time. I have other options.",
             "Every time you check with someone, I wonder what else is soft."),
            description="Defers to a manager or someone else ('let me check')."),
    MoveDef("tell", "Telling", "told", "you handed over the answer", False, "bad",
            ("Okay. I'll do what you said, I suppose.",
             "Right. So that's the answer?",
             "I hadn't thought of it like that. I'll try it.",
             "Okay, if you say so.",
             "Sure. I'll just do that, then."),
            description="A manager hands over the answer instead of coaching."),
    MoveDef("accept", "Acceptance", "accepted", "you accepted their proposal", True, "good",
            ("Good, we agree on that much. There's still the rest to settle.",
             "Fine on that point. What else is open?",
             "Alright. Let's keep going, then."),
            legacy="other",
            description="Agrees to what the buyer just proposed, at the standing offer "
            "(accepting a lower number is a concession)."),
    MoveDef("open_question", "Open question", "open Q", "you asked an open question",
            True, "good",
            ("Fair question.",
             "Let me think about how to put that.",
             "That's worth asking."),
            description="A question that invites the buyer to explain."),
    MoveDef("withdraw", "Withdrawal", "withdrew", "you took the proposal off the table",
            True, "good",
            ("Alright. That changes the tone a bit.",
             "Okay. No proposal, then. What do you want to talk about?",
             "Fine by me. I wasn't going to sign it anyway."),
            legacy="hold",
            description="Takes a stalled proposal off the table: gives nothing, asks nothing, "
            "and keeps the price (older scenarios hear it as a hold)."),
    MoveDef("hold", "Hold", "held price", "you held the price", True, "good",
            ("You keep saying that. Why should I believe it?",
             "That's your position. It isn't mine yet.",
             "I've heard the price. Convince me it's worth it."),
            description="Keeps the price and ties it to value."),
    MoveDef("ask", "Ask", "asked", "you asked for what you want", True, "good",
            ("You want something from me already? What's in it for me?",
             "Maybe. Depends what you put on the table for it.",
             "I'll think about it. What are you offering?"),
            legacy="other",
            description="Asks for one of the scenario's gets without giving anything."),
    MoveDef("closed_question", "Closed question", "closed Q", "you asked a closed question",
            False, "neutral",
            ("Maybe. It depends.",
             "I couldn't say, not in a word.",
             "Could be. Hard to say from here.",
             "Possibly. Why do you ask?",
             "Depends who you ask, honestly."),
            description="A yes/no, one-fact or either/or question."),
    MoveDef("repeat", "Repeat", "repeated", "you repeated yourself", False, "neutral",
            ("You said that already.",
             "I heard you the first time.",
             "We've been over that. Anything new?",
             "Saying it twice doesn't make it more convincing.",
             "Same answer as before, then. Try me with something else."),
            description="Says again what the rep has already said; it earns nothing."),
    MoveDef("other", "Other", "other", "your answer did not move things", False, "neutral",
            ("I'm not sure where you're going with that.",
             "Okay. And?",
             "Can we get to the point?",
             "I'm not following. What are you proposing?",
             "Let's stay on the deal, shall we?"),
            description="None of the above."),
)

BY_NAME: dict[str, MoveDef] = {m.name: m for m in REGISTRY}
#: Move names in the order a response's moves are tried.
MOVES: tuple[str, ...] = tuple(m.name for m in REGISTRY)
#: Moves that reset the buyer's patience.
PRODUCTIVE: frozenset[str] = frozenset(m.name for m in REGISTRY if m.productive)
#: The playbook's good and bad moves (lint's model checker plays these).
GOOD: tuple[str, ...] = tuple(m.name for m in REGISTRY if m.kind == "good")
BAD: tuple[str, ...] = tuple(m.name for m in REGISTRY if m.kind == "bad")



def title(name: str) -> str:
    return BY_NAME[name].title if name in BY_NAME else name


def words(name: str) -> str:
    return BY_NAME[name].words if name in BY_NAME else name


# ------------------------------------------------------------------ from a Score


class _Lazy:
    """A pattern compiled on first use: the moves are read from a Score, so no pattern is
    needed until the rep's first response (practice's first frame does without them)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)


_WORD = _Lazy(r"[a-z0-9$€£%]+(?:[.,][0-9]+)*")


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def is_repeat(text: str, earlier: Sequence[str]) -> bool:
    """Does this response say again what an earlier one said?

    Word for word after case and punctuation, or nearly (at least four words, and at
    least 85% of the words the same, in the same order, as one earlier response).
    """
    import difflib

    mine = _tokens(text)
    if not mine:
        return False
    for prev in earlier:
        theirs = _tokens(prev)
        if mine == theirs:
            return True
        if len(mine) >= 4 and len(theirs) >= 4:
            ratio = difflib.SequenceMatcher(None, mine, theirs, autojunk=False).ratio()
            if ratio >= 0.85:
                return True
    return False


def commits(score: Score, requested: Sequence[Sequence[str]]) -> bool:
    """Does the response give something the buyer asked for?

    `requested` holds the phrases of each give the buyer asked for. A give the scorer marks
    as price evidence counts; so does one named in a statement, not negated ("you'll have a
    standby trailer by Friday"), whatever the price verdict: the scorer reads price moves,
    and a remedy is not one. Named only in a question ("would a standby trailer help?"),
    it is not promised.
    """
    if not requested:
        return False
    found = " ".join(s.text.lower() for s in score.price.evidence) \
        if score.price.label in ("concede", "trade") else ""
    statements = " ".join(p for p in _SENTENCE_END.split(score.text.lower())
                          if not p.rstrip().endswith("?"))
    for phrases in requested:
        for ph in phrases:
            p = ph.lower()
            if not p:
                continue
            if p in found:
                return True
            at = statements.find(p)
            if at >= 0 and not _NEGATED_BEFORE.search(statements[:at][-30:]):
                return True
    return False


_SENTENCE_END = _Lazy(r"(?<=[.!?])\s+")


def gives_more(score: Score, requested: Sequence[Sequence[str]], offer: float | None = None) -> bool:
    """Does a response that gives what the buyer asked for also give something else: a lower
    number than the standing offer, or a conceded span of the scorer's evidence that is none
    of the requested gives ("waive", "free month" beside "a standby trailer")?"""
    if score.named_price is not None and offer is not None and score.named_price < offer - 0.005:
        return True
    asked = [p.lower() for phrases in requested for p in phrases if p]
    for span in score.price.evidence:
        t = span.text.lower().strip()
        if t and not any(p in t or t in p for p in asked):
            return True
    return False


_WITHDRAW = _Lazy(
    r"\b(?:withdraw\w*|pull\w*|tak\w+ \w+ off the table|shelv\w*|park\w*|set\w* aside|forget|scrap\w*|ignore)\b[^.!?;]{0,40}?"
    r"\b(?:proposals?|offers?|quotes?|pric(?:e|ing)|numbers?|versions?|discounts?)\b"
    r"|\b(?:proposals?|offers?|quotes?|versions?)\b[^.!?;]{0,60}\b(?:off the table|aside|on hold|to one side)\b"
    # "version five was a mistake": disowning the last proposal withdraws it too
    r"|\b(?:proposals?|offers?|quotes?|versions?)\b[^.!?;]{0,20}\b(?:was|were) (?:a mistake|wrong|the wrong (?:answer|idea|move))",
    re.I,
)
# Or across sentences: "We've buried you in proposals. I'd like to take all four off the
# table." The proposal is named somewhere, and something is taken off the table.
_OFF_TABLE = _Lazy(r"\b(?:tak\w+|pull\w*|put\w*)\b(?: \w+){1,3} off the table\b", re.I)
_PROPOSAL_WORD = _Lazy(r"\b(?:proposals?|versions?|quotes?)\b", re.I)
# "no standby trailer", "we can't offer a named contact": the give is refused, not made.
_NEGATED_BEFORE = _Lazy(r"\b(?:no|not|never|without|can'?t|cannot|won'?t|don'?t)\b[^.!?;]*\Z")


def compile_patterns() -> None:
    """Compile the patterns above now (off the UI thread, before the first response)."""
    for lazy in (_WORD, _SENTENCE_END, _WITHDRAW, _OFF_TABLE, _PROPOSAL_WORD, _NEGATED_BEFORE):
        lazy.pattern  # noqa: B018


def _agrees(score: Score) -> bool:
    """Agreeing, and giving nothing new: "Ok. Keep $8.50 and I'll add a free year of
    warranty" concedes, it does not accept."""
    from simulator.scoring.reply import agrees, gives_own  # the scorer's forms, loaded on use

    return agrees(score.text) and not gives_own(score)


def moves_of(score: Score, *, earlier: Sequence[str] = (), proposal: bool = False,
             requested: Sequence[Sequence[str]] = (), offer: float | None = None) -> tuple[str, ...]:
    """The moves one response makes, strongest first. The first is the primary move.

    earlier: the rep's earlier responses (a response saying one again is a repeat and
    earns nothing); proposal: the buyer's last line proposed a deal at the rep's standing
    offer (agreeing to it is an accept); requested: the phrases of the gives the buyer has
    asked for (giving one is a commitment, not a concession); offer: the rep's standing
    offer (agreeing while restating it is still an accept).
    """
    if earlier and is_repeat(score.text, earlier):
        return ("repeat",)
    out: list[str] = []
    price = score.price.label
    committed = commits(score, requested)
    # Agreeing to the buyer's proposal at the rep's own standing offer moves nothing, so it
    # is an accept even where the verdict calls bare agreement a concession.
    # Restating the standing offer while agreeing ("Yes, $2,400 it is") still accepts.
    same_price = score.named_price is None or (
        offer is not None and abs(score.named_price - offer) < 0.005)
    accepting = proposal and not score.is_stall and same_price and _agrees(score)
    # "Let me run it past my director": a stall in a price moment is also a concession, but
    # with no number named the buyer answers the stall (each persona has its own answer).
    stalling = score.is_stall and score.named_price is None
    # A give the buyer asked for is a commitment, not a concession; but a freebie added to
    # it ("...and I'll waive two months' rent") still concedes.
    if (price == "concede" and (not committed or gives_more(score, requested, offer))
            and not accepting and not stalling):
        out.append("concede")
    # A trade moves the price for a get, or swaps a give that is not money ("I'll send one
    # page; in return, fifteen minutes next week?"): price "none" or "hold", exchange yes.
    # A swap names what it asks for: "walk me through what happened, so I get it right" asks
    # for nothing in return, whatever the learned layer's exchange reading.
    swap = score.has_exchange and price in ("hold", "none") and any(
        g != "something in return" for g in score.gets)
    if price == "trade" or swap:
        out.append("trade")
    if committed:
        out.append("commit")
    if score.is_stall:
        out.append("stall")
    if score.is_telling:
        out.append("tell")
    if accepting and price in ("hold", "none", "concede"):
        out.append("accept")
    # Withdrawing a stalled proposal asks nothing and gives nothing ("none" on price) but
    # keeps the price: the buyer hears it as a hold.
    withdrawn = price in ("none", "hold") and (
        _WITHDRAW.search(score.text) is not None
        or (_OFF_TABLE.search(score.text) is not None and _PROPOSAL_WORD.search(score.text) is not None))
    if withdrawn:
        out.append("withdraw")
    if price == "hold":
        out.append("hold")
    # Asking for a get with nothing given ("could we find fifteen minutes next week?").
    if score.asks and not score.has_exchange and price in ("hold", "none"):
        out.append("ask")
    if score.question.label == "open":
        out.append("open_question")
    elif score.question.label == "closed":
        out.append("closed_question")
    return tuple(sorted(out, key=MOVES.index)) or ("other",)
