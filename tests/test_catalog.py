"""The library's cards, kept between runs: listed at once, never stale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.catalog import _entry, cache_dir, cached_catalog, catalog_key, catalog_of, store_catalog
from simulator.loading import load_library
from simulator.store import Store
from simulator.tui.app import make_app
from simulator.tui.screens.home import HomeScreen
from tests.conftest import SCENARIO, write
from tests.test_tui_support import run_async

ROOT = Path(__file__).resolve().parent.parent


def keep(lib_dir: Path) -> None:
    dirs = [lib_dir]
    key = catalog_key(dirs)
    store_catalog(dirs, key, catalog_of(load_library(dirs)))


def test_a_stored_catalog_is_the_library_s_and_any_change_misses(tiny_lib: Path) -> None:
    dirs = [tiny_lib]
    assert cached_catalog(dirs) is None
    keep(tiny_lib)
    cat = cached_catalog(dirs)
    assert cat == catalog_of(load_library(dirs))
    [card] = cat.cards
    assert (card.id, card.title, card.persona["name"]) == ("tiny", "A tiny deal", "Tess Ter")
    assert "Your walk-away   $8.00" in card.stakes
    write(tiny_lib / "scenarios" / "tiny.yaml", SCENARIO.replace("A tiny deal", "A big deal"))
    assert cached_catalog(dirs) is None
    write(tiny_lib / "scenarios" / "tiny.yaml", SCENARIO)
    write(tiny_lib / "scenarios" / "other.yaml", "id: [broken\n")
    assert cached_catalog(dirs) is None  # a new file, even a broken one, is a change
    keep(tiny_lib)
    cat = cached_catalog(dirs)
    assert [c.id for c in cat.cards] == ["tiny"] and "other.yaml" in cat.problems[0].path


@pytest.mark.parametrize("damage", [
    lambda d: b"{",
    lambda d: json.dumps({**d, "cards": [{"id": 1}]}).encode(),
    lambda d: json.dumps({**d, "cards": [{**d["cards"][0], "tags": "price"}]}).encode(),
    lambda d: json.dumps({**d, "problems": [{"path": "x"}]}).encode(),
    lambda d: json.dumps({**d, "cards": [{**d["cards"][0], "extra": 1}]}).encode(),
])
def test_a_damaged_catalog_is_ignored(tiny_lib: Path, damage) -> None:
    keep(tiny_lib)
    entry = _entry(cache_dir(), [tiny_lib])
    entry.write_bytes(damage(json.loads(entry.read_bytes())))
    assert cached_catalog([tiny_lib]) is None


def test_list_from_the_catalog_loads_no_library(tmp_path: Path) -> None:
    """The second `list` of an unchanged library imports neither pydantic nor YAML."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SHADOWBOX_CACHE": str(tmp_path)}
    env.pop("SHADOWBOX_LIBRARY", None)
    code = ("import sys\nfrom simulator.cli import main\nmain(['list', '--json'])\n"
            "print(sorted(m for m in ('pydantic', 'yaml', 'simulator.loading') "
            "if m in sys.modules), file=sys.stderr)\n")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env, cwd=ROOT) for _ in range(2)]
    assert runs[0].stdout == runs[1].stdout and json.loads(runs[1].stdout)
    assert "'pydantic'" in runs[0].stderr
    assert runs[1].stderr.strip() == "[]", runs[1].stderr


@run_async
async def test_the_app_lists_the_library_before_it_has_loaded(tiny_lib: Path,
                                                              tmp_path: Path) -> None:
    keep(tiny_lib)
    app = make_app(dirs=[tiny_lib], store=Store(tmp_path / "history.db"))
    app.load_in_background = lambda: None  # the library never arrives
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen) and app.library is None
        assert [c.id for c in home.shown] == ["tiny"]
        assert "A tiny deal" in str(home.query_one("#title").render())
        await pilot.press("s")  # start: needs the library; says so instead of failing
        assert isinstance(app.screen, HomeScreen)
        assert any("still loading" in n.message for n in app._notifications)
        app.set_library(load_library([tiny_lib]))
        await pilot.press("s")
        await pilot.pause()
        assert not isinstance(app.screen, HomeScreen)


@run_async
async def test_practice_straight_in_loads_its_scenario_before_the_rest(tiny_lib: Path,
                                                                       tmp_path: Path) -> None:
    from simulator.tui.screens.practice import PracticeScreen

    write(tiny_lib / "scenarios" / "other.yaml",
          SCENARIO.replace("id: tiny", "id: other").replace("A tiny deal", "Another deal"))
    keep(tiny_lib)
    card = cached_catalog([tiny_lib]).card("tiny")  # as `shadowbox practice tiny` finds it
    app = make_app(dirs=[tiny_lib], store=Store(tmp_path / "history.db"), start="practice",
                   scenario_id="tiny", scenario_file=Path(card.file), seed=3)
    loaded: list[set[str]] = []
    original = app.set_library

    def set_library(lib, catalog=None):
        loaded.append(set(lib.scenarios))
        original(lib, catalog)

    app.set_library = set_library
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert loaded == [{"tiny"}, {"tiny", "other"}]  # its own file first, then the rest
        assert isinstance(app.screen, PracticeScreen) and len(app.screen_stack) == 2
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert sorted(c.id for c in app.screen.shown) == ["other", "tiny"]


@run_async
async def test_practice_opens_before_the_history_and_saves_every_turn_once_it_opens(
        tiny_lib: Path, tmp_path: Path) -> None:
    """The history database opens off the UI thread after practice is on screen (its first
    use imports SQLAlchemy and migrates): the buyer's opening is saved then, and a response
    given before it opened is saved by that exchange, in one session row."""
    import threading

    from simulator.tui.screens.practice import PracticeScreen

    store = Store(tmp_path / "history.db")
    app = make_app(dirs=[tiny_lib], store=store, start="practice", scenario_id="tiny", seed=3)
    release = threading.Event()
    original = app.open_store

    def open_store():  # the database is slow to open: the rep answers first
        release.wait(10)
        original()

    app.open_store = open_store
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(50):
            await pilot.pause()
            if isinstance(app.screen, PracticeScreen):
                break
        assert isinstance(app.screen, PracticeScreen)
        assert not store.opened  # practice is on screen; the history is not open yet
        app.screen.query_one("#reply").value = "What matters most to you here?"
        await pilot.press("enter")
        await pilot.pause()
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = store.sessions()
        assert len(rows) == 1
        assert [t["speaker"] for t in store.load(rows[0]["id"])["turns"]] == [
            "buyer", "rep", "buyer"]


@run_async
async def test_practice_saves_its_opening_once_the_history_opens(tiny_lib: Path,
                                                                 tmp_path: Path) -> None:
    from simulator.tui.screens.practice import PracticeScreen

    store = Store(tmp_path / "history.db")
    app = make_app(dirs=[tiny_lib], store=store, start="practice", scenario_id="tiny", seed=3)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        rows = store.sessions()
        assert len(rows) == 1 and rows[0]["status"] == "in_progress"
        assert app.screen.recording.sid == rows[0]["id"]


def test_the_stakes_count_the_order_in_plural_units() -> None:
    from simulator.catalog import stakes
    from simulator.loading import library_dirs

    lib = load_library(library_dirs())
    order = {sid: next(r for r in stakes(lib.scenario(sid)) if r.startswith("Order"))
             for sid in ("renewal-price-increase", "procurement-head", "budget-freeze")}
    assert order["renewal-price-increase"].startswith("Order            180 users a month;")
    assert order["procurement-head"].startswith("Order            400,000 drives;")
    assert order["budget-freeze"].startswith("Order            1 year;")
