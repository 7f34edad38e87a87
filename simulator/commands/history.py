"""`shadowbox history`: the sessions saved in the history database."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from simulator.commands import whole_number
from simulator.errors import ShadowboxError
from simulator.scorecard import HABIT_TITLES
from simulator.store import Store, damage_note


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "history",
        description="List your sessions in the history database (--db / SHADOWBOX_DB, else "
        "your data folder), newest first, with each habit's score. --all lists everyone's.",
    )
    p.add_argument("--json", action="store_true", help="one JSON array, for scripts")
    p.add_argument("--limit", type=whole_number, metavar="N", help="only the N newest sessions")
    p.add_argument("--all", action="store_true", dest="everyone",
                   help="everyone's sessions, each with its user (for a manager)")
    p.set_defaults(func=run)


def rows(store: Store, limit: int | None = None, everyone: bool = False) -> list[dict]:
    """The sessions as `history --json` shows them; a damaged row is named on stderr."""
    from simulator.model import HABITS

    out = []
    for r in store.sessions(limit, everyone=everyone):
        if damage_note(r):
            print(f"shadowbox: warning: {damage_note(r)}", file=sys.stderr)
        card = r["scorecard"] or {}
        weighted = card.get("habits") or {}
        out.append({
            "id": r["id"],
            "user": r["user"],
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
            "habits": {h: r[h] for h in HABITS if h in weighted or r[h] is not None},
        })
    return out


def run(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        raise ShadowboxError(f"--limit {args.limit}: expected a number of sessions, 1 or more")
    store = Store()
    found = rows(store, args.limit, args.everyone)
    if args.json:
        print(json.dumps(found, indent=2, ensure_ascii=False))
        return 0
    if not found:
        whose = "" if args.everyone else f" for {store.user}"
        print(f"No sessions yet{whose} in {store.where}. Run `shadowbox` to practise.")
        return 0
    width = max(len(r["user"]) for r in found) if args.everyone else 0
    for r in found:
        overall = f"{r['overall']:3.0f}" if r["overall"] is not None else "  –"
        outcome = r["label"] or r["status"].replace("_", " ")
        habits = "  ".join(
            f"{HABIT_TITLES.get(k, k).split(',')[0]} {v:.0f}" for k, v in r["habits"].items()
            if v is not None)
        who = f"{r['user']:<{width}}  " if args.everyone else ""
        print(f"{r['id']:>4}  {who}{r['started'][:16].replace('T', ' ')}  {r['scenario']:<20} "
              f"{overall}  {r['rep_turns']:>3} turns  {outcome}" + (f"  [{habits}]" if habits
                                                                  else ""))
    return 0
