"""Parsed library files kept between runs, so a library that has not changed parses no YAML.

Each persona or scenario file that reads cleanly is stored as JSON in the user's cache
folder (`SHADOWBOX_CACHE`, else platformdirs' user cache folder; set
`SHADOWBOX_CACHE=off` to turn it off): its data in one entry, and the line and column of
every key and value in another, read only when a problem in the file needs a location;
both under a key of the file's absolute path, size, modification time and
content hash (BLAKE2b of the bytes; kept per file with its stat and read again only when
the stat changed or is too recent to vouch for it: `simulator.digests`), and of the reader (Shadowbox's
version, the entries' format number, and the size and modification time of the modules
that read and validate it: `simulator.catalog.reader_stamp`). Any difference, and the
file is parsed again and its entries replaced;
a file that does not read, or reads with notes (control characters shown escaped), is
never stored, so its problems show on every run. Files
are still validated on every run (cheap once parsed), so problems between files, such
as a scenario whose persona went away, are always current.

A third entry holds what a persona or scenario file validated to, as plain data
(`simulator.shapes.plain`), written by `load_library` once the file has loaded without an
error (`keep_validated`) and under the same key: practice straight in rebuilds its
scenario and buyer from it (`simulator.catalog.read_validated`), without pydantic or YAML,
when the last run's catalog says nothing in the library changed since.

Entries are JSON, never pickle: loading one can build nothing but dicts, lists,
strings, numbers and booleans, and an entry of any other shape is ignored and
rewritten. A file whose data JSON cannot hold (a YAML date, say) is simply not stored.
The cache is a speed-up only: an unreadable or unwritable cache folder is skipped.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from simulator import yamlsrc
from simulator.catalog import (
    cache_dir,
    file_entry,
    file_key,
    reader_stamp,
    validated_entry,
    write_entry,
)
from simulator.errors import Problem, display_path
from simulator.shapes import plain
from simulator.yamlsrc import Source, read_yaml


def _positions(src: Source, key: list) -> str:
    """Both position tables, as the JSON of a positions entry: the file's key, then
    [[line, col, *loc], ...] for values and for keys."""
    return json.dumps({"key": key, "values": [[line, col, *loc] for loc, (line, col)
                                              in src.values.items()],
                       "keys": [[line, col, *loc] for loc, (line, col) in src.keys.items()]},
                      separators=(",", ":"))


def _table(rows: object) -> dict:
    """A position table back; ValueError on anything but a list of [line, col, *loc]."""
    if not isinstance(rows, list):
        raise ValueError("positions")
    table = {}
    for row in rows:
        if (not isinstance(row, list) or len(row) < 2
                or not all(type(x) is int for x in row[:2])
                or not all(type(x) in (str, int) for x in row[2:])):
            raise ValueError("position")
        table[tuple(row[2:])] = (row[0], row[1])
    return table


class CachedSource(Source):
    """A source from the cache: positions are read only when a problem needs one.

    Most files in a library have no problem, and their positions are most of what is
    stored, so they are kept in an entry of their own beside the data's. Positions that
    are missing, damaged or of another version of the file are read from the file itself.
    """

    def __init__(self, file: Path, data: dict, positions: Path, key: list) -> None:
        self.data = data
        self.notes = []  # a file with reading notes is never stored (see SourceCache.read)
        self._file, self._positions, self._key = file, positions, key
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
                stored = json.loads(self._positions.read_bytes())
                if not isinstance(stored, dict) or stored.get("key") != self._key:
                    raise ValueError("positions of another version")
                self._tables = _table(stored["values"]), _table(stored["keys"])
            except (OSError, KeyError, ValueError, RecursionError):
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
        self.stamp = reader_stamp()
        self.hits = self.misses = 0
        #: Files read this run whose validated form is not kept yet: absolute path ->
        #: (data entry, key). `keep_validated` writes it once the file has loaded.
        self._unvalidated: dict[str, tuple[Path, list]] = {}

    @classmethod
    def default(cls) -> SourceCache:
        return cls(cache_dir())

    def read(self, path: Path) -> tuple[Source | None, list[Problem]]:
        """Like `yamlsrc.read_yaml(path)`, from the cache when the file has not changed."""
        if self.folder is None:
            return read_yaml(path)
        key = file_key(path, self.stamp, yamlsrc.MAX_BYTES, self.folder)
        if key is None:  # too big, not a file, unreadable: read_yaml says what is wrong
            return read_yaml(path)
        entry = file_entry(self.folder, path)
        src = self._load(entry, key, path)
        if src is not None:
            self.hits += 1
            if not validated_entry(entry).exists():
                self._unvalidated[key[0]] = (entry, key)
            return src, []
        self.misses += 1
        src, problems = read_yaml(path)
        if src is not None and not src.notes:  # (notes, like problems, show on every run)
            if self._store(entry, key, src):
                self._unvalidated[key[0]] = (entry, key)
        else:
            self._drop(entry)
        return src, problems

    def flush(self) -> None:
        """Keep the hashes taken of files whose stat changed (`simulator.digests`), and
        hold them no longer (the load is done)."""
        if self.folder is not None:
            from simulator.digests import digests

            digests(self.folder).release()

    def keep_validated(self, path: Path, value: Any) -> None:
        """Keep what `path`, read by `read` in this run, validated to (a persona or
        scenario that loaded without an error), unless it is kept already."""
        pending = self._unvalidated.pop(os.path.abspath(path), None)
        if pending is None:
            return
        entry, key = pending
        try:
            text = json.dumps({"key": key, "value": plain(value)}, ensure_ascii=False,
                              separators=(",", ":"))
        except (TypeError, ValueError):
            return
        write_entry(validated_entry(entry), text)

    def _load(self, entry: Path, key: list, file: Path) -> Source | None:
        try:
            stored = json.loads(entry.read_bytes())
        except (OSError, ValueError, RecursionError):
            return None
        try:
            if not isinstance(stored, dict) or stored.get("key") != key:
                return None
            data = stored["data"]
            if not isinstance(data, dict):
                return None
            return CachedSource(file, data, _beside(entry), key)
        except (KeyError, TypeError):
            return None

    def _store(self, entry: Path, key: list, src: Source) -> bool:
        try:
            text = json.dumps({"key": key, "data": src.data}, ensure_ascii=False,
                              separators=(",", ":"))
        except (TypeError, ValueError):
            return False  # a value JSON cannot hold: read this file from YAML each time
        _unlink(validated_entry(entry))  # of the file as it was: written again once loaded
        write_entry(_beside(entry), _positions(src, key))  # first: the data points to it
        write_entry(entry, text)
        return True

    def _drop(self, entry: Path) -> None:
        for path in (entry, _beside(entry), validated_entry(entry)):
            _unlink(path)


def _unlink(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _beside(entry: Path) -> Path:
    """Where the positions of the file whose data is in `entry` are kept."""
    return entry.with_suffix(".positions.json")
