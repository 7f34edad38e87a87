"""The scorer's output, row by row, is what it was when the snapshot was taken.

Written before the scorer was reorganised into a lexicon and one module per verdict
(issue 11): a refactor must not change a single verdict, reason, rule name, evidence span,
finding, tip, get, ask or named price, nor any feature the learned layer reads (its shipped
weights depend on them). The snapshot covers every row of the regression corpus
(`tests/corpus/*.jsonl`) and of the blind corpus's train and dev splits, never test.

A deliberate change to the scorer's behaviour regenerates the snapshot, in the same commit:

    python tests/test_scoring_refactor_identical.py --write
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import blind  # noqa: E402
import corpus_eval  # noqa: E402

from simulator.scoring import learned  # noqa: E402
from simulator.scoring.reply import agrees  # noqa: E402
from simulator.scoring.engine import MAX_CHARS, score, score_rules  # noqa: E402

SNAPSHOT = ROOT / "tests" / "corpus" / "scoring_snapshot.json.gz"
CORPUS = ROOT / "tests" / "corpus"
BLIND_SPLITS = ("train", "dev")  # never test or test2: their rows stay unread


def rows():
    """(key, text, context) for every row the snapshot covers."""
    for path in sorted(CORPUS.glob("*.jsonl")):
        for rec in corpus_eval.load(path):
            yield f"{path.name}:{rec['id']}", rec["text"], corpus_eval.context_of(rec)
    ctxs = blind.contexts()
    for split in BLIND_SPLITS:
        for row in blind.load(split):
            yield f"blind/{split}:{row['id']}", row["text"], blind.context_of(ctxs[row["context"]], row.get("buyer"))


#: Keys the output gained after the snapshot was taken, left out of the comparison: the
#: finding records (a Score's `findings_detail`, a verdict's `findings`). Nothing the snapshot
#: holds is left out; tests/test_scoring_findings.py checks the records against the
#: snapshotted `findings` names.
ADDED_KEYS = ("findings_detail",)
ADDED_VERDICT_KEYS = ("findings",)


def _full(s) -> dict:
    """Everything a Score says: to_dict() plus the evidence spans, reasons and rules of
    every verdict, the asks and the agreement reading."""
    d = s.to_dict()
    for k in ADDED_KEYS:
        d.pop(k)
    for v in d["verdicts"].values():
        for k in ADDED_VERDICT_KEYS:
            v.pop(k)
    d["asks"] = list(s.asks)
    d["agrees"] = agrees(s.text)
    d["spans"] = {
        k: [[sp.start, sp.end, sp.text] for sp in v.evidence]
        for k, v in (("question", s.question), ("price", s.price), ("exchange", s.exchange),
                     ("stall", s.stall), ("telling", s.telling))
    }
    return d


def record(text: str, ctx) -> dict:
    rules = score_rules(text, ctx)
    feats = learned.features(text[:MAX_CHARS], ctx, rules)
    # Sorted: the "K|" features come from a set, so their order follows the string hash
    # seed of the process (the model sums them; their order never mattered).
    digest = hashlib.sha256(json.dumps(sorted(feats), ensure_ascii=False).encode()).hexdigest()
    return {"score": _full(score(text, ctx)), "rules": _full(rules), "features": digest, "n_features": len(feats)}


def snapshot() -> dict[str, dict]:
    return {key: record(text, ctx) for key, text, ctx in rows()}


def test_every_row_scores_exactly_as_in_the_snapshot():
    want = json.loads(gzip.decompress(SNAPSHOT.read_bytes()))
    got = snapshot()
    assert sorted(got) == sorted(want), "the corpus rows changed: regenerate the snapshot deliberately"
    diffs = [k for k in want if got[k] != want[k]]
    if diffs:
        k = diffs[0]
        parts = [p for p in want[k] if got[k][p] != want[k][p]]
        detail = {p: {"was": want[k][p], "now": got[k][p]} for p in parts}
        raise AssertionError(f"{len(diffs)} of {len(want)} rows changed; first {k}: {json.dumps(detail, indent=1)[:4000]}")
    assert len(want) >= 5_000


def test_no_scoring_module_reads_another_modules_private_names():
    import ast

    bad = []
    for path in sorted((ROOT / "simulator" / "scoring").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("simulator.scoring"):
                bad += [f"{path.name}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                if isinstance(node.value, ast.Name) and node.value.id in {p.stem for p in path.parent.glob("*.py")}:
                    bad.append(f"{path.name}: {node.value.id}.{node.attr}")
    assert not bad, bad


def test_importing_the_scorer_compiles_no_lexicon_pattern():
    import subprocess

    code = (
        "import simulator.scoring\n"
        "from simulator.scoring import lexicon\n"
        "from simulator.scoring.fastre import Lazy, Rx\n"
        "pats = [v for v in vars(lexicon).values() if isinstance(v, (Lazy, Rx))]\n"
        "pats += [rx for _, rx in lexicon.FALLBACK_GETS]\n"
        "done = [p.pattern[:40] for p in pats if (p.ready if isinstance(p, Rx) else 'search' in vars(p))]\n"
        "assert len(pats) > 30 and not done, done\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/test_scoring_refactor_identical.py --write")
    data = snapshot()
    SNAPSHOT.write_bytes(gzip.compress(json.dumps(data, ensure_ascii=False, sort_keys=True).encode(), mtime=0))
    print(f"wrote {len(data)} rows to {SNAPSHOT.relative_to(ROOT)}")
