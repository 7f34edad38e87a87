"""Practice straight in from the validated form kept in the cache: the same objects, the
same conversation, never a stale or broken file (simulator.shapes, catalog.read_validated)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cache import SourceCache
from simulator.catalog import cached_catalog, catalog_key, catalog_of, read_validated, store_catalog
from simulator.loading import library_dirs, load_library
from simulator.session import Session
from simulator.shapes import Record, plain, rebuild
from simulator.store import Store
from simulator.tui.app import make_app
from tests.conftest import PERSONA, SCENARIO, write
from tests.test_tui_support import run_async

ROOT = Path(__file__).resolve().parent.parent

LINES = [
    "What matters most to you in this deal?",
    "Our price is $8.50 because the faster ramp is worth more than the dollar.",
    "If you can commit to a two-year contract, we can talk about terms.",
    "The price stays where it is.",
    "Fine, we can do $8.",
    "Deal at $8.",
]


def keep(lib_dir: Path) -> None:
    dirs = [lib_dir]
    key = catalog_key(dirs)
    store_catalog(dirs, key, catalog_of(load_library(dirs)))


def test_every_bundled_scenario_rebuilt_from_the_cache_is_the_one_validated() -> None:
    """Records have the fields, values (types included), methods and conversations of the
    models they were kept from: the same lines for the same seed and responses."""
    lib = load_library(library_dirs())
    assert lib.scenarios
    for sid, sc in lib.scenarios.items():
        persona = lib.persona_of(sc)
        record = read_validated(lib.files[f"scenario:{sid}"], "Scenario")
        buyer = read_validated(lib.files[f"persona:{persona.id}"], "Persona")
        assert isinstance(record, Record) and isinstance(buyer, Record)
        assert json.dumps(plain(record)) == json.dumps(plain(sc))
        assert json.dumps(plain(buyer)) == json.dumps(plain(persona))
        assert record.endings().keys() == sc.endings().keys()
        assert record.money.rep_target == sc.money.rep_target
        for seed in (1, 7):
            ours, theirs = Session(record, buyer, seed=seed), Session(sc, persona, seed=seed)
            ours.play(LINES)
            theirs.play(LINES)
            assert [t.to_dict() for t in ours.turns] == [t.to_dict() for t in theirs.turns]
            assert ours.outcome == theirs.outcome


def test_a_record_is_read_only_and_equal_by_value() -> None:
    data = {"$": "Money", "currency": "USD", "list_price": 9.0, "target": None}
    a, b = rebuild(data), rebuild(json.loads(json.dumps(data)))
    assert a == b and hash(a) == hash(b) and a is not b
    assert a.rep_target == 9.0  # Money's own method
    assert a != rebuild({**data, "list_price": 8.0})
    with pytest.raises(AttributeError):
        a.list_price = 1.0
    with pytest.raises(ValueError):
        rebuild({"$": "not a name!"})


def test_only_a_file_that_loaded_clean_is_kept_and_an_edit_misses(tiny_lib: Path) -> None:
    scenario = tiny_lib / "scenarios" / "tiny.yaml"
    assert read_validated(scenario, "Scenario") is None  # never loaded
    load_library([tiny_lib])
    assert read_validated(scenario, "Scenario").title == "A tiny deal"
    assert read_validated(scenario, "Persona") is None  # not what was asked for
    write(scenario, SCENARIO.replace("A tiny deal", "A big deal"))
    assert read_validated(scenario, "Scenario") is None  # the file changed since
    load_library([tiny_lib])
    assert read_validated(scenario, "Scenario").title == "A big deal"
    write(scenario, SCENARIO.replace("difficulty: easy", "difficulty: extreme"))
    lib = load_library([tiny_lib])
    assert lib.errors and read_validated(scenario, "Scenario") is None  # broken: never kept
    write(scenario, SCENARIO)
    load_library([tiny_lib])
    assert read_validated(tiny_lib / "personas" / "tester.yaml", "Persona").name == "Tess Ter"


def test_a_removed_or_damaged_validated_entry_is_written_again(tiny_lib: Path,
                                                               tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    load_library([tiny_lib], cache=SourceCache(folder))
    [entry] = [p for p in folder.iterdir() if p.name.endswith(".valid.json")
               and "tiny" in p.read_text()]
    entry.unlink()
    load_library([tiny_lib], cache=SourceCache(folder))  # a cache hit: YAML not parsed
    assert json.loads(entry.read_text())["value"]["id"] == "tiny"


def _practice_straight_in(tiny_lib: Path, tmp_path: Path, edit=lambda: None):
    """The app as `shadowbox practice tiny` starts it: from the scenario's card, seed 3;
    `edit` runs after the card was read and before the app starts."""
    card = cached_catalog([tiny_lib]).card("tiny")
    edit()
    return make_app(dirs=[tiny_lib], store=Store(tmp_path / "history.db"), start="practice",
                    scenario_id="tiny", scenario_file=Path(card.file),
                    persona_file=Path(card.persona_file), seed=3)


@run_async
async def test_practice_straight_in_plays_the_kept_scenario(tiny_lib: Path,
                                                            tmp_path: Path) -> None:
    """The session opened before the library loads is made of records, and plays exactly
    as the validated scenario does; the rep can answer at once."""
    from simulator.tui.screens.practice import PracticeScreen

    keep(tiny_lib)
    app = _practice_straight_in(tiny_lib, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        session = screen.session
        assert isinstance(session.scenario, Record) and isinstance(session.persona, Record)
        lib = load_library([tiny_lib])
        expected = Session(lib.scenario("tiny"), lib.personas["tester"], seed=3)
        assert session.turns[0].text == expected.turns[0].text
        screen.query_one("#reply").value = LINES[1]
        await pilot.press("enter")
        await pilot.pause()
        expected.respond(LINES[1])
        assert [t.to_dict() for t in session.turns] == [t.to_dict() for t in expected.turns]


@pytest.mark.parametrize("edit, broken", [
    (lambda text: text.replace("A tiny deal", "A tiny deal, edited"), False),
    (lambda text: text.replace("difficulty: easy", "difficulty: extreme"), True),
])
@run_async
async def test_practice_straight_in_reads_a_file_edited_since_the_cards(
        tiny_lib: Path, tmp_path: Path, edit, broken: bool) -> None:
    """A file edited after the command found the scenario's card is read from the file:
    its new version plays, or its error shows; the kept version never does."""
    from simulator.tui.screens.practice import PracticeScreen

    keep(tiny_lib)
    scenario = tiny_lib / "scenarios" / "tiny.yaml"
    app = _practice_straight_in(tiny_lib, tmp_path, edit=lambda: write(scenario, edit(SCENARIO)))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        if broken:
            assert not isinstance(app.screen, PracticeScreen)
            assert any("extreme" in n.message for n in app._notifications)
        else:
            assert isinstance(app.screen, PracticeScreen)
            assert app.screen.session.scenario.title == "A tiny deal, edited"
            assert not isinstance(app.screen.session.scenario, Record)


def test_practice_straight_in_imports_neither_pydantic_nor_yaml(tiny_lib: Path,
                                                                tmp_path: Path) -> None:
    """`shadowbox practice` of an unchanged library opens on the buyer's first line before
    pydantic or YAML is imported (the library loads behind it)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SHADOWBOX_CACHE": str(tmp_path / "cache"),
           "SHADOWBOX_HOME": str(tmp_path)}
    env.pop("SHADOWBOX_LIBRARY", None)
    code = f"""
import asyncio, json, sys
from pathlib import Path
from simulator.catalog import cached_catalog, library_dirs
from simulator.tui.app import make_app
from simulator.tui.screens.practice import PracticeScreen

seen = {{}}
mounted = PracticeScreen.on_mount

def on_mount(self):
    mounted(self)
    seen.setdefault("modules", sorted(m for m in ("pydantic", "yaml", "simulator.loading")
                                      if m in sys.modules))
    seen.setdefault("line", self.session.turns[0].text)

PracticeScreen.on_mount = on_mount
dirs = library_dirs([{str(tiny_lib)!r}])
card = cached_catalog(dirs).card("tiny")
app = make_app(dirs=dirs, start="practice", scenario_id="tiny", seed=3,
               scenario_file=Path(card.file), persona_file=Path(card.persona_file))

async def main():
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()

asyncio.run(main())
print(json.dumps(seen))
"""
    prepare = subprocess.run([sys.executable, "-m", "simulator", "--library", str(tiny_lib),
                              "list"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert prepare.returncode == 0, prepare.stderr
    run = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["modules"] == []
    lib = load_library([tiny_lib])
    assert seen["line"] == Session(lib.scenario("tiny"), lib.personas["tester"], seed=3).turns[0].text
