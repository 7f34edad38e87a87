"""Parsed library files kept between runs, so a library that has not changed parses no YAML.

Each persona or scenario file that reads cleanly is stored as one JSON entry in the
user's cache folder (`SHADOWBOX_CACHE`, else platformdirs' user cache folder; set
`SHADOWBOX_CACHE=off` to turn it off): its data and the line and column of every key
and value, under a key of the file's absolute path, size, modification time and
content hash (BLAKE2b of the bytes, read on every run), and of the reader (Shadowbox's
version, this format's number, and the size and modification time of the modules
that read YAML). Any difference, and the file is parsed again and its entry replaced;
a file that does not read is never stored, so its problems show on every run. Files
are still validated on every run (cheap once parsed), so problems between files, such
as a scenario whose persona went away, are always current.

Entries are JSON, never pickle: loading one can build nothing but dicts, lists,
strings, numbers and booleans, and an entry of any other shape is ignored and
rewritten. A file whose data JSON cannot hold (a YAML date, say) is simply not stored.
The cache is a speed-up only: an unreadable or unwritable cache folder is skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from simulator import __version__, yamlsrc
from simulator.catalog import cache_dir, write_entry
from simulator.errors import Problem, display_path
from simulator.yamlsrc import Source, read_yaml

#: Bumped whenever what an entry holds changes meaning.
FORMAT = 1


def _reader_stamp() -> list:
    """What, besides a file, decides how it reads: Shadowbox's version and the reader's code."""
    stamp: list = [__version__, FORMAT]
    for code in (yamlsrc.__file__, __file__):
        try:
            st = os.stat(code)
            stamp += [st.st_size, st.st_mtime_ns]
        except (OSError, TypeError):
            stamp.append(None)
    return stamp


def _positions(src: Source) -> str:
    """Both position tables as one JSON text: [[line, col, *loc], ...] for values, then keys."""
    return json.dumps([[[line, col, *loc] for loc, (line, col) in table.items()]
                       for table in (src.values, src.keys)], separators=(",", ":"))


def _tables(text: str) -> tuple[dict, dict]:
    """The position tables back; ValueError on anything but two lists of [line, col, *loc]."""
    both = json.loads(text)
    if not isinstance(both, list) or len(both) != 2:
        raise ValueError("positions")
    out = []
    for rows in both:
        if not isinstance(rows, list):
            raise ValueError("positions")
        table = {}
        for row in rows:
            if (not isinstance(row, list) or len(row) < 2
                    or not all(type(x) is int for x in row[:2])
                    or not all(type(x) in (str, int) for x in row[2:])):
                raise ValueError("position")
            table[tuple(row[2:])] = (row[0], row[1])
        out.append(table)
    return out[0], out[1]


class CachedSource(Source):
    """A source from the cache: positions are decoded only when a problem needs one.

    Most files in a library have no problem, and their positions are most of an entry.
    Positions that do not decode are read again from the file itself.
    """

    def __init__(self, file: Path, data: dict, positions: str) -> None:
        self.data = data
        self._positions, self._file = positions, file
        self._tables: tuple[dict, dict] | None = None
        self._shown: str | None = None

    @property
    def path(self) -> str:  # type: ignore[override]
        """The file as the user would type it (worked out only when a problem needs it)."""
        if self._shown is None:
            self._shown = display_path(self._file)
        return self._shown

    def _decoded(self) -> tuple[dict, dict]:
        if self._tables is None:
            try:
                self._tables = _tables(self._positions)
            except (ValueError, RecursionError):
                src = read_yaml(self._file)[0]
                self._tables = (src.values, src.keys) if src is not None else ({}, {})
        return self._tables

    @property
    def values(self) -> dict:  # type: ignore[override]
        return self._decoded()[0]

    @property
    def keys(self) -> dict:  # type: ignore[override]
        return self._decoded()[1]


class SourceCache:
    """Reads library files through the cache (see the module docstring)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.stamp = _reader_stamp()
        self.hits = self.misses = 0

    @classmethod
    def default(cls) -> SourceCache:
        return cls(cache_dir())

    def read(self, path: Path) -> tuple[Source | None, list[Problem]]:
        """Like `yamlsrc.read_yaml(path)`, from the cache when the file has not changed."""
        if self.folder is None:
            return read_yaml(path)
        real = os.path.abspath(path)
        try:
            st = os.stat(real)
            if st.st_size > yamlsrc.MAX_BYTES or not stat.S_ISREG(st.st_mode):
                return read_yaml(path)  # refused, with its message (never opened here)
            with open(real, "rb") as fh:
                raw = fh.read(yamlsrc.MAX_BYTES + 1)
        except OSError:
            return read_yaml(path)  # says what is wrong with it
        key = [real, len(raw), st.st_mtime_ns, hashlib.blake2b(raw).hexdigest(), self.stamp]
        entry = self.folder / (hashlib.blake2b(real.encode(), digest_size=16).hexdigest()
                               + ".json")
        src = self._load(entry, key, path)
        if src is not None:
            self.hits += 1
            return src, []
        self.misses += 1
        src, problems = read_yaml(path)
        if src is not None:
            self._store(entry, key, src)
        else:
            self._drop(entry)
        return src, problems

    def _load(self, entry: Path, key: list, file: Path) -> Source | None:
        try:
            stored = json.loads(entry.read_bytes())
        except (OSError, ValueError, RecursionError):
            return None
        try:
            if not isinstance(stored, dict) or stored.get("key") != key:
                return None
            data, positions = stored["data"], stored["positions"]
            if not isinstance(data, dict) or not isinstance(positions, str):
                return None
            return CachedSource(file, data, positions)
        except (KeyError, TypeError):
            return None

    def _store(self, entry: Path, key: list, src: Source) -> None:
        try:
            text = json.dumps({"key": key, "data": src.data, "positions": _positions(src)},
                              ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError):
            return  # a value JSON cannot hold: read this file from YAML each time
        write_entry(entry, text)

    def _drop(self, entry: Path) -> None:
        try:
            entry.unlink(missing_ok=True)
        except OSError:
            pass
