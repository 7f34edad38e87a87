"""The parsed-library cache: unchanged files parse no YAML, a changed or broken file only its own."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from simulator import yamlsrc
from simulator.cache import SourceCache
from simulator.loading import load_library
from simulator.yamlsrc import read_yaml
from tests.conftest import SCENARIO, write


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files YAML is parsed for (every read that does not come from the cache)."""
    seen: list[str] = []
    real = yamlsrc.read_yaml

    def counting(path: Path):
        seen.append(Path(path).name)
        return real(path)

    monkeypatch.setattr("simulator.cache.read_yaml", counting)
    return seen


def cache(tmp_path: Path) -> SourceCache:
    return SourceCache(tmp_path / "cache")


def test_an_unchanged_library_parses_no_yaml(tiny_lib: Path, tmp_path: Path, parses) -> None:
    first = load_library([tiny_lib], cache=cache(tmp_path))
    assert sorted(parses) == ["tester.yaml", "tiny.yaml"]
    parses.clear()
    again = cache(tmp_path)
    second = load_library([tiny_lib], cache=again)
    assert parses == [] and again.hits == 2
    assert second.scenarios == first.scenarios and second.personas == first.personas


def test_the_cache_gives_what_the_file_gives(tiny_lib: Path, tmp_path: Path) -> None:
    path = tiny_lib / "scenarios" / "tiny.yaml"
    c = cache(tmp_path)
    c.read(path)
    src, problems = c.read(path)
    assert c.hits == 1 and problems == []
    fresh, _ = read_yaml(path)
    assert (src.path, src.data, src.values, src.keys) == (
        fresh.path, fresh.data, fresh.values, fresh.keys)


def test_an_edited_file_invalidates_only_its_entry(tiny_lib: Path, tmp_path: Path,
                                                   parses) -> None:
    load_library([tiny_lib], cache=cache(tmp_path))
    parses.clear()
    path = tiny_lib / "scenarios" / "tiny.yaml"
    # Same size, same modification time: the content hash still tells.
    st = path.stat()
    path.write_text(SCENARIO.replace("A tiny deal", "A tiny meal"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    lib = load_library([tiny_lib], cache=cache(tmp_path))
    assert parses == ["tiny.yaml"]
    assert lib.scenarios["tiny"].title == "A tiny meal"


def test_a_broken_file_shows_its_errors_every_time(tiny_lib: Path, tmp_path: Path,
                                                    parses) -> None:
    load_library([tiny_lib], cache=cache(tmp_path))
    write(tiny_lib / "scenarios" / "tiny.yaml", SCENARIO.replace("title: A tiny deal",
                                                                 "title: [unclosed"))
    for _ in range(2):
        parses.clear()
        lib = load_library([tiny_lib], cache=cache(tmp_path))
        assert parses == ["tiny.yaml"]  # the persona still comes from the cache
        [p] = lib.errors
        assert p.path.endswith("tiny.yaml") and p.line == 3 and "not valid YAML" in p.message
    # A file that reads but does not validate is cached and still reported, located.
    write(tiny_lib / "scenarios" / "tiny.yaml", SCENARIO.replace("difficulty: easy",
                                                                 "difficulty: eazy"))
    for _ in range(2):
        [p] = load_library([tiny_lib], cache=cache(tmp_path)).errors
        assert p.line == 4 and "did you mean 'easy'" in p.message


@pytest.mark.parametrize("garbage", [
    b"", b"not json", b"[1, 2]", b'{"key": 1}',
    b'{"key": null, "data": {"id": "x"}, "positions": "[]"}',
])
def test_a_damaged_entry_is_ignored_and_rewritten(tiny_lib: Path, tmp_path: Path,
                                                  garbage: bytes) -> None:
    path = tiny_lib / "scenarios" / "tiny.yaml"
    c = cache(tmp_path)
    c.read(path)
    [entry] = (tmp_path / "cache").glob("*[0-9a-f].json")
    entry.write_bytes(garbage)
    src, _ = cache(tmp_path).read(path)
    assert src.data == read_yaml(path)[0].data
    assert json.loads(entry.read_bytes())["data"]["id"] == "tiny"


def test_damaged_positions_are_read_from_the_file(tiny_lib: Path, tmp_path: Path) -> None:
    path = tiny_lib / "scenarios" / "tiny.yaml"
    cache(tmp_path).read(path)
    [entry] = (tmp_path / "cache").glob("*.positions.json")
    good = read_yaml(path)[0].where(("money", "list_price"))
    stored = json.loads(entry.read_bytes())
    for damaged in ({**stored, "values": [["not", "a", "row"]]}, {**stored, "key": []}, None):
        if damaged is None:
            entry.unlink()
        else:
            entry.write_text(json.dumps(damaged))
        src, _ = cache(tmp_path).read(path)
        assert src.where(("money", "list_price")) == good


def test_values_json_cannot_hold_are_not_cached(tmp_path: Path) -> None:
    path = write(tmp_path / "dated.yaml", "id: x\nwhen: 2024-05-01\n")
    c = cache(tmp_path)
    c.read(path)
    src, _ = c.read(path)
    assert c.hits == 0 and str(src.data["when"]) == "2024-05-01"


def test_an_unwritable_cache_folder_is_skipped(tiny_lib: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("")
    lib = load_library([tiny_lib], cache=SourceCache(blocker / "cache"))
    assert "tiny" in lib.scenarios and not lib.problems


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHADOWBOX_CACHE", "off")
    assert SourceCache.default().folder is None
    monkeypatch.delenv("SHADOWBOX_CACHE")
    assert SourceCache.default().folder.name == "library"
