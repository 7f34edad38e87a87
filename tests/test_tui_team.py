"""The app for a team: the Team screen, the rep's assignments on Home, and a database that
stops in the middle of a practice session (the rep plays on and is told)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.widgets import DataTable, Static

from simulator.store import Store
from simulator.tui.screens.home import HomeScreen
from simulator.tui.screens.practice import PracticeScreen
from simulator.tui.screens.team import TeamScreen
from test_tui import say
from test_tui_support import CONCEDE, HOLD, OPEN, TRADE, app_for, played, run_async


def seed_team(app, users_lines) -> None:
    """Sessions for several users in the app's database (as their own machines would)."""
    from simulator.loading import load_library

    lib = load_library(app.dirs)
    for user, lines in users_lines:
        played(Store(app.store.url, user=user), lib, lines)  # now: inside the default 30 days


async def settle(pilot, until, tries: int = 100) -> None:
    """Let worker threads finish: pause until `until()` holds."""
    for _ in range(tries):
        await pilot.pause(0.05)
        if until():
            return
    raise AssertionError("the app did not get there")


@run_async
async def test_team_screen_shows_every_rep_chart_and_leaderboards(tmp_path, monkeypatch):
    app = app_for(tmp_path, monkeypatch)
    seed_team(app, [("ana", [HOLD, OPEN]), ("ana", [HOLD, TRADE]), ("ben", [CONCEDE]),
                    ("chen", [OPEN])])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, TeamScreen)
        await settle(pilot, lambda: screen.view is not None)
        table = screen.query_one("#reps", DataTable)
        assert table.row_count == 3
        users = [table.get_row_at(i)[0] for i in range(3)]
        assert sorted(users) == ["ana", "ben", "chen"]
        headers = [str(c.label) for c in table.columns.values()]
        assert "Coach" not in headers and "Hold" in headers  # renewal scores no coaching
        ana = next(r for r in screen.view["reps"] if r["user"] == "ana")
        assert ana["sessions"] == 2
        boards = str(screen.query_one("#boards", Static).render())
        assert "Hold the price" in boards and "ana" in boards
        # moving to another rep charts that rep
        table.move_cursor(row=users.index("ben"))
        await pilot.pause()
        assert screen.charted == "ben"
        # a period with nobody in it says so
        screen.load(date.today() + timedelta(days=1), None)
        await settle(pilot, lambda: not screen.view["reps"])
        assert screen.query_one("#team-empty").display
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


@run_async
async def test_at_80x24_the_team_table_fits_names_and_assignments_whole(tmp_path, monkeypatch):
    """Every column in view at once, so no scrolling cuts a name ("roo") or Assigned."""
    app = app_for(tmp_path, monkeypatch)
    seed_team(app, [("root", [CONCEDE, HOLD]), ("root", [HOLD, OPEN]), ("root", [HOLD, TRADE]),
                    ("root", [HOLD, OPEN, TRADE]), ("chen", [OPEN, HOLD])])
    manager = Store(app.store.url, user="maya")
    manager.assign("renewal", ["root", "chen"], date.today() - timedelta(days=1), 101)
    manager.assign("price-rise", ["root", "chen"], date.today() + timedelta(days=7), 101)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        screen = app.screen
        await settle(pilot, lambda: screen.view is not None)
        await pilot.pause()
        table = screen.query_one("#reps", DataTable)
        headers = [str(c.label) for c in table.columns.values()]
        assert {"Rep", "Hold", "Trade", "Open Qs", "Weakest", "Assigned"} <= set(headers)
        assert "0/2 1 late" in [str(v) for v in table.get_row("root")]
        # room for a vertical scrollbar too (forty reps): the widest row fits beside it
        assert table.virtual_size.width <= table.size.width - 2, (table.virtual_size, headers)


@run_async
async def test_home_shows_the_reps_assignments_due_and_done(tmp_path, monkeypatch):
    monkeypatch.setenv("SHADOWBOX_USER", "ana")
    app = app_for(tmp_path, monkeypatch)
    app.store = Store(app.store.url, user="ana", clock=app.store.clock)
    manager = Store(app.store.url, user="maya", clock=app.store.clock)
    manager.assign("renewal", ["ana", "ben"], date.today() + timedelta(days=2), 50)
    async with app.run_test(size=(120, 40)) as pilot:
        home = app.screen
        box = home.query_one("#assignments", Static)
        await settle(pilot, lambda: box.display)
        text = str(box.render())
        assert "not yet" in text and "Renewal" in text.title() and "pass 50" in text
        await pilot.press("s")  # practise it and pass
        await pilot.pause()
        await say(pilot, HOLD)
        await say(pilot, TRADE)
        assert app.screen.session.finished
        await pilot.press("ctrl+e")
        await pilot.pause()
        app.go_home()
        await settle(pilot, lambda: "done" in str(box.render()))
        assert "not yet" not in str(box.render())


@run_async
async def test_stopping_postgresql_mid_session_the_rep_plays_on_and_is_told(
        tmp_path, monkeypatch):
    from pgserver import PgServer, binaries, create_database

    import simulator.store as store_mod

    if binaries() is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    monkeypatch.setattr(store_mod, "RETRY_FIRST", 0.0)
    server = PgServer().start()
    try:
        url = create_database(server.url(), "team")
        app = app_for(tmp_path, monkeypatch, start="practice", scenario_id="renewal")
        app.store = Store(url, user="ana")
        notes: list[str] = []
        real_notify = app.notify
        monkeypatch.setattr(app, "notify", lambda message, **kw: (
            notes.append(str(message)), real_notify(message, **kw)))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            practice = app.screen
            assert isinstance(practice, PracticeScreen)
            await say(pilot, HOLD)
            assert practice.recording.error is None
            server.stop()
            await say(pilot, OPEN)  # the database is gone: the conversation goes on
            assert len(practice.session.turns) == 5
            assert any("History isn't being saved" in n for n in notes)
            assert "history not being saved" in practice.sub_title
            server.start()
            await say(pilot, TRADE)  # it answers again: everything pending goes in
            assert any("being saved again" in n for n in notes)
            assert "not being saved" not in practice.sub_title
            sid = practice.sid
        stored = Store(url).load(sid)
        assert [t["text"] for t in stored["turns"]] == [t.text for t in practice.session.turns]
        assert stored["status"] == "deal"
    finally:
        server.remove()
