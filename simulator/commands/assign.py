"""`shadowbox assign` and `shadowbox assignments`: practice a manager sets, and its progress."""

from __future__ import annotations

import argparse
import json
from datetime import date

from simulator.commands.common import load
from simulator.errors import ShadowboxError
from simulator.store import Store, check_user

#: The pass mark when --pass is not given (the score the app shows in green).
DEFAULT_PASS = 70.0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "assign",
        description="Assign SCENARIO_ID to each rep in --to (comma-separated user names), "
        "due by --due. It is done when the rep plays a session of it, after this, scoring at "
        f"least --pass (default {DEFAULT_PASS:.0f}).",
    )
    p.add_argument("scenario", metavar="SCENARIO_ID")
    p.add_argument("--to", required=True, metavar="NAMES", help="user names: ana,ben,chen")
    p.add_argument("--due", required=True, metavar="DATE", help="due date, YYYY-MM-DD")
    p.add_argument("--pass", dest="pass_mark", type=float, default=DEFAULT_PASS, metavar="N",
                   help=f"the overall score (0-100) that passes (default {DEFAULT_PASS:.0f})")
    p.set_defaults(func=run_assign)

    q = sub.add_parser(
        "assignments",
        description="Assignments, soonest due first, each done or not yet (with the best "
        "score so far); yours, or with --all everyone's, for a manager.",
    )
    q.add_argument("--json", action="store_true", help="one JSON array, for scripts")
    q.add_argument("--all", action="store_true", dest="everyone", help="everyone's")
    q.set_defaults(func=run_list)


def parse_due(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ShadowboxError(f"--due '{text}': expected a date, YYYY-MM-DD") from None


def run_assign(args: argparse.Namespace) -> int:
    names = [n.strip() for n in args.to.split(",") if n.strip()]
    if not names:
        raise ShadowboxError("--to: name at least one rep (ana,ben,chen)")
    users = list(dict.fromkeys(check_user(n) for n in names))
    due = parse_due(args.due)
    if not 0 <= args.pass_mark <= 100:
        raise ShadowboxError(f"--pass {args.pass_mark:g}: expected a score from 0 to 100")
    lib = load(args, report=False)
    scenario = lib.scenario(args.scenario)  # unknown or broken: a one-line error
    done = Store().assign(scenario.id, users, due, args.pass_mark)
    terms = (f"due {due.isoformat()}{' (already past)' if due < date.today() else ''}, "
             f"pass mark {args.pass_mark:g}")
    new = [a["user"] for a in done if a["was"] is None]
    if new:
        print(f"Assigned {scenario.id} to {', '.join(new)}, {terms}.")
    for a in done:
        if a["was"] is not None:
            print(f"Updated {a['user']}'s open assignment of {scenario.id} (was due "
                  f"{a['was']['due']}, pass mark {a['was']['pass_mark']:g}): {terms}.")
    return 0


def status(a: dict) -> str:
    if a["done"]:
        return f"done {a['done_at'][:10]}"
    best = f", best {a['best']:.0f}" if a["best"] is not None else ""
    return ("overdue" if a["overdue"] else "not yet") + best


def run_list(args: argparse.Namespace) -> int:
    store = Store()
    rows = store.assignments(everyone=args.everyone)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("No assignments." if args.everyone else f"No assignments for {store.user}.")
        return 0
    width = max(len(a["user"]) for a in rows)
    for a in rows:
        who = f"{a['user']:<{width}}  " if args.everyone else ""
        print(f"{a['id']:>4}  {who}{a['scenario']:<24} due {a['due']}  pass {a['pass_mark']:g}"
              f"  {status(a)}  (set by {a['assigned_by']})")
    return 0
