"""Train the scorer's learned layer and write simulator/scoring/weights.json.

    pip install -e ".[train]"
    python bench/train_scorer.py            # choose C on dev, report dev, write the weights
    python bench/train_scorer.py --no-write # report only

Training rows: the blind corpus's train split, plus the project's older corpora
(tests/corpus/*.jsonl), which stay regression sets. The regularisation strength is chosen
per verdict by macro-F1 on the blind dev split; the test split is never read here.
Each verdict is one multinomial logistic regression over the features of
simulator/scoring/learned.py (the rules' verdicts among them). Weights under 0.01 are
dropped and the rest rounded to four places, so the file stays small and loads fast.
"""

from __future__ import annotations

import argparse
import json
import sys
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
        out.append(([f.name for f in feats], blind.gold(r)))
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
            out.append(([f.name for f in feats], g))
    return out


def fit(train, verdict: str, c: float):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    labels = learned.LABELS[verdict]
    vec = DictVectorizer()
    x = vec.fit_transform([{f: 1.0 for f in feats} for feats, _ in train])
    y = [labels.index(g[verdict]) for _, g in train]
    present = sorted(set(y))
    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    model.fit(x, y)
    return vec, model, present


def head_of(vec, model, present, verdict: str, prune: float = 0.01) -> dict:
    """The weights as the runtime reads them: one row per feature, a weight per label."""
    import numpy as np

    labels = learned.LABELS[verdict]
    k = len(labels)
    coef = model.coef_
    intercept = model.intercept_
    if len(present) == 2 and coef.shape[0] == 1:  # binary: sklearn keeps one row
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    full = np.zeros((k, coef.shape[1]))
    bias = np.full(k, -30.0)  # a label never seen in training is never predicted
    for row, lab in enumerate(present):
        full[lab] = coef[row]
        bias[lab] = intercept[row]
    weights = {}
    for j, name in enumerate(vec.feature_names_):
        col = full[:, j]
        if np.abs(col).max() >= prune:
            weights[name] = [round(float(v), 4) for v in col]
    return {"labels": list(labels), "bias": [round(float(b), 4) for b in bias], "weights": weights}


def evaluate(head: dict, rows, verdict: str) -> float:
    h = learned.Head(tuple(head["labels"]), tuple(head["bias"]), {k: tuple(v) for k, v in head["weights"].items()})
    feats_of = lambda names: [learned.Feature(n, -1, -1) for n in names]  # noqa: E731
    pairs = []
    for names, g in rows:
        z = h.logits(feats_of(names))
        pairs.append((g[verdict], h.labels[max(range(len(z)), key=z.__getitem__)]))
    return blind.macro_f1(pairs, h.labels)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-write", action="store_true", help="report on dev without writing weights")
    ap.add_argument("--with-dev", action="store_true",
                    help="after choosing C on dev, refit on train and dev together (the shipped model)")
    args = ap.parse_args(argv)
    train = examples_blind("train") + examples_old()
    dev = examples_blind("dev")
    print(f"train {len(train)} rows, dev {len(dev)} rows")
    heads = {}
    for verdict in learned.LABELS:
        rules_pairs = [(g[verdict], next(n.split("=", 1)[1] for n in names if n.startswith(_RULE[verdict])))
                       for names, g in dev]
        best = None
        for c in CS:
            vec, model, present = fit(train, verdict, c)
            head = head_of(vec, model, present, verdict)
            f1 = evaluate(head, dev, verdict)
            print(f"  {verdict:9} C={c:<5} dev macro-F1 {f1:.4f}")
            if best is None or f1 > best[0]:
                best = (f1, c, head)
        print(f"  {verdict:9} rules alone {blind.macro_f1(rules_pairs, learned.LABELS[verdict]):.4f}; "
              f"model {best[0]:.4f} at C={best[1]} ({len(best[2]['weights'])} weights)")
        if args.with_dev:
            vec, model, present = fit(train + dev, verdict, best[1])
            heads[verdict] = head_of(vec, model, present, verdict)
        else:
            heads[verdict] = best[2]
    if not args.no_write:
        learned.WEIGHTS.write_text(json.dumps({"version": 1, "heads": heads}, separators=(",", ":")), encoding="utf-8")
        print(f"wrote {learned.WEIGHTS.relative_to(ROOT)} ({learned.WEIGHTS.stat().st_size // 1024} KiB)")
    return 0


_RULE = {"question": "R|q=", "price": "R|price=", "exchange": "R|x=", "stall": "R|stall=", "telling": "R|tell="}

if __name__ == "__main__":
    raise SystemExit(main())
