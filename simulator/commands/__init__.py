"""Subcommands of `shadowbox`, one module each (`register(subparsers)`, `run(args)`)."""

import argparse

#: The largest whole number SQLite keeps (seeds, ids and limits end up there).
MAX_INT = 2**63 - 1


def whole_number(text: str) -> int:
    """An argparse type: a whole number from 0 to MAX_INT (10**23 is an error, not an
    OverflowError deep in SQLite)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text[:40]!r}") from None
    if not 0 <= value <= MAX_INT:
        raise argparse.ArgumentTypeError(f"{text[:40]}: give a whole number from 0 to "
                                         f"{MAX_INT}")
    return value
