"""Make a round of the blind corpus from what its writers and labellers wrote.

    python bench/blind_round.py prep DIR        # DIR/label_in.jsonl for the two labellers
    python bench/blind_round.py diff DIR        # DIR/adjudicate_in.jsonl: where they differ
    python bench/blind_round.py assemble DIR SPLIT   # append DIR's rows to SPLIT.jsonl

DIR is one writer's folder: `contexts.json` and `responses.jsonl` (the writer's, with their
aim and style), `labels_a.jsonl` and `labels_b.jsonl` (two labellers, independently), and
`adjudicated.jsonl` (the third labeller's decisions on the rows where those two differ).
The labellers see each row's deal context inlined, the buyer's line and the text, never the
writer's aim or style; the third sees the two labellings as x and y in a random order.
`assemble` applies docs/labelling.md's decision 1 to manager rows (price none, exchange no,
below walk-away no), appends the rows to the split and the writer's contexts to
contexts.json, and recomputes agreement.json over every row of the corpus.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from blind import BLIND, VERDICTS  # noqa: E402

#: What each labeller marks: the verdicts, and whether a named price is under the walk-away.
FIELDS = {**VERDICTS, "below_walk_away": ("yes", "no")}


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _labels(row: dict) -> dict[str, str]:
    out = {k: row[k] for k in FIELDS}
    bad = {k: v for k, v in out.items() if v not in FIELDS[k]}
    if bad:
        raise SystemExit(f"{row.get('id')}: labels outside the allowed values: {bad}")
    return out


def prep(d: Path) -> None:
    ctxs = {c["id"]: c for c in json.loads((d / "contexts.json").read_text(encoding="utf-8"))}
    rows = _jsonl(d / "responses.jsonl")
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        raise SystemExit(f"{d}: duplicate ids")
    out = [{"id": r["id"], "context": ctxs[r["context"]], "buyer": r.get("buyer"), "text": r["text"]} for r in rows]
    _write(d / "label_in.jsonl", out)
    print(f"{d / 'label_in.jsonl'}: {len(out)} rows, {sum(1 for r in rows if r.get('buyer'))} replies")


def _pair(d: Path) -> tuple[list[dict], dict[str, dict], dict[str, dict]]:
    rows = _jsonl(d / "label_in.jsonl")
    a = {r["id"]: _labels(r) for r in _jsonl(d / "labels_a.jsonl")}
    b = {r["id"]: _labels(r) for r in _jsonl(d / "labels_b.jsonl")}
    ids = [r["id"] for r in rows]
    for name, got in (("labels_a", a), ("labels_b", b)):
        if sorted(got) != sorted(ids):
            raise SystemExit(f"{d / name}.jsonl: its ids are not the input's ({len(got)} of {len(ids)})")
    return rows, a, b


def diff(d: Path) -> None:
    rows, a, b = _pair(d)
    rnd = random.Random(f"adjudicate:{d.name}")
    out = []
    for r in rows:
        differ = [k for k in FIELDS if a[r["id"]][k] != b[r["id"]][k]]
        if differ:
            x, y = (a[r["id"]], b[r["id"]]) if rnd.random() < 0.5 else (b[r["id"]], a[r["id"]])
            out.append(dict(r, x=x, y=y, differ=differ))
    _write(d / "adjudicate_in.jsonl", out)
    print(f"{d / 'adjudicate_in.jsonl'}: {len(out)} of {len(rows)} rows differ")
    for k in FIELDS:
        print(f"  {k:16} agreement {sum(a[i][k] == b[i][k] for i in a) / len(a):.3f}")


def _kappa(pairs: list[tuple[str, str]]) -> float:
    n = len(pairs)
    po = sum(x == y for x, y in pairs) / n
    ca, cb = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return 1.0 if pe == 1 else (po - pe) / (1 - pe)


def assemble(d: Path, split: str) -> None:
    rows, a, b = _pair(d)
    writer_rows = {r["id"]: r for r in _jsonl(d / "responses.jsonl")}
    third_path = d / "adjudicated.jsonl"
    third = {r["id"]: r for r in _jsonl(third_path)} if third_path.exists() else {}
    ctxs = json.loads((d / "contexts.json").read_text(encoding="utf-8"))
    manager = {c["id"] for c in ctxs if c.get("audience") == "manager"}
    out = []
    for r in rows:
        w = writer_rows[r["id"]]
        la, lb = a[r["id"]], b[r["id"]]
        if la == lb:
            final, decided, note = dict(la), "agreed", None
        else:
            if r["id"] not in third:
                raise SystemExit(f"{r['id']}: the labellers differ and the third has not decided")
            final, decided, note = _labels(third[r["id"]]), "third", third[r["id"]].get("note", "")
        if w["context"] in manager:  # decision 1, applied to every manager row
            final.update(price="none", exchange="no", below_walk_away="no")
        row = {"id": r["id"], "writer": w["writer"], "context": w["context"], "style": w.get("style"),
               "buyer": w.get("buyer"), "text": w["text"], **final,
               "labeller_a": la, "labeller_b": lb, "decided": decided}
        if note is not None:
            row["third_note"] = note
        out.append(row)
    split_path = BLIND / f"{split}.jsonl"
    existing = _jsonl(split_path) if split_path.exists() else []
    if any(x["writer"] == out[0]["writer"] for x in existing):
        raise SystemExit(f"{split_path}: already holds {out[0]['writer']}'s rows")
    _write(split_path, existing + out)
    all_ctx = json.loads((BLIND / "contexts.json").read_text(encoding="utf-8"))
    all_ctx += [c for c in ctxs if c["id"] not in {x["id"] for x in all_ctx}]
    (BLIND / "contexts.json").write_text(json.dumps(all_ctx, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    every = [x for p in sorted(BLIND.glob("*.jsonl")) for x in _jsonl(p)]
    agreement = {
        "rows": len(every),
        "decided_by_third": sum(x["decided"] == "third" for x in every),
        "agreement": {k: round(sum(x["labeller_a"][k] == x["labeller_b"][k] for x in every) / len(every), 4) for k in FIELDS},
        "kappa": {k: round(_kappa([(x["labeller_a"][k], x["labeller_b"][k]) for x in every]), 4) for k in FIELDS},
    }
    (BLIND / "agreement.json").write_text(json.dumps(agreement, indent=1) + "\n", encoding="utf-8")
    print(f"{split_path}: +{len(out)} rows ({sum(x['decided'] == 'third' for x in out)} decided by the third)")
    print(json.dumps(agreement, indent=1))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=("prep", "diff", "assemble"))
    ap.add_argument("dir", type=Path)
    ap.add_argument("split", nargs="?")
    args = ap.parse_args(argv)
    if args.step == "prep":
        prep(args.dir)
    elif args.step == "diff":
        diff(args.dir)
    else:
        if not args.split:
            ap.error("assemble needs the split (train, dev, test, test2, test3, test4)")
        assemble(args.dir, args.split)
    return 0


if __name__ == "__main__":
    sys.exit(main())
