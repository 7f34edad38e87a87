"""Open or closed: does a response invite the buyer to explain?

Rules, applied to each sentence (and to the clauses of a sentence that ends in "?"):
- Requests to elaborate are open with or without "?": "tell me about", "walk me through",
  "help me understand", "I'd love to hear", "I'm curious what…".
- what / how / why questions are open, except one-fact forms ("how many", "what time",
  "what's your budget?"), proposals ("how about $8?", "what if we…"), either/or choices and
  tag or leading questions.
- who / when / where / which ask for one fact: closed.
- yes/no questions (is, do, can, would…) are closed, unless they wrap an open request
  ("Could you walk me through…?", "Can you tell me more about…?").
- A statement ending in "?" ("So you're locked in until June?") is closed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.scoring.fastre import Rx, lazy
from simulator.scoring.model import Span, Verdict
from simulator.scoring.text import Piece, clauses, sentences

_LEAD = Rx(
    r"\A(?:(?:ok(?:ay)?|so|and|but|well|right|sure|yes|yeah|yep|no|nope|alright|all right|fair enough|uh-huh|mm-hmm|um-hum|like|"
    r"got it|i see|hmm+|um+|uh+|er+|then|now|look|listen|honestly|also|great|perfect|thanks|thank you|"
    r"understood|i hear you|i understand|of course|cool|oh|ah|hey|hi|hello|just|quick question|"
    r"out of (?:interest|curiosity)|just (?:curious|wondering)|in that case|if so|and so|plus|"
    r"actually|first|firstly|second|secondly|finally|lastly|anyway|besides|otherwise|mm+|mhm|"
    r"let me ask(?: you)?|let me ask you this|can i ask|may i ask|i(?:'d| would) ask)\b[\s,.:!\u2014-]*){1,4}",
    re.I,
)

_REQUEST_OPEN = Rx(
    r"\b(?:tell(?:ing)? (?:me|us) (?:\w+ly )?(?!when\b|which\b|who\b|where\b|whether\b|if\b|that\b|(?:about )?how (?:many|much|long|soon|often)\b|yes\b|no\b|the (?:date|number|time|price)\b)\w+"
    r"|walk (?:me|us) (?:through|thru)|talk (?:me|us) (?:through|thru)|take (?:me|us) (?:through|thru)|run (?:me|us) (?:through|thru)|give (?:me|us) (?:the|some|a bit of|a little) (?:background|context|history|story|rundown|lowdown|detail)"
    r"|help (?:me|us) (?:understand|see|get)|describe|explain|elaborate|expand on|unpack|say (?:a bit |a little |something )?more"
    r"|share (?:more|a bit|a little|how|what|why|your|some|with me)|paint (?:me |us )?a picture|give (?:me|us) a (?:sense|feel|picture|flavou?r)"
    r"|fill(?:ing)? (?:me|us) in|(?:i'?d|i would|we'?d|we would) (?:\w+ly )?(?:love|like) to (?:hear|understand|know|learn|get a sense|find out)"
    r"|i'?m (?:curious|interested|keen) (?:about|to (?:hear|know|understand|learn)|what|how|why|as to)"
    r"|i(?:'m| am| was)?(?: just| \w+ly| kind of| sort of| really| also){0,3} (?:wonder|wondering|wondered)(?: \w+ly| kind of| sort of){0,2} (?:what|how|why|in what|to what|where (?:you|things) (?:are|stand))|love to (?:hear|understand)"
    r"|what'?s your (?:opinion|view|take|thinking|sense|read)|anything else|any other (?:thoughts|ideas|things|reasons|concerns|ways|options)|anything more"
    r"|(?:thoughts?|ideas?|a sense|think of|thought (?:at all )?about|given (?:any )?thought to) (?:about |to |of |on )?(?:what|how|why|anything|any other)"
    r"|your (?:thoughts|opinion|take|view) on|(?:any|what are your) thoughts"
    r"|(?:ask|get|have|want|value|need|appreciate|love) (?:for )?(?:your|some) (?:advice|opinion|perspective|input|guidance)"
    r"|\A(?:for )?your (?:advice|opinion|perspective|input|guidance)\b"
    r"|(?:\A|i'?m |i am |i'?d be |i would be |we'?re |we are |we'?d be )(?:\w+ly |also |just )?interested in (?:what|how|why|hearing|knowing|learning|your (?:thoughts|view|take|experience|story))"
    r"|sharing (?:a (?:little |wee )?bit|a little|more|some|how|what|why)|share a (?:little |wee )?(?:bit )?about"
    r"|(?:explore|talk (?:more )?about|talk through|dig into|look into|unpack|go into) (?:this|that|it|these|those|the \w+|your \w+|\w+)(?: \w+)? (?:further|more|a (?:bit|little) more|in more depth)"
    r"|any other (?:barriers|challenges|worries|factors|issues|obstacles|hobbies|changes|priorities|goals|needs|requirements|criteria|stakeholders|people|areas|parts|pieces|problems|risks|benefits)"
    r"|(?:repeat (?:back )?(?:to (?:me|us) )?|show (?:me|us) |explain (?:to (?:me|us) )?|describe (?:to (?:me|us) )?)(?:how|what|why)\b)",
    re.I,
)
_REQUEST_CLOSED_TAIL = lazy(
    r"\Atell (?:me|us) (?:when|which|who|where|whether|if|(?:about )?how (?:many|much|long|soon|often))", re.I
)

_WH_OPEN = lazy(r"\A(?:in what ways?|to what extent|in what sense|in what respects?|what|how|why|whats|what's|how's|hows|why's|wat|wht|y)\b", re.I)
_WH_CLOSED = lazy(r"\A(?:who|whom|whose|when|where|which|who's|when's|where's)\b", re.I)
_WHERE_OPEN = lazy(
    r"\Awhere (?:do|does|did|would|are|is|could) (?:you|things|we|this|that|it) (?:see|stand|think|want|going|heading|land|fit|at with|with)\b"
    r"|\Awhere (?:are|is) (?:you|things) (?:at )?with\b|\Awhere do (?:things|we) stand|\Awhere (?:would|do|did|could) you (?:like|want|wanna)(?: to)? (?:start|begin|go|take)",
    re.I,
)
_WH_FACT = Rx(
    r"\A(?:how (?:many|much|long|soon|often|old|big|far|large|quickly|fast|late|early)\b"
    r"|what(?:'s| is| was) the (?:longest|shortest|least|highest|lowest|maximum|minimum|earliest|latest)\b|what (?:kind|type|sorts?) of (?!(?:things|stuff|ways|situations|problems|issues|challenges|changes|support|help|feedback|concerns|questions|experiences?|difference|impact)\b)\w+(?: \w+)? (?:do|does|did|is|are|would)\b"
    r"|what (?:kind|type|sorts?) of (?!(?:things|stuff|ways|situations|problems|issues|challenges|changes|support|help|feedback|concerns|questions|experiences?|difference|impact)\b)[\w ]{1,20}\?\Z"
    r"|how about\b(?! (?:if you|you) (?:tell|share|walk|describe))|what about (?:(?:if|we|\$|€|£|\d)|\S+(?: \S+){0,2}\??\Z)|what if\b|wat if\b"
    r"|what (?:time|day|date|year|month|size|percentage|version|model|colou?r|brand|quantity|volume|price|budget|grade|spec|tier|region|depot|city|country|shift|week|quarter|email|address|number)\b(?! of)"
    r"|what(?:'s| is| was| are| were) (?:your|the|their|its)(?: [\w']+){0,2}? "
    r"(?:budget|price|deadline|date|timeline|number|target|volume|quantity|headcount|name|title|email|phone|address|"
    r"start date|end date|lead time|spend|count|term|rate|cost|figure|amount|size|renewal date|go-live date|due date|po number)s?(?: (?:you|you'd|you'll|you're|we|they|that you|for)\b[^,]{0,60})?\??\Z"
    r"|how (?:does|do|would|will) (?:that|this|\$?\d\S*|[€£]\d\S*|it|these terms|those terms) (?:sound|work for you|look)\b"
    r"|how does (?:that|this) (?:sound|work)\??\Z)",
    re.I,
)
_AUX = lazy(
    r"\A(?:is|are|was|were|am|do|does|did|can|could|would|will|shall|should|may|might|must|have|has|had|"
    r"isn'?t|aren'?t|wasn'?t|don'?t|doesn'?t|didn'?t|won'?t|wouldn'?t|can'?t|couldn'?t|shouldn'?t|"
    r"haven'?t|hasn'?t|any chance|anything|anyone|anybody|any|ok|okay|fair|deal|agreed|sound good|make sense|right|correct|true)\b",
    re.I,
)
_AUX_SUBJ = lazy(
    r"\A(?:is|are|was|were|do|does|did|can|could|would|will|shall|should|have|has|had|isn'?t|aren'?t|don'?t|"
    r"doesn'?t|didn'?t|won'?t|wouldn'?t|can'?t|couldn'?t|haven'?t|hasn'?t) "
    r"(?:you|u|ya|we|they|it|there|that|this|i|your|the|he|she|anyone|anybody)\b|\Aany chance\b|\Ado u\b",
    re.I,
)
_TAG = Rx(
    r"(?:,|\s)\s?(?:right|correct|yes|no|yeah|ok(?:ay)?|agreed|true|fair|don'?t you(?: think| agree)?|wouldn'?t you(?: say| agree)?|"
    r"isn'?t (?:it|that)|aren'?t (?:you|they|we)|won'?t (?:you|it|they)|can'?t (?:you|we|it)|doesn'?t (?:it|that)|"
    r"didn'?t (?:you|it|they)|haven'?t (?:you|we)|wasn'?t (?:it|that)|shouldn'?t (?:we|it)|makes sense|sound good|fair enough|yeah)\s?\?\s*\Z"
    r"|\b(?:wouldn'?t you (?:agree|say)|don'?t you (?:think|agree)|surely|isn'?t it (?:true|fair)|wouldn'?t it be|you'?d agree|you agree)\b",
    re.I,
)
_EITHER_OR = lazy(r"\b(?:or|vs\.?|versus)\b(?! (?:so|two|more|less|anything|something|whatever|not\b|why|what|how))", re.I)
_EMBEDDED_DECL = Rx(
    r"\A(?:what|how|why)(?: (?:i|we|you|they|he|she|it|this|that|the \w+|our \w+|your \w+))? "
    r"(?:i|we|you|they|he|she|it|\w+(?:ed|s)\b(?! (?:are|is|was|were|do|does|did|would|will|can|could) (?:you|we|they|he|she|i)\b))\b|\A(?:what|how)(?:'s| is) \w+(?: \w+)? (?:is|are|was)\b"
    r"|\Awhat (?:matters|counts|works|helps|happens|changed|i|we)\b",
    re.I,
)
_WH_AUX = lazy(
    r"\A(?:what|how|why|who|when|where|which)(?:'s|'re|'d|'ll|s)?\b(?: \w+){0,2}? ?"
    r"(?:is|are|was|were|do|does|did|can|could|would|will|should|has|have|had|r|'s|'re|'d|'ll|about|if|the|your|you|made|makes|brings|brought|happened|happens|worries|matters|drives|drove|led|else)\b",
    re.I,
)
_WHY_DONT = lazy(r"\Awhy don'?t (?:we|you|i)\b")  # on lower-cased text
_WH_START_ANY = lazy(r"\A(?:what|how|why|who|when|where|which|whats|hows|wat)\b", re.I)


# "Can't you see…?", "Don't you think…?": the answer is built into the question.
_NEG_LEADING = lazy(r"\A(?:can'?t|couldn'?t|won'?t|wouldn'?t|don'?t|doesn'?t|isn'?t|aren'?t|shouldn'?t|haven'?t) (?:you|we|they|it|that|this)\b", re.I)
# "What do you think about coming back in six weeks?": a proposal waiting for a yes or no.
_PROPOSAL_VERDICT = lazy(
    r"\A(?:what|how) (?:do|would|did) you think (?:about|of) (?:(?:a|an|the|that|this) (?:plan|idea|proposal|option|offer)\b|(?:us |me )?\w+ing\b(?! (?:on|in|at|with|for)? ?(?:your|the)? ?(?:side|end|team)))",
    re.I,
)
_INNER_WH = lazy(r"\b(?:and|so|but|like|then)\s+(?=(?:what|how|why)\b)", re.I)
_SUBORDINATE = lazy(
    r"\A(?:when|whenever|where|wherever)(?:-\w+)? (?:you|you're|you've|you'd|we|we're|they|they're|he|he's|she|she's|i|i'm|it|it's|"
    r"your|my|his|her|their|our|people|somebody|someone|things|there's|there)\b",
    re.I,
)


# Open despite a one-fact look: a topic put to the buyer ("And how about your finance team?"),
# a plural kind ("What sorts of goals…?"), the buyer's own picture ("What sort of delays are we
# talking about?", "What kind of partner do you reckon you need?").
_WH_TOPIC_OPEN = lazy(
    r"\A(?:how|what) about (?:then |now |with )?(?:your|his|her|their|yourself|the rest of|the other|other)\b"
    r"|\Awhat (?:kinds?|types?|sorts?) of (?:[\w-]{1,20} ){0,2}?[\w-]{1,20}[^\Ws]s (?:do|does|did|are|is|were|was|would|will|have|has|can|could|might|should)\b"
    r"|\Awhat (?:kinds?|types?|sorts?) of (?:[\w'-]{1,20} ){1,5}?(?:are we talking(?: about)?|(?:do|would|did) you (?:reckon|think|imagine|picture|see|envisage|mean))\b",
    re.I,
)
# "The sticking point would be what?": an echo question hands the buyer the rest of the sentence.
_ECHO_WHAT = lazy(
    r"\b(?:would be|'d be|will be|is|was|are|were|means?|meaning|being|looks? like|like|about|by that) (?:what|how|why)\s?\?\s*\Z", re.I
)
_ECHO_FACT = lazy(
    r"\b(?:budget|price|pricing|number|date|deadline|cost|figure|amount|rate|volume|quantity|name|time|day|age|total|count|headcount|term)s?\b",
    re.I,
)
# "Not sure what you make of all that?": a statement that hands the buyer their view to give.
_VIEW_ASKED = lazy(r"\b(?:what|how) you (?:think|feel|make of|see)\b", re.I)
# "I wonder if something changed on your side.": an indirect question that invites the buyer to
# explain, unless it asks for time, an action or a yes to a proposal ("I wondered if you had a
# minute", "…if we could look at…", "…if that's something you'd be open to").
_WONDER_IF = lazy(
    r"\A(?:i (?:guess|think|suppose) )?i(?:'m| am| was)?(?: just| \w{1,15}ly| kind of| sort of| really| also){0,3} (?:wonder|wondering|wondered) (?:if|whether)\b",
    re.I,
)
_WONDER_ASK = lazy(
    r"\b(?:we|you|i|they)(?:'d|'ll| would| could| can| might| will| may| had| have| want| wanted| need)\b"
    r"|\b(?:open|willing|ok|okay|alright|fine|minute|moment|second|mind)\b|\ball right\b",
    re.I,
)


@dataclass(frozen=True)
class QuestionHit:
    """One question or request found in the text, with its kind and why."""

    kind: str  # "open" | "closed"
    span: Piece
    why: str


_STUTTER = lazy(r"\b(\w{1,8})-{1,2}(?=\1)", re.I)
_LEAD_PUNCT = lazy(r"\A[\s\-\u2014\u2013.,:;\"'\u201c\u201d(\[]+")
_SCALE = Rx(
    r"\b(?:on (?:a|the|that|this) scale|scale of|(?:readiness|confidence|importance) (?:ruler|scale)|out of (?:10|ten|five|5)"
    r"|(?:0|1|zero|one) to (?:10|ten|5|five)|(?:10|ten|0|zero) (?:being|means|is like|is)\b)",
    re.I,
)
_FIRST_PERSON_BEFORE = Rx(r"(?:\b(?:i|we)(?:'d|'ll|'m| would| will| can| could| am)(?: be)?(?: happy| glad| able| going)?(?: to)?(?: \w+ly)?|\b(?:i|we)(?: would|'d) (?:like|love) to|\b(?:i|we) want(?:ed)? to|\blet me|\bhappy to|\bglad to)\s*\Z", re.I)
_FACT_NOUN_Q = Rx(
    r"\Awhat (?!(?:else|kind|sort|type|way|part|aspect|reason|difference|impact|effect|role|sense|idea|plan|advice|help|support|problem|challenge|issue|goal|outcome|value|benefit|if|about|matters|happens|happened|worries|concerns|makes|made|brings|brought|would|could|should|do|does|did|is|are|was|were|can|will|has|have|had|you|we|they|i|he|she|it|this|that|the|your|our|their|my|his|her|'s|s)\b)"
    r"(?![a-z]+ly\b)[a-z]{2,20}(?<!s) (?:do|does|did|is|are|was|were|would|will|can|could|should|have|has)\b",
    re.I,
)


def normalise(s: str) -> str:
    """Drop stutters ("wh-what", "I-I") and leading dashes, so rules see the words."""
    if "-" in s:  # every stutter has a hyphen
        s = _STUTTER.sub("", s)
    m = _LEAD_PUNCT.match(s)
    return s[m.end() :] if m else s


def _strip_lead(s: str) -> tuple[int, str]:
    m = _LEAD.match(s)
    if m and m.end() < len(s):
        return m.end(), s[m.end() :]
    return 0, s


def classify_clause(c: str, ends_q: bool) -> tuple[str, str] | None:
    """(kind, reason) for one clause, or None if it is not a question or request."""
    _, s = _strip_lead(normalise(c.strip()))
    s = s.strip().strip("\"'\u201c\u201d")
    low = s.lower()
    if not low:
        return None
    if _REQUEST_CLOSED_TAIL.match(low):
        if _WHERE_OPEN.match(low.split(" ", 2)[-1]):
            return ("open", "invites the buyer to explain where things stand")
        return ("closed", "asks for one fact")
    if ends_q and _TAG.search(low):
        return ("closed", "a tag or leading question invites a yes")
    req = _REQUEST_OPEN.search(low)
    if req and _FIRST_PERSON_BEFORE.search(low[: req.start()]) and not low[req.start() :].startswith(("i", "we")):
        req = None
    if ends_q and _SCALE.search(low):
        return ("closed", "asks for a number on a scale")
    if _WHY_DONT.match(low) and not req:
        return ("closed", "a suggestion phrased as a question")
    if ends_q and _NEG_LEADING.match(low):
        return ("closed", "a leading question invites a yes")
    if _PROPOSAL_VERDICT.match(low):
        return ("closed", "asks for a verdict on a proposal")
    if req and not _AUX_SUBJ.match(low) and not _WH_START_ANY.match(low):
        if low.startswith(("if ", "when ", "once ", "i'll ", "i will ", "we'll ", "we will ")) and not ends_q:
            return None
        return ("open", "invites the buyer to explain")
    m = _WONDER_IF.match(low)
    if m and not _WONDER_ASK.search(" ".join(low[m.end() :].split(None, 7)[:7])):
        return ("open", "an indirect question invites the buyer to explain")
    if _WH_OPEN.match(low):
        if not ends_q and (_EMBEDDED_DECL.match(low) or not _WH_AUX.match(low)):
            return None
        if ends_q and _WH_TOPIC_OPEN.match(low):
            return ("open", "invites the buyer to talk about a topic in their own words")
        if _WH_FACT.match(low) or _FACT_NOUN_Q.match(low):
            return ("closed", "asks for one fact or proposes a number")
        if ends_q and _EITHER_OR.search(low) and len(low) < 90 and re.search(r"\b(?:prefer|better for you|would you rather|work better|option|which)\b", low):
            return ("closed", "an either/or choice")
        return ("open", "a what/how/why question invites the buyer to explain")
    if _WH_CLOSED.match(low):
        if _SUBORDINATE.match(low):
            return None  # "when you go to parties, …": sets the scene for the question after it
        if _WHERE_OPEN.match(low):
            return ("open", "invites the buyer to explain where things stand")
        if not ends_q and not _WH_AUX.match(low):
            return None
        return ("closed", "asks for one fact")
    if _AUX.match(low) or _AUX_SUBJ.match(low):
        if req:
            return ("open", "a polite request to explain")
        if not ends_q and not _AUX_SUBJ.match(low):
            return None
        return ("closed", "can be answered yes or no")
    if req and not ends_q:
        return ("open", "invites the buyer to explain")
    if ends_q:
        if req:
            return ("open", "invites the buyer to explain")
        if _VIEW_ASKED.search(low):
            return ("open", "asks for the buyer's view")
        m = _ECHO_WHAT.search(low)
        if m and not _ECHO_FACT.search(low[: m.start()]):
            return ("open", "an echo question hands the buyer the rest of the sentence")
        return ("closed", "a statement turned into a question invites a yes or no")
    return None


def _join_wrapped(text: str, sents: list[Piece]) -> list[Piece]:
    """Re-join a sentence that a line break cut in two ("…if the rollout<newline>went…"):
    the first part ends without punctuation and the second starts in lower case. The
    line breaks become spaces, so offsets stay those of the response."""
    groups: list[list[Piece]] = []
    for p in sents:
        if groups:
            q = groups[-1][-1]
            gap = text[q.end : p.start]
            if "\n" in gap and not gap.strip() and p.text[:1].islower() and q.text[-1:] not in ".!?;:":
                groups[-1].append(p)
                continue
        groups.append([p])
    if len(groups) == len(sents):
        return sents
    return [
        g[0] if len(g) == 1 else Piece(g[0].start, g[-1].end, text[g[0].start : g[-1].end].replace("\n", " ").replace("\r", " "))
        for g in groups
    ]


def find_questions(text: str, sents: list[Piece] | None = None) -> list[QuestionHit]:
    """Every question or request to elaborate in `text`."""
    hits: list[QuestionHit] = []
    prev: Piece | None = None
    sents = _join_wrapped(text, sents if sents is not None else sentences(text))
    for i, sent in enumerate(sents):
        nxt = sents[i + 1] if i + 1 < len(sents) else None
        hit = _sentence_question(sent, prev, nxt)
        if hit is not None:
            hits.append(hit)
        prev = sent
    return hits


def _sentence_question(sent: Piece, prev: Piece | None, nxt: Piece | None) -> QuestionHit | None:
    """The question or request in one sentence, if any (neighbours give scale context)."""
    ends_q = sent.is_question
    cls = clauses(sent)
    found: QuestionHit | None = None
    # A question's head is usually its last clause ("Before we go on, what…?");
    # requests can sit in any clause.
    for i, c in enumerate(cls):
        last = i == len(cls) - 1
        r = classify_clause(c.text, ends_q)
        if r is not None and r[1].startswith("a statement") and not last:
            r = None  # only the last clause of a question turns a statement into one
        if r is None:
            continue
        kind, why = r
        if found is None or (kind == "open" and found.kind == "closed"):
            found = QuestionHit(kind, c, why)
    if ends_q and (found is None or found.kind == "closed") and cls:
        # "…and I know you've been going to the sessions, and how's that going?": the
        # question head sits after a conjunction inside the last clause.
        last = cls[-1]
        for m in _INNER_WH.finditer(last.text):
            r = classify_clause(last.text[m.end() :], True)
            if r is not None and r[0] == "open":
                found = QuestionHit("open", Piece(last.start + m.end(), last.end, last.text[m.end() :]), r[1])
                break
    if found is None and ends_q:
        r = classify_clause(sent.text, True)
        if r is not None:
            found = QuestionHit(r[0], sent, r[1])
    if found is not None:
        if found.kind == "open" and any(p is not None and _SCALE.search(p.text) for p in (sent, prev, nxt)) and (
            ends_q or _SCALE.search(sent.text)
        ):
            found = QuestionHit("closed", found.span, "asks for a number on a scale")
        if ends_q and found.kind == "open" and _TAG.search(sent.text.lower()):
            found = QuestionHit("closed", sent, "a tag or leading question invites a yes")
    return found


def verdict(qs: list[QuestionHit]) -> Verdict:
    """Open if any question is open, else closed if any is asked, else none; the evidence
    is every question of the winning kind."""
    opens = [q for q in qs if q.kind == "open"]
    closed = [q for q in qs if q.kind == "closed"]
    if opens:
        return Verdict("open", tuple(Span(q.span.start, q.span.end, q.span.text) for q in opens), f"Open: {opens[0].why}.", "question.open")
    if closed:
        return Verdict("closed", tuple(Span(q.span.start, q.span.end, q.span.text) for q in closed), f"Closed: {closed[0].why}.", "question.closed")
    return Verdict("none", (), "No question asked.", "question.none")
