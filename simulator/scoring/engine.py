"""The scorer: one response in, three verdicts (plus stall, telling, tips) out.

Pure Python, rule based, every rule explainable by the span of text that fired it. See
docs/scoring.md for how it decides and how accurate and fast it is.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from itertools import zip_longest

from simulator.scoring import learned
from simulator.scoring.phases import phased_price
from simulator.scoring.fastre import scope
from simulator.scoring.model import Context, Finding, Score, Span, Verdict
from simulator.scoring.price import (
    analyse,
    asked_gets,
    exchange_verdict,
    named_gets,
    return_names,
)
from simulator.scoring.price import verdict as price_verdict
from simulator.scoring.questions import find_questions, normalise
from simulator.scoring.questions import verdict as question_verdict
from simulator.scoring.reply import Ask, agrees, buyer_ask, proposes_our_price, read_answer, settle_ask
from simulator.scoring.rules import RULES
from simulator.scoring.stall import find_stalls
from simulator.scoring.stall import verdict as stall_verdict
from simulator.scoring.telling import find_telling
from simulator.scoring.telling import verdict as telling_verdict
from simulator.scoring.text import sentences

MAX_CHARS = 20_000  # longer responses are scored on their first 20k characters
MAX_SENTENCES = 300  # and on their first 300 sentences (hostile text: "why? " x 4,000)

TIPS = {
    "hold_price": {
        "hold": "Good: you kept the price and tied it to value. Keep selling what the buyer gains.",
        "trade": "Good: any movement came with a condition. Make sure what you get is worth more than what you give.",
        "concede": "You moved with nothing back. Restate the price, tie it to the value, and be ready to walk at your floor.",
        "none": "When price comes up, restate it and tie it to the value the buyer gets.",
    },
    "trade": {
        "yes": "Good: you asked for something in return. Name it precisely (volume, term, date).",
        "no_give": "Every give needs a get: 'if you can give us X, we can do Y' (volume, term, payment, a reference).",
        "no": "If you do move, make it conditional: 'if you can commit to X, we can do Y'.",
    },
    "open_questions": {
        "open": "Good open question: let the buyer talk and listen for the value behind the ask.",
        "closed": "That question can be answered in a word. Try 'what's behind…', 'walk me through…', 'tell me about…'.",
        "none": "Ask an open question to uncover what the buyer values: 'What's behind that target?'",
    },
    # The same habits where no price is in play (a meeting to win, a deal to restart).
    "open_questions_no_price": {
        "open": "Good open question: let the buyer talk and listen for what they really need.",
        "closed": "That question can be answered in a word. Try 'what's missing…', 'walk me through…', 'tell me about…'.",
        "none": "Ask an open question to find out what the buyer needs: 'Tell me about how you handle this today.'",
    },
    "open_questions_manager": {
        "open": "Good: you asked instead of answering. Let the rep think it through.",
        "closed": "That can be answered in a word. Try 'What's going on?' or 'What's your opinion on the next step?'",
        "none": "Ask before you answer: 'What's your opinion on the next step?'",
    },
    "hold_price_no_price": {
        "hold": "Good: you kept your terms. Keep the talk on what the buyer gains.",
        "trade": "Good: anything you agreed to came with something asked back.",
        "concede": "You gave something with nothing back. Agree if it helps, then ask for something in return.",
        "none": "Keep the talk on what the buyer needs, not on what you can give away.",
    },
    "stall": "Running to your manager tells the buyer the price was soft. Decide within the limits you set before the meeting.",
    "coaching": "You handed over the answer. Ask instead: 'What's your opinion on the next step?' and, on 'I don't know', 'If you did know, what might it sound like?'",
}


_BELOW_TIP = "That number is under your walk-away price. Set the floor before the meeting and stand behind it."


def _tips(ctx: Context, price: str, question: str, exchange: bool) -> dict[str, str]:
    """One tip per habit, worded for the situation: a price negotiation, a deal with no
    price in play (a meeting to win), or a manager coaching a rep."""
    in_play = ctx.our_price is not None or ctx.their_price is not None
    if ctx.audience == "manager":
        q_tips = TIPS["open_questions_manager"]
    else:
        q_tips = TIPS["open_questions"] if in_play else TIPS["open_questions_no_price"]
    return {
        "hold_price": (TIPS["hold_price"] if in_play else TIPS["hold_price_no_price"])[price],
        "trade": TIPS["trade"]["yes" if exchange else ("no_give" if price == "concede" else "no")],
        "open_questions": q_tips[question],
    }


def score(text: str, context: Context | None = None) -> Score:
    """Score one rep response against the deal context: the rules, then the learned layer
    (simulator/scoring/learned.py) where its weights are shipped."""
    s = score_rules(text, context)
    m = learned.model()
    if m is None or not says_anything(text[:MAX_CHARS]):
        return s
    return _refine(s, text[:MAX_CHARS], context or Context(), m)


def says_anything(text: str) -> bool:
    """Does the response hold anything but spaces, punctuation and control characters? A
    line that says nothing ("", "...", "?!") makes no move, whatever the buyer said: the
    learned layer, which also reads the buyer's line, is not asked about it."""
    return any(not unicodedata.category(ch).startswith(("Z", "P", "C")) for ch in text)


def _agrees_to_own_price(s: Score, ctx: Context) -> bool:
    """Does the response agree to the buyer's proposal at the rep's own standing offer
    ("We shake on it.") and name no other price? That gives nothing away."""
    return (s.named_price in (None, ctx.our_price) and proposes_our_price(ctx.buyer_said, ctx)
            and agrees(s.text))


def _own_price_kept(s: Score, ctx: Context) -> Score:
    """The rules' concession, where the response only agrees to a deal at the rep's own
    price, becomes a hold (the learned layer is held to the same, in `_refine`)."""
    if s.price.label != "concede" or not _agrees_to_own_price(s, ctx):
        return s
    found = Finding("reply.own_price", "agrees to a deal at your own price", None)
    kept = Verdict("hold", (), "Keeps the price: agrees to a deal at your own standing offer.",
                   "reply.own_price", (found,))
    tips = {**s.tips, "hold_price": _tips(ctx, "hold", s.question.label, s.has_exchange)["hold_price"]}
    return replace(s, price=kept, below_walk_away=False, tips=tips, findings=s.findings + (found,))


def score_rules(text: str, context: Context | None = None) -> Score:
    """The rules' verdicts alone (what the learned layer reads, and the fallback)."""
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    cut = text[:MAX_CHARS]
    ctx = context or Context()
    ask = buyer_ask(ctx.buyer_said, ctx) if ctx.buyer_said else None
    with scope(cut, normalise(cut)):
        return _own_price_kept(_score(text, cut, ctx, ask), ctx)


MODEL_FINDINGS = 3  # a verdict the learned layer decided lists its strongest features, this many

#: What a verdict the model reaches says, before the wording that led it there.
_MODEL_REASONS = {
    ("question", "open"): "Open: invites the buyer to explain",
    ("question", "closed"): "Closed: can be answered in a word",
    ("question", "none"): "No question asked",
    ("price", "hold"): "Keeps the price",
    ("price", "trade"): "Movement tied to something asked back",
    ("price", "concede"): "A concession with nothing asked back",
    ("price", "none"): "Price and terms not addressed",
    ("exchange", "yes"): "Asks for something in return",
    ("exchange", "no"): "Nothing asked in return",
    ("stall", "yes"): "Defers to someone else, or to later",
    ("stall", "no"): "No stall",
    ("telling", "yes"): "Hands over the answer instead of coaching",
    ("telling", "no"): "Coaches rather than tells",
}


def _model_verdict(kind: str, label: str, m: learned.Model, known, text: str) -> Verdict:
    """A verdict the learned layer reached: evidence is the wording that weighed most, and
    its findings the features that weighed most (`known`: learned.Model.known)."""
    ranked = m.weighed(known, kind, label)
    support = m.support(ranked) if label not in ("none", "no") else []
    spans = tuple(Span(s, e, text[s:e]) for _, s, e in sorted(support, key=lambda f: f[1]))
    why = _MODEL_REASONS[(kind, label)]
    if spans:
        why += ": read from " + ", ".join(f"'{sp.text}'" for sp in spans)
    strongest = tuple(
        Finding("model", f"{name} {w:+.2f}", Span(s, e, text[s:e]) if s >= 0 else None)
        for w, (name, s, e) in ranked[:MODEL_FINDINGS]
    )
    return Verdict(label, spans, why + ".", "model", strongest)


def _refine(s: Score, text: str, ctx: Context, m: learned.Model) -> Score:
    """The learned layer's labels over the rules' Score. Where it agrees, the rules'
    evidence and reason stand; where it differs, its own strongest wording is the evidence.
    Price and exchange are decided together, so a trade always asks for something and a
    concession never does."""
    feats = learned.features(text, ctx, s)
    known = m.known(feats)
    z = m.logits(known)
    lp = {k: learned.log_softmax(v) for k, v in z.items()}
    pl, xl = m.labels("price"), m.labels("exchange")
    can_hold = (learned.TOUCHES_PRICE, -1, -1) in feats  # the one feature of that name
    pairs = [
        (lp["price"][i] + lp["exchange"][j], p, x)
        for i, p in enumerate(pl)
        for j, x in enumerate(xl)
        if not (p == "trade" and x == "no") and not (p == "concede" and x == "yes") and (p != "hold" or can_hold)
        # A manager coaching a rep makes no price move and asks nothing in return
        # (docs/labelling.md, decision 1).
        and (ctx.audience != "manager" or (p, x) == ("none", "no"))
    ]
    _, price, exchange = max(pairs)
    if price == "concede" != s.price.label and _agrees_to_own_price(s, ctx):
        # agreeing to a deal at the rep's own price is no concession (`_own_price_kept`)
        _, price, exchange = max(t for t in pairs if t[1] != "concede")
    labels = {"price": price, "exchange": exchange}
    for k in ("question", "stall", "telling"):
        labels[k] = m.labels(k)[max(range(len(lp[k])), key=lp[k].__getitem__)]
    if ctx.audience != "manager":
        labels["telling"] = "no"
    current = {"question": s.question, "price": s.price, "exchange": s.exchange, "stall": s.stall, "telling": s.telling}
    changed = {k: _model_verdict(k, labels[k], m, known, text) for k, v in current.items() if v.label != labels[k]}
    if not changed:
        return s
    gets = s.gets
    if "exchange" in changed:
        gets = ((s.gets or tuple(dict.fromkeys(n for n, _ in named_gets(text, ctx))) or ("something in return",))
                if labels["exchange"] == "yes" else ())
    below = s.below_walk_away
    named_price = s.named_price
    if "price" in changed and named_price is not None and _under_kept_price(named_price, labels["price"], ctx):
        named_price = None
    if "price" in changed:
        below = (
            ctx.walk_away is not None and s.named_price is not None
            and labels["price"] in ("concede", "trade") and s.named_price < ctx.walk_away - 1e-9
        )
    tips = _tips(ctx, labels["price"], labels["question"], labels["exchange"] == "yes")
    if labels["stall"] == "yes":
        tips["stall"] = TIPS["stall"]
    if labels["telling"] == "yes":
        tips["coaching"] = TIPS["coaching"]
    if below:
        tips["hold_price"] = _BELOW_TIP
    asks = s.asks
    if "question" in changed or "exchange" in changed:
        asks = _asks(text, ctx, gets, labels["question"] != "none")
    return replace(s, gets=gets, asks=asks, below_walk_away=below, tips=tips, named_price=named_price, **changed)


def _asks(text: str, ctx: Context, gets, has_question: bool) -> tuple[str, ...]:
    """What the response asks for: the gets of its exchange, and the scenario's gets it
    requests with nothing given."""
    return tuple(dict.fromkeys([g for g in gets if g != "something in return"]
                               + list(asked_gets(text, ctx, has_question))))


def _asked(sents, qs) -> frozenset[int]:
    """Starts of the sentences that hold a question (both lists are in text order, and
    sentences do not overlap): one merge pass instead of every question per sentence."""
    starts = sorted(q.span.start for q in qs)
    out = []
    i = 0
    for p in sents:
        while i < len(starts) and starts[i] < p.start:
            i += 1
        if i < len(starts) and starts[i] < p.end:
            out.append(p.start)
    return frozenset(out)


def _under_kept_price(value: float, price_label: str, ctx: Context) -> bool:
    """A response that keeps the price offers nothing under the standing offer: "if I
    dropped to 7.80 I'd be selling you the same drive... 8.50" names 8.50, not 7.80."""
    return (price_label in ("hold", "none") and ctx.our_price is not None
            and value < ctx.our_price * 0.999)


def _findings(qs, ask: Ask | None, answer, f, stalls: list[Span], tells: list[Span]) -> tuple[Finding, ...]:
    """Every rule that fired, as one list of records (`rules.RULES` names each rule), built
    from what the verdict modules return. One record per name the learned layer reads
    (`Finding.name`), the first seen, in the order those names have always come in."""
    found = (
        [Finding(f"question.{q.kind}", q.why, Span(q.span.start, q.span.end, q.span.text)) for q in qs]
        + ([Finding("reply.buyer_asked", "a price" if ask.price is not None else "a give")] if ask is not None else [])
        + ([Finding("reply.answer", answer.kind, answer.span)] if answer is not None else [])
        # gives[i] and give_reasons[i] belong together (reply.settle_ask moves them as one);
        # every reason is a finding, with its span where the lists line up
        + [Finding("price.give", r, sp) for r, sp in zip_longest(f.give_reasons, f.gives[: len(f.give_reasons)])]
        + [Finding("price.hold", r, sp) for r, sp in zip_longest(f.hold_reasons, f.holds[: len(f.hold_reasons)])]
        + [Finding("exchange.get", name, sp) for name, sp in f.gets]
        + [Finding("exchange.condition", "ties a give to a get", sp) for sp in f.conditions[:1]]
        + [Finding("exchange.return", "asks for something in return", sp) for sp in f.generic_return[:1]]
        + [Finding("price.topic", "talks about price or terms")] * f.topic
        + [Finding("price.find_promise", "promises to find a better number")] * f.find_promise
        + [Finding("stall.defer", "defers to someone else", sp) for sp in stalls[:1]]
        + [Finding("telling.instruct", "hands over the answer", sp) for sp in tells[:1]]
    )
    out: dict[str, Finding] = {}
    for x in found:
        out.setdefault(x.name, x)
    return tuple(out.values())


def _decided(v: Verdict, found: tuple[Finding, ...]) -> Verdict:
    """The verdict with the findings of the rules that decided it (`rules.RULES[v.rule].by`)."""
    by = RULES[v.rule].by
    mine = tuple(x for x in found if x.rule in by) if by else ()
    return Verdict(v.label, v.evidence, v.reason, v.rule, mine) if mine else v


def _score(full: str, text: str, ctx: Context, ask: Ask | None) -> Score:
    sents = sentences(text)[:MAX_SENTENCES]

    qs = find_questions(text, sents)
    question = question_verdict(qs)

    asked = _asked(sents, qs)
    answer = read_answer(text, sents, asked, ask) if ask is not None else None
    f = analyse(text, sents, ctx, asked, answer)
    settle_ask(text, ask, answer, f)
    get_names = return_names(f)
    has_exchange = bool(get_names)
    price_v = price_verdict(text, f, has_exchange)
    exchange = exchange_verdict(f, get_names)
    stalls = find_stalls(text)
    tells = find_telling(text, sents, asked)
    stall_v = stall_verdict(stalls)
    telling_v = telling_verdict(tells)

    offered = [p for p in f.offered if p is not None]
    # "year one at $42, then $46 for years two and three": the offer is the average
    phased = phased_price(text, f.amounts, f.offer_amounts) if len(f.offer_amounts) == len(offered) else None
    offered = [p for p in offered if not _under_kept_price(p, price_v.label, ctx)]
    named = phased if phased is not None else (min(offered) if offered else None)
    below = False
    if ctx.walk_away is not None and named is not None and price_v.label in ("concede", "trade", "hold"):
        below = named < ctx.walk_away - 1e-9

    tips = _tips(ctx, price_v.label, question.label, has_exchange)
    if stall_v.label == "yes":
        tips["stall"] = TIPS["stall"]
    if telling_v.label == "yes":
        tips["coaching"] = TIPS["coaching"]
    if below:
        tips["hold_price"] = _BELOW_TIP
    found = _findings(qs, ask, answer, f, stalls, tells)
    return Score(
        findings=found,
        text=full,
        question=_decided(question, found),
        price=_decided(price_v, found),
        exchange=_decided(exchange, found),
        gets=tuple(get_names),
        asks=_asks(text, ctx, get_names, question.label != "none"),
        stall=_decided(stall_v, found),
        telling=_decided(telling_v, found),
        named_price=round(named, 4) if named is not None else None,
        below_walk_away=below,
        tips=tips,
    )
