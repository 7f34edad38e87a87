"""`shadowbox graph SCENARIO --format mermaid|dot`: the conversation as a diagram."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulator.commands.validate import resolve
from simulator.errors import ShadowboxError, display_path
from simulator.graph import FORMATS, render


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "graph",
        description="Print the buyer's state machine as a diagram: edges labelled with the "
        "rep's moves and their conditions, endings marked won or lost, states no path "
        "reaches and transitions that never fire dashed. Paste Mermaid into a Markdown file "
        "or mermaid.live; render DOT with `dot -Tsvg`.",
    )
    p.add_argument("scenario", metavar="SCENARIO",
                   help="a scenario id from the library in use, or a scenario file")
    p.add_argument("--format", choices=FORMATS, default="mermaid", help="default: mermaid")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.scenario)
    if path.suffix in (".yaml", ".yml") or path.is_file():
        t = resolve(args, [args.scenario])
        errors = [p for p in [*t.problems, *t.library.problems]
                  if p.severity == "error" and t.mine(p)]
        if errors:
            for p in errors[1:]:
                print(p, file=sys.stderr)
            raise ShadowboxError(f"cannot draw {display_path(path)}: {errors[0]}")
        shown = display_path(path)
        found = [sc for key, f in t.library.files.items() if key.startswith("scenario:")
                 and display_path(f) == shown for sc in [t.library.scenarios[key[9:]]]]
        if not found:
            raise ShadowboxError(f"{shown}: not a scenario file (no scenario loaded from it)")
        lib, scenario = t.library, found[0]
    else:
        lib = resolve(args, []).library
        scenario = lib.scenario(args.scenario)
    text = render(scenario, lib.personas.get(scenario.persona), args.format)
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ShadowboxError(f"{args.out}: cannot write: {exc.strerror or exc}") from None
        print(f"wrote {display_path(args.out)}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
