"""SVG snapshots of every screen at 80x24 and 120x40 (fixed seed, clock and history).

Review a diff in snapshot_report.html before accepting it with --snapshot-update.
"""

from __future__ import annotations

import pytest

from simulator.loading import load_library
from simulator.session import Session
from test_tui_support import CONCEDE, CONCEDE_AGAIN, HOLD, OPEN, TRADE, app_for, scorer

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def say(pilot, *lines: str) -> None:
    for line in lines:
        pilot.app.screen.query_one("#reply").value = line
        await pilot.press("enter")
        await pilot.pause()


def with_history(tmp_path, monkeypatch, **kw):
    """The app with two finished sessions and one left unfinished in its history."""
    app = app_for(tmp_path, monkeypatch, **kw)
    lib = load_library(app.dirs)
    sc = lib.scenario("renewal")
    for seed, lines in ((1, [CONCEDE, CONCEDE_AGAIN]), (2, [HOLD, OPEN, TRADE]), (3, [HOLD])):
        s = Session(sc, lib.persona_of(sc), seed=seed, scorer=scorer)
        sid = app.store.record(s)
        for line in lines:
            s.respond(line)
        if s.finished:
            app.store.finish(sid, s)
    return app


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, tmp_path, monkeypatch, size):
    assert snap_compare(app_for(tmp_path, monkeypatch), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_prep(snap_compare, tmp_path, monkeypatch, size):
    assert snap_compare(app_for(tmp_path, monkeypatch), press=["enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_practice(snap_compare, tmp_path, monkeypatch, size):
    async def run_before(pilot):
        await pilot.pause()
        await say(pilot, HOLD, OPEN)
        await pilot.press("f2")
        await pilot.pause()

    app = app_for(tmp_path, monkeypatch, start="practice", scenario_id="renewal")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_debrief(snap_compare, tmp_path, monkeypatch, size):
    async def run_before(pilot):
        await pilot.pause()
        await say(pilot, HOLD, OPEN, TRADE)
        await pilot.press("enter")
        await pilot.pause()

    app = app_for(tmp_path, monkeypatch, start="practice", scenario_id="renewal")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_history(snap_compare, tmp_path, monkeypatch, size):
    app = with_history(tmp_path, monkeypatch, start="history")
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_export_dialog(snap_compare, tmp_path, monkeypatch, size):
    app = with_history(tmp_path, monkeypatch, start="history")
    assert snap_compare(app, press=["x"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_team(snap_compare, tmp_path, monkeypatch, size):
    """The Team screen over all time (the fixed clock's sessions are in January 2026)."""
    from simulator.store import Store
    from test_tui_support import played

    app = app_for(tmp_path, monkeypatch)
    lib = load_library(app.dirs)
    for user, lines in (("ana", [CONCEDE, HOLD]), ("ana", [HOLD, OPEN]), ("ana", [HOLD, TRADE]),
                        ("ana", [HOLD, OPEN, TRADE]), ("ben", [CONCEDE, CONCEDE]),
                        ("chen", [OPEN, HOLD])):
        played(Store(app.store.url, user=user, clock=app.store.clock), lib, lines)

    async def run_before(pilot):
        await pilot.pause()  # the library opens just after the app's mount
        await pilot.press("t")
        screen = pilot.app.screen
        screen.query_one("#period").value = None  # any time
        for _ in range(100):
            await pilot.pause()
            if screen.view is not None and screen.view["since"] is None:
                break
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_practice_scrolled(snap_compare, tmp_path, monkeypatch, size):
    """Enough turns for the transcript's scrollbar, scrolled up a page: nothing is cut."""
    async def run_before(pilot):
        await pilot.pause()
        await say(pilot, HOLD, OPEN, HOLD, OPEN)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.press("pageup")
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    app = app_for(tmp_path, monkeypatch, start="practice", scenario_id="renewal")
    assert snap_compare(app, terminal_size=size, run_before=run_before)
