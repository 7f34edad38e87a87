"""`shadowbox team`: the manager's view of the team's practice."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from simulator.commands.common import load
from simulator.money import BLANK
from simulator.scorecard import HABIT_TITLES, SHORT_HABITS
from simulator.store import Store
from simulator.team import assigned_text, parse_since, team_view, trend_arrow
from simulator.wording import counted


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "team",
        description="For each rep in the history database: sessions and drills, the average "
        "and trend of each habit, when they last practised and their weakest habit; then "
        "the team's leaderboard for each habit. Most useful on a shared PostgreSQL "
        "database (--db / SHADOWBOX_DB).",
    )
    p.add_argument("--json", action="store_true",
                   help='one JSON object: {"reps": [...], "leaderboards": {...}}')
    p.add_argument("--since", metavar="DATE",
                   help="only practice since DATE (YYYY-MM-DD), or a span back (7d, 4w)")
    p.add_argument("--scenario", metavar="ID", help="only this scenario's sessions and drills")
    p.set_defaults(func=run)


def render(view: dict) -> str:
    reps = view["reps"]
    scope = (f"since {view['since']}" if view["since"] else "all time") + (
        f", scenario {view['scenario']}" if view["scenario"] else ", all scenarios")
    if not reps:
        return f"No practice yet ({scope})."
    habits = [h for h in HABIT_TITLES if any(h in r["habits"] for r in reps)]
    width = max(4, *(len(r["user"]) for r in reps))
    assigned = {r["user"]: assigned_text(r["assignments"]) for r in reps}
    wide = max(len("assigned"), *map(len, assigned.values()))  # "1/2 1 late" is ten
    head = (f"{'rep':<{width}}  sessions  drills  overall  "
            + "  ".join(f"{SHORT_HABITS[h]:<10}" for h in habits)
            + f"  weakest      {'assigned':<{wide}}  last practised")
    lines = [f"Team: {len(reps)} rep{'s' if len(reps) != 1 else ''}, {scope}", "", head]
    for r in reps:
        cells = []
        for h in habits:
            got = r["habits"].get(h)
            cells.append(f"{got['average']:>4.0f} {trend_arrow(got['trend']):<3}".ljust(10) if got
                         else f"{BLANK:>4}".ljust(10))
        overall = f"{r['overall']:>7.0f}" if r["overall"] is not None else f"{BLANK:>7}"
        when = (datetime.fromisoformat(r["last_practised"]).strftime("%Y-%m-%d %H:%M")
                if r["last_practised"] else BLANK)
        weakest = SHORT_HABITS[r["weakest_habit"]] if r["weakest_habit"] else BLANK
        lines.append(f"{r['user']:<{width}}  {r['sessions']:>8}  {r['drills']:>6}  {overall}  "
                     + "  ".join(cells)
                     + f"  {weakest:<11}  {assigned[r['user']]:<{wide}}  {when}")
    lines += ["", "Trend: the later half of a rep's scores against the earlier half "
              "(↑ better, ↓ worse; blank with fewer than 4)."]
    if view["leaderboards"]:
        lines += ["", "Leaderboards (average):"]
    for h, board in view["leaderboards"].items():
        top = "   ".join(f"{b['rank']}. {b['user']} {b['average']:.0f}" for b in board[:5])
        lines.append(f"  {HABIT_TITLES[h]:<21} {top}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    since = parse_since(args.since) if args.since else None
    view = team_view(Store(), since=since, scenario=args.scenario)
    if args.scenario and not view["reps"]:
        # nothing under that id: a typo is named (a scenario gone from the library but
        # still in the history has reps, and is shown)
        load(args, report=False).scenario(args.scenario)
    if view.get("damaged_sessions"):
        print(f"shadowbox: warning: {counted(view['damaged_sessions'], 'session')} damaged in the "
              "history database (a number column holds text); left out", file=sys.stderr)
    if args.json:
        print(json.dumps(view, indent=2, ensure_ascii=False))
    else:
        print(render(view))
    return 0
