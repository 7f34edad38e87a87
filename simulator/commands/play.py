"""`shadowbox play`: run a scripted conversation headless and print the debrief."""

from __future__ import annotations

import argparse
import json

from simulator.commands.common import load, read_text
from simulator.errors import ShadowboxError
from simulator.scorecard import render_text
from simulator.session import Session


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "play",
        help="play a scenario from a script of rep responses",
        description="Play SCENARIO_ID with rep responses read from a script, one per line "
        "(blank lines and lines starting with # are skipped; '-' reads stdin). Prints the "
        "transcript and the scorecard.",
    )
    p.add_argument("scenario", metavar="SCENARIO_ID",
                   help="the scenario to play (shadowbox list shows the ids)")
    p.add_argument("--script", required=True, metavar="FILE", help="rep responses, or -")
    p.add_argument("--seed", type=int, help="seed for the buyer's lines (reproducible runs)")
    p.add_argument("--json", action="store_true", help="one JSON object instead of text")
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
    unused = session.play(lines)
    card = session.scorecard()
    if args.json:
        print(json.dumps({
            "scenario": scenario.id,
            "seed": session.seed,
            "outcome": session.outcome.to_dict(),
            "turns": [t.to_dict() for t in session.turns],
            "scorecard": card.to_dict(),
            "unused_lines": unused,
        }, indent=2, ensure_ascii=False))
        return 0
    print(f"{scenario.title}  (seed {session.seed})\n")
    print(transcript(session))
    print()
    print(render_text(card))
    if unused:
        print(f"\nThe conversation ended with {len(unused)} line(s) of the script unused:")
        for ln in unused:
            print(f"  {ln}")
    return 0
