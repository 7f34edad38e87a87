"""The one command-line entry: `shadowbox` and `python -m simulator`.

Each subcommand lives in `simulator/commands/<name>.py` with `register(subparsers)`
and `run(args) -> int`. Every error a user can cause ends as one line on stderr
and a non-zero exit; a traceback here is a bug.
"""

from __future__ import annotations

import importlib
import os
import sys

from simulator import __version__
from simulator.safetext import SafeStream, printable

TYPE_CHECKING = False  # (importing typing alone costs as much as the rest of --version)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

#: Subcommands, in the order `--help` lists them: the module that holds each and its
#: one-line summary. Names are fixed here, never read from data. Only the module of the
#: command being run is imported, so `--version` and `--help` load nothing else.
COMMANDS = {
    "list": ("listing", "list the scenarios in the library"),
    "play": ("play", "play a scenario from a script of rep responses"),
    "score": ("score", "score a rep response on the three habits"),
    "validate": ("validate",
                 "check persona, scenario and test files; every problem as path:line:col"),
    "lint": ("lint",
             "warn about unreachable states, dead ends, unused lines and other design slips"),
    "test": ("testing",
             "run scenario tests (*.test.yaml): scripted rep lines and what must happen"),
    "graph": ("graph", "draw a scenario's conversation (Mermaid or Graphviz DOT)"),
    "new": ("new", "start a new scenario or persona from a commented template"),
    "schema": ("schema", "write the JSON Schema of scenario, persona and test files"),
    "practice": ("practice", "practise a scenario in the app"),
    "history": ("history", "list your practice sessions"),
    "export": ("export", "export a practice session (md, html or json)"),
    "drill": ("drill", "run a group drill: one buyer, a room of reps, a leaderboard"),
    "team": ("team", "the team's practice: per rep, habits and trends; leaderboards"),
    "assign": ("assign", "set practice: a scenario for reps to pass by a date"),
    "assignments": ("assign", "your assignments (--all: everyone's), done or not yet"),
    "db": ("db", "set up, upgrade or sync the history database"),
    "serve": ("serve", "serve the app to a web browser (for a meeting-room screen)"),
}

#: Options before the command that take a value.
GLOBAL_VALUES = ("--library", "--db", "--user")


def _command_in(argv: Sequence[str]) -> str:
    """The subcommand named in argv, or '' when there is none (or it is misspelt)."""
    args = iter(argv)
    for token in args:
        if token in GLOBAL_VALUES:
            next(args, None)
        elif not token.startswith("-"):
            return token if token in COMMANDS else ""
    return ""


class _Commands:
    """The subparsers as a command module sees them: each gets its summary from COMMANDS."""

    def __init__(self, sub: argparse._SubParsersAction) -> None:
        self._sub = sub

    def add_parser(self, name: str, **kwargs) -> argparse.ArgumentParser:
        return self._sub.add_parser(name, help=COMMANDS[name][1], **kwargs)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser. With `only`, just that subcommand's module is imported, and no other
    command is added; with '', none is imported and every one is listed by name and
    summary (enough for `--help` and a misspelt command)."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="shadowbox",
        description="Rehearse sales negotiations against scripted buyers. "
        "With no command, opens the app on the library.",
    )
    parser.add_argument("--version", action="version", version=f"shadowbox {__version__}")
    library_help = ("add a folder of personas/ and scenarios/ to the bundled library "
                    "(repeatable; SHADOWBOX_LIBRARY does the same)")
    parser.add_argument("--library", action="append", default=[], metavar="DIR",
                        help=library_help)
    parser.add_argument(
        "--db",
        metavar="URL",
        help="the history database: postgresql://user@host:port/dbname for a team, or "
        "sqlite:///path (SHADOWBOX_DB does the same; default: history.db in your data folder)",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="who is practising (SHADOWBOX_USER does the same; default: your login name)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = COMMANDS[only][0] if only else None
    registered: set[str] = set()  # a module may hold more than one command (assign)
    for name, (module, summary) in COMMANDS.items():
        if only is None or module == wanted:
            if module not in registered:
                registered.add(module)
                importlib.import_module(f"simulator.commands.{module}").register(
                    _Commands(sub))
        elif not only:  # (a named command needs no other: `--help` and a misspelt one do)
            sub.add_parser(name, help=summary, add_help=False)
    # `shadowbox graph X --library DIR` as well as `shadowbox --library DIR graph X`: the
    # subcommand's own --library folders are added after the ones given before it.
    for p in sub.choices.values():
        p.add_argument("--library", action="append", default=[], metavar="DIR",
                       dest="library_after", help=library_help)
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
    if argv[:1] == ["--version"]:  # what argparse would print, without loading it
        print(f"shadowbox {__version__}")
        return 0
    parser = build_parser(_command_in(argv))
    args = parser.parse_args(argv)
    from simulator.errors import ShadowboxError

    args.library = [*args.library, *getattr(args, "library_after", [])]
    if args.command is None:
        args.command = "home"
        try:
            from simulator.commands import home
        except ImportError:
            parser.print_help()
            return 0
        args.func = home.run
    try:
        # The database and user hold for everything this run starts (the app, `serve`'s
        # child process).
        if args.db:
            os.environ["SHADOWBOX_DB"] = args.db
        if args.user is not None:
            from simulator.store import check_user

            os.environ["SHADOWBOX_USER"] = check_user(args.user)
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
