"""Latency of the scorer per response, against a trivial baseline scorer in the same run.

    python bench/bench_scorer.py [--repeat N]

Responses of several lengths up to 2,000 characters are built from realistic rep lines
(the labelled corpus), plus one 100,000-character response. For each length bucket it
prints median and p99 milliseconds per call for the real scorer and for the baseline (one
precompiled regex per habit, the cheapest thing that could be called a scorer).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.scoring import Context, score  # noqa: E402
from simulator.scoring.engine import score_rules  # noqa: E402

CTX = Context(our_price=8.50, their_price=7.50, walk_away=8.20)
# The same deal with the buyer's last line, as a session scores it (the line is read too).
CTX_BUYER = Context(our_price=8.50, their_price=7.50, walk_away=8.20,
                    buyer_said="Six approved vendors and the other five met $7.50 a drive. "
                               "Get to $7.50 and throw in the tooling, or I give your share to them.")
_B_OPEN = re.compile(r"\b(?:what|how|why|tell me|walk me through)\b", re.I)
_B_GIVE = re.compile(r"\b(?:discount|off|lower|match|free)\b", re.I)
_B_IF = re.compile(r"\b(?:if you|provided|as long as)\b", re.I)


def baseline(text: str, ctx: Context) -> tuple[str, str, bool]:
    """A trivial keyword scorer: the floor any real scorer's cost is compared with."""
    q = "open" if _B_OPEN.search(text) else ("closed" if "?" in text else "none")
    give = bool(_B_GIVE.search(text))
    cond = bool(_B_IF.search(text))
    return q, ("trade" if give and cond else "concede" if give else "none"), cond


def build_inputs(lengths: list[int], per_bucket: int, seed: int = 7) -> dict[int, list[str]]:
    lines = [json.loads(x)["text"] for x in (ROOT / "tests" / "corpus" / "responses.jsonl").read_text().splitlines() if x.strip()]
    rng = random.Random(seed)
    out: dict[int, list[str]] = {}
    for n in lengths:
        texts = []
        for _ in range(per_bucket):
            parts: list[str] = []
            while sum(len(p) + 1 for p in parts) < n:
                parts.append(rng.choice(lines))
            texts.append(" ".join(parts)[:n])
        out[n] = texts
    return out


def timeit(fn, texts: list[str], repeat: int, ctx: Context = CTX) -> list[float]:
    """Milliseconds per call, one sample per (text, repeat)."""
    samples = []
    for _ in range(repeat):
        for t in texts:
            t0 = time.perf_counter()
            fn(t, ctx)
            samples.append((time.perf_counter() - t0) * 1000)
    return samples


def pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(q * len(s)))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--per-bucket", type=int, default=100)
    args = ap.parse_args(argv)
    lengths = [50, 150, 400, 1000, 2000]
    inputs = build_inputs(lengths, args.per_bucket)
    for t in inputs[150][:20]:  # warm-up (patterns compile and the weights load on first use)
        score(t, CTX)
    print(f"{'chars':>7} {'scorer median':>14} {'scorer p99':>11} {'rules median':>13} {'rules p99':>10} "
          f"{'baseline median':>16} {'baseline p99':>13}   (ms per response; rules: without the learned layer)")
    all_s: list[float] = []
    all_r: list[float] = []
    for n in lengths:
        s = timeit(score, inputs[n], args.repeat)
        r = timeit(score_rules, inputs[n], args.repeat)
        b = timeit(baseline, inputs[n], args.repeat)
        all_s.extend(s)
        all_r.extend(r)
        print(f"{n:>7} {statistics.median(s):>14.3f} {pct(s, 0.99):>11.3f} {statistics.median(r):>13.3f} {pct(r, 0.99):>10.3f} "
              f"{statistics.median(b):>16.4f} {pct(b, 0.99):>13.4f}")
    print(f"{'<=2000':>7} {statistics.median(all_s):>14.3f} {pct(all_s, 0.99):>11.3f} {statistics.median(all_r):>13.3f} "
          f"{pct(all_r, 0.99):>10.3f}   (all buckets)")
    with_line = [x for n in lengths for x in timeit(score, inputs[n], args.repeat, CTX_BUYER)]
    print(f"{'<=2000':>7} {statistics.median(with_line):>14.3f} {pct(with_line, 0.99):>11.3f}   (all buckets, with the buyer's line in the context)")
    big = (" ".join(inputs[2000]) * 10)[:100_000]
    s = timeit(score, [big], 3)
    b = timeit(baseline, [big], 3)
    print(f"{100_000:>7} {statistics.median(s):>14.1f} {max(s):>11.1f} {statistics.median(b):>16.2f} {max(b):>13.2f}   (max instead of p99)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
