"""The one command-line entry: `shadowbox` and `python -m simulator`.

Each subcommand lives in `simulator/commands/<name>.py` with `register(subparsers)`
and `run(args) -> int`. Every error a user can cause ends as one line on stderr
and a non-zero exit; a traceback here is a bug.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from simulator import __version__
from simulator.errors import ShadowboxError

#: Subcommand modules, in the order `--help` lists them. Names are fixed here, never read
#: from data.
COMMANDS = ("listing", "play", "score", "validate", "lint", "testing", "graph", "new", "schema",
            "practice", "history", "export", "drill", "serve")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shadowbox",
        description="Rehearse sales negotiations against scripted buyers. "
        "With no command, opens the app on the library.",
    )
    parser.add_argument("--version", action="version", version=f"shadowbox {__version__}")
    parser.add_argument(
        "--library",
        action="append",
        default=[],
        metavar="DIR",
        help="add a folder of personas/ and scenarios/ to the bundled library (repeatable; "
        "SHADOWBOX_LIBRARY does the same)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"simulator.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.command = "home"
        try:
            from simulator.commands import home
        except ImportError:
            parser.print_help()
            return 0
        args.func = home.run
    try:
        return int(args.func(args) or 0)
    except ShadowboxError as exc:
        print(f"shadowbox: error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("shadowbox: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
