"""`shadowbox list`: the scenarios in the library."""

from __future__ import annotations

import argparse
import json

from simulator.commands.common import load
from simulator.errors import display_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list")
    p.add_argument("--json", action="store_true", help="one JSON array, for scripts")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    lib = load(args)
    rows = []
    for sc in lib.ordered():
        persona = lib.persona_of(sc)
        rows.append({
            "id": sc.id,
            "title": sc.title,
            "audience": sc.audience,
            "difficulty": sc.difficulty,
            "tags": sc.tags,
            "persona": {"id": persona.id, "name": persona.name, "role": persona.role,
                        "company": persona.company},
            "file": display_path(lib.files[f"scenario:{sc.id}"]),
        })
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("No scenarios found.")
        return 0
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        who = f'{r["persona"]["name"]}, {r["persona"]["role"]}'
        print(f'{r["id"]:<{width}}  {r["audience"]:<7} {r["difficulty"]:<6}  {r["title"]} '
              f'({who})')
    return 0
