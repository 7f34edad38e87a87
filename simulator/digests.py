"""Content hashes of library files, kept between runs and trusted while a file's stat holds.

The keys of the cache (`simulator.catalog`, `simulator.cache`) hold each file's content
hash. Reading and hashing every file of a library with 1,000 extra scenarios cost more
than anything else a launch did, so, as git's index does, the hash of each file is kept
with the stat it had when it was hashed (size, modification and change time in
nanoseconds, inode and device), per folder, in the cache folder (`digests-<folder>.json`).
A later run that finds all five unchanged takes the kept hash without opening the file;
any difference, and the file is read and hashed again.

The change time (ctime) is what makes this sound: no program can set it (`os.utime`
sets it to now), so an edit that keeps the size and puts the old modification time back
still changes it. The one window left is an edit in the same tick of the filesystem's
clock as the hash was taken: both times would come out the same. So an entry is
*racily clean*, as git calls it, when the file's modification or change time is less
than `RACY_NS` (2 s: coarse clocks, and filesystems that keep whole or even seconds)
before the moment just before the file was read; it is kept, but hashed again on every
run until the file is older than that. Limits, which only ever make a run reuse a hash
when it should not: a filesystem that reports no real change time (some network and
FUSE mounts give the modification time instead), and a clock set back by more than the
window. On Windows, where `st_ctime` is the creation time, no stat is trusted and every
file is hashed, as before.

This module imports nothing of the core (it runs before the app's first frame).
"""

from __future__ import annotations

import json
import os
import stat as stat_mod
import threading
import time
from pathlib import Path

try:  # (hashlib would load OpenSSL's library first, for a hash it then takes from here)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - not CPython
    from hashlib import blake2b

#: An entry whose file was modified or changed less than this before it was hashed is
#: hashed again on each run (see the module docstring).
RACY_NS = 2_000_000_000
#: Bumped whenever what an index holds changes meaning.
FORMAT = 1
#: Whether a file's stat can vouch for its content here (see the module docstring).
TRUST_STAT = os.name == "posix"
#: The clock and the stat taken (names of their own, so tests can stand in for them).
_now_ns = time.time_ns
_stat = os.stat


def write_entry(entry: Path, text: str) -> None:
    """Write a cache entry whole or not at all (a reader never sees half of one); a cache
    folder that cannot be written is skipped: the cache only ever saves time."""
    tmp = entry.with_name(f"{entry.stem}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, entry)
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def digest_of(raw: bytes) -> str:
    """The content hash the cache's keys hold (BLAKE2b, hex)."""
    return blake2b(raw).hexdigest()


def _stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


class Digests:
    """The kept hashes of files, per folder, in one cache folder (None: nothing kept,
    every file hashed). Use `digests(folder)`: one per cache folder and process."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.hashed = self.trusted = 0  # files read and hashed, and hashes taken as kept
        #: folder path -> {name: [size, mtime_ns, ctime_ns, ino, dev, hash, racy]}
        self._indexes: dict[str, dict[str, list]] = {}
        self._dirty: set[str] = set()
        self._lock = threading.Lock()

    def _index(self, parent: str) -> dict[str, list]:
        index = self._indexes.get(parent)
        if index is None:
            index = {}
            if self.folder is not None and TRUST_STAT:
                try:
                    stored = json.loads(self._entry(parent).read_bytes())
                    if (isinstance(stored, dict) and stored.get("format") == FORMAT
                            and stored.get("folder") == parent
                            and isinstance(stored.get("files"), dict)):
                        index = stored["files"]
                except (OSError, ValueError, RecursionError):
                    pass
            self._indexes[parent] = index
        return index

    def _entry(self, parent: str) -> Path:
        assert self.folder is not None
        return self.folder / f"digests-{blake2b(parent.encode(), digest_size=16).hexdigest()}.json"

    def digest(self, path: str, limit: int | None = None) -> tuple[int, int, str] | None:
        """(size, modification time in ns, content hash) of the file at the absolute
        `path`; None when it is not a regular file of at most `limit` bytes that can be
        read. The hash is the kept one while the file's stat is the one it was hashed at
        and that entry is not racily clean; else the file is read and hashed."""
        parent, name = os.path.split(path)
        return self._digest(parent, name, path, limit)

    def folder_digests(self, parent: str, names: list[str]) -> list[list] | None:
        """[path, size, modification time, hash] of each of `names` in the folder `parent`
        (an absolute path), which holds exactly those of the files it keeps hashes of
        (the others are forgotten); None as soon as one is not a readable regular file."""
        with self._lock:
            index = self._index(parent)
            holds = set(names)
            gone = [n for n in index if n not in holds]
            for n in gone:
                del index[n]
            if gone:
                self._dirty.add(parent)
        out = []
        for name in names:
            path = os.path.join(parent, name)
            found = self._digest(parent, name, path, None, index)
            if found is None:
                return None
            out.append([path, *found])
        return out

    def _digest(self, parent: str, name: str, path: str, limit: int | None,
                index: dict[str, list] | None = None) -> tuple[int, int, str] | None:
        if index is None:
            with self._lock:
                index = self._index(parent)
        try:
            st = _stat(path)
        except OSError:
            self._forget(parent, index, name)
            return None
        if (limit is not None and st.st_size > limit) or not stat_mod.S_ISREG(st.st_mode):
            return None
        kept = index.get(name)
        if (TRUST_STAT and type(kept) is list and len(kept) == 7 and kept[6] == 0
                and kept[0] == st.st_size and kept[1] == st.st_mtime_ns
                and kept[2] == st.st_ctime_ns and kept[3] == st.st_ino
                and kept[4] == st.st_dev and type(kept[5]) is str):
            self.trusted += 1
            return st.st_size, st.st_mtime_ns, kept[5]
        before = _now_ns()  # (every later change of the file gets a later ctime)
        try:
            with open(path, "rb") as fh:
                raw = fh.read() if limit is None else fh.read(limit + 1)
        except OSError:
            self._forget(parent, index, name)
            return None
        self.hashed += 1
        value = digest_of(raw)
        racy = int(max(st.st_mtime_ns, st.st_ctime_ns) > before - RACY_NS)
        entry = [*_stat_key(st), value, racy]
        if kept != entry:
            with self._lock:
                index[name] = entry
                self._dirty.add(parent)
        return st.st_size, st.st_mtime_ns, value

    def _forget(self, parent: str, index: dict[str, list], name: str) -> None:
        if name in index:
            with self._lock:
                index.pop(name, None)
                self._dirty.add(parent)

    def save(self) -> None:
        """Write the indexes that changed, each whole or not at all; a cache folder that
        cannot be written is skipped (the hashes are only a speed-up)."""
        if self.folder is None or not TRUST_STAT:
            return
        with self._lock:
            dirty, self._dirty = self._dirty, set()
            texts = [(self._entry(parent), json.dumps(
                {"format": FORMAT, "folder": parent, "files": self._indexes[parent]},
                ensure_ascii=False, separators=(",", ":"))) for parent in dirty]
        for entry, text in texts:
            write_entry(entry, text)


    def release(self) -> None:
        """Save, then let go of the indexes held in memory (a later digest reads them
        again): a loaded library of 1,000 scenarios need not hold them too."""
        self.save()
        with self._lock:
            self._indexes = {n: i for n, i in self._indexes.items() if n in self._dirty}


_BY_FOLDER: dict[str | None, Digests] = {}


def digests(folder: Path | None) -> Digests:
    """The kept hashes in cache folder `folder` (None: the cache is off), one per process."""
    key = str(folder) if folder is not None else None
    found = _BY_FOLDER.get(key)
    if found is None:
        found = _BY_FOLDER[key] = Digests(folder)
    return found
