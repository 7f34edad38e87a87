"""Blind playthroughs: scripts played line by line by helpers who saw only each scenario's
brief, PLAYBOOK.md and the buyer's replies (never the YAML or the scorer).

    python bench/blind_playthroughs.py [FILE.jsonl ...] [--seeds 1,2,3,4] [-v]

With no files, each batch in tests/playthroughs/blind/ is reported on its own.

Each line of a file is {"scenario", "kind": good|bad|mixed, "player", "lines": [...]}. Every
script is played at each seed. Reported per scenario and overall: good scripts that win,
bad scripts that lose, mixed scripts whose overall score lies between the scenario's bad and
good scripts, repeated buyer lines, and deals closed below the rep's lowest offer.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.loading import bundled_dir, load_library  # noqa: E402
from simulator.scorecard import build  # noqa: E402
from simulator.session import Session  # noqa: E402

BLIND = ROOT / "tests" / "playthroughs" / "blind"
#: The batches, each reported on its own: batch 1 (tuned on), then the held-out batches.
BATCHES = {
    "batch 1 (the buyer was tuned on it)": sorted(BLIND.glob("*.jsonl")),
    "batch 2 (held out; its players' reports were read before the last buyer fixes)":
        sorted((BLIND / "batch2").glob("*.jsonl")),
    "batch 3 (held out; measured once before the fixes its reports led to)":
        sorted((BLIND / "batch3").glob("*.jsonl")),
    "batch 4 (held out; measured once, on the version it was played against, before the "
    "fixes its reports led to)": sorted((BLIND / "batch4").glob("*.jsonl")),
    "batch 5 (held out; measured once, on the version it was played against, before the "
    "fixes its reports led to)": sorted((BLIND / "batch5").glob("*.jsonl")),
    "batch 6 (held out; measured once, on the version it was played against, before the "
    "fixes its reports led to)": sorted((BLIND / "batch6").glob("*.jsonl")),
    "batch 7 (held out; measured once, on the version it was played against)":
        sorted((BLIND / "batch7").glob("*.jsonl")),
    "batch 8 (held out; measured once, on the version it was played against, before the "
    "fixes its reports led to)": sorted((BLIND / "batch8").glob("*.jsonl")),
}


def play(lib, script: dict, seed: int) -> dict:
    sc = lib.scenario(script["scenario"])
    session = Session(sc, lib.persona_of(sc), seed=seed)
    session.play(script["lines"])
    buyer = [t.text for t in session.turns if t.speaker == "buyer"]
    offers = [t.score.named_price for t in session.turns if t.speaker == "rep" and t.score and t.score.named_price]
    out = session.outcome
    lowest = min(offers) if offers else None
    below = bool(out.price is not None and lowest is not None and out.price < lowest - 1e-9)
    return {
        "won": bool(out.won),
        "status": out.status,
        "overall": build(session).overall,
        "repeats": len(buyer) - len(set(buyer)),
        "below_offer": below,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--seeds", default="1,2,3,4")
    ap.add_argument("-v", action="store_true", help="one line per script and seed")
    args = ap.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    lib = load_library([bundled_dir()])
    batches = {"given files": args.files} if args.files else BATCHES
    for name, files in batches.items():
        if len(batches) > 1:
            print(f"== {name}")
        report(lib, files, seeds, args.v)
    return 0


def load(files: list[Path]) -> list[dict]:
    return [json.loads(x) for f in files for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]


def report(lib, files: list[Path], seeds: list[int], verbose: bool) -> None:
    scripts = load(files)
    by = defaultdict(list)
    for sc in scripts:
        for seed in seeds:
            r = play(lib, sc, seed)
            by[sc["scenario"]].append((sc, seed, r))
            if verbose:
                print(f"{sc['scenario']:24} {sc['kind']:5} {sc['player']} seed {seed}: {r}")
    tot = defaultdict(int)
    print(f"{'scenario':24} {'good won':>9} {'bad lost':>9} {'mixed between':>14} {'repeats':>8} {'below offer':>12}")
    for scen, rows in sorted(by.items()):
        good = [r for s, _, r in rows if s["kind"] == "good"]
        bad = [r for s, _, r in rows if s["kind"] == "bad"]
        mixed = [r for s, _, r in rows if s["kind"] == "mixed"]
        lo = max((r["overall"] for r in bad), default=float("-inf"))
        hi = min((r["overall"] for r in good), default=float("inf"))
        between = sum(1 for r in mixed if lo <= r["overall"] <= hi)
        reps = sum(r["repeats"] for _, _, r in rows)
        below = sum(r["below_offer"] for _, _, r in rows)
        gw, bl = sum(r["won"] for r in good), sum(not r["won"] for r in bad)
        print(f"{scen:24} {gw:>4}/{len(good):<4} {bl:>4}/{len(bad):<4} {between:>7}/{len(mixed):<6} {reps:>8} {below:>12}")
        for k, v in (("gw", gw), ("g", len(good)), ("bl", bl), ("b", len(bad)), ("mb", between), ("m", len(mixed)), ("rep", reps), ("below", below)):
            tot[k] += v
    print(f"{'all':24} {tot['gw']:>4}/{tot['g']:<4} {tot['bl']:>4}/{tot['b']:<4} {tot['mb']:>7}/{tot['m']:<6} {tot['rep']:>8} {tot['below']:>12}")
    if by:
        med = statistics.median(r["overall"] for rows in by.values() for _, _, r in rows)
        print(f"median overall score {med:.0f}; {len(scripts)} scripts x {len(seeds)} seeds")


if __name__ == "__main__":
    raise SystemExit(main())
