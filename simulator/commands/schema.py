"""`shadowbox schema [KIND] [--out DIR]`: the JSON Schema of the file formats.

Editors that speak the yaml-language-server protocol (VS Code's YAML extension,
Neovim, Helix...) complete and check fields as a trainer types when a file starts
with `# yaml-language-server: $schema=../schema/scenario.schema.json`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulator.errors import ShadowboxError, display_path
from simulator.schema import KINDS, schema_text, write_schemas


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "schema",
        description="Print the JSON Schema of one kind of file, or write all of them "
        "(scenario.schema.json, persona.schema.json, playtest.schema.json) into a folder. "
        "Point your editor at them with a first line such as "
        "`# yaml-language-server: $schema=../schema/scenario.schema.json`.",
    )
    p.add_argument("kind", nargs="?", choices=tuple(KINDS), default="scenario",
                   help="which schema to print (default: scenario)")
    p.add_argument("--out", metavar="DIR", help="write every schema into DIR instead")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.out:
        sys.stdout.write(schema_text(args.kind))
        return 0
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise ShadowboxError(f"{display_path(out)}: not a folder")
    try:
        written = write_schemas(out)
    except OSError as exc:
        raise ShadowboxError(f"{display_path(out)}: cannot write: {exc.strerror or exc}") from None
    for path in written:
        print(f"wrote {display_path(path)}")
    return 0
