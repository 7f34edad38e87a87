"""Hold, trade or concede: what the response does to the price and terms.

A *give* is anything that moves toward the buyer: a named price under the standing offer, a
discount or amount off, a freebie, better terms, matching a competitor, accepting the
buyer's number, or a promise to go and find a better number. A *get* is something asked
back (volume, term, payment…). The verdict:
- a give tied to a get by a condition ("if you…", "provided…", "commit to X and I can…",
  "8.20 for a two-year term") is a **trade**;
- a give with nothing asked back is a **concession**;
- talking about price while keeping it (restating, declining, defending value) is a **hold**.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from simulator.scoring.amounts import Amount, find_amounts
from simulator.scoring.evidence import dedupe, span
from simulator.scoring.fastre import Rx, lazy
from simulator.scoring.lexicon import (
    ACCEPT_AFTER,
    ACCEPT_BEFORE,
    ACCEPT_LEAD,
    ANAPHORIC_CONDITION,
    ASK_BACK,
    CONDITION_CUE,
    DECLINE_AFTER,
    EVEN_IF,
    FALLBACK_GETS,
    FIND_PROMISE,
    GENERIC_RETURN,
    GIVE_PHRASES,
    HOLD_PHRASES,
    HYPOTHETICAL_QUESTION,
    NEGATION_RX,
    NOT_CONDITION,
    OFFER_CUE,
    PRICE_TOPIC,
    REQUEST_GET,
    STALL,
    THIRD_PARTY_IF,
    negated_before,
)
from simulator.scoring.model import Context, Span, Verdict
from simulator.scoring.text import Piece
from simulator.scoring.vocab import BUILTIN_GET_TERMS, compile_terms, gets_for

_OWNING_IT = lazy(
    r"\b(?:that|this|it|which|the (?:mistake|failure|fault|blame|error|problem))(?: one)?(?:'s|’s| is| was)?"
    r" (?:all |completely |entirely |totally |squarely |fully )?on us\b",
    re.I,
)
#: Before a "free" or "no charge": what the buyer already has ("standard for us at no extra
#: cost", "covered under your service agreement, so no charge"), not a new give.
_ALREADY_INCLUDED = lazy(
    r"\b(?:(?:is|are|'s|comes?|come) (?:standard|included|part of)|as standard|standard (?:for|with) (?:us|every|all|each)|"
    r"(?:already |fully )?(?:covered|included) (?:by|under|in) (?:your|the|our) (?:\w+ ){0,2}(?:contract|agreement|warranty|plan|package|sla|subscription|licen[cs]e|terms)|"
    r"(?:is|are) (?:already )?(?:covered|included)|comes? with (?:every|each|all|the|your))\b[^.!?]{0,40}\Z",
    re.I,
)
_TAG_Q = lazy(
    r"(?:,\s*(?:right|correct|isn'?t it|don'?t you|wouldn'?t you|won'?t you|aren'?t they|doesn'?t it|yes|no)\s*\?\s*\Z)|\bwouldn'?t you (?:agree|say)\b|\bdon'?t you (?:think|agree)\b",
    re.I,
)
_THEIRS_BEFORE = lazy(
    r"(?:\byour|\btheir|\bthey(?:'re| are| offered| quoted| charge| came in at| did| met)?|\bcompetitor\w*|\bothers?(?: are| have)?|\bother (?:vendors?|suppliers?|bidders?)|"
    r"\btarget(?: of| price of)?|\byou mentioned|\byou said|\byou(?:'re| are) (?:at|asking(?: for)?|offering|looking at|paying)|\byou want|\basking for|\bquoted|\boffered you|\bbudget of|"
    r"\bcheaper at|\bsomeone else|\bthe market(?: is)?|\bpaying|\bcurrently pay|\bthe \$?[\d.,]+ (?:ask|target))(?:\W{1,3}\w+){0,3}\W{0,3}\Z",
    re.I,
)
# After the amount: the buyer's or a rival's number ("the 7.50 target", "a $40 competitor",
# "the $39 rival tool", "at 7.50 from the others").
_THEIRS_AFTER = lazy(
    r"\A\W{0,3}(?:\w+\W{1,3}){0,2}(?:target|ask|request|they|from (?:them|the others|competitors?)|that (?:they|the others|you)|you (?:mentioned|quoted|asked|want|need|proposed)"
    r"|(?:competitor|competition|rival|incumbent|bidder|vendor|supplier|provider)s?\b)",
    re.I,
)
_FLOOR_BEFORE = lazy(r"\b(?:below|under|lower than|less than|beneath|beyond|past|lower)\W{1,3}(?:\w+\W{1,3}){0,1}\Z", re.I)
_SMALLER_INCREASE = lazy(r"\b(?:increase|rise|uplift)\b", re.I)
_RAISE_CUE = lazy(r"\b(?:increase|rise|rises|rising|go up|goes up|going up|more|higher|uplift|surcharge|premium|extra|plus|on top|add|adds)\b", re.I)
# "<verb> <object> by N%" where the object is not the price: a claim about value
# ("cuts route planning time by forty percent", "reduces your fuel costs by 12%").
_VALUE_BY_RX = lazy(
    r"\b(?:cut|cuts|cutting|reduce[sd]?|reducing|lower[sd]?|lowering|shorten(?:s|ed|ing)?|sav(?:e|es|ed|ing)|"
    r"improve[sd]?|improving|boost(?:s|ed|ing)?|increase[sd]?|increasing|rais(?:e|es|ed|ing)|trim(?:s|med|ming)?|"
    r"slash(?:es|ed|ing)?|halve[sd]?|speed(?:s|ing)? up|grow(?:s|ing)?|drops?|dropped|dropping|shrink(?:s|ing)?)"
    r"((?: [\w'-]+){1,5}) by(?: (?:about|around|roughly|nearly|almost|over|up to|at least|as much as|more than))?\s*\Z"
)
_PRICE_OBJECT = lazy(r"\b(?:it|that|this|price|prices|pricing|rate|rates|fee|fees|quote|offer|number|figure|invoice|subscription|retainer|list)\b")


def _value_by(before: str) -> bool:
    m = _VALUE_BY_RX.search(before)
    return bool(m) and not _PRICE_OBJECT.search(m.group(1))


_OFF_THE_TABLE = lazy(r" (?:the )?table\b", re.I)
_WH_Q = lazy(r"\A\W*(?:\w+\W+){0,2}?(?:what|why|how|when|who|where|which)\b(?! about| if)", re.I)


@dataclass
class PriceFindings:
    """Everything the price rules found, for the verdicts and the evidence."""

    gives: list[Span] = field(default_factory=list)
    give_reasons: list[str] = field(default_factory=list)
    holds: list[Span] = field(default_factory=list)
    hold_reasons: list[str] = field(default_factory=list)
    gets: list[tuple[str, Span]] = field(default_factory=list)
    conditions: list[Span] = field(default_factory=list)
    offered: list[float] = field(default_factory=list)  # prices the rep put on the table
    offer_amounts: list[Amount] = field(default_factory=list)  # the amounts among them, in order
    amounts: list[Amount] = field(default_factory=list)  # every amount in the response
    topic: bool = False
    find_promise: bool = False
    generic_return: list[Span] = field(default_factory=list)
    pending_gets: list[tuple[str, Span]] = field(default_factory=list)


_MAX_HITS = 12  # conditions looked at per sentence (real sentences have one or two)
_WINDOW = 160  # how far back (chars) a rule looks for context: keeps long sentences linear


def analyse(text: str, sents: list[Piece], ctx: Context, asked: frozenset[int] = frozenset(), answer=None) -> PriceFindings:
    """Run the price rules over every sentence. `asked`: starts of sentences that hold a
    question or a request (their price words are questions, not statements). `answer`:
    the reply's acceptance or decline of the buyer's ask (scoring.reply.Answer), if any."""
    f = PriceFindings()
    ref = ctx.our_price if ctx.our_price is not None else ctx.list_price
    amounts = find_amounts(text, ref if ref is not None else ctx.their_price, ctx.currency == "%")
    f.amounts = amounts
    # The gets and gives whose words occur nowhere in the response can match no piece of
    # it: the rules below loop over the rest only (see fastre.Rx.ruled_out).
    gets_rx = tuple(t for t in gets_for(ctx.gets) if not t.rx.ruled_out())
    gives_rx = compile_terms(ctx.gives) if ctx.gives else ()

    # amounts grouped by sentence in one pass (both lists are in text order)
    per_sent: list[list[Amount]] = []
    i = 0
    for sent in sents:
        while i < len(amounts) and amounts[i].start < sent.start:
            i += 1
        j = i
        group = []
        while j < len(amounts) and amounts[j].start < sent.end:
            if amounts[j].end <= sent.end:
                group.append(amounts[j])
            j += 1
        per_sent.append(group)
    prev = None
    for sent, sent_amounts in zip(sents, per_sent):
        _sentence(text, sent, ctx, sent_amounts, gets_rx, gives_rx, f, prev, sent.start in asked,
                  answer if answer is not None and sent.start <= answer.span.start < sent.end else None)
        prev = sent
    if f.pending_gets and f.gives:
        f.gets.extend(f.pending_gets)
    # a get read inside a give is part of it: "three months free" gives, it asks no term
    f.gets = [(n, sp) for n, sp in f.gets if not any(g.start <= sp.start and sp.end <= g.end for g in f.gives)]
    return f


def _is_question_sentence(sent: Piece) -> bool:
    return sent.is_question  # ends in "?" (before any trailing white space)


_VALUE_BEFORE = lazy(r"\b(?:worth|value[sd]?|sav(?:e|es|ing|ings)|cost(?:s)? you|losing|lose|costing|of value|benefit)\b(?:\W{1,3}\w+){0,3}\W{0,3}\Z", re.I)
_ABOVE_AFTER = lazy(r"\A\W{0,2}(?:higher|more than|above|dearer|on top|extra)\b", re.I)  # "a dollar higher"
_VALUE_AFTER = lazy(r"\A\W{0,3}(?:(?:a|per) \w+ )?(?:of|in) (?:value|savings?|benefit)\b", re.I)
#: A price that names a product ("a $40 system that has to be learned", "the cheaper $39
#: plan"): quoting an alternative, not offering it.
_PRODUCT_BEFORE = lazy(r"\b(?:a|an|the|that|their|your|this|his|her)(?: (?:cheaper|cheap|rival|competing|other|basic))?\W{0,2}\Z", re.I)
_PRODUCT_AFTER = lazy(
    r"\A\W{0,2}(?:system|plan|tool|product|platform|vendor|supplier|provider|solution|alternative|version|app|software|"
    r"package|competitor|option|model|drives?|units?|parts?)s?\b(?! (?:is|stays|would be) (?:yours|ours|fine|doable))",
    re.I,
)


def _classify_amount(text: str, sent: Piece, a: Amount, ctx: Context) -> str:
    """'offer', 'theirs', 'declined', 'raise' or 'mention' for one price amount. Under half
    of every price in play it is never an offer ("a dollar is a lot" against $8.50 a drive:
    the gap, not a price)."""
    offer = "mention" if _far_below(a.value, ctx) else "offer"
    before = text[max(sent.start, a.start - 60) : a.start]
    after = text[a.end : min(sent.end, a.end + 50)]
    low_b = before.lower()
    is_q = _is_question_sentence(sent)
    local = text[max(sent.start, a.start - _WINDOW) : a.start]
    accept = bool(ACCEPT_BEFORE.search(before)) or bool(ACCEPT_AFTER.match(after)) or bool(ACCEPT_LEAD.match(local))
    theirs = bool(_THEIRS_BEFORE.search(before)) or bool(_THEIRS_AFTER.match(after))
    if _VALUE_BEFORE.search(before) or _VALUE_AFTER.match(after) or (
            _PRODUCT_BEFORE.search(before) and _PRODUCT_AFTER.match(after)):
        return "mention"
    floor = bool(_FLOOR_BEFORE.search(before))
    neg = negated_before(local, len(local))
    if floor:
        # "we can't go below 8.20" names 8.20 as the floor: an offer at that number.
        return offer if not theirs else "declined"
    if neg or DECLINE_AFTER.match(after):
        return "declined"
    if theirs and not accept:
        return "theirs"
    if not accept and _is_buyers_number(a.value, ctx) and not _offers_their_number(local, after):
        # "I hear you on 7.50", "behind the 7.50", "at 7.50 the others…": the buyer's own
        # number referred to, not put on the table.
        return "theirs"
    if is_q:
        if _WH_Q.match(local) and not re.search(r"\b(?:how about|what about|what if)\b", local, re.I):
            return "mention"
        if not accept and re.search(r"\b(?:you(?:'re| are)?|they(?:'re| are)?) (?:currently |now |already )?(?:paying|pay|at|quoted|offered|getting)\b|\bso the\b|\bis (?:the|that)\b", local, re.I):
            return "theirs"
        if re.match(r"\A\W*(?:is|are|was)\W*\Z", local, re.I) and not re.match(r"\A\W{0,3}(?:\w+\W{1,3}){0,1}(?:ok|okay|fine|acceptable|good|alright|doable|workable|enough|possible|any good|better)\b", after, re.I):
            return "mention"
        return offer
    if _RAISE_CUE.search(low_b[-25:]) or _ABOVE_AFTER.match(after):
        # "a phased increase, say 44" against a standing 46 is money off it, not a raise
        smaller = ctx.our_price is not None and offer == "offer" and a.value < ctx.our_price * 0.999
        return offer if smaller and _SMALLER_INCREASE.search(low_b[-25:]) else "raise"
    return offer


# Cues that put the buyer's own number on the table ("how about 7.50?", "we could live with
# 7.50", "let's call it 7.50"), beyond the accept forms above.
_OFFER_THEIRS_BEFORE = lazy(
    r"\b(?:how about|what about|what if|consider|offer|quote|propose|did|call it|make it|live with|happy with|good with|fine with|ok with|okay with|"
    r"for|(?<!compared )(?<!relative )(?<!close )(?<!next )(?<!similar )(?<!equal )(?<!got )to)\W{0,3}\Z",
    re.I,
)
_BARE_AFTER = lazy(r"\A\W*(?:(?:then|final|and done|flat|a unit|per unit|each|it is)\W*)*\Z", re.I)


def _far_below(value: float, ctx: Context) -> bool:
    """Under half of every price in play: an amount of some other kind (the gap between
    the prices, a fee, a saving), never a price the rep puts on the table."""
    if ctx.currency == "%":
        return False  # a fee in percent beside amounts of money ("1.9% + 20p")
    prices = [p for p in (ctx.their_price, ctx.walk_away, ctx.our_price) if p is not None and p > 0]
    return bool(prices) and value < 0.5 * min(prices)


def _is_buyers_number(value: float, ctx: Context) -> bool:
    t = ctx.their_price
    return t is not None and abs(value - t) <= 1e-6 * max(1.0, abs(t))


def _offers_their_number(local: str, after: str) -> bool:
    """Is the buyer's number, found at `local|after`, put on the table rather than referred to?"""
    if _OFFER_THEIRS_BEFORE.search(local[-30:]) or re.search(r"\b(?:we|i)(?:'ll|'d| will| would| can| could)? (?:do|go|take|accept|match|offer|settle)\b(?:\W{1,3}\w+){0,2}\W{0,3}\Z", local, re.I):
        return True
    # the sentence is just the number ("7.50 then.", "Fine. 7.50, final.")
    return not re.search(r"\w", local) and bool(_BARE_AFTER.match(after))


_LINK_PREP = lazy(r"\b(?:for|with|on|against|at|by)(?: (?:a|an|the|your|all|all of your|a firm|a signed))?\W*\Z", re.I)
_GET_FIRST = Rx(
    r"\A\W*(?:(?:ok(?:ay)?|so|look|well|tell you what|here'?s the thing|here'?s what i can do|listen|alright|right|then|just)\W+)*"
    r"(?:commit|sign|give|get|guarantee|pay|prepay|take|add|double|extend|agree|make|put|introduce|order|lock|move|book|share|bring|buy|increase|"
    r"refer|hit|send|standardi[sz]e|consolidate|renew|approve|choose|pick|switch|drop|cut|reduce|accept|confirm)\b"
    r"(?:[^.!?;]{0,120}?\b(?:and|&)\b|\W[^,.!?;]{3,120}?,)",  # "sign today and...", "sign this month, two years, ..."
    re.I,
)


_PIECE = lazy(r"[:,]\s*")
_GET_FIRST_HEAD = lazy(
    r"\W*(?:(?:ok(?:ay)?|so|look|well|tell you what|here'?s the thing|here'?s what i can do|listen|alright|right|then|just)\W+){0,4}"
    r"(?:commit|sign|give|get|guarantee|pay|prepay|take|add|double|extend|agree|make|put|introduce|order|lock|move|book|share|bring|buy|increase|"
    r"refer|hit|send|standardi[sz]e|consolidate|renew|approve|choose|pick|switch|drop|cut|reduce|accept|confirm)\b",
    re.I,
)


def _clause_after(s: str, start: int) -> str:
    """The condition's own clause: from the marker to the next comma/semicolon or main verb."""
    rest = s[start : start + _WINDOW]
    m = re.search(r",|;|\bthen\b|\b(?:i|we)(?:'ll| will| can| could|'d| would)\b|\band (?:i|we)\b", rest[3:], re.I)
    return rest[: m.start() + 3] if m else rest


#: After a give: it is refused ("the discount isn't happening", "the refund stays off the table").
_REFUSED_AFTER = lazy(
    r"\W{0,3}(?:\w+\W{1,3}){0,2}(?:is(?:n'?t| not)|isn’t|are(?:n'?t| not)|won'?t|doesn'?t|can'?t|is off|is never|aren’t|"
    r"will not|would not|wouldn'?t|(?:stays?|remains?|is|are) (?:off the table|out of the question|not on (?:the table|offer))"
    r"|(?:was|were) (?:a mistake|the wrong (?:answer|idea|move)|wrong|off the mark)|missed the (?:point|mark))",
    re.I,
)
#: The rep taking on the buyer's terms ("if we accept all the other terms"): a give.
_IF_WE_ACCEPT = lazy(r"\A(?:if|once|when|provided) (?:we|i)(?:'ll| will| can)? (?:accept|agree to|go along with|take on|carry|sign up to)\b", re.I)
#: A question that offers the rep's own give ("do you want me to include a free trial?").
_OFFER_Q = lazy(r"\b(?:(?:do|would) you (?:want|like) (?:me|us) to|(?:want|like) (?:me|us) to|shall (?:i|we)|should (?:i|we))\b", re.I)
#: A question that puts the rep's own move on the table ("what if I throw in shipping?").
_PROPOSES = lazy(r"\b(?:what if|what about if|how about if|how about|what about) (?:i|we)\b", re.I)
_GIVE_LASTS = lazy(r"\b(?:for|in|during|over|through(?:out)?) (?:the |your |a |an |one |its )?(?:first|next|whole|entire|initial|opening|coming|\d+|one|two|three|six|twelve)?\s*\Z", re.I)


def _get_names(clause: str, gets_rx, weak: bool) -> list[tuple[str, int, int]]:
    out: list[tuple[str, int, int]] = []
    scenario: list[tuple[str, int, int]] = []
    low = clause.lower()
    for t in gets_rx:
        for m in t.rx.finditer_low(clause, low):
            before = clause[max(0, m.start() - _WINDOW) : m.start()]
            if re.search(r"\b(?:thank(?:s|[- ]you)(?: you)? for|we'?ll give you|we give you|you get|you'?ll get|i'?ll give you|including|includes|plus|we'?ll (?:add|include|throw in|provide|send|extend))\b[^,]{0,25}\Z", before, re.I):
                continue
            if t not in BUILTIN_GET_TERMS or not any(a < m.end() and m.start() < b for _, a, b in scenario):
                out.append((t.id, m.start(), m.end()))
                if t not in BUILTIN_GET_TERMS:
                    scenario.append(out[-1])  # a scenario's own get names the ask
    if not out and weak:
        for name, rx in FALLBACK_GETS:
            m = rx.search(clause)
            if m and name == "term" and _GIVE_LASTS.search(clause, 0, m.start()):
                continue  # "free shipping for the first year": how long a give lasts
            if m:
                out.append((name, m.start(), m.end()))
                break
        if not out:
            out.append(("commitment", 0, len(clause)))
    return out


_ASKING = Rx(
    r"\b(?:(?:my|the|one|all i) ask\b|i'?d (?:like|love|want)|i would (?:like|love)|let'?s (?:book|set|find|get|put|grab|pencil|lock)|"
    r"give me|grant me|spare me|(?:can|could|may) (?:i|we) (?:have|get|book|grab|borrow|ask)|how about|what about)\b",
    re.I,
)


def asked_gets(text: str, ctx: Context, has_question: bool) -> tuple[str, ...]:
    """The scenario's gets a response requests: named in a response that asks a question or
    makes a request ("fifteen minutes next week?", "all I ask is half an hour"). Only the
    scenario's own gets: "are we still on track to sign?" is pressure, not an ask."""
    own = {t.id for t in ctx.gets}
    if not own or not (has_question or _ASKING.search(text) or REQUEST_GET.search(text)):
        return ()
    return tuple(dict.fromkeys(name for name, _ in named_gets(text, ctx) if name in own))


def named_gets(text: str, ctx: Context) -> list[tuple[str, Span]]:
    """The gets a response names anywhere, not negated and not offered to the buyer: what a
    response that the verdicts read as asking for something in return asks for."""
    out = []
    for name, a, b in _get_names(text, gets_for(ctx.gets), weak=False):
        clause = _SENTENCE_START.split(text[:a])[-1]  # a negation only reaches its sentence
        if not negated_before(clause, len(clause)):
            out.append((name, span(text, a, b)))
    return out


_SENTENCE_START = lazy(r"[.!?;:\n]\s")


# An if-clause whose subject is the rep making a move ("if we start with…", "if I include…").
_IF_WE_GIVE = lazy(
    r"\b(?:if|once|when|suppose|supposing|say) (?:i|we)(?: (?:were to|can|could|did|do|decide to|agree to|agreed to|were able to|'re able to|are able to|'d|'ll|will|just))?"
    r" (?:start|begin|include|drop|add|offer|give|do|go|extend|waive|throw|phase|pilot|run|cover|take|move|lower|reduce|cut|"
    r"split|match|meet|guarantee|put|sharpen|absorb|knock|shave|bring|find|build|provide|send|share|limit|narrow|scale|"
    r"trim|fix|freeze|cap|hold (?:off|back)|throw in|kick off|begin|roll out|tried|try|"
    r"started|began|included|dropped|added|offered|gave|went|extended|waived|threw|phased|piloted|ran|covered|took|moved|"
    r"lowered|reduced|matched|met|guaranteed|brought|found|built|provided|sent|shared|limited|narrowed|scaled|trimmed|"
    r"fixed|froze|capped|rolled out|kicked off)\b",
    re.I,
)
# The main clause asks the buyer for something in return.
_ASK_YOU = lazy(
    r"\A\W*(?:then\W+)?(?:(?:could|would|will|can|might|are|would) you\b|(?:i|we)(?:'d| would|'ll| will)? (?:need|ask|want|expect|require)\b|"
    r"you(?:'d| would|'ll| will) (?:need|have) to\b|(?:what|how) (?:would|could|can|will) you (?:give|offer|do|bring|commit)\b|"
    r"(?:in return|in exchange)\b)",
    re.I,
)


_WHAT_IT_TAKES = Rx(r"\bwhat (?:would|will|does|'?d|could) it take (?:for (?:you|us|me) )?to (?:give|get|sign|commit|award|hand|move|put|book|win|earn)\b", re.I)


def _if_we_offer(sent_text: str, gets_rx) -> tuple[tuple[int, int], list[tuple[str, int, int]]] | None:
    """((give start, end), gets) for "if we <move>, could you <get>?", else None."""
    m = _IF_WE_GIVE.search(sent_text)
    if m is None:
        return None
    comma = sent_text.find(",", m.end(), m.end() + _WINDOW)
    if comma < 0:
        return None
    if NEGATION_RX.search(sent_text, m.start(), comma):
        return None
    main = sent_text[comma + 1 : comma + 1 + _WINDOW]
    if not _ASK_YOU.match(main):
        return None
    gets = [(n, comma + 1 + a, comma + 1 + b) for n, a, b in _get_names(main, gets_rx, weak=True)]
    return (m.start(), comma), gets


def _conditional_gets(sent_text: str, sent_low: str, gets_rx, prev_text: str | None, has_give: bool, has_amount: bool) -> list[tuple[str, int, int, bool]]:
    """Gets tied to a give in this sentence: (name, start, end, in_prev_sentence)."""
    low = sent_text
    found: list[tuple[str, int, int, bool]] = []
    for m in itertools.islice(CONDITION_CUE.finditer_low(low, sent_low), _MAX_HITS):
        if EVEN_IF.search(low[max(0, m.start() - 6) : m.end()]):
            continue
        rest = low[m.start() : m.start() + _WINDOW]
        if NOT_CONDITION.match(rest) or (_IF_WE_GIVE.match(rest) and _if_we_offer(rest, gets_rx) is not None):
            continue  # a friendly if, or the rep's own move with an ask after it (see _if_we_offer)
        if THIRD_PARTY_IF.match(rest) or (
            not (has_give or has_amount) and low.rstrip().endswith("?") and not _IF_WE_GIVE.match(rest)
            and HYPOTHETICAL_QUESTION.search(low, 0, m.start())
        ):
            continue  # someone else's condition, or a question (putting nothing on the table) imagining the buyer's world
        if ANAPHORIC_CONDITION.match(rest) and prev_text:
            for name, a, b in _get_names(prev_text, gets_rx, weak=True):
                found.append((name, a, b, True))
            continue
        if m.group(0).lower() in ("against",) and not (has_give or has_amount):
            continue
        clause = _clause_after(low, m.start())
        # "what if I throw in shipping?" proposes the rep's own move: only a get it names
        # is asked for (guessing one would make every proposal a trade).
        proposal = bool(_IF_WE_GIVE.match(rest)) and bool(_PROPOSES.search(low, max(0, m.start() - 15), m.end() + 4))
        # "if we accept all the other terms": the clause is the rep's own move, so only a get
        # it names is asked for (the fallback guesses would read "all the" as volume)
        for name, a, b in _get_names(clause, gets_rx, weak=not (proposal or _IF_WE_ACCEPT.match(rest))):
            found.append((name, m.start() + a, m.start() + b, False))
    for piece_start in [0] + [m.end() for m in itertools.islice(_PIECE.finditer(low), _MAX_HITS)]:
        if not _GET_FIRST_HEAD.match(low, piece_start):
            continue
        g = _GET_FIRST.match(low[piece_start : piece_start + _WINDOW])
        if g:
            clause = low[piece_start : piece_start + g.end()]
            for name, a, b in _get_names(clause, gets_rx, weak=True):
                found.append((name, piece_start + a, piece_start + b, False))
            break
    for m in itertools.islice(ASK_BACK.finditer_low(low, sent_low), _MAX_HITS):
        clause = low[m.end() : m.end() + 90]
        for name, a, b in _get_names(clause, gets_rx, weak=False):
            found.append((name, m.end() + a, m.end() + b, False))
    if not found and has_give:
        for name, a, b in _get_names(low, gets_rx, weak=False):
            if _LINK_PREP.search(low[max(0, a - 24) : a]) and not re.search(r"\b(?:years?|months?)\s*\Z", low[a:b], re.I) or (
                _LINK_PREP.search(low[max(0, a - 24) : a]) and re.search(r"\b(?:term|agreement|contract|commitment|deal|renewal|retainer|subscription|plan|licen[cs]e|lease|service)\b", low[a : b + 20], re.I)
            ):
                found.append((name, a, b, False))
    return found


def _sentence(text, sent: Piece, ctx: Context, amounts, gets_rx, gives_rx, f: PriceFindings, prev: Piece | None, asked: bool, answer=None) -> None:
    st, en = sent.start, sent.end
    is_q = _is_question_sentence(sent)
    tag_q = is_q and bool(_TAG_Q.search(sent.text))
    sent_low = sent.text.lower()  # lower-cased once for every prefiltered pattern below
    statement = (not is_q and not asked) or tag_q
    has_topic = False
    sent_gives: list[tuple[Span, str]] = []
    sent_holds: list[tuple[Span, str]] = []
    ref = ctx.our_price if ctx.our_price is not None else ctx.list_price
    sent_amounts = amounts  # analyse() passes this sentence's amounts only
    if answer is not None:  # "I can do that." / "We can't do that." to the buyer's ask
        (sent_gives if answer.kind == "accept" else sent_holds).append((answer.span, answer.why))
        has_topic = True

    roles = {id(a): _classify_amount(text, sent, a, ctx) for a in sent_amounts if a.kind not in ("pct", "delta")}
    # A sentence that declines a number does not also offer it: "$7.50 drives that take
    # four months are not really $7.50" names the buyer's alternative, then turns it down.
    declined = {a.value for a in sent_amounts if roles.get(id(a)) == "declined"}
    for a in sent_amounts:
        sp = span(text, a.start, a.end)
        local = text[max(st, a.start - _WINDOW) : a.start]
        if a.kind in ("pct", "delta"):
            after = text[a.end : min(en, a.end + 40)].lower()
            before = text[max(st, a.start - 40) : a.start].lower()
            if a.kind == "pct" and re.match(r"\A\W{0,2}(?:\w+ ){0,2}(?:up ?front|deposit|in advance|increase|uplift|more|growth|of (?:the|your|their)|upfront|prepay|higher|rise|volume|margin)", after):
                continue
            if a.kind == "pct" and re.search(r"(?:increase|uplift|rise|up|more|deposit|pay|margin)\W{0,3}(?:\w+\W{1,3}){0,2}\Z", before) and not re.search(r"\b(?:off|discount|lower|less|reduc)", after[:20]):
                if statement:
                    sent_holds.append((sp, "raises or keeps the price"))
                continue
            if a.kind == "delta" and _ABOVE_AFTER.match(after):
                if statement:
                    sent_holds.append((sp, "says how far above the buyer's number the price stays"))
                    has_topic = True
                continue  # "we're a dollar higher for a reason": the gap defended, not money off
            if a.kind == "pct" and _value_by(before):
                continue  # "cuts planning time by 40%": a value claim, not money off
            has_givey = a.kind == "delta" or re.search(r"\b(?:off|discount|lower|less|reduc|rebate|cut|down|knock|take|shave|give|do|offer|sharpen|drop)", before + " " + after[:25])
            if not has_givey:
                continue
            if negated_before(local, len(local)) or (is_q and _WH_Q.match(local)):
                if statement:
                    sent_holds.append((sp, "declines to take money off"))
                    has_topic = True
                continue
            if re.search(r"\b(?:your|their|they|the others?|competitors?)\b[^.]{0,25}\Z", before) and not re.search(r"\b(?:match|meet|give|do|offer)\b", before[-30:]):
                continue
            sent_gives.append((sp, "takes money off the price"))
            if ref is not None:
                # "20% off" is off the list price, however far the offer has already moved
                base = ctx.list_price if a.kind == "pct" and ctx.list_price is not None else ref
                f.offered.append(base * (1 - a.value / 100.0) if a.kind == "pct" else ref - a.value)
            continue
        role = roles[id(a)]
        if role == "offer" and a.value in declined:
            role = "mention"
        if role in ("theirs", "mention"):
            continue
        if statement:
            has_topic = True
        if role == "declined":
            sent_holds.append((sp, "declines that number"))
            continue
        if role == "raise":
            sent_holds.append((sp, "names a higher price"))
            continue
        if ref is None:
            if ctx.their_price is not None and a.value <= ctx.their_price * 1.001:
                sent_gives.append((sp, "accepts the buyer's number"))
                f.offered.append(a.value)
                f.offer_amounts.append(a)
            elif re.search(r"\b(?:can do|could do|i'?ll do|we'?ll do|go to|drop to|come down|bring it down|meet you|let'?s say|how about|what about)\b", local[-40:], re.I):
                sent_gives.append((sp, "names a new price"))
                f.offered.append(a.value)
                f.offer_amounts.append(a)
            else:
                sent_holds.append((sp, "states the price"))
                f.offered.append(a.value)
                f.offer_amounts.append(a)
            continue
        if a.value < ref * 0.999:
            sent_gives.append((sp, f"names a price below the standing offer ({ref:g})"))
        else:
            sent_holds.append((sp, "restates the standing price"))
        f.offered.append(a.value)
        f.offer_amounts.append(a)

    for m in GIVE_PHRASES.finditer_low(sent.text, sent_low):
        s0, e0 = st + m.start(), st + m.end()
        local = sent.text[max(0, m.start() - _WINDOW) : m.start()]
        sp = span(text, s0, e0)
        if m.group(0).lower().endswith("on us") and _OWNING_IT.search(
            sent.text[max(0, m.start() - 24) : m.end()]
        ):
            # "that's on us": owning a failure, not giving anything away
            continue
        if _ALREADY_INCLUDED.search(sent.text[max(0, m.start() - 80) : m.start()]):
            # "standard for us at no additional cost": already the buyer's, the price kept
            if statement:
                sent_holds.append((sp, "says it is already included"))
                has_topic = True
            continue
        if m.group(0).lower().endswith("off") and _OFF_THE_TABLE.match(sent.text, m.end()):
            # "take the proposal off the table": withdrawing an offer gives nothing away
            if statement:
                sent_holds.append((sp, "withdraws the offer instead of cutting it"))
                has_topic = True
            continue
        if negated_before(local, len(local)) or _REFUSED_AFTER.match(sent.text, m.end()):
            if statement:
                sent_holds.append((sp, "declines the concession"))
                has_topic = True
            continue
        if is_q and not _PROPOSES.search(local) and (_WH_Q.match(local) or re.search(r"\b(?:why|what)\b", local, re.I)):
            continue  # "why do you need a discount?" asks about it ("what if I add...?" offers it)
        if not (is_q and _OFFER_Q.search(local)):  # "do you want me to include a free trial?" offers it
            if is_q and re.match(r"\A\W*(?:is|are|do|does|did)\b", local, re.I):
                continue
            if re.search(r"\b(?:you(?:'re| are)? (?:asking|want|wanted|looking|hoping|need)|they(?:'re| are)? (?:offering|giving)|the others?|competitors?|your request|that request|the ask for|(?:you|they) mentioned|thank(?:s|[- ]you)(?: you)? for)\b[^.]{0,30}\Z", local, re.I):
                continue
            if re.search(r"\b(?:include[sd]?|including|covers?|comes? with)\b[^.]{0,30}\Z", local, re.I) and not re.search(r"\b(?:we'?ll|i'?ll|we will|i will|can|could)\b", local, re.I):
                continue
        if statement:
            has_topic = True
        sent_gives.append((sp, "offers a concession"))
    stalled = bool(gives_rx) and STALL.search_low(sent.text, sent_low) is not None
    for t in gives_rx:
        for m in t.rx.finditer_low(sent.text, sent_low):
            local = sent.text[max(0, m.start() - _WINDOW) : m.start()]
            sp = span(text, st + m.start(), st + m.end())
            if negated_before(local, len(local)) or re.search(r"\brather not\b", local, re.I) \
                    or _REFUSED_AFTER.match(sent.text, m.end()):
                if statement:
                    sent_holds.append((sp, f"declines: {t.name}"))
                continue
            if is_q and not re.search(r"\b(?:can|could|shall|should|may) (?:i|we) (?:\w+ )?\Z", local, re.I) and not _PROPOSES.search(local):
                continue
            if asked:
                continue
            if stalled and not OFFER_CUE.search(local):
                continue  # "my manager will need to approve any change to liability": deferred, not given
            if re.search(r"\b(?:people|someone|they|customers|clients|buyers|most|you)\b[^.]{0,20}\b(?:ask|asks|asked|want|wants|request|requests)\b[^.]{0,20}\Z|\bask(?:s|ed)? (?:me |us )?for\b[^.]{0,10}\Z", local, re.I):
                continue
            sent_gives.append((sp, f"gives: {t.name}"))
    for m in FIND_PROMISE.finditer_low(sent.text, sent_low):
        local = sent.text[max(0, m.start() - _WINDOW) : m.start()]
        if negated_before(sent.text[max(0, m.start() - _WINDOW) : m.end()], m.end() - max(0, m.start() - _WINDOW)):
            continue
        sent_gives.append((span(text, st + m.start(), st + m.end()), "promises to go and find a better number"))
        f.find_promise = True
    if statement:
        for m in HOLD_PHRASES.finditer_low(sent.text, sent_low):
            sent_holds.append((span(text, st + m.start(), st + m.end()), "keeps the price and defends its value"))
            has_topic = True

    # "If we start with the loans team, could you bring your CFO in?": the if-clause is the
    # rep's move, the main clause asks the buyer for something back.
    offer = _if_we_offer(sent.text, gets_rx)
    if offer is not None:
        (a, b), gets = offer
        if not any(st + a <= g.start < st + b for g, _ in sent_gives):
            sent_gives.append((span(text, st + a, st + b), "offers a move on condition"))
        for name, ga, gb in gets:
            f.gets.append((name, span(text, st + ga, st + gb)))
        has_topic = True

    # A request for something named ("Can I ask your advice first?", "Could you give me
    # fifteen minutes on Tuesday?"): asked back if the response also gives something.
    if asked or is_q:
        for m in itertools.islice(REQUEST_GET.finditer_low(sent.text, sent_low), _MAX_HITS):
            for name, a, b in _get_names(sent.text[m.end() : m.end() + 90], gets_rx, weak=False):
                f.pending_gets.append((name, span(text, st + m.end() + a, st + m.end() + b)))

    # "What would it take to give us the whole order?": asks what the buyer needs in
    # return for something named.
    m = _WHAT_IT_TAKES.search_low(sent.text, sent_low)
    if m is not None:
        for name, a, b in _get_names(sent.text[m.end() : m.end() + 90], gets_rx, weak=False):
            f.gets.append((name, span(text, st + m.end() + a, st + m.end() + b)))

    # Gets tied to a give by a condition.
    has_give = bool(sent_gives)
    conds = _conditional_gets(sent.text, sent_low, gets_rx, prev.text if prev else None, has_give, bool(sent_amounts))
    offerish = has_give or (bool(conds) and bool(OFFER_CUE.search(sent.text)))
    if conds and offerish:
        for name, a, b, in_prev in conds:
            base = prev.start if in_prev and prev else st
            f.gets.append((name, span(text, base + a, base + b)))
    elif conds:
        f.pending_gets.extend((name, span(text, (prev.start if in_prev and prev else st) + a, (prev.start if in_prev and prev else st) + b)) for name, a, b, in_prev in conds)
    for m in GENERIC_RETURN.finditer_low(sent.text, sent_low):
        if offerish or f.gives or OFFER_CUE.search(sent.text):
            f.generic_return.append(span(text, st + m.start(), st + m.end()))
    for sp, why in sent_gives:
        f.gives.append(sp)
        f.give_reasons.append(why)
    for sp, why in sent_holds:
        f.holds.append(sp)
        f.hold_reasons.append(why)
    if has_topic or (statement and not f.topic and PRICE_TOPIC.search_low(sent.text, sent_low)):
        f.topic = True


def verdict(text: str, f: PriceFindings, exchange: bool) -> Verdict:
    """Hold, trade, concede or none from the findings; `exchange`: something is asked in return."""
    gives = dedupe(f.gives)
    if gives and exchange:
        return Verdict("trade", dedupe(f.gives + f.conditions + [s for _, s in f.gets]), "A give tied to a get: the buyer pays for any movement.", "price.give_with_get")
    if gives:
        why = f.give_reasons[0] if f.give_reasons else "moves toward the buyer"
        return Verdict("concede", gives, f"A concession with nothing asked back: {why}.", "price.give")
    if exchange:
        conds = dedupe(f.conditions + [s for _, s in f.gets] + f.generic_return)
        if any(OFFER_CUE.search(text[max(0, c.start - 120) : c.end + 120]) for c in conds) or f.topic or f.holds:
            return Verdict("trade", conds, "Movement offered only in return for something the buyer gives.", "price.condition")
    if f.holds:
        why = f.hold_reasons[0] if f.hold_reasons else "keeps the price"
        return Verdict("hold", dedupe(f.holds), f"Keeps the price: {why}.", "price.hold")
    if f.topic:
        return Verdict("hold", (), "Talks about price without moving it.", "price.topic")
    return Verdict("none", (), "Price and terms not addressed.", "price.none")


def return_names(f: PriceFindings) -> list[str]:
    """What the response asks in return, each named once in text order ("something in
    return" when it asks back only in general)."""
    names: list[str] = []
    for name, _ in f.gets:
        if name not in names:
            names.append(name)
    if not names and f.generic_return:
        names.append("something in return")
    return names


def exchange_verdict(f: PriceFindings, names: list[str]) -> Verdict:
    """Yes when something is asked in return (`names`, from return_names)."""
    if names:
        return Verdict("yes", dedupe([s for _, s in f.gets] + f.generic_return + f.conditions), "Asks for " + ", ".join(names) + " in return.", "exchange.get")
    return Verdict("no", (), "Nothing asked in return.", "exchange.none")
