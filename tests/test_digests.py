"""Kept content hashes (`simulator.digests`): an unchanged library is not read again, and
any edit, addition or removal is still seen."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

import simulator.digests as digests_mod
from simulator.catalog import (
    cache_dir,
    cached_card,
    cached_catalog,
    catalog_key,
    catalog_of,
    store_catalog,
)
from simulator.digests import digests
from simulator.loading import load_library
from tests.conftest import SCENARIO, write


def new_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new process starts with: no hashes in memory, only the cache folder's."""
    monkeypatch.setattr(digests_mod, "_BY_FOLDER", {})


def aged(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hashes taken from now on are taken as if the files had been written 10 s before,
    as a library's files are on any launch but the first after an edit."""
    real = time.time_ns
    monkeypatch.setattr(digests_mod, "_now_ns", lambda: real() + 10_000_000_000)


def keep(lib_dir: Path) -> None:
    dirs = [lib_dir]
    key = catalog_key(dirs)
    store_catalog(dirs, key, catalog_of(load_library(dirs)))


def kept() -> digests_mod.Digests:
    return digests(cache_dir())


def test_an_unchanged_library_is_not_read_again(tiny_lib: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    aged(monkeypatch)
    keep(tiny_lib)
    new_run(monkeypatch)
    opened: list[str] = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda f, *a, **k: (opened.append(str(f)),
                                                             real_open(f, *a, **k))[1])
    assert cached_catalog([tiny_lib]) is not None
    assert cached_card([tiny_lib], "tiny") == (str(tiny_lib / "scenarios" / "tiny.yaml"),
                                               str(tiny_lib / "personas" / "tester.yaml"))
    assert not [f for f in opened if f.endswith(".yaml")]  # stat only, no file read
    assert kept().hashed == 0 and kept().trusted >= 2


def test_an_edit_that_keeps_the_size_and_puts_the_mtime_back_is_seen(
        tiny_lib: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    aged(monkeypatch)
    keep(tiny_lib)
    path = tiny_lib / "scenarios" / "tiny.yaml"
    before = catalog_key([tiny_lib])
    st = path.stat()
    time.sleep(0.05)  # (a later tick of the filesystem's clock on any kernel)
    path.write_text(SCENARIO.replace("A tiny deal", "A tiny meal"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    new_run(monkeypatch)
    after = catalog_key([tiny_lib])
    assert kept().hashed == 1  # that file alone: its change time moved
    changed = [a[0] for a, b in zip(after[2], before[2]) if a != b]
    assert changed == [str(path)]
    assert cached_catalog([tiny_lib]) is None and cached_card([tiny_lib], "tiny") is None
    keep(tiny_lib)
    assert cached_catalog([tiny_lib]).cards[0].title == "A tiny meal"


def test_a_racily_clean_entry_is_hashed_again(tiny_lib: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A file hashed within RACY_NS of its last change is read again on every run: on a
    filesystem whose clock had not ticked, an edit right after leaves its stat as it was."""
    path = tiny_lib / "scenarios" / "tiny.yaml"
    frozen = path.stat()  # what every stat says from here on: the clock never moves
    monkeypatch.setattr(digests_mod, "_stat", lambda p: frozen)
    first = kept().digest(str(path))  # hashed just after the file was written: racy
    kept().save()
    path.write_text(SCENARIO.replace("A tiny deal", "A tiny meal"), encoding="utf-8")
    new_run(monkeypatch)
    second = kept().digest(str(path))
    assert kept().hashed == 1 and second[2] != first[2]  # the edit is seen


def test_a_clean_entry_is_trusted_while_its_stat_holds(tiny_lib: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit, as git's: a hash taken well after the file's last change is trusted for
    as long as size, times, inode and device hold, so an edit that leaves all of them as
    they were (which only a filesystem with no real change time allows) is not seen."""
    path = tiny_lib / "scenarios" / "tiny.yaml"
    frozen = path.stat()
    monkeypatch.setattr(digests_mod, "_stat", lambda p: frozen)
    aged(monkeypatch)
    first = kept().digest(str(path))
    kept().save()
    path.write_text(SCENARIO.replace("A tiny deal", "A tiny meal"), encoding="utf-8")
    new_run(monkeypatch)
    assert kept().digest(str(path)) == first and kept().hashed == 0
    monkeypatch.setattr(digests_mod, "_stat", os.stat)  # the real stat: the edit moved it
    assert kept().digest(str(path))[2] != first[2] and kept().hashed == 1


def test_added_and_removed_files_are_seen(tiny_lib: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    aged(monkeypatch)
    keep(tiny_lib)
    other = write(tiny_lib / "scenarios" / "other.yaml",
                  SCENARIO.replace("id: tiny", "id: other"))
    new_run(monkeypatch)
    assert cached_catalog([tiny_lib]) is None and cached_card([tiny_lib], "tiny") is None
    keep(tiny_lib)
    assert cached_card([tiny_lib], "other") == (str(other), str(tiny_lib / "personas" /
                                                                "tester.yaml"))
    other.unlink()
    new_run(monkeypatch)
    assert cached_catalog([tiny_lib]) is None and cached_card([tiny_lib], "tiny") is None
    stored = [json.loads(p.read_bytes()) for p in cache_dir().glob("digests-*.json")]
    folder = str(tiny_lib / "scenarios")
    [index] = [s for s in stored if s["folder"] == folder]
    assert sorted(index["files"]) == ["tiny.yaml"]  # the removed file is forgotten


def test_a_broken_file_still_shows_its_errors(tiny_lib: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    aged(monkeypatch)
    keep(tiny_lib)
    path = write(tiny_lib / "scenarios" / "tiny.yaml",
                 SCENARIO.replace("title: A tiny deal", "title: [unclosed"))
    for _ in range(2):
        new_run(monkeypatch)
        assert cached_card([tiny_lib], "tiny") is None
        [p] = load_library([tiny_lib]).errors
        assert p.path.endswith("tiny.yaml") and p.line == 3 and "not valid YAML" in p.message
        keep(tiny_lib)
    assert str(path) in [f[0] for f in catalog_key([tiny_lib])[2]]


@pytest.mark.parametrize("garbage", [b"", b"{", b"[]", b'{"format": 1, "files": 3}',
                                     b'{"format": 1, "folder": "x", "files": {}}'])
def test_a_damaged_index_is_ignored(tiny_lib: Path, monkeypatch: pytest.MonkeyPatch,
                                    garbage: bytes) -> None:
    aged(monkeypatch)
    keep(tiny_lib)
    truth = catalog_key([tiny_lib])
    for entry in cache_dir().glob("digests-*.json"):
        entry.write_bytes(garbage)
    new_run(monkeypatch)
    assert catalog_key([tiny_lib]) == truth and cached_catalog([tiny_lib]) is not None


def test_an_entry_is_believed_only_for_the_stat_it_names(
        tiny_lib: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kept hash whose stat differs from the file's in any field is not used."""
    aged(monkeypatch)
    keep(tiny_lib)
    truth = catalog_key([tiny_lib])
    folder = str(tiny_lib / "scenarios")
    for entry in cache_dir().glob("digests-*.json"):
        stored = json.loads(entry.read_bytes())
        if stored["folder"] == folder:
            stored["files"]["tiny.yaml"][1] += 1  # another modification time
            entry.write_text(json.dumps(stored))
    new_run(monkeypatch)
    assert catalog_key([tiny_lib]) == truth and kept().hashed == 1
