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
from simulator.safetext import SafeStream, printable

#: Subcommands and the modules that hold them, in the order `--help` lists them. Names are
#: fixed here, never read from data.
COMMANDS = {
    "list": "listing", "play": "play", "score": "score", "validate": "validate",
    "lint": "lint", "test": "testing", "graph": "graph", "new": "new", "schema": "schema",
    "practice": "practice", "history": "history", "export": "export", "drill": "drill",
    "serve": "serve",
}


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand named in argv: '' for none, None when only all of them will do."""
    args = iter(argv)
    for token in args:
        if token == "--library":
            next(args, None)
        elif token.startswith("--library="):
            continue
        elif token.startswith("-"):
            return None
        else:
            return token if token in COMMANDS else None
    return ""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `only`, just that subcommand is imported (a faster start)."""
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
    for name, module in COMMANDS.items():
        if only is None or name == only:
            importlib.import_module(f"simulator.commands.{module}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Everything it prints goes through `SafeStream`: text from files,
    arguments or history can never drive the terminal."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(out), SafeStream(err)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _main(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_command_in(argv))
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
    except UnicodeEncodeError as exc:  # a path or name with a lone surrogate (not from a
        # real command line, which decodes bytes with surrogateescape, but from files)
        print(f"shadowbox: error: {printable(exc.object[exc.start:exc.end + 20])!s}: not "
              "valid text (a lone surrogate) where a file name or text was expected",
              file=sys.stderr)
        return 1
