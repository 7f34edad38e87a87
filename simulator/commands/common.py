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
    """Read a text file, or stdin for '-', with one-line errors for every failure."""
    if name == "-":
        try:
            return sys.stdin.read()
        except UnicodeDecodeError:
            raise ShadowboxError(f"stdin: {what} is not UTF-8 text") from None
    path = Path(name)
    shown = display_path(path)
    try:
        if path.is_dir():
            raise ShadowboxError(f"{shown}: is a directory, expected a {what}")
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise ShadowboxError(f"{shown}: {what} is larger than 5 MB")
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ShadowboxError(f"{shown}: no such {what}") from None
    except UnicodeDecodeError:
        raise ShadowboxError(f"{shown}: {what} is not UTF-8 text") from None
    except OSError as exc:
        raise ShadowboxError(f"{shown}: cannot read {what}: {exc.strerror or exc}") from None
