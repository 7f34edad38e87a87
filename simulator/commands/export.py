"""`shadowbox export`: one stored session as Markdown, HTML or JSON."""

from __future__ import annotations

import argparse
import sys

from simulator.commands import MAX_INT, whole_number
from simulator.errors import ShadowboxError, display_path
from simulator.export import FORMATS, export, write
from simulator.store import Store, damage_note


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        description="Write SESSION_ID (see `shadowbox history`) as Markdown, HTML or JSON, "
        "to stdout or to a file.",
    )
    p.add_argument("session", metavar="SESSION_ID")
    p.add_argument("--format", choices=tuple(FORMATS["session"]), default="md",
                   help="md (default), html or json")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--force", action="store_true", help="with -o: overwrite FILE if it exists")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        sid = whole_number(args.session)
    except argparse.ArgumentTypeError:  # -10**23, 5,000 digits, "x1"
        raise ShadowboxError(f"'{args.session.strip()[:40]}' is not a session id (a whole "
                             f"number up to {MAX_INT}; shadowbox history lists them)") from None
    record = Store().load(sid)
    if damage_note(record):
        print(f"shadowbox: warning: {damage_note(record)}", file=sys.stderr)
    if args.output and args.output != "-":
        path = write(record, args.format, args.output, force=args.force)
        print(f"wrote {display_path(path)}", file=sys.stderr)
    else:
        sys.stdout.write(export(record, args.format))
    return 0
