"""`shadowbox export`: one stored session as Markdown, HTML or JSON."""

from __future__ import annotations

import argparse
import sys

from simulator.errors import display_path
from simulator.export import FORMATS, export, write
from simulator.store import Store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        description="Write SESSION_ID (see `shadowbox history`) as Markdown, HTML or JSON, "
        "to stdout or to a file.",
    )
    p.add_argument("session", metavar="SESSION_ID")
    p.add_argument("--format", choices=FORMATS, default="md", help="md (default), html or json")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    record = Store().load(args.session)
    if args.output and args.output != "-":
        path = write(record, args.format, args.output)
        print(f"wrote {display_path(path)}", file=sys.stderr)
    else:
        sys.stdout.write(export(record, args.format))
    return 0
