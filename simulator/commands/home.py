"""`shadowbox` with no command: the app, opened on the scenario library."""

from __future__ import annotations

import argparse

from simulator.commands.common import load


def run(args: argparse.Namespace) -> int:
    from simulator.loading import library_dirs
    from simulator.tui.app import make_app

    lib = load(args, report=False)
    app = make_app(dirs=library_dirs(getattr(args, "library", []) or []), library=lib)
    return app.run() or 0
