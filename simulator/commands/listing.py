"""`shadowbox list`: the scenarios in the library.

Listed from the library's cards (`simulator.catalog`): when no file changed since the
last run, straight from the cache, without loading the library at all.
"""

from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list")
    p.add_argument("--json", action="store_true", help="one JSON array, for scripts")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from simulator.catalog import cached_catalog, catalog_key, catalog_of, library_dirs, \
        store_catalog

    dirs = library_dirs(getattr(args, "library", []) or [])
    catalog = cached_catalog(dirs)
    if catalog is None:
        from simulator.loading import load_library

        key = catalog_key(dirs)
        catalog = catalog_of(load_library(dirs))
        store_catalog(dirs, key, catalog)
    for p in catalog.problems:
        print(p, file=sys.stderr)
    rows = [{
        "id": card.id,
        "title": card.title,
        "audience": card.audience,
        "difficulty": card.difficulty,
        "tags": card.tags,
        "brief": card.brief,
        "turn_budget": card.turn_budget,
        "persona": {k: card.persona[k] for k in ("id", "name", "role", "company")},
        "file": card.file,
    } for card in catalog.cards]
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
