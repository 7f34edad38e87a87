"""`shadowbox drill`: a group drill for a sales meeting, and the team's progress since."""

from __future__ import annotations

import argparse
from pathlib import Path

from simulator.commands import whole_number
from simulator.commands.common import load, read_text
from simulator.drill import Drill, parse_team
from simulator.errors import ShadowboxError, display_path
from simulator.export import FORMATS, render
from simulator.scorecard import HABIT_TITLES, SHORT_HABITS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "drill",
        description="Run a drill in a sales meeting: the buyer poses a moment of SCENARIO_ID, "
        "volunteers answer in turn, every answer is scored, and the board updates live. "
        "Without a scenario or a team, the drill opens on its set-up screen. With --script, "
        "the drill runs without the app (for scripts, trainers and tests) and prints the "
        "board. Every drill is saved to the history database; --history shows the team's "
        "progress across drills.",
    )
    p.add_argument("scenario", nargs="?", metavar="SCENARIO_ID",
                   help="the scenario (shadowbox list); chosen on screen when left out")
    team = p.add_mutually_exclusive_group()
    team.add_argument("--team", metavar="NAMES", help='the team in speaking order: "Ana,Ben,Chen"')
    team.add_argument("--team-file", metavar="FILE",
                      help="the team from a file: one name per line (or commas; # comments)")
    p.add_argument("--timer", type=float, metavar="SECONDS",
                   help="an answer timer, shown large (5 to 3600 seconds)")
    p.add_argument("--projector", action="store_true",
                   help="projector layout: high contrast, bold, for the back of the room")
    p.add_argument("--seed", type=whole_number,
                   help="seed for the buyer's wording (reproducible)")
    p.add_argument("--script", metavar="FILE",
                   help="run the drill without the app: each line 'NAME: answer' is that "
                   "person's answer to the current moment, a line '---' moves to the next "
                   "moment ('-' reads stdin); needs SCENARIO_ID and --team")
    p.add_argument("--json", action="store_true",
                   help="with --script: print the drill as JSON (id, leaderboard, rounds, ...)")
    p.add_argument("--out", metavar="DIR", type=Path,
                   help="where the summary's export key writes md/csv/json (default: your "
                   "Documents/Shadowbox folder, or exports/ in Shadowbox's data folder)")
    look = p.add_mutually_exclusive_group()
    look.add_argument("--history", action="store_true",
                      help="print past drills and each person's progress, then exit")
    look.add_argument("--show", metavar="DRILL_ID",
                      help="print a past drill (see --history) in --format, then exit")
    p.add_argument("--format", choices=tuple(FORMATS["drill"]), default="md",
                   help="format for --show (default md)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.history or args.show:
        from simulator.drill_store import DrillStore

        store = DrillStore()
        try:
            if args.show:
                text = render("drill", args.format, store.load(args.show)["data"])
                print(text, end="" if text.endswith("\n") else "\n")
            else:
                print(history_text(store.drills(), store.progress()))
        finally:
            store.close()
        return 0

    if args.script is None and args.json:
        raise ShadowboxError("--json goes with --script (or use --show ID --format json)")
    team = None
    if args.team is not None:
        team = parse_team(args.team, "--team")
    elif args.team_file is not None:
        team = parse_team(read_text(args.team_file, "team file"), args.team_file)
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        raise ShadowboxError(f"--out {args.out}: not a folder")
    lib = load(args)
    if args.scenario is not None:
        lib.scenario(args.scenario)  # an unknown id is a one-line error before the app opens
    if args.timer is not None and not 5 <= args.timer <= 3600:
        raise ShadowboxError(f"--timer {args.timer:g}: give between 5 and 3600 seconds")

    if args.script is not None:
        return run_script_drill(args, lib, team)

    drill = None
    if args.scenario is not None and team is not None:
        scenario = lib.scenario(args.scenario)
        drill = Drill(scenario, lib.persona_of(scenario), team, seed=args.seed,
                      timer=args.timer)
    from simulator.tui.app import DrillApp, run_app

    app = DrillApp(
        drill=drill,
        setup={"team": team or [], "scenario_id": args.scenario, "timer": args.timer},
        projector=args.projector,
        export_dir=args.out,
        library=lib,
    )
    return run_app(app)


def run_script_drill(args: argparse.Namespace, lib, team: list[str] | None) -> int:
    """`drill SCENARIO --team ... --script FILE`: play the script, save, print the board."""
    from simulator.drill import run_script
    from simulator.drill_store import DrillStore

    if args.scenario is None or team is None:
        raise ShadowboxError("--script needs a SCENARIO_ID and a team (--team or --team-file)")
    if args.projector:
        raise ShadowboxError("--projector is for the app; leave it out with --script")
    text = read_text(args.script, "drill script")
    scenario = lib.scenario(args.scenario)
    drill = Drill(scenario, lib.persona_of(scenario), team, seed=args.seed, timer=args.timer)
    where = "stdin" if args.script == "-" else display_path(Path(args.script))
    run_script(drill, text, where)
    drill.finish()
    store = DrillStore()
    saved = None
    try:
        if drill.answers:
            store.save(drill)
            saved = drill.id
    finally:
        store.close()
    if args.json:
        print(drill.to_json())
    else:
        print(board_text(drill, saved))
    return 0


def board_text(drill: Drill, saved: str | None) -> str:
    """The leaderboard and each person's best answer and habit to work on, as plain text."""
    habits = drill.scored_habits()
    rounds = len(drill.answered_rounds)
    lines = [f"Drill {drill.id}: {drill.scenario.title} · {rounds} round"
             f"{'s' if rounds != 1 else ''} · {len(drill.participants)} people · seed {drill.seed}",
             ""]
    heads = ["Place", "Name", "Overall", *(SHORT_HABITS[h] for h in habits), "Answers", "Passes"]
    rows = [[s.place, s.name, _n(s.overall), *(_n(s.habits[h]) for h in habits),
             str(s.attempts), str(s.skipped)] for s in drill.leaderboard()]
    widths = [max(len(r[i]) for r in [heads, *rows]) for i in range(len(heads))]
    for r in [heads, *rows]:
        lines.append("  ".join(c.ljust(w) if i == 1 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    for ps in drill.summary():
        lines.append("")
        lines.append(f"{ps.name}: {_n(ps.overall)}")
        if ps.best is not None:
            lines.append(f"  Best answer (round {ps.best.round}, {_n(ps.best.overall)}): "
                         f"\"{ps.best.text}\"")
        elif ps.attempts:
            lines.append("  Best answer: none that held the price")
        if ps.focus:
            lines.append(f"  Work on: {HABIT_TITLES[ps.focus]}. {ps.focus_tip}")
        else:
            lines.append(f"  {ps.focus_tip}")
    lines.append("")
    if saved:
        lines.append(f"Saved to history as {saved} (shadowbox drill --show {saved} "
                     "--format md|csv|json)")
    else:
        lines.append("Nobody answered, so nothing was saved to history.")
    return "\n".join(lines)


def _n(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def history_text(drills: list[dict], progress: dict[str, list[dict]]) -> str:
    """Past drills, newest first, then each person's overall drill by drill."""
    if not drills:
        return "No drills yet. Start one with: shadowbox drill SCENARIO_ID --team \"Ana,Ben\""
    lines = [f"{len(drills)} drill{'s' if len(drills) != 1 else ''}, newest first:"]
    for d in drills:
        lead = ", ".join(d["leaders"]) or "–"
        lines.append(f"  {d['id']}  {d['started_at'][:16].replace('T', ' ')}  {d['scenario']:<24} "
                     f"{d['rounds']} rounds  {len(d['team'])} people  top: {lead}")
    lines.append("")
    lines.append("Progress per person (overall per drill, oldest first; – = passed every turn):")
    width = max(len(n) for n in progress) if progress else 4
    for name in sorted(progress, key=str.casefold):
        rows = progress[name]
        seq = " → ".join("–" if r["overall"] is None else f"{r['overall']:.0f}" for r in rows)
        focus = next((r["focus"] for r in reversed(rows) if r["focus"]), None)
        lines.append(f"  {name:<{width}}  {len(rows)} drill{'s' if len(rows) != 1 else ' '}  "
                     f"{seq}" + (f"   work on: {focus.replace('_', ' ')}" if focus else ""))
    return "\n".join(lines)
