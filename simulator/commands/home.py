"""`shadowbox` with no command: the app, opened on the scenario library.

The library loads inside the app (in a thread, after the first frame), and its
problems are shown there rather than printed.
"""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from simulator.tui.app import make_app, run_app

    app = make_app(extra_dirs=getattr(args, "library", []) or [])
    return run_app(app)
