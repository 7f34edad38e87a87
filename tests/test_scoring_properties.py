"""Hostile input: random text, adversarial repetitions and 100k-character responses.

Every call must return quickly with valid labels and spans inside the text. The time
limits here are generous guards against catastrophic regex backtracking, not benchmarks
(see bench/bench_scorer.py for latency): they count the CPU time of the call (a loaded
machine stretches wall time, not work), after one warm-up call has loaded the learned
layer's weights and compiled the lazy patterns.
"""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.scoring import Context, Term, score

CTX = Context(our_price=8.5, their_price=7.5, walk_away=8.2)
TERMS = Context(
    our_price=120_000,
    gives=(Term("info", "Send info", ("send", "brochure", "(x+x+)+y", "a.*b")),),
    gets=(Term("meet", "Meeting", ("fifteen minutes", "[a-z]{0,9999}")),),
)

WORDS = st.sampled_from(
    "if you commit two years and I can do $8.20 € £ 11,500 5% off eight twenty what how why "
    "tell me walk through ? . , ; -- can't won't no discount match free net 60 sign by friday "
    "manager see what i can do right? or k m 1.2k 0,5 fifty cents a half grand".split()
)


score("warm up: load the weights, compile the patterns", CTX)
score("warm up", TERMS)


def _check(text: str, ctx: Context, budget_s: float) -> None:
    t0 = time.process_time()
    s = score(text, ctx)
    took = time.process_time() - t0
    assert took < budget_s, f"{took:.3f}s for {len(text)} chars"
    assert s.question.label in ("open", "closed", "none")
    assert s.price.label in ("hold", "trade", "concede", "none")
    assert s.exchange.label in ("yes", "no") and s.stall.label in ("yes", "no")
    for v in (s.question, s.price, s.exchange, s.stall, s.telling):
        for sp in v.evidence:
            assert 0 <= sp.start <= sp.end <= len(text)
            assert text[sp.start : sp.end] == sp.text
    s.to_dict()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_random_unicode_text(text):
    _check(text, CTX, 0.5)


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, max_size=120).map(" ".join))
def test_random_negotiation_words(text):
    _check(text, CTX, 0.5)
    _check(text, TERMS, 0.5)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["a", "1", "1,", "1.", "$", "if ", "what ", "e.g.", "-", "?", " ", "eight ", "k", "wh-", "'"]), st.integers(50, 3000))
def test_adversarial_repetition(unit, n):
    _check(unit * n, CTX, 1.0)


def test_hundred_thousand_characters_return_promptly():
    base = "If you commit to two years, I can do $8.20 — what's behind the target? We don't discount. "
    text = (base * (100_000 // len(base) + 1))[:100_000]
    _check(text, CTX, 2.0)
    _check("9" * 100_000, CTX, 2.0)
    _check(("1,000," * 20_000)[:100_000], CTX, 2.0)
    _check(("eight twenty " * 10_000)[:100_000], CTX, 2.0)
    _check("a" * 100_000, CTX, 2.0)


def test_no_context_and_odd_contexts():
    for ctx in (None, Context(), Context(our_price=0.0), Context(our_price=1e12, walk_away=-1)):
        s = score("I can do 8.20 if you sign today. What's behind that?", ctx)
        assert s.price.label in ("hold", "trade", "concede", "none")


def _unscoped(text: str, ctx: Context):
    """The scorer without the per-response literal scope (every prefilter checks its
    whole literal set): the reference the fast path must agree with."""
    from simulator.scoring import engine

    ask = engine.buyer_ask(ctx.buyer_said, ctx) if ctx.buyer_said else None
    return engine._score(text, text[: engine.MAX_CHARS], ctx, ask)


@settings(max_examples=120, deadline=None)
@given(st.lists(WORDS, max_size=60).map(" ".join))
def test_literal_scope_never_changes_a_verdict(text):
    # The scope is the rules' fast path; the learned layer reads the rules' result after it.
    from simulator.scoring.engine import score_rules

    for ctx in (CTX, TERMS):
        assert score_rules(text, ctx).to_dict() == _unscoped(text, ctx).to_dict()


def test_literal_scope_agrees_on_the_corpus():
    import json
    from pathlib import Path

    path = Path(__file__).parent / "corpus" / "responses.jsonl"
    lines = [json.loads(x)["text"] for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    joined = " ".join(lines[:60])  # one long response: many literals present at once
    from simulator.scoring.engine import score_rules

    for text in lines + [joined, "wh-what tel-tell me about it?"]:
        assert score_rules(text, CTX).to_dict() == _unscoped(text, CTX).to_dict(), text


HOSTILE_UNITS = st.sampled_from(["$1 ", "1234567890", "$€£¥₹", "if if if ", "why? ", "eight twenty ", "5% off ",
                                 "if you $1, we can do $8 ", "1,00,000 ", "CHF 1'2 ", ". ", "\n", "can't won't "])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(HOSTILE_UNITS, min_size=1, max_size=4))
def test_time_per_character_stays_bounded_on_hostile_text(units):
    # Cost grows linearly with length: ten times the text costs at most about ten times
    # the time (generous: 25x, plus 20 ms of slack for a noisy machine), and 20,000 hostile
    # characters never approach a second (they once took 10 s: spans were compared pairwise).
    block = "".join(units)
    short = (block * (2_000 // len(block) + 1))[:2_000]
    long = (block * (20_000 // len(block) + 1))[:20_000]

    def took(text: str) -> float:
        best = float("inf")
        for _ in range(2):
            t0 = time.process_time()
            score(text, CTX)
            best = min(best, time.process_time() - t0)
        return best

    t_short, t_long = took(short), took(long)
    assert t_long < 25 * t_short + 0.02, f"{t_long * 1000:.1f} ms for 20k vs {t_short * 1000:.1f} ms for 2k chars"
    assert t_long < 1.0
