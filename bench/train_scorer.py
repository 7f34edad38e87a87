"""Train the scorer's learned layer and write simulator/scoring/weights.json.

    pip install -e ".[train]"
    python bench/train_scorer.py            # choose C on dev, report dev, write the weights
    python bench/train_scorer.py --no-write # report only

Training rows: the blind corpus's train split, plus the project's older corpora
(tests/corpus/*.jsonl), which stay regression sets. The regularisation strength is chosen
per verdict by macro-F1 on the blind dev split; the test split is never read here.
Each verdict is one multinomial logistic regression over the features of
simulator/scoring/learned.py (the rules' verdicts among them). Features seen in fewer than
MIN_ROWS training rows, and features whose weights are all under PRUNE, are dropped, so the
weights (float32, `learned.save`) stay small and load fast.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import blind  # noqa: E402
import corpus_eval  # noqa: E402
from simulator.scoring import learned  # noqa: E402
from simulator.scoring.engine import score_rules  # noqa: E402

OLD = ["responses.jsonl", "heldout.jsonl", "replies.jsonl", "replies_heldout.jsonl"]
CS = (0.1, 0.3, 1.0, 3.0, 10.0)


def _yn(v) -> str:
    return ("yes" if v else "no") if isinstance(v, bool) else v


def examples_blind(split: str) -> list[tuple[list[str], dict[str, str]]]:
    ctxs = blind.contexts()
    out = []
    for r in blind.load(split):
        ctx = blind.context_of(ctxs[r["context"]], r.get("buyer"))
        feats = learned.features(r["text"], ctx, score_rules(r["text"], ctx))
        out.append(([f[0] for f in feats], dict(blind.gold(r), manager=ctx.audience == "manager")))
    return out


def examples_old() -> list[tuple[list[str], dict[str, str]]]:
    out = []
    for name in OLD:
        for r in corpus_eval.load(ROOT / "tests" / "corpus" / name):
            ctx = corpus_eval.context_of(r)
            s = score_rules(r["text"], ctx)
            feats = learned.features(r["text"], ctx, s)
            g = {"question": r["question"], "price": r["price"], "exchange": _yn(r["exchange"])}
            # The older corpora mark no stall or telling; the rules' reading stands in.
            g["stall"] = _yn(r["stall"]) if "stall" in r else s.stall.label
            g["telling"] = _yn(r["telling"]) if "telling" in r else s.telling.label
            g["manager"] = ctx.audience == "manager"
            out.append(([f[0] for f in feats], g))
    return out


MIN_ROWS = 2  # a feature seen in fewer training rows than this is dropped
PRUNE = 0.02  # and so is one whose weights are all smaller than this


def vocabulary(train) -> list[str]:
    counts = Counter(f for feats, _ in train for f in set(feats))
    return sorted(f for f, n in counts.items() if n >= MIN_ROWS)


#: Verdicts fixed for a manager coaching a rep (docs/labelling.md, decision 1: no price move,
#: nothing asked in return): the scorer sets them, so manager rows neither train nor judge
#: them. Trained on, a manager's "offer 3% only for a two-year term" labelled "none" would
#: teach the rep's heads that trade words mean nothing.
FIXED_FOR_MANAGERS = ("price", "exchange")


def _rows_for(rows, verdict: str):
    return [r for r in rows if not (verdict in FIXED_FOR_MANAGERS and r[1].get("manager"))]


def fit(train, vocab: list[str], verdict: str, c: float) -> tuple[list[float], dict[str, list[float]]]:
    """One verdict's biases and weights (a weight per label for each feature in vocab)."""
    train = _rows_for(train, verdict)
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    labels = learned.LABELS[verdict]
    index = {f: i for i, f in enumerate(vocab)}
    indptr, cols = [0], []
    for feats, _ in train:
        cols += sorted({index[f] for f in feats if f in index})
        indptr.append(len(cols))
    x = csr_matrix((np.ones(len(cols)), cols, indptr), shape=(len(train), len(vocab)))
    y = [labels.index(g[verdict]) for _, g in train]
    present = sorted(set(y))
    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x, y)
    coef, intercept = model.coef_, model.intercept_
    if len(present) == 2 and coef.shape[0] == 1:  # binary: sklearn keeps one row
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    full = np.zeros((len(labels), len(vocab)))
    bias = [-30.0] * len(labels)  # a label never seen in training is never predicted
    for row, lab in enumerate(present):
        full[lab] = coef[row]
        bias[lab] = float(intercept[row])
    return bias, {f: [float(w) for w in full[:, j]] for j, f in enumerate(vocab)}


def assemble(parts: dict[str, tuple[list[float], dict[str, list[float]]]]) -> learned.Model:
    """The runtime model from each verdict's fit, features with only tiny weights dropped."""
    names = set().union(*(w.keys() for _, w in parts.values()))
    rows = {}
    for n in names:
        row = [x for v in learned.LABELS for x in parts[v][1].get(n, [0.0] * len(learned.LABELS[v]))]
        if max(abs(x) for x in row) >= PRUNE:
            rows[n] = tuple(row)
    heads, bias, off = {}, [], 0
    for v, labels in learned.LABELS.items():
        heads[v] = (labels, off)
        bias += parts[v][0]
        off += len(labels)
    return learned.Model(heads, tuple(bias), rows)


def evaluate(m: learned.Model, rows, verdict: str) -> float:
    pairs = []
    for names, g in _rows_for(rows, verdict):
        z = m.logits(m.known([(n, -1, -1) for n in names]))[verdict]
        pairs.append((g[verdict], m.labels(verdict)[max(range(len(z)), key=z.__getitem__)]))
    return blind.macro_f1(pairs, learned.LABELS[verdict])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-write", action="store_true", help="report on dev without writing weights")
    ap.add_argument("--with-dev", action="store_true",
                    help="after choosing C on dev, refit on train and dev together (the shipped model)")
    args = ap.parse_args(argv)
    train = examples_blind("train") + examples_old()
    dev = examples_blind("dev")
    vocab = vocabulary(train)
    print(f"train {len(train)} rows, dev {len(dev)} rows, {len(vocab)} features seen in >= {MIN_ROWS} rows")
    chosen: dict[str, float] = {}
    for verdict in learned.LABELS:
        rules_pairs = [(g[verdict], next(n.split("=", 1)[1] for n in names if n.startswith(_RULE[verdict])))
                       for names, g in _rows_for(dev, verdict)]
        best = None
        for c in CS:
            part = fit(train, vocab, verdict, c)
            f1 = evaluate(assemble({v: part if v == verdict else ([0.0] * len(l), {}) for v, l in learned.LABELS.items()}), dev, verdict)
            print(f"  {verdict:9} C={c:<5} dev macro-F1 {f1:.4f}")
            if best is None or f1 > best[0]:
                best = (f1, c)
        chosen[verdict] = best[1]
        print(f"  {verdict:9} rules alone {blind.macro_f1(rules_pairs, learned.LABELS[verdict]):.4f}; "
              f"model {best[0]:.4f} at C={best[1]}")
    final = train + dev if args.with_dev else train
    vocab = vocabulary(final)
    parts = {v: fit(final, vocab, v, chosen[v]) for v in learned.LABELS}
    m = assemble(parts)
    if not args.with_dev:
        print("dev macro-F1 of the assembled model: " + ", ".join(f"{v} {evaluate(m, dev, v):.4f}" for v in learned.LABELS))
    if not args.no_write:
        learned.save(learned.WEIGHTS, {v: (m.heads[v][0], list(m.bias[m.heads[v][1] : m.heads[v][1] + len(m.heads[v][0])]))
                                       for v in m.heads}, {n: list(r) for n, r in m.rows.items()})
        size = learned.WEIGHTS.stat().st_size + learned.WEIGHTS.with_suffix(".bin").stat().st_size
        print(f"wrote {learned.WEIGHTS.relative_to(ROOT)} and .bin ({len(m.rows)} features, {size // 1024} KiB)"
              + (" trained on train + dev" if args.with_dev else ""))
    return 0


_RULE = {"question": "R|q=", "price": "R|price=", "exchange": "R|x=", "stall": "R|stall=", "telling": "R|tell="}

if __name__ == "__main__":
    raise SystemExit(main())
