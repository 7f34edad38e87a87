"""`shadowbox practice SCENARIO_ID`: open the app straight on the practice screen."""

from __future__ import annotations

import argparse
from pathlib import Path

from simulator.commands import whole_number


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "practice",
        description="Open the app on SCENARIO_ID's practice screen (the plan is the "
        "scenario's default). With --watch, the scenario reloads whenever its file changes, "
        "and problems in it are shown in the app.",
    )
    p.add_argument("scenario", metavar="SCENARIO_ID",
                   help="the scenario to practise (shadowbox list shows the ids)")
    p.add_argument("--seed", type=whole_number,
                   help="seed for the buyer's lines (reproducible runs)")
    p.add_argument("--watch", action="store_true",
                   help="reload the scenario when its file changes (for authors)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from simulator.catalog import cached_card, library_dirs
    from simulator.tui.app import make_app, run_app

    extra = getattr(args, "library", []) or []
    # (only this scenario's files, not every card: the library may hold a thousand)
    files = cached_card(library_dirs(extra), args.scenario)
    lib = None
    if files is None:
        from simulator.catalog import catalog_key, catalog_of, store_catalog
        from simulator.commands.common import load

        dirs = library_dirs(extra)
        key = catalog_key(dirs)  # (before reading: an edit meanwhile makes the next run miss)
        lib = load(args, report=False)
        store_catalog(dirs, key, catalog_of(lib))  # (the next run starts at once)
        lib.scenario(args.scenario)  # unknown or broken: one-line error before the app starts
    # Known to load (the last run's cards say so, and no file changed since): the app
    # starts at once, loads that scenario's file first and the rest of the library behind.
    app = make_app(extra_dirs=extra, library=lib, start="practice", scenario_id=args.scenario,
                   scenario_file=Path(files[0]) if files is not None else None,
                   persona_file=Path(files[1]) if files is not None else None,
                   seed=args.seed, watch=args.watch)
    return run_app(app)
