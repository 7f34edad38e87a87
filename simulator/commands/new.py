"""`shadowbox new scenario|persona NAME`: commented starting files that already pass.

A new scenario comes with its scenario test and, unless `--persona` names one in
the library, a persona of its own; the folder also gets the JSON Schema files the
files' `$schema` comments point at, so an editor completes fields from the start.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from simulator.errors import ShadowboxError, display_path
from simulator.loading import library_dirs, load_library
from simulator.scaffold import check_id, plan_persona, plan_scenario, plan_schemas, write


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "new",
        description="Write a commented starting file into DIR/scenarios/ or DIR/personas/ "
        "that passes validate, lint and test as written. A scenario also gets "
        "DIR/scenarios/NAME.test.yaml and, unless --persona is given, "
        "DIR/personas/NAME-buyer.yaml. Existing files are never overwritten.",
    )
    p.add_argument("kind", choices=("scenario", "persona"))
    p.add_argument("name", metavar="NAME", help="the new id, e.g. renewal-squeeze")
    p.add_argument("--dir", default=".", metavar="DIR",
                   help="the library folder to write into (default: the current folder)")
    p.add_argument("--persona", metavar="ID",
                   help="for a scenario: use this persona from the library instead of a new one")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    if folder.exists() and not folder.is_dir():
        raise ShadowboxError(f"{display_path(folder)}: not a folder")
    ident = check_id(args.name, args.kind)
    lib = load_library(library_dirs([*(args.library or []), folder]))
    table = lib.scenarios if args.kind == "scenario" else lib.personas
    if ident in table:
        where = display_path(lib.files[f"{args.kind}:{ident}"])
        raise ShadowboxError(f"{args.kind} id '{ident}' is already used by {where}; "
                             "choose another NAME")
    if args.kind == "persona":
        if args.persona:
            raise ShadowboxError("--persona is only for `new scenario`")
        planned = plan_persona(folder, ident)
    else:
        if args.persona and args.persona not in lib.personas:
            raise ShadowboxError(f"unknown persona '{args.persona}' (shadowbox list shows "
                                 "the scenarios; personas live in personas/ folders)")
        if not args.persona and f"{ident}-buyer" in lib.personas:
            raise ShadowboxError(f"persona id '{ident}-buyer' is already used; pass "
                                 f"--persona {ident}-buyer to reuse it")
        planned = plan_scenario(folder, ident, args.persona)
    for path in write(planned + plan_schemas(folder)):
        print(f"created {display_path(path)}")
    shown = display_path(folder)
    lib_opt = "" if folder.resolve() in [d.resolve() for d in library_dirs(args.library or [])] \
        else f"--library {shown} "
    print("\nNext:")
    print(f"  shadowbox validate {shown} && shadowbox lint {shown} && shadowbox test {shown}")
    if args.kind == "scenario":
        print(f"  shadowbox {lib_opt}graph {ident}")
        print(f"  shadowbox {lib_opt}play {ident} --script my-lines.txt")
    return 0
