"""One error family: located problems in files, and errors a command reports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """A problem in a file, located 1-based. line/col are 0 when not known."""

    path: str
    line: int
    col: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        return f"{where}: {self.severity}: {self.message}"

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, raw: object) -> Problem:
        """A problem back from `to_dict`'s JSON (a cache entry); ValueError on any other
        shape."""
        if (not isinstance(raw, dict)
                or set(raw) != {"path", "line", "col", "severity", "message"}
                or not isinstance(raw["path"], str) or not isinstance(raw["message"], str)
                or type(raw["line"]) is not int or type(raw["col"]) is not int
                or raw["severity"] not in ("error", "warning")):
            raise ValueError("problem")
        return cls(raw["path"], raw["line"], raw["col"], raw["message"], raw["severity"])


class ShadowboxError(Exception):
    """An error a command reports as one line and a non-zero exit, never a traceback."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def display_path(path: Path | str) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
        return str(p)
