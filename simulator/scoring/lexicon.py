"""The lexicon: the word classes every verdict reads, as data in one place.

Each class is a pattern (or, for gets, a table of patterns) that the rules in `price.py`,
`reply.py`, `stall.py`, `telling.py` and `vocab.py` look up; the rules decide what a match
means in its place (negated, asked, tied to a condition), the lexicon only says what the
words are. Patterns are `Rx` (literal prefilter, compiled with every other pattern when the
first response is scored) or `lazy` (compiled on first use): importing the scorer compiles
nothing.

Classes: gets (`BUILTIN_GETS`, `FALLBACK_GETS`, `GENERIC_RETURN`, `REQUEST_GET`, `ASK_BACK`),
negations (`NEGATION`, `NEGATION_RX`, `negated_before`), gives (`GIVE_PHRASES`,
`FIND_PROMISE`), stall forms (`STALL`), telling forms (`TELLING`), price talk and holds
(`PRICE_TOPIC`, `HOLD_PHRASES`), accept and decline forms (`ACCEPT_*`, `DECLINE_AFTER`,
`ACCEPT`, `DECLINE`, `BARE_YES`, `BARE_NO`, `FOLLOW_THROUGH`), offer cues (`OFFER_CUE`) and
condition cues (`CONDITION_CUE`, `NOT_CONDITION`, `EVEN_IF`, `ANAPHORIC_CONDITION`,
`CONDITION_LEAD`).
"""

from __future__ import annotations

import re

from simulator.scoring.fastre import Rx, lazy

# --- Gets: what a rep asks for in return (id, name, pattern); scenarios add their own Terms.
_N = r"(?:\d{1,6}(?:[.,]\d{1,3})?k?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen|twenty|thirty|forty|fifty|sixty|ninety|a few|several|multi)"

BUILTIN_GETS: tuple[tuple[str, str, str], ...] = (
    (
        "volume",
        "volume",
        r"full volume|(?:the )?(?:whole|entire|full|complete) (?:order|requirement|run|volume|programme|program)"
        r"|more (?:units|volume|seats|licen[cs]es|users|loads|lanes|sites|pallets|shipments|tonnage)"
        r"|(?:bigger|larger|higher|increased?|minimum|guaranteed|committed) (?:order|volumes?|quantit(?:y|ies)|spend|run)"
        r"|(?:double|triple|increase|up|raise|commit to|guarantee|lock in) (?:the |your |that )?(?:order|volumes?|quantit(?:y|ies)|units|seats|spend|forecast)"
        r"|" + _N + r" ?(?:units|seats|licen[cs]es|users|loads|lanes|pallets|containers|trucks|tonnes|shipments|sites|stores|beds|devices|kits) (?:a|per|each) (?:year|month|week|quarter)"
        r"|commit(?:ment)? to " + _N + r" ?(?:units|seats|licen[cs]es|users|loads|lanes|pallets|containers|trucks|tonnes|shipments|sites|stores|devices|kits)"
        r"|the full [\d,.]+k?|volume commitment|all (?:\w+ )?(?:sites|locations|plants|regions|stores|hospitals)|every (?:site|location|plant|store|hospital)"
        r"|roll(?:ing)? (?:it )?out (?:to|across) (?:all|every|the whole)|(?:add|adding|take|taking|order|ordering|buy|buying|commit to|at|for) " + _N + r" ?(?:units|seats|licen[cs]es|users|loads|lanes|pallets|containers|trucks|tonnes|shipments|sites|stores|devices|kits|more)",
    ),
    (
        "term",
        "longer term",
        _N + r"[- ](?:year|yr|month)s?(?: term| deal| contract| commitment| agreement| renewal| minimum)?"
        r"|multi-?year|longer (?:term|contract|commitment|agreement)|extend(?:ed|ing)? (?:the )?(?:term|contract|agreement)"
        r"|(?:annual|yearly) (?:contract|commitment|term|plan|agreement)|auto-?renew\w*|renewal|(?:lock|locking) in for",
    ),
    (
        "payment",
        "faster payment",
        r"pay(?:ing|s)? (?:us )?(?:faster|sooner|quicker|early|earlier|on receipt|within \d{1,3} days|in \d{1,3} days|net ?\d{1,3}|on time|on delivery)"
        r"|net ?(?:7|10|14|15|20)\b|(?:faster|shorter|quicker|earlier) payment(?: terms)?|payment (?:on|upon) (?:delivery|receipt|signature)"
        r"|(?:direct debit|card on file|auto-?pay)",
    ),
    (
        "prepayment",
        "prepayment",
        r"up ?front|up-front|in advance|pre-?pa(?:y|id|yment)|deposit|paid annually|pay (?:the )?(?:whole |full )?(?:year|annual\w*|contract|term|amount)(?: up ?front| in advance| now| today)?|annual (?:billing|prepay)",
    ),
    (
        "reference",
        "reference or case study",
        r"references?\b|referenc(?:e|eable) (?:customer|account|call)|case stud(?:y|ies)|testimonials?|(?:your |a )?logo|referrals?|introduc(?:e|tion)s? to (?:other|your peers|a peer|two|three)"
        r"|(?:speak|present|talk) (?:at|on) (?:our|a) (?:webinar|event|conference)|(?:a |an online )?review (?:on|for)|(?:public|joint) (?:announcement|press release)|press release|quote (?:for|on) our",
    ),
    (
        "decision_date",
        "decision date",
        r"decision by|decide by|decision (?:this|next|on|before) \w+|(?:an? |your )?(?:answer|decision|yes or no|go or no-go) (?:by|before|this|next|within)|decid(?:e|ing) (?:this|next|by|before|today|within)"
        r"|firm date|commit to a date",
    ),
    (
        "signature_date",
        "signature date",
        r"sign(?:ed|s|ing)? (?:it |the (?:\w+ )?(?:contract|order|agreement|deal|paperwork|po|sow) )?(?:today|tonight|now|this (?:week|month|quarter|friday|afternoon)|by|before|within|on (?:monday|tuesday|wednesday|thursday|friday)|end of)"
        r"|signed (?:contract|agreement|order|po|sow|deal)|contract (?:this|by|before)|signatures? (?:by|today|this)|(?:po|purchase order|paperwork|contract) (?:by|today|this week|signed)|close (?:this|by|before|today)|commit(?:ment)? today|ink(?:ed)? (?:it )?(?:today|this)"
        r"|(?:today|this week)'?s? signature|place the order (?:today|this week|now|by)|order (?:today|this week|by (?:friday|monday|the end))|(?:sign|signing|signature|commit|order) (?:before|by) (?:the )?(?:end of|quarter|month|year|friday|monday)",
    ),
    (
        "decision_maker",
        "access to the decision maker",
        r"decision[- ]makers?|economic buyer|(?:meet|meeting|call|time|sit down|in the room|in front of|access to|intro(?:duction)? to|introduce (?:me|us) to|speak (?:with|to)|talk (?:with|to)) (?:with )?(?:your |the )?(?:cfo|ceo|coo|cto|cio|vp|boss|director|head of \w+|chief \w+|board|owner|founder|finance director|procurement director|sponsor|exec\w*|the person who signs|whoever signs|whoever decides)"
        r"|whoever (?:signs|decides|makes the call)|(?:executive|exec|senior) sponsor"
        r"|(?:bring|get|loop|pull) (?:your |the )?(?:cfo|ceo|coo|cto|cio|vp|boss|director|owner|founder|board|sponsor)(?: \w+)? in\b",
    ),
    (
        "scope",
        "reduced scope",
        r"(?:reduce|reduced|reducing|cut|cutting|trim|trimm?ing|narrow|narrowing|smaller|limit|limiting) (?:the )?scope|de-?scop\w*|scope (?:down|back|reduction)"
        r"|(?:drop|dropping|remove|removing|lose|losing|without) (?:the |a |one )?(?:\w+ )?(?:module|modules|feature|features|phase|phases|site|sites|deliverables?|customi[sz]ation|onboarding|support tier|premium support|rush|expedit\w+|installation|training)"
        r"|fewer (?:features|deliverables|sites|revisions|rounds|modules|seats|drops|stops)|standard (?:\w+ )?(?:package|configuration|spec|specification|lead time|delivery|service level|sla|terms|finish)"
        r"|(?:longer|flexible|six-week|eight-week|later) (?:lead times?|delivery (?:window|dates?)|pickup window)|off-peak|(?:you|your team) (?:handle|do|take care of) (?:the )?\w+",
    ),
    (
        "exclusivity",
        "exclusivity",
        r"exclusiv\w*|sole (?:supplier|vendor|source|provider|partner|agency|carrier|distributor|contractor|installer)|single[- ]source|(?:all|100 ?%|a hundred percent|the whole) of (?:your|the) (?:business|volume|spend|work|account)|preferred (?:supplier|vendor|partner) status|only (?:supplier|vendor|agency|partner)",
    ),
    (
        "meeting",
        "time with the buyer",
        r"(?:fifteen|15|twenty|20|thirty|30|ten|10|five|5|forty-five|45)[- ]?min(?:ute)?s?|half an hour|an hour|(?:a|another|quick|short|follow-up|proper) (?:call|meeting|chat|conversation|demo|visit|walkthrough|review)(?! like (?:this|that|ours|the last))"
        r"|time (?:on|in) (?:your|the) (?:calendar|diary)|(?:book|schedule|set up|put in) (?:a |some )?time|sit down (?:with|together)|(?:meet|talk|speak|catch up) (?:on |next )?(?:monday|tuesday|wednesday|thursday|friday|next week|tomorrow)",
    ),
    (
        "forecast",
        "forecast or visibility",
        r"(?:rolling |firm |binding )?forecasts?|visibility (?:on|into) (?:your )?(?:volumes?|demand|pipeline)",
    ),
)


# --- Negations.
NEGATION = r"(?:not|n't|never|no|cannot|can't|cant|won't|wont|unable|impossible|refuse|without|nothing|nor|neither|none)"

NEGATION_RX = lazy(r"\b" + NEGATION + r"\b|n't\b|n’t\b", re.I)

def negated_before(clause: str, pos: int) -> bool:
    """Is there a negation in the few words before `pos` within this clause?"""
    window = clause[max(0, pos - 40) : pos]
    # Only look back to the last clause break.
    cut = max(window.rfind(","), window.rfind(" but "), window.rfind(" and "), window.rfind(" so "))
    if cut >= 0:
        window = window[cut + 1 :]
    return bool(NEGATION_RX.search(window))


# Gives that need no number.

# --- Gives: what moves toward the buyer.
GIVE_PHRASES = Rx(
    r"(?<![\w-])(?:"
    r"(?:a |an |some |small |little |bit of (?:a )?|extra |further |additional |special |one-off |one-time |loyalty |volume |bigger |larger |deeper |modest |token |goodwill )*discount(?:ed|ing)?"
    r"|knock(?:ing|ed)? (?:\S+ )?off|take (?:\S+ ){0,2}off|taking (?:\S+ ){0,2}off|shave (?:\S+ ){0,2}off|shav(?:e|ing) (?:a bit|some|a little)"
    r"|(?:lower|reduce|drop|cut|trim|sharpen|bring down|bring(?:ing)? (?:the )?(?:price|rate|number|fee|cost)s? down|adjust)(?:ing|ed)? (?:the |our |my |your |that )?(?:price|pricing|rate|number|fee|quote|cost|offer)s?"
    r"|(?:come|go|get|move|drop|bring it|sharpen|budge|flex) (?:down|lower|a (?:bit|little)(?: lower| further)?|further|below)\b"
    r"|(?:you|get|find|give|offer|with|a) (?:you )?(?:a )?better (?:price|number|rate|deal|offer|terms|pricing)|sharper (?:price|number|pencil)|sharpen (?:my|our|the) pencil"
    r"|(?:cover|absorb|pick up|eat|swallow|cover off)(?:ing)? (?:the |your |all the |any )?(?:\w+ ){0,2}(?:costs?|tolls|freight|shipping|delivery|fees?|charges?|bill|difference|surcharges?|expenses?)"
    r"|credit (?:you|your account)|(?:a |one )?(?:month'?s|week'?s|quarter'?s|year'?s) (?:credit|service free)|(?:is|are|'s|comes?) (?:on us|on the house)|\bon us\b|half[- ]price|half off|at cost"
    r"|(?:drop|dropping|remove|removing|scrap|scrapping|lose|losing)(?: the| our| that)? (?:\w+ )?(?:contingency|surcharge|setup fee|set-up fee|fees?|charges?|premium|margin)(?: line)?"
    r"|find (?:you )?(?:a few|some) (?:cents|dollars|pounds|euros|quid|room|money)|(?:is|are|'s) free\b|(?:quarter|month|year|week|first \w+|next \w+) free\b"
    r"|(?:go|come down|get|move) there too|price[- ]match|match(?:ing)? (?:their|the|that|your|his|her|competitor'?s?|the other|what)(?: \w+){0,3}? ?(?:price|number|offer|quote|rate|bid|figure|target)?"
    r"|meet(?:ing)? (?:you|your|their|the|that)(?: \w+)? ?(?:target|number|price|budget|halfway|in the middle)|meet (?:you )?halfway|meet in the middle|split the difference|go halves"
    r"|throw(?:ing)? in|thrown in|(?:for|at) no (?:extra |additional )?(?:cost|charge)|free of charge|(?:for|at) free|complimentary|on the house|no charge|gratis|at our cost|at cost"
    r"|(?:\w+ )?(?:months?|weeks?|year|seats?|licen[cs]es?|training|installation|shipping|delivery|support|onboarding|setup|set-up|upgrade|service|units?|pallets?|hours?) (?:for |is |are |on us|included )?free\b"
    r"|free (?:months?|weeks?|shipping|delivery|training|installation|support|onboarding|setup|set-up|upgrade|seats?|licen[cs]es?|units?|service|hours?|trial|extension|pilot|of charge)"
    r"|waiv(?:e|ed|ing)|(?:extend|extending|longer|stretch|better) (?:the )?payment terms|net ?(?:45|60|75|90|120)\b|(?:60|90|120)[- ]day (?:payment )?terms"
    r"|price (?:freeze|lock|protection|guarantee)|(?:freeze|lock|hold|cap|fix)(?:ing)? (?:the |your |that |this )?(?:price|rate|pricing|increase)s?(?! (?:is|stays|at our))"
    r"|rebates?|credit (?:note|of)|(?:service )?credits?(?! unions?\b| cards?\b| checks?\b| ratings?\b| scores?\b| limits?\b| history\b| risk\b| control\b| team\b| committee\b)|(?:a |an )?(?:extra|bonus|additional) (?:month|months|seats?|units?|licen[cs]es?|year|training|hours|support)"
    r"|upgrade (?:you|your)\b|(?:at|to) (?:your|their) (?:price|number|target|budget)"
    r"|(?:i|we)(?:'ll| will| can| could|'d| would)? (?:also |then |happily |gladly )?(?:guarantee|reserve|ring-?fence|prioriti[sz]e|expedite|fast-?track)"
    r"|(?:i'?ll|we'?ll|i will|we will|i can|we can|i could|we could|let me|happy to) (?:do|accept|take|go with|honou?r|agree to|agree on|offer) (?:your|their|that|the) (?:price|number|target|figure|budget)"
    r")(?![\w-])",
    re.I,
)

# Promises to go and look for a concession.
FIND_PROMISE = Rx(
    r"(?:\b(?:i'?ll|i will|let me|lemme|we'?ll|we will|i'?m going to|i am going to|i need to|i have to|i'?d have to|i'?ll have to|maybe|perhaps|i might|we might|i'?m sure|i reckon|i bet|i can try|i'?ll try|let'?s see)\b"
    r"[^.?!;]{0,80}?\b(?:(?:any|some|more|a bit of|a little|the) (?:wiggle room|room|flexibility|flex|movement|leeway|budge)"
    r"|(?:a |you a |get you a |find you a |some )?(?:better|lower|sharper|special) (?:price|number|rate|deal|offer|terms|pricing|figure)"
    r"|(?:a |some |any )?(?:discount|compensation|goodwill gesture|exception)"
    r"|what (?:i|we) can do|do (?:something|better|anything) (?:on|with|about|for)|do better|go lower|come down|(?:get|bring) (?:it|the price|that|the number) down"
    r"|sharpen (?:the|my|our) pencil|find (?:a few|some) (?:cents|dollars|pounds|euros|room)|how low (?:i|we) can go)"
    r"|\bsee what (?:i|we) can do\b|\bsee if (?:i|we) can (?:do|get|find|go|shave|sharpen|improve|sweeten|drop|lower|knock|take)\b)",
    re.I,
)


# --- Stall forms: deferring to someone else.
STALL = Rx(
    r"(?:(?:check|clear|run (?:it|this|that)|take (?:it|this|that)|talk|speak|confer|go back|escalate|raise (?:it|this)|discuss (?:it|this|that)|bring (?:it|this))"
    r"(?: \w+){0,3}? (?:with|to|by|past|up with) (?:(?:my|our|the)\s?(?:\w+ )?)?(?:manager|boss|director|vp|head of sales|sales director|team|finance(?: team)?|pricing(?: team| desk)?|legal|leadership|management|higher[- ]ups|cfo|ceo|head office|hq|powers that be|partner|owner|supervisor|desk)"
    r"|(?:need|have|got) to (?:get|have|ask for|seek) (?:\w+ )?(?:approval|sign[- ]off|permission|authori[sz]ation)|above my pay ?grade|not my call|(?:i |we )?(?:don'?t|do not) have (?:the )?authority"
    r"|(?:my|our) (?:manager|boss|director|vp|finance team|pricing team) (?:would|will|has to|needs to|must) (?:need to )?(?:approve|sign off|decide|ok|okay|look at))",
    re.I,
)


# --- Telling forms: a manager handing over the answer.
TELLING = lazy(
    r"(?<![\w])(?:you should|you shouldn'?t|you ought to|you'?ve got to|you need to|you have to|you must|here'?s what (?:i'?d|i would|you) do"
    r"|what (?:i'?d|i would) do is|what you (?:should|need to|want to) do is|if i were you|if i was you|my advice (?:is|would be)|i'?d (?:just |simply )?(?:tell|call|email|go|send|say|ask|escalate|offer|drop|push|ignore|skip|loop)"
    r"|i would (?:just |simply )?(?:tell|call|email|go|send|say|ask|escalate|offer|drop|push|ignore|skip|loop)|just (?:tell|call|email|send|go to|offer|ask) (?:them|him|her|the)|do this:|the answer is to"
    r"|(?:that'?s|this is|it'?s) what (?:i'?d|i would) do)",
    re.I,
)

TELLING_LOW = lazy(TELLING.pattern)  # for lower-cased text (see fastre.lower_exact)


# --- Price talk and holds.
PRICE_TOPIC = Rx(
    r"\b(?:prices?|pricing|priced|cost|costs|rate|rates|fee|fees|quote|quoted|number|figure|discount\w*|margin|cheaper|cheapest|cheap|expensive|pricey|budget|spend|"
    r"per unit|a unit|per seat|a seat|each|invoice|payment terms|terms|value|worth|roi|return on|pays for itself|pay for itself|payback|savings|save you|"
    r"the offer|our offer|my offer|proposal|rate card|list|concession|charge|charges|lower|match|budge|move on|movement)\b|[$€£]",
    re.I,
)

HOLD_PHRASES = Rx(
    r"(?:price|pricing|rate|number|fee|offer|quote)(?: \w+){0,3} (?:is|stays|remains|will stay|holds|stands|isn'?t changing|is firm|is fixed|is what it is|is the price)"
    r"|(?:hold|holding|stay|staying|stick|sticking|keep|keeping|firm) (?:at|with|to|on) (?:our|the|my|\$|€|£|\d)|(?:we'?re|i'?m|we are|i am) (?:firm|holding|staying)"
    r"|(?:can'?t|cannot|won'?t|will not|not able to|unable to|don'?t|do not|not going to|never) (?:\w+ ){0,2}(?:move|budge|go (?:any )?lower|go below|drop|discount|lower|reduce|cut|match|meet|come down|negotiate|shift|change)"
    r"|no (?:discounts?|movement|room|flexibility)|(?:worth|pays for itself|pay for itself|return on|roi|payback|value)",
    re.I,
)


# --- Accept and decline forms around a number.
ACCEPT_BEFORE = lazy(
    r"(?:\bmatch|\bmeet|\baccept|\bdo|\btake|\bgo with|\bhonou?r|\bagree to|\bagree on|\bgo to|\bdrop to|\bcome down to|\bbring (?:it|that|the price) (?:down )?to|\bget (?:you|it) to|\bsettle (?:at|on)|\bland (?:at|on)|\bdeal at|\bfine at|\bok(?:ay)? at)(?:\W{1,3}\w+){0,3}\W{0,3}\Z",
    re.I,
)

ACCEPT_AFTER = lazy(r"\A\W{0,3}(?:it is|works|is fine|is ok|is okay|it'?s a deal|is a deal|you'?ve got|you have a deal|is doable|we can do|i can do|i can live with|works for (?:us|me)|is acceptable|deal\b)", re.I)

ACCEPT_LEAD = lazy(r"\A\W*(?:(?:ok(?:ay)?|fine|alright|all right|sure|deal|done|yes|yeah|right|you know what|look|go on then)\W+){1,3}(?:\w+\W+){0,2}\Z", re.I)

DECLINE_AFTER = lazy(
    r"\A\W{0,3}(?:\w+\W{1,3}){0,2}(?:is(?:n'?t| not)|isn’t|won'?t|will not|doesn'?t|does not|can'?t|cannot|would(?:n'?t| not)|is (?:off the table|too low|unrealistic|below|under|out of|impossible|not)|is just not|just isn'?t|is never|is (?:a )?(?:no|non-starter|no-go|not happening)\b(?!\w))",
    re.I,
)


# --- Something asked back, unnamed.
GENERIC_RETURN = Rx(
    r"\b(?:in return|in exchange|back from you|from your side|from you in return|what (?:can|could|would) you (?:give|offer|do for) (?:me|us)|meet (?:me|us) (?:on|with|halfway on)|"
    r"what'?s in it for (?:me|us)|give (?:me|us) something|something (?:back|in return)|(?:need|want|ask for) (?:something|a few things|one thing) (?:back|from you|in return))\b",
    re.I,
)


# --- Offer cues: the rep putting something on the table.
OFFER_CUE = lazy(
    r"\b(?:i|we)(?:'ll| will| can| could|'d| would)? (?:do|offer|give|include|add|throw|look at|talk|discuss|move|sharpen|revisit|improve|extend|hold|lock|waive|drop|lower|reduce|go|work|find|consider|make|put|prepare|send|share|build|cover|absorb|knock|take|shave|get)\b"
    r"|\b(?:there'?s|there is) (?:room|flexibility|something)|\blet'?s talk\b|\bit'?s yours\b|\b(?:is|are) (?:yours|included|doable|possible|on us|free)\b|\bworks\b|\bopen to\b|\b(?:the price|the rate|the fee|it) (?:drops|comes down|goes down|goes to|falls)\b",
    re.I,
)

# Conditions that tie a give to something the buyer does.

# --- Condition cues: what ties a give to something the buyer does.
CONDITION_CUE = Rx(
    r"\b(?:if|provided|providing|as long as|so long as|on (?:the )?condition|only if|assuming|in return for|in exchange for|contingent on|subject to|unless|"
    r"should you|were you to|once you|in return|in exchange|against|but only (?:with|for|if|on))\b",
    re.I,
)

NOT_CONDITION = lazy(
    r"\A(?:if|provided|as long as|once|against) (?:(?:you|it|that|this)(?:'d|'re| are| is|'s)? (?:really |just )?(?:want|like|prefer|need|helps?|works?|makes|insist|wish|would like|'d like|are happy|happy|ok|okay|fine|good|comfortable|"
    r"interested|can'?t|cannot|don'?t|do not|agree|have any|did know|do know|know|were|was|think|feel|ask me|asked|mean)\b|"
    r"(?:it|that|this) (?:does|did|happens|happened|fails|failed|breaks|broke|goes wrong|went wrong|ever (?:does|happens)|comes to that)\b|"
    r"(?:we|i) (?:ever )?(?:slip|slipped|fail|failed|miss|missed|are late|run late|ran late|let you down|break|mess up|don'?t deliver)\b|(?:that'?s|this is) (?:what|ok|okay|fine|acceptable|the case|alright)|needed|necessary|anything|not\b|"
    r"i (?:were|was|had|could|may|might|can|understand|hear)|we (?:can'?t|don'?t|lose)|(?:i|we) (?:can|could) (?!get\b|agree\b|lock\b|have\b|secure\b|close\b|sign\b|land\b|book\b|schedule\b|arrange\b|meet\b|count on\b)|there'?s|there is|there are|so\b|possible|you'?re (?:ok|okay|fine|happy|good|comfortable)|that'?s all|the (?:odds|market|worst))",
    re.I,
)

#: What a question's "if" follows when it imagines the buyer's world rather than asking for
#: anything: "what would the board say if the array slipped?", "how would it feel if..."
HYPOTHETICAL_QUESTION = lazy(
    r"\b(?:what|how|who|which|where|why)\b(?:\W+\w+){0,6}?\W+(?:would|will|does|do|did|might|could|happens|happened)\b[^.!?;]*\Z",
    re.I,
)
#: An "if" whose subject is someone other than the buyer: "if the other five can get you
#: to volume, that's your call" asks the buyer for nothing.
THIRD_PARTY_IF = lazy(
    r"\A(?:if|as long as|provided) (?:the others?\b|the other \w+|(?:an)?other (?:vendors?|suppliers?|providers?|bidders?)|(?:rival|competing) \w+|"
    r"(?:your |the )?competitors?\b|(?:your |the )?(?:current|existing|incumbent|cheaper) (?:vendors?|suppliers?|providers?)|someone else|anyone else|they (?:can|could) (?:beat|match|do it)|"
    # the rep's own side saying yes ("if my manager agrees", "if he signs off"): an approval, no get
    r"(?:(?:my|our) (?:manager|boss|director|sales director|vp|head office|finance(?: team)?|legal(?: team)?|team|ceo|md)|he|she|they) (?:agrees?(?= *(?:[.,;!?]|\Z|to (?:it|that|this)\b|with (?:it|that|this)\b))|approves?|signs? (?:it )?off|okays?|ok'?s|says? yes|lets? (?:me|us)|is ok with it|goes for it)\b)",
    re.I,
)

EVEN_IF = lazy(r"\beven (?:if|though|with|for)\b", re.I)

ANAPHORIC_CONDITION = lazy(r"\A(?:if so|if (?:you|we) (?:can|could) (?:get|do|manage|make|commit to|agree to|give (?:me|us)) (?:it|that|this)|if (?:you|we) do|in that case|if that'?s (?:doable|possible|a yes))\b", re.I)


# --- Gets asked back after a give, and gets named without a known phrase.
ASK_BACK = Rx(
    r"\b(?:(?:but |and )?(?:i|we)(?:'d| would| will|'ll)? (?:need|want|require|ask for|look for|expect)|what (?:i|we)(?:'d| would)? (?:need|want|ask)(?: back| in return| from you)? (?:is|are)|"
    r"in return,? (?:i|we)|(?:i|we) need (?:you|your)|for that,? (?:i|we)|that needs|that requires|it requires|it needs)\b",
    re.I,
)

FALLBACK_GETS = (
    ("signature_date", lazy(r"\bsign|\bsignature|\bsigned|\bink\b|\bpurchase order|\bpo\b", re.I)),
    ("decision_date", lazy(r"\bdecid|\bdecision|\bapprov|\bgreen[- ]light|\bgo-ahead", re.I)),
    ("prepayment", lazy(r"up ?front|in advance|prepa|deposit", re.I)),
    ("payment", lazy(r"\bpay|\bpayment|\binvoice|\bnet ?\d", re.I)),
    ("exclusivity", lazy(r"\bsole\b|exclusiv|\bonly (?:supplier|vendor|carrier|partner|agency)", re.I)),
    ("reference", lazy(r"\brefer|\breference|case stud|testimonial|\blogo\b|\breview\b|site visit", re.I)),
    # "a two-year deal", "another year", "twelve months"; not "last year" or "this month"
    ("term", lazy(r"\b(?:\d+|a|one|two|three|four|five|six|twelve|eighteen|twenty-four|thirty-six|another|extra|more|longer|full|multi)[- ](?:years?|months?)\b(?! ago)|\byears\b|\bterm\b|\bcontract\b|\bagreement\b|\brenew|multi-?year", re.I)),
    ("volume", lazy(r"\bvolume|\border\b|\bunits?\b|\btonnes?\b|\bpallets?\b|\bloads?\b|\blanes?\b|\bseats?\b|\bsites?\b|\bhospitals?\b|\bcontainers?\b|\ball (?:of )?(?:your|the|three|four|five)\b|\bwhole\b|\bfull\b|\bmore\b", re.I)),
    ("scope", lazy(r"\bscope|\bstandard\b|\bdrop(?:ping)?\b|\bwithout\b|\bremov", re.I)),
    ("meeting", lazy(r"\bminutes\b|\bcall\b|\bmeeting\b|\bdemo\b", re.I)),
    ("decision_maker", lazy(r"\bcfo\b|\bceo\b|\bboss\b|\bdirector\b|\bdecision[- ]maker", re.I)),
)

REQUEST_GET = Rx(
    r"\b(?:(?:can|could|may|might) (?:i|we) (?:ask (?:for )?|get|have|grab|book|borrow|steal|set up|schedule|put)"
    r"|(?:could|would|will|can) you (?:\w+ )?(?:give|spare|share|lend|introduce|bring|set up|book|commit|sign|agree|find|make|send|put)"
    r"|(?:i'?d|we'?d|i would|we would) (?:love|like|value|appreciate)(?: to (?:ask|have|get))?)\b",
    re.I,
)


# --- Accept and decline forms in a reply to the buyer's ask (scoring/reply.py).
_OBJ = r"(?:that|it|this|those|them|yours|the \$?[\d.,]+|your (?:price|number|figure|target))"

_MODAL = r"(?:'ll|'d| will| would| can| could| should| might| shall)"

_ADV = r"(?: (?:probably|definitely|certainly|absolutely|happily|gladly|just|surely|easily|also|then|of course))?"

_DO = (
    r"(?:do|manage|match|accept|take|honou?r|agree to|go with|go for|work with|live with|make|swing|stretch to|"
    r"meet|sort|arrange|waive|include|cover|give you|get you|throw in|add)"
)

# Acceptances, in any clause that is not itself a question.
ACCEPT = Rx(
    r"\b(?:i|we)" + _MODAL + r"?" + _ADV + r" " + _DO + r" " + _OBJ + r"(?! (?:is|was|isn'?t|wasn'?t)\b)"
    r"|\b(?:(?:that|it|this)(?:'s| is)|you(?:'ve| have)? got|you have) (?:(?:a|yourself a) )?deal\b"
    r"|\byou(?:'ve| have)? got it\b|\bconsider it done\b|\b(?:it|that)(?:'s| is) (?:waived|yours|included|on us|done)\b"
    r"|\b(?:that|it|this) (?:works|is fine|is ok|is okay|is doable)(?: (?:for|with) (?:us|me))?\b"
    r"|\b(?:i|we)" + _MODAL + r"? make (?:that|it|this) work\b|\blet'?s (?:do|go with) (?:it|that|this)\b"
    r"|\bno problem\b|(?<!what i )(?<!what we )(?<!how much i )(?<!how much we )(?<!best i )(?<!best we )\bcan do\b|\bwill do\b|\b(?:sounds|that sounds) (?:good|great|fair|fine|ok(?:ay)?)\b"
    r"|\bhappy to\b(?! (?:talk|discuss|explain|walk|hear|look|share|send|show|go through|chat|meet|help you understand))"
    r"|\b(?:i|we)(?:'m|'re| am| are) (?:ok|okay|fine|good|happy) with (?:that|it|this)\b|\byou can have (?:it|that)\b"
    r"|\b(?:(?:i|we)(?:'ll| will)?|let'?s) shake(?: (?:hands )?on (?:it|that)\b| hands(?= *(?:[.!;]|\Z)))?(?= *(?:[.,!;]|\Z))|\byou(?:'ve| have) (?:got )?(?:a|my|our) handshake\b",
    re.I,
)

# Declines, checked first: "we can't do that" holds.
DECLINE = Rx(
    r"\b(?:i|we)(?: really| just| simply| honestly| still)?(?: can'?t| cant| cannot| can not| won'?t| wont| will not| couldn'?t| wouldn'?t|"
    r" don'?t| do not|(?:'m| am|'re| are) (?:not able|unable|not going) to) (?:really |just |quite )?" + _DO + r"\b"
    r"|(?<!you )(?<!they )\b(?:can'?t|cant|cannot|won'?t|wont) (?:do|match|manage|go) (?:that|it|this|there)\b"
    r"|\b(?:that|it|this)(?:'s| is) not (?:something (?:we|i) can|possible|doable|on the table|an option)\b"
    r"|\bno deal\b|\bno chance\b|\bnot (?:a )?chance\b|\bnot going to happen\b|\bno can do\b"
    # a dare after a threat: "then go with them", "then walk", "then we must leave it"
    r"|\b(?:go (?:with|to) them|use them|take it elsewhere|go elsewhere)\b|\bthen (?:walk|go ahead)\b"
    r"|\b(?:we|i)(?:'ll| will| must| have to| shall)? (?:leave it|walk away|pass)(?= *(?:then|sorry|,|\.|!|$))",
    re.I,
)

_SIGHS = r"(?:ugh|sigh|argh|meh|oof|oh well|whatever)"
#: A sentence that is only a sigh ("ugh.", "meh"): it says neither yes nor no.
SIGH = lazy(r"\A\W*" + _SIGHS + r"\W*\Z", re.I)

# A reply made only of agreement words ("OK.", "Fine. Done.", "yes", "sure thing"), after a
# sigh at most ("ugh, fine").
BARE_YES = lazy(
    r"\A\W*(?:" + _SIGHS + r"\W+)?(?:(?:ok(?:ay)?|fine|sure(?: thing)?|yes|yeah|yep|yup|alright|all right|right|absolutely|of course|certainly|"
    r"done|agreed|deal|accepted|go on then|why not|you win|fair enough|very well|(?:i|we) (?:will|can|do|shall|could)|"
    r"taking it|(?:i'?ll|we'?ll) take it|sold|shake on it|handshake|let'?s do (?:it|this)|works for me|count (?:me|us) in|(?:i'?m|we'?re) in)\W*){1,4}\Z",
    re.I,
)

BARE_NO = lazy(
    r"\A\W*(?:(?:no|nope|nah|sorry|afraid not|no way|not possible|i'?m afraid|(?:i|we) (?:won'?t|wont|can'?t|cant|cannot|don'?t|couldn'?t))\W*){1,3}\Z",
    re.I,
)

# What a rep says after agreeing: the paperwork follows ("I'll send the revised order form").
FOLLOW_THROUGH = lazy(
    r"\A\W*(?:(?:i|we)(?:'ll| will| can)|let me|let'?s) (?:\w+ ){0,2}?(?:send|update|amend|revise|draw up|put|get|email|issue|raise|write|sort|book|start|sign)\b"
    r"(?:[^.?!]{0,60}\b(?:order|contract|paperwork|quote|form|agreement|invoice|po|proposal|it|that|this|signed|started|going|moving)\b)",
    re.I,
)

CONDITION_LEAD = lazy(
    r"\A\W*(?:(?:yes|yeah|ok(?:ay)?|sure|fine|well|maybe|possibly)\W+)?(?:only |but only )?"
    r"(?:if|provided|providing|as long as|so long as|assuming|on condition|in (?:return|exchange) for)\b",
    re.I,
)


# --- Word classes of the learned layer (scoring/learned.py): single tokens, lower case.
#: Negations, and condition words: the scope of `n|` and `c|` features.
NEGATION_WORDS = frozenset("not no never cannot can't won't don't isn't aren't wouldn't couldn't shouldn't doesn't didn't "
                           "can’t won’t don’t isn’t aren’t wouldn’t couldn’t doesn’t didn’t nothing nor without".split())
CONDITION_WORDS = frozenset("if provided providing unless assuming once soon should".split())

#: Words that address price or terms. A hold keeps the price or terms, so it must address
#: them: the model may read a hold only where the response has one of these, an amount, a
#: negation, or a price finding of the rules ("Nice office you have here." after "Get to
#: $7.50" is small talk, not a hold).
PRICE_WORDS = frozenset(
    "price prices pricing priced rate rates fee fees cost costs costing discount discounts discounting "
    "number numbers figure offer offered quote quoted budget cheaper cheap expensive pay paying payment "
    "terms term contract value worth margin money charge charges invoice penny cent cents dollar dollars "
    "pound pounds euro euros rupees lakh crore percent refund credit credits free included includes "
    "match beat lower higher increase uplift cap liability penalty penalties premium commission markup".split()
)
