"""`shadowbox lint [PATH...]`: warnings about what a conversation can actually do.

Files that do not load are reported with their errors (they cannot be linted);
every scenario and persona that loads gets `simulator.lint`'s checks. Exits 1 on
any error or warning, so a clean library stays clean in CI.
"""

from __future__ import annotations

import argparse

from simulator.commands.validate import print_problems, resolve
from simulator.lint import LintCache, lint_library, lint_visit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lint",
        description="Check what a validator cannot see: unreachable states and endings, "
        "states with no way out, transitions that can never fire, moves a state never "
        "handles, lines never said, gets never rewarded, scenarios whose good and bad paths "
        "end the same, confusable ids. With no PATH, lints the whole library in use. "
        "Exits 1 on any error or warning.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or library folders")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    linted: dict = {}  # each scenario linted as it loads, from the same parse
    cache = LintCache.default()  # or its warnings of the last run, when nothing changed
    t = resolve(args, args.paths, visit=lint_visit(linted, cache))
    cache.save()
    problems = t.load_problems() + [p for p in lint_library(t.library, linted) if t.mine(p)]
    errors = print_problems(problems)
    if not problems:
        print(f"{len(t.files)} file(s) linted: no warnings")
        return 0
    print(f"{len(t.files)} file(s) linted: {errors} error(s), "
          f"{len(problems) - errors} warning(s)")
    return 1
