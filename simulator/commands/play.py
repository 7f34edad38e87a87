"""`shadowbox play`: run a scripted conversation headless and print the debrief."""

from __future__ import annotations

import argparse
import json
import sys

from simulator.commands import whole_number
from simulator.commands.common import load, read_text
from simulator.commands.score import faithful
from simulator.errors import ShadowboxError
from simulator.debrief import Debrief, render_text
from simulator.scorecard import build
from simulator.session import Session


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "play",
        description="Play SCENARIO_ID with rep responses read from a script, one per line "
        "(blank lines and lines starting with # are skipped; '-' reads stdin). Prints the "
        "transcript and the scorecard.",
    )
    p.add_argument("scenario", metavar="SCENARIO_ID",
                   help="the scenario to play (shadowbox list shows the ids)")
    p.add_argument("--script", required=True, metavar="FILE", help="rep responses, or -")
    p.add_argument("--seed", type=whole_number,
                   help="seed for the buyer's lines (reproducible runs)")
    p.add_argument("--json", action="store_true", help="one JSON object instead of text")
    p.add_argument("--save", action="store_true",
                   help="record the session in the history under the user (--user), as if "
                   "it had been practised in the app")
    p.set_defaults(func=run)


def script_lines(text: str) -> list[str]:
    """Rep responses from a script: one per line, skipping blanks and # comments."""
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def transcript(session: Session) -> str:
    persona = session.persona
    out = []
    for t in session.turns:
        if t.speaker == "buyer":
            out.append(f"{persona.name} ({persona.role}): {t.text}")
        else:
            s = t.score
            out.append(f"You: {t.text}")
            out.append(f"    [question: {s.question.label} | price: {s.price.label} | "
                       f"exchange: {'yes' if s.has_exchange else 'no'}"
                       + (" | stall" if s.is_stall else "")
                       + (" | telling" if s.is_telling else "")
                       + f" | move: {t.moves[0]}]")
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    lines = script_lines(read_text(args.script, "script"))
    if not lines:
        raise ShadowboxError(f"{args.script}: the script has no responses (one per line)")
    lib = load(args, report=False)
    scenario = lib.scenario(args.scenario)
    session = Session(scenario, lib.persona_of(scenario), seed=args.seed)
    recording = None
    if args.save:
        from simulator.store import Store

        store = Store()
        recording = store.track(session)
    unused = session.play(lines)
    card = build(session)
    saved = None
    if recording is not None:
        saved = recording.sid if recording.save(final=True) else None
        if saved is None:
            print(f"shadowbox: warning: {recording.take_notice() or recording.error}; "
                  "`shadowbox db sync` uploads it", file=sys.stderr)
    if args.json:
        print(json.dumps({
            "scenario": scenario.id,
            "seed": session.seed,
            **({"session_id": saved, "user": recording.user} if recording else {}),
            "outcome": session.outcome.to_dict(),
            "turns": [_faithful_turn(t.to_dict()) for t in session.turns],
            "scorecard": card.to_dict(),
            "unused_lines": unused,
        }, indent=2, ensure_ascii=False))
        return 0 if recording is None or saved is not None else 1
    print(f"{scenario.title}  (seed {session.seed})\n")
    print(transcript(session))
    print()
    print(render_text(Debrief.from_session(session, saved)))
    if saved is not None:
        print(f"\nSaved as session {saved} for {recording.user} in {store.where}.")
    if unused:
        print(f"\nThe conversation ended with {len(unused)} line(s) of the script unused:")
        for ln in unused:
            print(f"  {ln}")
    return 0 if recording is None or saved is not None else 1


def _faithful_turn(turn: dict) -> dict:
    """A turn's dict whose evidence quotes the reply as written."""
    if turn.get("scores"):
        faithful(turn["scores"], turn["text"])
    return turn
