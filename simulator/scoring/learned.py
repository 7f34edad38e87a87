"""The learned layer: a sparse linear model that reads the rules' verdicts beside the words.

The rules (price, questions, reply) explain themselves but were written against text the
project wrote itself. The model weighs the same response again from features that carry
over to other people's wording:

- word n-grams (one to three words) of the response, with every amount replaced by its
  role against the deal (`<amt_ours>` the standing offer, `<amt_theirs>` the buyer's number,
  `<amt_mid>` between them, `<amt_mid_lo>` between them and under the walk-away, `<amt_low>`
  under the buyer's number, `<pct>`, `<delta>` "50 cents off", ...), so "4,50,000", "4.5
  lakh" and "$450k" read alike;
- the buyer's line it answers, the same way, prefixed `B|`;
- the rules' own verdicts (`R|price=trade`, `R|q=open`, ...) and the kind of context.

One multinomial logistic model per verdict, trained by `tools/train_scorer.py` on the
blind corpus's train split (see docs/scoring.md), shipped as `weights.json` beside this
file, and read here with plain Python: a response's logits are sums of a few hundred
dictionary lookups. The weights load on first use, not at import.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from simulator.scoring.amounts import Amount, find_amounts
from simulator.scoring.fastre import lazy
from simulator.scoring.model import Context, Score

WEIGHTS = Path(__file__).with_name("weights.json")

#: The verdicts the model decides, and the labels of each (model order).
LABELS: dict[str, tuple[str, ...]] = {
    "question": ("open", "closed", "none"),
    "price": ("hold", "trade", "concede", "none"),
    "exchange": ("yes", "no"),
    "stall": ("yes", "no"),
    "telling": ("yes", "no"),
}

_TOKEN = lazy(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+|[?!$€£¥₹%]|[.;:,()\-–—]")
_MAX_TOKENS = 600  # features come from the first 600 tokens (about 3,000 characters)


@dataclass(frozen=True)
class Feature:
    """One feature of a response: its name and where in the text it was seen (or -1)."""

    name: str
    start: int
    end: int


def _rescaled(v: float, ref: float) -> float | None:
    """`v` read at the scale of `ref` (pence for pounds, lakh for rupees): the reading
    within a factor of three of the standing offer, nearest first; None if there is none."""
    best = None
    for s in (1.0, 100.0, 0.01, 1000.0, 0.001):
        x = v * s
        if x <= 0:
            continue
        r = abs(math.log(x / ref))
        if r <= math.log(3) and (best is None or r < best[0]):
            best = (r, x)
    return best[1] if best else None


def amount_role(a: Amount, ctx: Context) -> str:
    """What an amount is against the deal: the rep's offer, the buyer's number, between..."""
    pct_priced = ctx.currency == "%"
    if a.kind == "delta":
        return "<delta>"
    if a.kind == "pct" and not pct_priced:
        return "<pct>"
    op, tp, wa = ctx.our_price, ctx.their_price, ctx.walk_away
    if op is None or op <= 0:
        return "<amt>"
    v = _rescaled(a.value, op)
    if v is None:
        return "<amt_other>"
    tol = max(0.004 * op, 1e-9)
    if abs(v - op) <= tol:
        return "<amt_ours>"
    if tp is not None and abs(v - tp) <= tol:
        return "<amt_theirs>"
    if v > op:
        return "<amt_high>"
    if tp is not None and tp < op and v < tp:
        return "<amt_low>"
    if wa is not None and v < wa - tol:
        return "<amt_mid_lo>"
    return "<amt_mid>"


def tokens(text: str, ctx: Context) -> list[tuple[str, int, int]]:
    """Lower-cased tokens with offsets; each amount becomes one role token."""
    amounts = find_amounts(text, ctx.our_price, ctx.currency == "%")
    out: list[tuple[str, int, int]] = []
    ai = 0
    for m in _TOKEN.finditer(text):
        s, e = m.start(), m.end()
        while ai < len(amounts) and amounts[ai].end <= s:
            ai += 1
        if ai < len(amounts) and amounts[ai].start <= s < amounts[ai].end:
            a = amounts[ai]
            if not out or out[-1][1] != a.start:
                out.append((amount_role(a, ctx), a.start, a.end))
            continue
        if ai < len(amounts) and s < amounts[ai].start < e:
            continue
        tok = m.group().lower()
        if tok.isdigit():
            tok = "<num>"
        out.append((tok, s, e))
        if len(out) >= _MAX_TOKENS:
            break
    return out


def _ngrams(toks: list[tuple[str, int, int]], prefix: str, n_max: int) -> list[Feature]:
    out = []
    for i in range(len(toks)):
        for n in range(1, n_max + 1):
            if i + n > len(toks):
                break
            name = prefix + str(n) + "|" + " ".join(t[0] for t in toks[i : i + n])
            out.append(Feature(name, toks[i][1], toks[i + n - 1][2]))
    return out


_NEGATIONS = frozenset("not no never cannot can't won't don't isn't aren't wouldn't couldn't shouldn't doesn't didn't "
                       "can’t won’t don’t isn’t aren’t wouldn’t couldn’t doesn’t didn’t nothing nor without".split())
_CONDITIONS = frozenset("if provided providing unless assuming once soon should".split())
_CLAUSE_END = frozenset(".;:,?!()-–—")
_SENT_END = frozenset(".?!")


def _scoped(toks: list[tuple[str, int, int]]) -> list[Feature]:
    """Words read in their scope: after a negation or a condition word up to the end of the
    clause (`n|do`, `c|sign`), and how each sentence opens, as a question or a statement
    (`q|how about`, `s|we can`)."""
    out = []
    neg = cond = False
    start = 0
    for i, (t, s, e) in enumerate(toks):
        if t in _CLAUSE_END:
            neg = cond = False
        elif t in _NEGATIONS or t.endswith(("n't", "n’t")):
            neg = True
        elif t in _CONDITIONS:
            cond = True
        else:
            if neg:
                out.append(Feature("n|" + t, s, e))
            if cond:
                out.append(Feature("c|" + t, s, e))
        if t in _SENT_END or i == len(toks) - 1:
            sent = toks[start : i + 1]
            words = [x for x in sent if x[0] not in _CLAUSE_END]
            if words:
                kind = "q|" if t == "?" else "s|"
                head = words[:2]
                out.append(Feature(kind + " ".join(x[0] for x in head), head[0][1], head[-1][2]))
                if t == "?":
                    out.append(Feature("q|", sent[0][1], sent[-1][2]))
            start = i + 1
    return out


def features(text: str, ctx: Context, rules: Score) -> list[Feature]:
    """Everything the model reads about one response (first occurrence of each name)."""
    toks = tokens(text, ctx)
    feats = _ngrams(toks, "w", 3) + _scoped(toks)
    if ctx.buyer_said:
        feats += [Feature(f.name, -1, -1) for f in _ngrams(tokens(ctx.buyer_said[:2000], ctx), "B", 2)]
        feats.append(Feature("C|reply", -1, -1))
    in_play = ctx.our_price is not None or ctx.their_price is not None
    feats.append(Feature("C|in_play" if in_play else "C|no_price", -1, -1))
    if ctx.currency == "%":
        feats.append(Feature("C|pct_priced", -1, -1))
    if ctx.audience == "manager":
        feats.append(Feature("C|manager", -1, -1))
    feats += [
        Feature("R|q=" + rules.question.label, -1, -1),
        Feature("R|price=" + rules.price.label, -1, -1),
        Feature("R|x=" + rules.exchange.label, -1, -1),
        Feature("R|stall=" + rules.stall.label, -1, -1),
        Feature("R|tell=" + rules.telling.label, -1, -1),
        Feature("R|price=%s&x=%s" % (rules.price.label, rules.exchange.label), -1, -1),
    ]
    if rules.below_walk_away:
        feats.append(Feature("R|below", -1, -1))
    feats += [Feature("F|" + name, -1, -1) for name in rules.findings]
    kinds = {name.split(":", 1)[0] for name in rules.findings}
    feats += [Feature("K|" + k, -1, -1) for k in kinds]
    seen: set[str] = set()
    uniq = []
    for f in feats:
        if f.name not in seen:
            seen.add(f.name)
            uniq.append(f)
    return uniq


@dataclass(frozen=True)
class Head:
    """One verdict's weights: labels, biases and a weight row per feature name."""

    labels: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    def logits(self, feats: list[Feature]) -> list[float]:
        z = list(self.bias)
        w = self.weights
        k = len(z)
        for f in feats:
            row = w.get(f.name)
            if row is not None:
                for i in range(k):
                    z[i] += row[i]
        return z

    def support(self, feats: list[Feature], label: str, n: int = 2) -> list[Feature]:
        """The text features that pushed hardest toward `label` (for the evidence)."""
        i = self.labels.index(label)
        k = len(self.labels)
        scored = []
        for f in feats:
            row = self.weights.get(f.name)
            if row is None or f.start < 0:
                continue
            margin = row[i] - sum(row) / k
            if margin > 0.05:
                scored.append((margin, f))
        scored.sort(key=lambda t: -t[0])
        out: list[Feature] = []
        for _, f in scored:
            if all(f.end <= g.start or g.end <= f.start for g in out):
                out.append(f)
            if len(out) == n:
                break
        return out


@lru_cache(maxsize=1)
def heads() -> dict[str, Head] | None:
    """The shipped model, or None where no weights file is present (rules alone)."""
    try:
        data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    out = {}
    for verdict, h in data["heads"].items():
        out[verdict] = Head(tuple(h["labels"]), tuple(h["bias"]), {k: tuple(v) for k, v in h["weights"].items()})
    return out


def log_softmax(z: list[float]) -> list[float]:
    m = max(z)
    s = math.log(sum(math.exp(x - m) for x in z)) + m
    return [x - s for x in z]
