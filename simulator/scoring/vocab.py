"""The vocabulary of gets (what a rep asks for in return) and gives.

Built-in gets cover the playbook's list; scenarios add their own `Term`s (id, name,
phrases), which are compiled once per distinct tuple of terms and cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from simulator.scoring.fastre import Rx
from simulator.scoring.model import Term

_N = r"(?:\d{1,6}(?:[.,]\d{1,3})?k?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen|twenty|thirty|forty|fifty|sixty|ninety|a few|several|multi)"


@dataclass(frozen=True)
class CompiledTerm:
    """A get or give with its phrases compiled into one bounded alternation."""

    id: str
    name: str
    rx: Rx


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
        r"(?:fifteen|15|twenty|20|thirty|30|ten|10|five|5|forty-five|45)[- ]?min(?:ute)?s?|half an hour|an hour|(?:a|another|quick|short|follow-up|proper) (?:call|meeting|chat|conversation|demo|visit|walkthrough|review)"
        r"|time (?:on|in) (?:your|the) (?:calendar|diary)|(?:book|schedule|set up|put in) (?:a |some )?time|sit down (?:with|together)|(?:meet|talk|speak|catch up) (?:on |next )?(?:monday|tuesday|wednesday|thursday|friday|next week|tomorrow)",
    ),
    (
        "forecast",
        "forecast or visibility",
        r"(?:rolling |firm |binding )?forecasts?|visibility (?:on|into) (?:your )?(?:volumes?|demand|pipeline)",
    ),
)

_GETS_RX = tuple(
    CompiledTerm(i, n, Rx(r"(?<![\w-])(?:" + p + r")(?![\w])")) for i, n, p in BUILTIN_GETS
)


def _phrase_rx(phrases: tuple[str, ...]) -> Rx | None:
    parts = [re.escape(p.strip().lower()).replace(r"\ ", r"\s{1,3}") for p in phrases if p and p.strip()]
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return Rx(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])")


@lru_cache(maxsize=256)
def compile_terms(terms: tuple[Term, ...]) -> tuple[CompiledTerm, ...]:
    """Compile a scenario's Terms (phrases matched as whole words, case-insensitive)."""
    out = []
    for t in terms:
        rx = _phrase_rx(tuple(t.phrases) + ((t.name,) if t.name else ()))
        if rx is not None:
            out.append(CompiledTerm(t.id, t.name or t.id, rx))
    return tuple(out)


def gets_for(terms: tuple[Term, ...]) -> tuple[CompiledTerm, ...]:
    """Scenario gets first (they name the asks), then the built-in vocabulary."""
    return compile_terms(terms) + _GETS_RX if terms else _GETS_RX
