"""Blind playthroughs: scripts played line by line by helpers who saw only each scenario's
brief, PLAYBOOK.md and the buyer's replies (never the YAML or the scorer).

    python bench/blind_playthroughs.py [FILE.test.yaml|DIR ...] [-v]
    python bench/blind_playthroughs.py --add-batch bench/playthroughs/batch9 x1.jsonl ...

With no files, each batch in bench/playthroughs/ is reported on its own. The files are
scenario tests (simulator/playtest.py, what `shadowbox test` runs): each path is a script
with its kind (good, bad or mixed), played at every seed of the file (1 to 4). Reported per
scenario and overall: good scripts that win, bad scripts that lose, mixed scripts whose
overall score lies between the bad and good scripts of their file, repeated buyer lines,
and deals closed below the rep's lowest offer. `shadowbox test bench/playthroughs/batch8`
shows each failing run with its transcript.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.loading import bundled_dir, load_library  # noqa: E402
from simulator.playtest import PathResult, check_mixed, load_playtest, run_path  # noqa: E402

BLIND = ROOT / "bench" / "playthroughs"


def _batch(n: int) -> list[Path]:
    return sorted((BLIND / f"batch{n}").glob("*.test.yaml"))


#: The batches, each reported on its own: batch 1 (tuned on), then the held-out batches.
BATCHES = {
    "batch 1 (the buyer was tuned on it)": _batch(1),
    "batch 2 (held out; its players' reports were read before the last buyer fixes)": _batch(2),
    "batch 3 (held out; measured once before the fixes its reports led to)": _batch(3),
    "batch 4 (held out; measured once, on the version it was played against, before the "
    "fixes its reports led to)": _batch(4),
    "batch 5 (held out; measured once, on the version it was played against, before the "
    "fixes its reports led to)": _batch(5),
    "batch 6 (held out; measured once, on the version it was played against, before the "
    "fixes its reports led to)": _batch(6),
    "batch 7 (held out; measured once, on the version it was played against)": _batch(7),
    "batch 8 (held out; measured once, on the version it was played against, before the "
    "fixes its reports led to)": _batch(8),
}
_PLAYER = re.compile(r"\A\w+ - (\w+) ")


def load(files: list[Path]) -> list[dict]:
    """Every script of the files: {scenario, kind, player, lines, seeds}."""
    out = []
    for f in files:
        spec, _src, problems = load_playtest(f)
        if spec is None:
            raise SystemExit("\n".join(str(p) for p in problems))
        for p in spec.paths:
            m = _PLAYER.match(p.name)
            out.append({"scenario": spec.scenario, "kind": p.kind, "player": m.group(1) if m else "?",
                        "lines": p.lines, "seeds": spec.all_seeds(), "spec": p})
    return out


def play(lib, script: dict, seed: int) -> PathResult:
    return run_path(lib, script["scenario"], seed, script["spec"])


def add_batch(folder: Path, played: list[Path]) -> None:
    """Write the players' JSON lines ({scenario, kind, player, lines} each, as the player
    brief asks) into `folder` as one scenario test file per scenario, at seeds 1 to 4."""
    import json

    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(str, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style='"'))
    scripts = [json.loads(x) for f in played for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
    by: dict[str, list[dict]] = defaultdict(list)
    for sc in scripts:
        by[sc["scenario"]].append(sc)
    folder.mkdir(parents=True, exist_ok=True)
    for scen, rows in sorted(by.items()):
        n: dict[tuple[str, str], int] = defaultdict(int)
        paths = []
        for sc in rows:
            n[sc["player"], sc["kind"]] += 1
            first = re.sub(r"\s+", " ", sc["lines"][0]).strip()
            paths.append({"name": f"{sc['kind']} - {sc['player']} {sc['kind']} {n[sc['player'], sc['kind']]}: "
                                  f"{first[:60]}{'...' if len(first) > 60 else ''}",
                          "kind": sc["kind"], "lines": sc["lines"]})
        text = yaml.dump({"scenario": scen, "seeds": [1, 2, 3, 4], "paths": paths}, Dumper=Dumper,
                         sort_keys=False, allow_unicode=True, width=10**6, default_flow_style=None)
        text = re.sub(r'^(\s*(?:- )?)"(scenario|seeds|paths|name|kind|lines)":', r"\1\2:", text, flags=re.M)
        text = re.sub(r'^(\s*)kind: "(good|bad|mixed)"$', r"\1kind: \2", text, flags=re.M)
        text = re.sub(r'^scenario: "([a-z0-9-]+)"$', r"scenario: \1", text, flags=re.M)
        rel = folder.resolve().relative_to(ROOT).as_posix() if folder.resolve().is_relative_to(ROOT) else folder
        header = ("# yaml-language-server: $schema=../../../schema/playtest.schema.json\n"
                  f"# Blind playthroughs: scripts played line by line against the buyer's replies by\n"
                  f"# players who saw only the scenario's brief and PLAYBOOK.md (see BRIEF_PLAYER.md). Run with\n"
                  f"# `shadowbox test {rel}`; measured by bench/blind_playthroughs.py.\n")
        (folder / f"{scen}.test.yaml").write_text(header + text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("-v", action="store_true", help="one line per script and seed")
    ap.add_argument("--add-batch", type=Path, metavar="DIR",
                    help="write the given players' JSON lines files into DIR as scenario tests, then report them")
    args = ap.parse_args(argv)
    if args.add_batch:
        add_batch(args.add_batch, args.files)
        args.files = [args.add_batch]
    lib = load_library([bundled_dir()])
    given = [f for p in args.files for f in (sorted(p.glob("*.test.yaml")) if p.is_dir() else [p])]
    batches = {"given files": given} if args.files else BATCHES
    for name, files in batches.items():
        if len(batches) > 1:
            print(f"== {name}")
        report(lib, files, args.v)
    return 0


def report(lib, files: list[Path], verbose: bool) -> None:
    by = defaultdict(list)  # scenario -> [(script, result)]
    n_scripts = 0
    seeds_seen: set[int] = set()
    for f in files:
        scripts = load([f])
        n_scripts += len(scripts)
        runs = [(sc, play(lib, sc, seed)) for sc in scripts for seed in sc["seeds"]]
        check_mixed([r for _, r in runs])  # within the file: one scenario, one batch
        for sc, r in runs:
            seeds_seen.add(r.seed)
            by[sc["scenario"]].append((sc, r))
            if verbose:
                print(f"{sc['scenario']:24} {sc['kind']:5} {sc['player']} seed {r.seed}: won={r.won} "
                      f"overall={r.overall} {'; '.join(r.failures)}")
    tot = defaultdict(int)
    print(f"{'scenario':24} {'good won':>9} {'bad lost':>9} {'mixed between':>14} {'repeats':>8} {'below offer':>12}")
    for scen, rows in sorted(by.items()):
        kinds = {k: [r for s, r in rows if s["kind"] == k] for k in ("good", "bad", "mixed")}
        gw = sum(r.won for r in kinds["good"])
        bl = sum(not r.won for r in kinds["bad"])
        mb = sum(not any(f.startswith("a mixed path") for f in r.failures) for r in kinds["mixed"])
        reps = sum(r.repeats for _, r in rows)
        below = sum(r.below_offer for _, r in rows)
        g, b, m = (len(kinds[k]) for k in ("good", "bad", "mixed"))
        print(f"{scen:24} {gw:>4}/{g:<4} {bl:>4}/{b:<4} {mb:>7}/{m:<6} {reps:>8} {below:>12}")
        for k, v in (("gw", gw), ("g", g), ("bl", bl), ("b", b), ("mb", mb), ("m", m), ("rep", reps), ("below", below)):
            tot[k] += v
    print(f"{'all':24} {tot['gw']:>4}/{tot['g']:<4} {tot['bl']:>4}/{tot['b']:<4} {tot['mb']:>7}/{tot['m']:<6} {tot['rep']:>8} {tot['below']:>12}")
    if by:
        med = statistics.median(r.overall for rows in by.values() for _, r in rows if r.overall is not None)
        print(f"median overall score {med:.0f}; {n_scripts} scripts x {len(seeds_seen)} seeds")


if __name__ == "__main__":
    raise SystemExit(main())
