"""What several commands share: loading the library and reading text inputs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulator.errors import ShadowboxError, display_path
from simulator.loading import Library, library_dirs, load_library

#: Longest script or input file a command reads.
MAX_INPUT_BYTES = 5_000_000


def load(args: argparse.Namespace, *, report: bool = True) -> Library:
    """The library in use (bundled + SHADOWBOX_LIBRARY + --library), problems on stderr."""
    lib = load_library(library_dirs(getattr(args, "library", []) or []))
    if report:
        for p in lib.problems:
            print(p, file=sys.stderr)
    return lib


def read_text(name: str, what: str = "file") -> str:
    """Read a text file, or stdin for '-', with one-line errors for every failure. At most
    MAX_INPUT_BYTES are read, whatever the file claims to be (`/dev/zero` is refused after
    5 MB, not read until memory runs out); a pipe (`<(...)`) is read like a file."""
    shown = "stdin" if name == "-" else display_path(Path(name))
    try:
        if name == "-":
            raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            path = Path(name)
            if path.is_dir():
                raise ShadowboxError(f"{shown}: is a directory, expected a {what}")
            with path.open("rb") as f:
                raw = f.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise ShadowboxError(f"{shown}: no such {what}") from None
    except OSError as exc:
        raise ShadowboxError(f"{shown}: cannot read {what}: {exc.strerror or exc}") from None
    if len(raw) > MAX_INPUT_BYTES:
        raise ShadowboxError(f"{shown}: {what} is larger than 5 MB")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ShadowboxError(f"{shown}:{line}: {what} is not UTF-8 text") from None
