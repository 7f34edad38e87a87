"""`shadowbox practice SCENARIO_ID`: open the app straight on the practice screen."""

from __future__ import annotations

import argparse

from simulator.commands.common import load


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "practice",
        help="practise a scenario in the app",
        description="Open the app on SCENARIO_ID's practice screen (the plan is the "
        "scenario's default). With --watch, the scenario reloads whenever its file changes, "
        "and problems in it are shown in the app.",
    )
    p.add_argument("scenario", metavar="SCENARIO_ID",
                   help="the scenario to practise (shadowbox list shows the ids)")
    p.add_argument("--seed", type=int, help="seed for the buyer's lines (reproducible runs)")
    p.add_argument("--watch", action="store_true",
                   help="reload the scenario when its file changes (for authors)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from simulator.tui.app import make_app

    lib = load(args, report=False)
    lib.scenario(args.scenario)  # unknown or broken: one-line error before the app starts
    app = make_app(extra_dirs=getattr(args, "library", []) or [], library=lib,
                   start="practice", scenario_id=args.scenario, seed=args.seed,
                   watch=args.watch)
    return app.run() or 0
