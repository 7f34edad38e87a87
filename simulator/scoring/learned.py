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

One multinomial logistic model per verdict, trained by `bench/train_scorer.py` on the
blind corpus's train and dev splits (see docs/scoring.md), shipped as `weights.json` (labels,
biases, feature names) and `weights.bin` (float32) beside this file, and read here with
plain Python: one table row per feature, so a response's logits are one lookup per feature
and one column sum. The weights load on first use, not at import.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from simulator.scoring.amounts import Amount, find_amounts
from simulator.scoring.fastre import lazy
from simulator.scoring.lexicon import BUILTIN_GETS, CONDITION_WORDS, NEGATION_WORDS, PRICE_WORDS
from simulator.scoring.model import Context, Finding, Score

_BUILTIN_GETS = frozenset(i for i, _, _ in BUILTIN_GETS) | {"something in return"}

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
_MAX_CHAR_TOKENS = 200  # and letter pieces from the first 200 (typos matter in short replies)
TOUCHES_PRICE = "C|touches_price"  # the response addresses price or terms (see lexicon.PRICE_WORDS)


#: One feature of a response: its name and where in the text it was seen ((-1, -1) for
#: features of the context, the buyer's line or the rules). Plain tuples: a response has
#: hundreds of them.
Feature = tuple[str, int, int]


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
    ai, na = 0, len(amounts)
    a = amounts[0] if na else None  # the first amount that does not end before this token
    for m in _TOKEN.finditer(text):
        s, e = m.span()
        if a is not None:
            while a is not None and a.end <= s:
                ai += 1
                a = amounts[ai] if ai < na else None
            if a is not None and a.start <= s:  # inside the amount: one role token for it
                if not out or out[-1][1] != a.start:
                    out.append((amount_role(a, ctx), a.start, a.end))
                continue
            if a is not None and a.start < e:
                continue
        tok = m.group().lower()
        if tok.isdigit():
            tok = "<num>"
        out.append((tok, s, e))
        if len(out) >= _MAX_TOKENS:
            break
    return out


def _ngrams(toks: list[tuple[str, int, int]], prefix: str, n_max: int) -> list[Feature]:
    """One- to n_max-word sequences (n_max is 2 or 3), named `w1|we`, `w2|we can`..."""
    w = [t[0] for t in toks]
    p1, p2, p3 = prefix + "1|", prefix + "2|", prefix + "3|"
    n = len(w)
    out = []
    for i in range(n):
        s = toks[i][1]
        out.append((p1 + w[i], s, toks[i][2]))
        if i + 1 < n:
            out.append((p2 + w[i] + " " + w[i + 1], s, toks[i + 1][2]))
            if n_max >= 3 and i + 2 < n:
                out.append((p3 + w[i] + " " + w[i + 1] + " " + w[i + 2], s, toks[i + 2][2]))
    return out


_FUNCTION_WORDS = frozenset("the and you your our for that this with have are was were will would can could "
                            "just then than them they there what when also into from".split())
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
        elif t in NEGATION_WORDS or t.endswith(("n't", "n’t")):
            neg = True
        elif t in CONDITION_WORDS:
            cond = True
        else:
            if neg:
                out.append(("n|" + t, s, e))
            if cond:
                out.append(("c|" + t, s, e))
        if t in _SENT_END or i == len(toks) - 1:
            sent = toks[start : i + 1]
            words = [x for x in sent if x[0] not in _CLAUSE_END]
            if words:
                kind = "q|" if t == "?" else "s|"
                head = words[:2]
                out.append((kind + " ".join(x[0] for x in head), head[0][1], head[-1][2]))
                if t == "?":
                    out.append(("q|", sent[0][1], sent[-1][2]))
            start = i + 1
    return out


def _chars(toks: list[tuple[str, int, int]]) -> list[Feature]:
    """Four-letter pieces of each longer word ("disc", "isco", "scou"...), so a typo
    ("discoutn", "pricng") still shares most of its pieces with the word it meant."""
    out = []
    for t, s, e in toks:
        if len(t) < 5 or t[0] == "<":
            continue
        w = "^" + t + "$"
        for i in range(len(w) - 3):
            out.append(("g|" + w[i : i + 4], s, e))
    return out


def addresses_price(toks: list[tuple[str, int, int]], findings: tuple[Finding, ...]) -> bool:
    """Does the response itself touch price or terms (so that a hold is possible)? Any
    finding but a question's or the buyer's ask says so."""
    if any(not f.rule.startswith(("question.", "reply.buyer_asked")) for f in findings):
        return True
    for t, _, _ in toks:
        if t in PRICE_WORDS or t in NEGATION_WORDS or t.endswith(("n't", "n’t")) or t[0] == "<" and t != "<num>":
            return True
    return False


def names_scenario_terms(findings: tuple[Finding, ...]) -> bool:
    """Did the rules match one of the scenario's own gives or gets (not a built-in get)?"""
    return any(
        (f.rule == "price.give" and f.detail.startswith("gives: "))
        or (f.rule == "price.hold" and f.detail.startswith("declines: "))
        or (f.rule == "exchange.get" and f.detail not in _BUILTIN_GETS)
        for f in findings
    )


def features(text: str, ctx: Context, rules: Score) -> list[Feature]:
    """Everything the model reads about one response (first occurrence of each name)."""
    toks = tokens(text, ctx)
    feats = _ngrams(toks, "w", 3) + _scoped(toks) + _chars(toks[:_MAX_CHAR_TOKENS])
    if addresses_price(toks, rules.findings):
        feats.append((TOUCHES_PRICE, -1, -1))
    if ctx.buyer_said:
        feats += [(f[0], -1, -1) for f in _ngrams(tokens(ctx.buyer_said[:2000], ctx), "B", 2)]
        feats.append(("C|reply", -1, -1))
    in_play = ctx.our_price is not None or ctx.their_price is not None
    feats.append(("C|in_play" if in_play else "C|no_price", -1, -1))
    if ctx.currency == "%":
        feats.append(("C|pct_priced", -1, -1))
    if ctx.audience == "manager":
        feats.append(("C|manager", -1, -1))
    p, x = rules.price.label, rules.exchange.label
    feats += [
        ("R|q=" + rules.question.label, -1, -1),
        ("R|price=" + p, -1, -1),
        ("R|x=" + x, -1, -1),
        ("R|stall=" + rules.stall.label, -1, -1),
        ("R|tell=" + rules.telling.label, -1, -1),
        ("R|price=" + p + "&x=" + x, -1, -1),
    ]
    if rules.below_walk_away:
        feats.append(("R|below", -1, -1))
    # A get of the scenario's own (a meeting, a standby trailer) reads as one kind of
    # finding, so what the model learned from one deal's gets carries to another's.
    names = [f.name for f in rules.findings]
    feats += [("F|" + name, -1, -1) for name in names]
    if names_scenario_terms(rules.findings):
        feats.append(("F|scenario term", -1, -1))
    feats += [("K|" + k, -1, -1) for k in {name.split(":", 1)[0] for name in names}]
    seen: dict[str, Feature] = {}
    for f in feats:
        seen.setdefault(f[0], f)
    return list(seen.values())


def _explains(f: Feature) -> bool:
    """Can this feature be shown to a rep as evidence? Phrases of the response can; single
    function words, punctuation, letter pieces and features of the context cannot."""
    name = f[0]
    if f[1] < 0 or name[:3] not in ("w1|", "w2|", "w3|"):
        return False
    words = name[3:].split(" ")
    if any(w in _CLAUSE_END or w in "?!" for w in words):
        return False
    return any(len(w) > 2 and w not in _FUNCTION_WORDS and not w.startswith("<") for w in words)


@dataclass(frozen=True)
class Model:
    """The weights of every verdict in one table: a row per feature name holding each
    verdict's weight for each of its labels (13 numbers), so a response costs one
    dictionary lookup per feature and one column sum."""

    heads: dict[str, tuple[tuple[str, ...], int]]  # verdict -> (labels, offset in a row)
    bias: tuple[float, ...]
    rows: dict[str, Sequence[float]]  # a float32 array per feature (see model())

    def known(self, feats: list[Feature]) -> list[tuple[Feature, Sequence[float]]]:
        """The features the model has weights for, each with its row, in their order (read
        once per response, by `logits` and `weighed` alike)."""
        return [(f, r) for f, r in zip(feats, map(self.rows.get, [f[0] for f in feats])) if r is not None]

    def logits(self, known: list[tuple[Feature, Sequence[float]]]) -> dict[str, list[float]]:
        """Each verdict's logits from `known(feats)`: the bias plus each column's sum."""
        rows = [r for _, r in known]
        z = [b + t for b, t in zip(self.bias, map(sum, zip(*rows)))] if rows else list(self.bias)
        return {v: z[off : off + len(labels)] for v, (labels, off) in self.heads.items()}

    def labels(self, verdict: str) -> tuple[str, ...]:
        return self.heads[verdict][0]

    def weighed(self, known: list[tuple[Feature, Sequence[float]]], verdict: str, label: str) -> list[tuple[float, Feature]]:
        """The features (of `known(feats)`) that push toward `label`, strongest first, each
        with its margin (its weight for `label` above its mean weight for the verdict)."""
        labels, off = self.heads[verdict]
        i = off + labels.index(label)
        k = len(labels)
        end = off + k
        scored = []
        for f, row in known:
            margin = row[i] - sum(row[off:end]) / k
            if margin > 0.05:
                scored.append((margin, f))
        scored.sort(key=lambda t: -t[0])
        return scored

    @staticmethod
    def support(weighed: list[tuple[float, Feature]], n: int = 2) -> list[Feature]:
        """The text features that pushed hardest (of `weighed(...)`), none overlapping
        another: the evidence of a verdict the model decided."""
        out: list[Feature] = []
        for _, f in weighed:
            if not _explains(f):
                continue
            if all(f[2] <= g[1] or g[2] <= f[1] for g in out):
                out.append(f)
            if len(out) == n:
                break
        return out


def save(path: Path, heads: dict[str, tuple[tuple[str, ...], list[float]]], rows: dict[str, list[float]]) -> None:
    """Write a model: `path` (JSON: labels, biases, feature names) and `path.bin` beside it
    (the weights, float32, one row per feature name in the JSON's order)."""
    from array import array

    names = sorted(rows)
    offset = 0
    meta_heads = {}
    bias: list[float] = []
    for v, (labels, b) in heads.items():
        meta_heads[v] = {"labels": list(labels), "offset": offset}
        bias += b
        offset += len(labels)
    flat = array("f", (w for n in names for w in rows[n]))
    path.write_text(json.dumps({"version": 2, "width": offset, "heads": meta_heads, "bias": bias, "features": names},
                               separators=(",", ":")), encoding="utf-8")
    path.with_suffix(".bin").write_bytes(flat.tobytes())


@lru_cache(maxsize=1)
def model() -> Model | None:
    """The shipped model, or None where no weights are present (the rules alone)."""
    from array import array

    try:
        meta = json.loads(WEIGHTS.read_text(encoding="utf-8"))
        raw = WEIGHTS.with_suffix(".bin").read_bytes()
    except FileNotFoundError:
        return None
    flat = array("f")
    flat.frombytes(raw)
    width = meta["width"]
    names = meta["features"]
    if len(flat) != width * len(names):
        raise ValueError(f"{WEIGHTS.name}: {len(flat)} weights for {len(names)} features of width {width}")
    # Each row stays float32 (an array of its own): it reads as the same Python floats as
    # a tuple would hold, in a third of the memory, so a response's rows are fewer cache
    # misses (looking up and summing them was most of the learned layer's time).
    rows = {n: flat[i * width : (i + 1) * width] for i, n in enumerate(names)}
    heads = {v: (tuple(h["labels"]), h["offset"]) for v, h in meta["heads"].items()}
    return Model(heads, tuple(meta["bias"]), rows)


def log_softmax(z: list[float]) -> list[float]:
    m = max(z)
    s = math.log(sum(math.exp(x - m) for x in z)) + m
    return [x - s for x in z]
