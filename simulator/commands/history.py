"""`shadowbox history`: the sessions saved in the history database."""

from __future__ import annotations

import argparse
import json
from datetime import datetime

from simulator.errors import display_path
from simulator.scorecard import HABIT_TITLES
from simulator.store import Store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "history",
        help="list your practice sessions",
        description="List the sessions saved in the history database (SHADOWBOX_HOME, or "
        "your data folder), newest first, with each habit's score.",
    )
    p.add_argument("--json", action="store_true", help="one JSON array, for scripts")
    p.add_argument("--limit", type=int, metavar="N", help="only the N newest sessions")
    p.set_defaults(func=run)


def rows(store: Store, limit: int | None = None) -> list[dict]:
    out = []
    for r in store.sessions(limit):
        card = r["scorecard"] or {}
        out.append({
            "id": r["id"],
            "scenario": r["scenario"],
            "title": r["title"],
            "started": datetime.fromtimestamp(r["started"]).astimezone().isoformat(
                timespec="seconds"),
            "seed": r["seed"],
            "status": r["status"],
            "won": r["won"],
            "label": r["label"],
            "price": r["price"],
            "overall": r["overall"],
            "rep_turns": r["rep_turns"],
            "habits": {k: h.get("score") for k, h in (card.get("habits") or {}).items()},
        })
    return out


def run(args: argparse.Namespace) -> int:
    store = Store()
    found = rows(store, args.limit)
    if args.json:
        print(json.dumps(found, indent=2, ensure_ascii=False))
        return 0
    if not found:
        print(f"No sessions yet in {display_path(store.path)}. Run `shadowbox` to practise.")
        return 0
    for r in found:
        overall = f"{r['overall']:3.0f}" if r["overall"] is not None else "  –"
        outcome = r["label"] or r["status"].replace("_", " ")
        habits = "  ".join(
            f"{HABIT_TITLES.get(k, k).split(',')[0]} {v:.0f}" for k, v in r["habits"].items()
            if v is not None)
        print(f"{r['id']:>4}  {r['started'][:16].replace('T', ' ')}  {r['scenario']:<20} "
              f"{overall}  {r['rep_turns']:>3} turns  {outcome}" + (f"  [{habits}]" if habits
                                                                  else ""))
    return 0
