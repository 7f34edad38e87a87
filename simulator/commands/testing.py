"""`shadowbox test [PATH...]`: run scenario tests (`*.test.yaml`) with a readable diff.

The format and the runner are `simulator.playtest`'s (the same as the library's
golden playthroughs); this command finds the files, checks them against the
library, plays every path and reports each failure with the expected and actual
states side by side and the transcript.
"""

from __future__ import annotations

import argparse
import difflib
from pathlib import Path

from simulator.commands.validate import resolve
from simulator.errors import display_path
from simulator.playtest import PathResult, check_mixed, check_test_file, run_path


def _report(result: PathResult, expected_states: list[str] | None) -> list[str]:
    """The lines shown under a failing path: failures, a states diff, the transcript."""
    out = [f"    - {f}" for f in result.failures]
    if expected_states is not None and expected_states != result.states:
        out.append("    states, expected -> actual:")
        diff = difflib.unified_diff(expected_states, result.states, "expected", "actual",
                                    lineterm="", n=len(expected_states) + len(result.states))
        out += [f"      {line}" for line in list(diff)[2:] if not line.startswith("@@")]
    out.append("    transcript:")
    out += [f"      {line}" for line in result.transcript]
    return out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "test",
        description="Play every path of every scenario test file and compare the states, "
        "outcome and totals with what the file expects. With no PATH, runs the tests beside "
        "the library folders in use (the folder itself, scenarios/ and tests/). Exits 1 if "
        "any test fails or cannot run.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="test files or folders")
    p.add_argument("-k", dest="match", metavar="TEXT",
                   help="only paths whose name contains TEXT (case-insensitive)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="show the transcript of passing paths too")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    t = resolve(args, args.paths)
    for p in t.problems:
        print(p)
    if not t.tests:
        where = ", ".join(args.paths) if args.paths else "the library folders in use"
        print(f"no scenario tests (*.test.yaml) found in {where}")
        return 1
    passed = failed = broken = 0
    for path in t.tests:
        spec, problems = check_test_file(path, t.library)
        if spec is None:
            broken += 1
            for p in problems:
                print(p)
            continue
        shown = display_path(path)
        seeds = spec.all_seeds()
        runs = [
            (path_spec, run_path(t.library, spec.scenario, seed, path_spec))
            for path_spec in spec.paths
            if not args.match or args.match.lower() in path_spec.name.lower()
            for seed in seeds
        ]
        check_mixed([r for _, r in runs])
        for path_spec, result in runs:
            at = f" (seed {result.seed})" if len(seeds) > 1 else ""
            print(f"{'PASS' if result.ok else 'FAIL'}  {shown}: {path_spec.name}{at}")
            if not result.ok:
                failed += 1
                for line in _report(result, path_spec.expect.states if path_spec.expect else None):
                    print(line)
            else:
                passed += 1
                if args.verbose:
                    print("\n".join(f"      {line}" for line in result.transcript))
    summary = f"{passed} passed, {failed} failed"
    if broken:
        summary += f", {broken} file(s) could not run"
    print(summary)
    if passed + failed == 0 and not broken:
        print(f"no path matches -k {args.match!r}" if args.match else "no paths ran")
        return 1
    return 1 if failed or broken or t.problems else 0
