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

import re
from dataclasses import dataclass, field

from simulator.scoring.amounts import Amount, find_amounts
from simulator.scoring.model import Context, Span
from simulator.scoring.text import Piece, clauses
from simulator.scoring.vocab import CompiledTerm, compile_terms, gets_for

_NEG = r"(?:not|n't|never|no|cannot|can't|cant|won't|wont|unable|impossible|refuse|without|nothing|nor|neither|none)"
_NEG_RX = re.compile(r"\b" + _NEG + r"\b|n't\b|n’t\b", re.I)

# Gives that need no number.
_GIVE_PHRASES = re.compile(
    r"(?<![\w-])(?:"
    r"(?:a |an |some |small |little |bit of (?:a )?|extra |further |additional |special |one-off |one-time |loyalty |volume |bigger |larger |deeper |modest |token |goodwill )*discount(?:ed|ing)?"
    r"|knock(?:ing|ed)? (?:\S+ )?off|take (?:\S+ ){0,2}off|taking (?:\S+ ){0,2}off|shave (?:\S+ ){0,2}off|shav(?:e|ing) (?:a bit|some|a little)"
    r"|(?:lower|reduce|drop|cut|trim|sharpen|bring down|bring(?:ing)? (?:the )?(?:price|rate|number|fee|cost)s? down|adjust)(?:ing|ed)? (?:the |our |my |your |that )?(?:price|pricing|rate|number|fee|quote|cost|offer)s?"
    r"|(?:come|go|get|move|drop|bring it|sharpen|budge|flex) (?:down|lower|a (?:bit|little)(?: lower| further)?|further|below)\b"
    r"|better (?:price|number|rate|deal|offer|terms|pricing)|best (?:price|number|possible price|rate|deal) (?:i|we) can|sharper (?:price|number|pencil)|sharpen (?:my|our|the) pencil"
    r"|price[- ]match|match(?:ing)? (?:their|the|that|your|his|her|competitor'?s?|the other|what)(?: \w+){0,3}? ?(?:price|number|offer|quote|rate|bid|figure|target)?"
    r"|meet(?:ing)? (?:you|your|their|the|that)(?: \w+)? ?(?:target|number|price|budget|halfway|in the middle)|meet (?:you )?halfway|meet in the middle|split the difference|go halves"
    r"|throw(?:ing)? in|thrown in|(?:for|at) no (?:extra |additional )?(?:cost|charge)|free of charge|(?:for|at) free|complimentary|on the house|no charge|gratis|at our cost|at cost"
    r"|(?:\w+ )?(?:months?|weeks?|year|seats?|licen[cs]es?|training|installation|shipping|delivery|support|onboarding|setup|set-up|upgrade|service|units?|pallets?|hours?) (?:for |is |are |on us|included )?free\b"
    r"|free (?:months?|weeks?|shipping|delivery|training|installation|support|onboarding|setup|set-up|upgrade|seats?|licen[cs]es?|units?|service|hours?|trial|extension|pilot|of charge)"
    r"|waiv(?:e|ed|ing)|(?:extend|extending|longer|stretch|better) (?:the )?payment terms|net ?(?:45|60|75|90|120)\b|(?:60|90|120)[- ]day (?:payment )?terms"
    r"|price (?:freeze|lock|protection|guarantee)|(?:freeze|lock|hold|cap|fix)(?:ing)? (?:the |your |that |this )?(?:price|rate|pricing|increase)s?(?! (?:is|stays|at our))"
    r"|rebate|credit (?:note|of)|service credits?|(?:a |an )?(?:extra|bonus|additional) (?:month|months|seats?|units?|licen[cs]es?|year|training|hours|support)"
    r"|upgrade (?:you|your)\b|(?:at|to) (?:your|their) (?:price|number|target|budget)"
    r"|(?:i'?ll|we'?ll|i will|we will|i can|we can|i could|we could|let me|happy to) (?:do|accept|take|go with|honou?r|agree to|agree on|offer) (?:your|their|that|the) (?:price|number|target|figure|budget)"
    r")(?![\w-])",
    re.I,
)
# Promises to go and look for a concession.
_FIND = re.compile(
    r"(?:(?:i'?ll|i will|let me|we'?ll|we will|i can|i could|i'?m going to|i am going to|i'?d|lemme|i'?ll try (?:and|to)|i will try (?:and|to)|i can try (?:and|to)|let me try (?:and|to))"
    r" (?:\w+ ){0,2}(?:see|check|find out|work out|figure out|look into|look at|explore|ask|push|fight|get|find|sharpen|run|work on|what)"
    r"(?: \w+){0,6}? (?:what (?:i|we) can do|how low|if (?:i|we) can (?:do|get|find|go|move|shave|sharpen|improve|bring|sweeten|drop|lower|offer)"
    r"|whether (?:i|we) can (?:do|get|find|go|move|shave|sharpen|improve|bring|sweeten|drop|lower|offer)|any (?:room|flex\w*|wiggle room|give|leeway|movement|budge)"
    r"|(?:some|more) (?:room|flexibility|wiggle room|leeway|movement)|better|lower|discount|(?:a |the )?(?:special|exception|approval)|the numbers|(?:my|our) (?:best|sharpest) (?:price|number)|the price down|something)"
    r"|see what (?:i|we) can do|(?:any|some|more) (?:wiggle room|flexibility|room to move|leeway) (?:on|in|with|for) (?:the )?(?:price|pricing|number|rate)"
    r"|(?:go|going|get|getting) back to (?:my|the|our) (?:\w+ )?(?:manager|boss|team|director|desk|office) (?:\w+ ){0,3}(?:for|with) (?:a |something )?(?:better|lower|discount|sharper)"
    r"|(?:ask|asking|push|pushing|fight|fighting|lobby|lobbying) (?:my |our |the )?(?:\w+ )?(?:manager|boss|director|vp|team|finance|pricing|management|leadership)?\s?(?:for|to (?:approve|sign off on|okay|ok)) (?:a |an |some )?(?:better|lower|discount|exception|special|sharper|more flexib|flexibility|price|pricing)"
    r"|(?:find|get|dig up|squeeze|sweeten)(?: you)? (?:a |some )?(?:better|lower|sharper|extra) (?:price|number|rate|deal|terms|discount)|sweeten (?:the|this) (?:deal|offer|pot))",
    re.I,
)
_STALL = re.compile(
    r"(?:(?:check|clear|run (?:it|this|that)|take (?:it|this|that)|talk|speak|confer|go back|escalate|raise (?:it|this)|discuss (?:it|this|that)|bring (?:it|this))"
    r"(?: \w+){0,3}? (?:with|to|by|past|up with) (?:my|our|the)\s?(?:\w+ )?(?:manager|boss|director|vp|head of sales|sales director|team|finance(?: team)?|pricing(?: team| desk)?|legal|leadership|management|higher[- ]ups|cfo|ceo|head office|hq|powers that be|partner|owner|supervisor|desk)"
    r"|(?:need|have|got) to (?:get|have|ask for|seek) (?:\w+ )?(?:approval|sign[- ]off|permission|authori[sz]ation)|above my pay ?grade|not my call|(?:i |we )?(?:don'?t|do not) have (?:the )?authority"
    r"|(?:let me|i'?ll|i will|i'?d have to|i need to|i have to|i must) (?:get back to you|come back to you|circle back|revert)"
    r"|(?:my|our) (?:manager|boss|director|vp|finance team|pricing team) (?:would|will|has to|needs to|must) (?:need to )?(?:approve|sign off|decide|ok|okay|look at))",
    re.I,
)
_TELLING = re.compile(
    r"(?<![\w])(?:you should|you shouldn'?t|you ought to|you'?ve got to|you need to|you have to|you must|here'?s what (?:i'?d|i would|you) do"
    r"|what (?:i'?d|i would) do is|what you (?:should|need to|want to) do is|if i were you|if i was you|my advice (?:is|would be)|i'?d (?:just |simply )?(?:tell|call|email|go|send|say|ask|escalate|offer|drop|push|ignore|skip|loop)"
    r"|i would (?:just |simply )?(?:tell|call|email|go|send|say|ask|escalate|offer|drop|push|ignore|skip|loop)|just (?:tell|call|email|send|go to|offer|ask) (?:them|him|her|the)|do this:|the answer is to)",
    re.I,
)
_PRICE_TOPIC = re.compile(
    r"\b(?:prices?|pricing|priced|cost|costs|rate|rates|fee|fees|quote|quoted|number|figure|discount\w*|margin|cheaper|expensive|budget|spend|"
    r"per unit|a unit|per seat|a seat|each|invoice|payment terms|terms|value|worth|roi|return on|pays for itself|pay for itself|payback|savings|save you|"
    r"the offer|our offer|my offer|proposal|rate card|list|concession|charge|charges|lower|match|budge|move on|movement)\b|[$€£]",
    re.I,
)
_HOLD_PHRASES = re.compile(
    r"(?:price|pricing|rate|number|fee|offer|quote)(?: \w+){0,3} (?:is|stays|remains|will stay|holds|stands|isn'?t changing|is firm|is fixed|is what it is|is the price)"
    r"|(?:hold|holding|stay|staying|stick|sticking|keep|keeping|firm) (?:at|with|to|on) (?:our|the|my|\$|€|£|\d)|(?:we'?re|i'?m|we are|i am) (?:firm|holding|staying)"
    r"|(?:can'?t|cannot|won'?t|will not|not able to|unable to|don'?t|do not|not going to|never) (?:\w+ ){0,2}(?:move|budge|go (?:any )?lower|go below|drop|discount|lower|reduce|cut|match|meet|come down|negotiate|shift|change)"
    r"|no (?:discounts?|movement|room|flexibility)|(?:worth|pays for itself|pay for itself|return on|roi|payback|value)",
    re.I,
)
_COND_MARK = re.compile(
    r"\b(?:if|provided|providing|as long as|so long as|on condition|on the condition|only if|assuming|in return|in exchange|contingent|subject to|"
    r"unless|once|when|should you|were you to|in which case|if so|then|would need|'d need|i need|we need|i'll need|we'll need|i'd want|we'd want|i would want|we would want|"
    r"need(?:s)? (?:you|your)|what i(?:'d| would) need|what we(?:'d| would) need|in return for|for that|for which|with|for|on|at|against|tied to|in line with|based on|and)\b",
    re.I,
)
_NOT_COND = re.compile(
    r"\bif (?:you|it|that)(?:'d)? (?:want|like|prefer|need it|helps?|works?|makes|insist|wish|would like|'d like|are happy|'re happy|can'?t|cannot|don'?t|do not|are ok|'re ok|agree)"
    r"|\beven if\b|\bif (?:that'?s|this is) (?:what|ok|okay|fine|acceptable)|\bif needed\b|\bif necessary\b|\bif anything\b",
    re.I,
)
_QUESTION_ONLY = re.compile(r"\?\s*\Z")
_THEIRS_BEFORE = re.compile(
    r"(?:\byour|\btheir|\bthey(?:'re| are| offered| quoted| charge| came in at| did| met)?|\bcompetitor\w*|\bothers?(?: are| have)?|\bother (?:vendors?|suppliers?|bidders?)|"
    r"\btarget(?: of| price of)?|\byou mentioned|\byou said|\byou(?:'re| are) (?:at|asking(?: for)?|offering|looking at|paying)|\byou want|\basking for|\bquoted|\boffered you|\bbudget of|"
    r"\bcheaper at|\bsomeone else|\bthe market(?: is)?|\bpaying|\bcurrently pay|\bthe \$?[\d.,]+ (?:ask|target))(?:\W{1,3}\w+){0,3}\W{0,3}\Z",
    re.I,
)
_THEIRS_AFTER = re.compile(r"\A\W{0,3}(?:\w+\W{1,3}){0,2}(?:target|ask|request|they|from (?:them|the others|competitors?)|that (?:they|the others|you)|you (?:mentioned|quoted|asked|want|need|proposed))", re.I)
_ACCEPT_BEFORE = re.compile(
    r"(?:\bmatch|\bmeet|\baccept|\bdo|\btake|\bgo with|\bhonou?r|\bagree to|\bagree on|\bgo to|\bdrop to|\bcome down to|\bbring (?:it|that|the price) (?:down )?to|\bget (?:you|it) to|\bsettle (?:at|on)|\bland (?:at|on)|\bdeal at|\bfine at|\bok(?:ay)? at)(?:\W{1,3}\w+){0,3}\W{0,3}\Z",
    re.I,
)
_ACCEPT_AFTER = re.compile(r"\A\W{0,3}(?:it is|works|is fine|is ok|is okay|it'?s a deal|is a deal|you'?ve got|you have a deal|is doable|we can do|i can do|i can live with|works for (?:us|me)|is acceptable|deal\b)", re.I)
_FLOOR_BEFORE = re.compile(r"\b(?:below|under|lower than|less than|beneath|beyond|past|lower)\W{1,3}(?:\w+\W{1,3}){0,1}\Z", re.I)
_DECLINE_AFTER = re.compile(
    r"\A\W{0,3}(?:\w+\W{1,3}){0,2}(?:is(?:n'?t| not)|isn’t|won'?t|doesn'?t|does not|can'?t|cannot|would(?:n'?t| not)|is (?:off the table|too low|unrealistic|below|under|out of|impossible|not)|is just not|just isn'?t|is never)",
    re.I,
)
_RAISE_CUE = re.compile(r"\b(?:increase|rise|rises|rising|go up|goes up|going up|more|higher|uplift|surcharge|premium|extra|plus|on top|add|adds)\b", re.I)
_PROPOSAL_Q = re.compile(
    r"\A\W*(?:\w+\W+){0,3}?(?:how about|what about|what if|would|could|can|will|shall|is|does|do|are|if|ok|okay)\b", re.I
)
_WH_Q = re.compile(r"\A\W*(?:\w+\W+){0,2}?(?:what|why|how|when|who|where|which)\b(?! about| if)", re.I)
_GET_FIRST = re.compile(
    r"\A\W*(?:(?:ok(?:ay)?|so|look|well|tell you what|here'?s the thing|here'?s what i can do|listen|alright|right)\W+)*"
    r"(?:commit|sign|give|get|guarantee|pay|prepay|take|add|double|extend|agree|make|put|introduce|order|lock|move|book|let|share|bring|go|buy|increase|drop|send|do|be)\b"
    r"[^.!?]{0,120}?\b(?:and|&)\b (?:i|we|you|it|that|the price|the rate|i'?ll|we'?ll|you'?ll|it'?s|that'?s)",
    re.I,
)


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
    topic: bool = False
    find_promise: bool = False
    stall: list[Span] = field(default_factory=list)
    telling: list[Span] = field(default_factory=list)
    generic_return: list[Span] = field(default_factory=list)


def _span(text: str, s: int, e: int) -> Span:
    return Span(s, e, text[s:e])


def _negated_before(clause: str, pos: int) -> bool:
    """Is there a negation in the few words before `pos` within this clause?"""
    window = clause[max(0, pos - 40) : pos]
    # Only look back to the last clause break.
    cut = max(window.rfind(","), window.rfind(" but "), window.rfind(" and "), window.rfind(" so "))
    if cut >= 0:
        window = window[cut + 1 :]
    return bool(_NEG_RX.search(window))


_GENERIC_RETURN = re.compile(
    r"\b(?:in return|in exchange|back from you|from your side|from you in return|what (?:can|could|would) you (?:give|offer|do for) (?:me|us)|meet (?:me|us) (?:on|with|halfway on)|"
    r"what'?s in it for (?:me|us)|give (?:me|us) something|something (?:back|in return)|(?:need|want|ask for) (?:something|a few things|one thing) (?:back|from you|in return))\b",
    re.I,
)


def analyse(text: str, sents: list[Piece], ctx: Context) -> PriceFindings:
    f = PriceFindings()
    ref = ctx.our_price if ctx.our_price is not None else (ctx.list_price)
    amounts = find_amounts(text, ref if ref is not None else ctx.their_price)
    gets_rx = gets_for(ctx.gets)
    gives_rx = compile_terms(ctx.gives) if ctx.gives else ()

    for m in _STALL.finditer(text):
        f.stall.append(_span(text, m.start(), m.end()))
    for m in _TELLING.finditer(text):
        f.telling.append(_span(text, m.start(), m.end()))

    for sent in sents:
        _sentence(text, sent, ctx, amounts, gets_rx, gives_rx, f)
    return f


def _is_question_sentence(sent: Piece) -> bool:
    return bool(_QUESTION_ONLY.search(sent.text))


def _classify_amount(text: str, sent: Piece, a: Amount, ctx: Context) -> str:
    """'offer', 'theirs', 'declined', 'floor', 'raise' or 'mention' for one price amount."""
    before = text[max(sent.start, a.start - 60) : a.start]
    after = text[a.end : min(sent.end, a.end + 50)]
    low_b = before.lower()
    is_q = _is_question_sentence(sent)
    local = text[sent.start : a.start]
    accept = bool(_ACCEPT_BEFORE.search(before)) or bool(_ACCEPT_AFTER.match(after))
    theirs = bool(_THEIRS_BEFORE.search(before)) or bool(_THEIRS_AFTER.match(after))
    if ctx.their_price is not None and abs(a.value - ctx.their_price) <= max(0.005 * ctx.their_price, 0.001):
        if not accept:
            theirs = True
    floor = bool(_FLOOR_BEFORE.search(before))
    neg = _negated_before(local, len(local))
    if floor:
        # "we can't go below 8.20" names 8.20 as the floor: an offer at that number.
        # "we won't go below our price of 8.50" is a hold (same as the standing offer).
        return "offer" if not theirs else "declined"
    if neg or _DECLINE_AFTER.match(after):
        return "declined"
    if theirs and not accept:
        return "theirs"
    if is_q:
        if _WH_Q.match(local) and not re.search(r"\b(?:how about|what about|what if)\b", local, re.I):
            return "mention"
        return "offer"
    if _RAISE_CUE.search(low_b[-25:]):
        return "raise"
    return "offer"


def _sentence(text, sent: Piece, ctx: Context, amounts, gets_rx, gives_rx, f: PriceFindings) -> None:
    st, en = sent.start, sent.end
    s_low = sent.text.lower()
    is_q = _is_question_sentence(sent)
    has_topic = bool(_PRICE_TOPIC.search(sent.text))
    sent_gives: list[tuple[Span, str]] = []
    sent_holds: list[tuple[Span, str]] = []
    ref = ctx.our_price if ctx.our_price is not None else ctx.list_price

    for a in amounts:
        if a.start < st or a.end > en:
            continue
        sp = _span(text, a.start, a.end)
        local = text[st : a.start]
        if a.kind in ("pct", "delta"):
            after = text[a.end : min(en, a.end + 40)].lower()
            before = text[max(st, a.start - 40) : a.start].lower()
            if a.kind == "pct" and re.match(r"\A\W{0,2}(?:\w+ ){0,2}(?:up ?front|deposit|in advance|increase|uplift|more|growth|of (?:the|your|their)|upfront|prepay|higher|rise|volume|margin)", after):
                continue
            if a.kind == "pct" and re.search(r"(?:increase|uplift|rise|up|more|deposit|pay|margin)\W{0,3}(?:\w+\W{1,3}){0,2}\Z", before) and not re.search(r"\b(?:off|discount|lower|less|reduc)", after[:20]):
                continue
            has_givey = a.kind == "delta" or re.search(r"\b(?:off|discount|lower|less|reduc|rebate|cut|down|knock|take|shave|give|do|offer|sharpen|drop)", before + " " + after[:25])
            if not has_givey:
                continue
            if _negated_before(local, len(local)) or (is_q and _WH_Q.match(local)):
                sent_holds.append((sp, "declines to take money off"))
                has_topic = True
                continue
            if re.search(r"\b(?:your|their|they|the others?|competitors?)\b[^.]{0,25}\Z", before) and not re.search(r"\b(?:match|meet|give|do|offer)\b", before[-30:]):
                has_topic = True
                continue
            sent_gives.append((sp, "takes money off the price"))
            if ref is not None:
                f.offered.append(ref * (1 - a.value / 100.0) if a.kind == "pct" else ref - a.value)
            continue
        role = _classify_amount(text, sent, a, ctx)
        has_topic = True
        if role == "theirs" or role == "mention":
            continue
        if role == "declined":
            sent_holds.append((sp, "declines that number"))
            continue
        if role == "raise":
            sent_holds.append((sp, "names a higher price"))
            continue
        # an offer (or a floor the rep will go to)
        cmp_ref = ref if ref is not None else None
        if cmp_ref is None:
            if ctx.their_price is not None and a.value <= ctx.their_price * 1.001:
                sent_gives.append((sp, "accepts the buyer's number"))
                f.offered.append(a.value)
            elif re.search(r"\b(?:can do|could do|i'?ll do|we'?ll do|go to|drop to|come down|bring it down|meet you|let'?s say|how about|what about)\b", local[-40:], re.I):
                sent_gives.append((sp, "names a new price"))
                f.offered.append(a.value)
            else:
                sent_holds.append((sp, "states the price"))
                f.offered.append(a.value)
            continue
        if a.value < cmp_ref * 0.999:
            sent_gives.append((sp, f"names a price below the standing offer ({cmp_ref:g})"))
            f.offered.append(a.value)
        else:
            sent_holds.append((sp, "restates the standing price"))
            f.offered.append(a.value)

    for m in _GIVE_PHRASES.finditer(sent.text):
        s0, e0 = st + m.start(), st + m.end()
        local = sent.text[: m.start()]
        sp = _span(text, s0, e0)
        has_topic = True
        if _negated_before(local, len(local)) or re.match(r"\A\W{0,3}(?:\w+\W{1,3}){0,2}(?:is(?:n'?t| not)|isn’t|are(?:n'?t| not)|won'?t|doesn'?t|can'?t|is off|is never|aren’t)", sent.text[m.end():]):
            sent_holds.append((sp, "declines the concession"))
            continue
        if is_q and (_WH_Q.match(local) or re.search(r"\b(?:why|what)\b", local, re.I)):
            continue  # "why do you need a discount?" asks about it
        if is_q and re.match(r"\A\W*(?:is|are|do|does|did)\b", local, re.I):
            continue
        if re.search(r"\b(?:you(?:'re| are)? (?:asking|want|wanted|looking|hoping|need)|they(?:'re| are)? (?:offering|giving)|the others?|competitors?|your request|that request|the ask for|(?:you|they) mentioned)\b[^.]{0,30}\Z", local, re.I):
            continue
        if re.match(r"discount", m.group(0), re.I) and re.search(r"\b(?:only|just|no)\b[^.]{0,12}\Z", local, re.I):
            pass
        sent_gives.append((sp, "offers a concession"))
    for t in gives_rx:
        for m in t.rx.finditer(sent.text):
            local = sent.text[: m.start()]
            if _negated_before(local, len(local)):
                continue
            if is_q and _WH_Q.match(local):
                continue
            sent_gives.append((_span(text, st + m.start(), st + m.end()), f"gives: {t.name}"))
    for m in _FIND.finditer(sent.text):
        local = sent.text[: m.start()]
        if _negated_before(local, len(local)):
            continue
        sent_gives.append((_span(text, st + m.start(), st + m.end()), "promises to go and find a better number"))
        f.find_promise = True
        has_topic = True
    for m in _HOLD_PHRASES.finditer(sent.text):
        sent_holds.append((_span(text, st + m.start(), st + m.end()), "keeps the price and defends its value"))
        has_topic = True

    # Gets and conditions.
    sent_gets: list[tuple[str, Span]] = []
    for t in gets_rx:
        for m in t.rx.finditer(sent.text):
            local = sent.text[: m.start()]
            win = local[-30:]
            if re.search(r"\b(?:we'?ll give you|we give you|you get|you'?ll get|i'?ll give you|including|includes|plus|we'?ll (?:add|include|throw in|provide|send)|free)\b[^,]{0,20}\Z", local, re.I):
                continue
            if _negated_before(local, len(local)) and not re.search(r"\b(?:unless|if|without)\b", win, re.I):
                continue
            sent_gets.append((t.id if not ctx.gets or t in compile_terms(ctx.gets) else t.id, _span(text, st + m.start(), st + m.end())))
    generic = [m for m in _GENERIC_RETURN.finditer(sent.text)]

    cond_spans: list[Span] = []
    conditional = False
    if sent_gets or generic:
        # Is there a condition marker that ties a get to a give/movement?
        ce = _NOT_COND.search(sent.text)
        strong = re.search(
            r"\b(?:if|provided|providing|as long as|so long as|on (?:the )?condition|only if|assuming|in return|in exchange|contingent|subject to|unless|should you|were you to|if so|in which case|"
            r"(?:i|we)(?:'d| would| will|'ll)? need|what (?:i|we)(?:'d| would) need|(?:i|we)(?:'d| would) want|(?:i|we)(?:'d| would) (?:look for|ask for|require)|requires?|in return for|tied to|against|(?:need|want|ask|require)s? (?:you|your|a|an|the)|"
            r"once (?:you|we)|when you|before (?:i|we) (?:look|talk|move|discuss|go))\b",
            sent.text,
            re.I,
        )
        if strong and not (ce and ce.start() <= strong.start() < ce.end()):
            conditional = True
            cond_spans.append(_span(text, st + strong.start(), st + strong.end()))
        elif _GET_FIRST.match(sent.text):
            conditional = True
            gm = _GET_FIRST.match(sent.text)
            cond_spans.append(_span(text, st, st + gm.end()))
        elif sent_gives or any(a.start >= st and a.end <= en for a in amounts):
            # "8.20 for a two-year term", "with a three-year commitment, 8.30"
            for name, gsp in sent_gets:
                pre = text[max(st, gsp.start - 14) : gsp.start].lower()
                if re.search(r"\b(?:for|with|on|at|against|in return for|by)\b(?: (?:a|an|the|your))?\W*\Z", pre):
                    conditional = True
                    cond_spans.append(gsp)
                    break
        if is_q and sent_gets and not conditional:
            # "Could you commit to two years?" — an ask; an exchange only if a give is on the table.
            if sent_gives or re.search(r"\b(?:at|for) [$€£]?\d", sent.text):
                conditional = True
    if conditional:
        for name, gsp in sent_gets:
            f.gets.append((name, gsp))
        for m in generic:
            f.generic_return.append(_span(text, st + m.start(), st + m.end()))
        f.conditions.extend(cond_spans)
    else:
        # Remember unconditioned gets: a later/earlier give in another sentence may be tied
        # to them ("I can do 8.20. I'd need a two-year term for that.") — handled by caller.
        pass
    for sp, why in sent_gives:
        f.gives.append(sp)
        f.give_reasons.append(why)
    for sp, why in sent_holds:
        f.holds.append(sp)
        f.hold_reasons.append(why)
    if has_topic and not is_q:
        f.topic = True
