"""Text from files, input and history is shown to a terminal, never obeyed by it.

`printable(text)` turns every control character (C0 but tab and newline, DEL, C1), lone
surrogate and bidirectional override into a visible `\\uXXXX` escape, the form JSON reads
too: `"\\e]0;pwned\\a"` in a title prints as `\\u001b]0;pwned\\u0007`, and cannot retitle
the terminal or clear it. The CLI writes stdout and stderr through `SafeStream`; the app
and the loader call `printable` where file and input text enter.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # (the CLI imports this module: no `typing` for --version)
if TYPE_CHECKING:
    from typing import TextIO

#: What a terminal might act on, or what cannot be written as UTF-8 at all.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def printable(text: str) -> str:
    """`text` with every control character shown as a `\\uXXXX` escape."""
    return CONTROL.sub(_escape, text)


def has_control(text: str) -> bool:
    return CONTROL.search(text) is not None


class SafeStream:
    """A text stream that writes `printable` text to the one it wraps."""

    def __init__(self, raw: TextIO) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        return self.raw.write(printable(text))

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):
        return getattr(self.raw, name)
