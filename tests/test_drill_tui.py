"""The drill screens driven with Pilot, and SVG snapshots of the live leaderboard."""

from __future__ import annotations

from pathlib import Path

import asyncio
import functools

import pytest
from textual.widgets import DataTable, Digits, Input, Static

from simulator.drill import Drill
from simulator.drill_store import DrillStore
from simulator.loading import library_dirs, load_library
from simulator.store import Store
from simulator.tui.app import DrillApp
from simulator.tui.drill.screens import DrillScreen, DrillSetupScreen, DrillSummaryScreen
from test_drill import CAVE, GOOD, STALL, TRADE, scripted
from test_tui_support import settle

SIZE = (160, 48)


def run_async(fn):
    """Run an async test body with asyncio (no async plugin needed)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))
    return wrapper


@pytest.fixture(scope="module")
def lib():
    return load_library(library_dirs())


def make(lib, tmp_path: Path, team=("Ana", "Ben", "Chen"), **kw) -> DrillApp:
    sc = lib.scenario("procurement-head")
    drill = Drill(sc, lib.persona_of(sc), list(team), seed=4, scorer=scripted,
                  drill_id="d1", started_at="2025-03-03T09:00:00+00:00", **kw)
    return DrillApp(drill=drill, library=lib, store=Store(tmp_path / "history.db"),
                    export_dir=tmp_path / "out")


def board_rows(screen) -> list[tuple[str, str, str]]:
    table = screen.query_one("#board", DataTable)
    return [tuple(str(c) for c in table.get_row_at(i)[:3]) for i in range(table.row_count)]


async def say(pilot, text: str) -> None:
    inp = pilot.app.screen.query_one("#answer", Input)
    inp.value = text
    await pilot.press("enter")
    await pilot.pause()


async def play_two_rounds(pilot) -> None:
    await pilot.pause()
    await say(pilot, GOOD)      # Ana
    await pilot.press("f2")     # Ben passes
    await say(pilot, "")        # Chen: empty answer
    await pilot.press("f3")     # next moment
    await pilot.pause()
    await say(pilot, CAVE)      # Ana
    await say(pilot, TRADE)     # Ben
    await say(pilot, STALL)     # Chen


@run_async
async def test_three_people_two_rounds(lib, tmp_path):
    app = make(lib, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DrillScreen)
        assert screen.drill.current.line in str(screen.query_one("#moment", Static).render())
        assert "ANA" in str(screen.query_one("#volunteer", Static).render())

        await say(pilot, GOOD)
        d = screen.drill
        assert [(a.participant, a.status, a.overall) for a in d.answers] == [
            ("Ana", "answered", 100.0)]
        assert "HELD PRICE" in str(screen.query_one("#badges", Static).render())
        assert "tip hold hold" in str(screen.query_one("#coaching", Static).render())
        assert screen.query_one("#answer", Input).value == ""
        assert "BEN" in str(screen.query_one("#volunteer", Static).render())

        await pilot.press("f2")
        await say(pilot, "   ")
        assert [(a.participant, a.status) for a in d.answers][1:] == [
            ("Ben", "skipped"), ("Chen", "empty")]
        assert "Everyone has had a go" in str(screen.query_one("#waiting", Static).render())
        assert board_rows(screen) == [("1", "Ana", "100"), ("2", "Chen", "0"), ("–", "Ben", "–")]

        await pilot.press("f3")
        await pilot.pause()
        assert d.current.number == 2
        await say(pilot, CAVE)
        await say(pilot, TRADE)
        await say(pilot, STALL)
        assert board_rows(screen) == [("1", "Ben", "100"), ("2", "Ana", "50"), ("3", "Chen", "0")]
        assert "STALL" in str(screen.query_one("#badges", Static).render())

        await pilot.press("f9")  # rank by hold the price
        await pilot.pause()
        assert [r[1] for r in board_rows(screen)] == ["Ben", "Ana", "Chen"]
        assert "Hold the price" in str(screen.query_one("#board-title", Static).render())

        # saved after every answer
        stored = DrillStore(Store(tmp_path / "history.db")).load("d1")["data"]
        assert len([a for r in stored["rounds"] for a in r["answers"]]) == 6

        await pilot.press("f10")
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, DrillSummaryScreen)
        cards = str(summary.query_one("#cards", Static).render())
        assert "Ben" in cards and "Work on" in cards and TRADE in cards
        await pilot.press("e")
        await pilot.pause()
        out = sorted(p.suffix for p in (tmp_path / "out").iterdir())
        assert out == [".csv", ".json", ".md"]
        assert DrillStore(Store(tmp_path / "history.db")).load("d1")["data"]["finished_at"]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"


@run_async
async def test_ties_skip_undo_and_manager_line(lib, tmp_path):
    app = make(lib, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await say(pilot, TRADE)   # Ana
        await say(pilot, TRADE)   # Ben
        await say(pilot, CAVE)    # Chen
        assert board_rows(screen) == [("=1", "Ana", "100"), ("=1", "Ben", "100"),
                                      ("3", "Chen", "0")]
        await pilot.press("f8")   # undo Chen's answer: Chen is up again, text restored
        await pilot.pause()
        assert screen.drill.volunteer == "Chen"
        assert screen.query_one("#answer", Input).value == CAVE
        await say(pilot, TRADE)
        assert [r[0] for r in board_rows(screen)] == ["=1", "=1", "=1"]

        await pilot.press("f5")   # the manager types the buyer's line
        await pilot.pause()
        modal = app.screen
        modal.query_one(Input).value = "Net 120 days or no deal."
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.drill.current.line == "Net 120 days or no deal."
        assert screen.drill.current.moment.source == "manager"

        await pilot.press("f6")   # choose the volunteer
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen.drill.volunteer == "Ben"
        await pilot.press("f2")
        await pilot.pause()
        assert screen.drill.answers[-1].participant == "Ben"
        assert screen.drill.answers[-1].status == "skipped"


@run_async
async def test_timer_shown_large_and_turns_red(lib, tmp_path):
    now = [100.0]
    sc = lib.scenario("procurement-head")
    drill = Drill(sc, lib.persona_of(sc), ["Ana", "Ben"], seed=1, scorer=scripted, timer=30)
    app = DrillApp(drill=drill, library=lib, store=Store(tmp_path / "h.db"))
    async with app.run_test(size=(80, 24)) as pilot:
        # The drill screen goes on top once the library is open, and its on_mount restarts
        # the answer timer: wait for that, or it restarts the fake clock set below.
        await settle(pilot, lambda: isinstance(app.screen, DrillScreen) and app.screen.is_mounted)
        screen = app.screen
        screen.clock = lambda: now[0]
        screen.turn_started = now[0]
        screen.tick()
        clock = screen.query_one("#clock", Digits)
        assert clock.display and clock.value == "0:30"
        now[0] += 25
        screen.tick()
        assert clock.value == "0:05" and clock.has_class("-closing")
        now[0] += 10
        screen.tick()
        assert clock.value == "0:00" and clock.has_class("-expired")
        await say(pilot, GOOD)
        assert drill.answers[0].seconds == 35.0 and drill.answers[0].over_time
        assert clock.value == "0:30" and not clock.has_class("-expired")


@run_async
async def test_setup_screen_checks_the_team(lib, tmp_path):
    app = DrillApp(drill=None, setup={"team": [], "scenario_id": None, "timer": None},
                   library=lib, store=Store(tmp_path / "h.db"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DrillSetupScreen)
        screen.query_one("#team", Input).value = "Ana, ana"
        await pilot.press("enter")  # the team field has the focus; Enter starts
        await pilot.pause()
        assert "appears twice" in str(screen.query_one("#setup-error", Static).render())
        screen.query_one("#team", Input).value = "Ana, Ben"
        screen.query_one("#timer", Input).value = "40"
        await pilot.click("#start")  # the button fits on an 80x24 screen
        await pilot.pause()
        assert isinstance(app.screen, DrillScreen)
        assert app.screen.drill.participants == ["Ana", "Ben"]
        assert app.screen.drill.timer == 40


def _board_app(lib, tmp_path, projector=False):
    app = make(lib, tmp_path)
    app.projector = projector
    return app


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_leaderboard_snapshot(snap_compare, lib, tmp_path, size):
    assert snap_compare(_board_app(lib, tmp_path), terminal_size=size,
                        run_before=play_two_rounds)


def test_projector_snapshot(snap_compare, lib, tmp_path):
    assert snap_compare(_board_app(lib, tmp_path, projector=True), terminal_size=(160, 48),
                        run_before=play_two_rounds)


@run_async
async def test_drill_from_the_home_screen(lib, tmp_path):
    from simulator.tui.app import make_app

    app = make_app(library=lib, store=Store(tmp_path / "h.db"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"
        chosen = app.screen.selected()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DrillSetupScreen)
        from textual.widgets import Select
        assert app.screen.query_one("#scenario", Select).value == chosen.id
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"
        app.open_drill()  # the command palette's "Team drill"
        await pilot.pause()
        assert isinstance(app.screen, DrillSetupScreen)


@run_async
async def test_projector_theme_is_undone_when_the_drill_is_left(lib, tmp_path):
    from textual.widgets import Checkbox

    from simulator.tui.app import make_app

    app = make_app(library=lib, store=Store(tmp_path / "h.db"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        before = app.theme
        await pilot.press("d")
        await pilot.pause()
        setup = app.screen
        setup.query_one("#team", Input).value = "Ana, Ben"
        setup.query_one("#projector", Checkbox).value = True
        setup.query_one("#team", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DrillScreen)
        assert app.theme == "shadowbox-projector"
        await say(pilot, GOOD)
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, DrillSummaryScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"
        assert app.theme == before


# ------------------------------------------------------------------ issue 16: drill fixes


@run_async
async def test_f5_before_any_answer_makes_no_phantom_round(lib, tmp_path):
    app = make(lib, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("f5")
        await pilot.pause()
        app.screen.query_one(Input).value = "Net 120 days or no deal."
        await pilot.press("enter")
        await pilot.pause()
        assert [r.number for r in screen.drill.rounds] == [1]
        assert "Round 1" in str(screen.query_one("#round-info", Static).render())
        await say(pilot, GOOD)
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        md = next((tmp_path / "out").glob("*.md")).read_text()
        assert "### Round 1: the manager's line" in md and "Round 2" not in md


@run_async
async def test_f8_undo_puts_the_cursor_after_the_text(lib, tmp_path):
    app = make(lib, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await say(pilot, TRADE)
        await pilot.press("f8")
        await pilot.pause()
        inp = screen.query_one("#answer", Input)
        assert inp.value == TRADE and inp.cursor_position == len(TRADE)
        await pilot.press("space", "o", "k")
        assert inp.value == TRADE + " ok"


@run_async
async def test_f4_poses_the_line_it_lists(lib, tmp_path):
    from textual.widgets import OptionList

    app = make(lib, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        d = screen.drill
        pick = next(i for i, m in enumerate(d.moments) if len(m.variants) > 1)
        for _ in range(4):  # the same line every time, whatever the dice say
            await pilot.press("f4")
            await pilot.pause()
            ol = app.screen.query_one(OptionList)
            listed = str(ol.get_option_at_index(pick).prompt)
            ol.highlighted = pick
            await pilot.press("enter")
            await pilot.pause()
            assert d.current.moment is d.moments[pick]
            assert d.current.line in listed
            assert d.current.line in str(screen.query_one("#moment", Static).render())


@run_async
async def test_typed_ahead_answers_go_to_each_volunteer(lib, tmp_path):
    from textual import events

    from test_tui_support import settle

    app = make(lib, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        # Under load the drill screen can take more than one pause to be pushed.
        await settle(pilot, lambda: bool(app.screen_stack) and bool(app.screen.query("#answer")))
        screen = app.screen
        screen.query_one("#answer", Input).focus()
        for line in (GOOD, TRADE, STALL):
            for ch in line:
                app.post_message(events.Key(ch, ch))
            app.post_message(events.Key("enter", "\r"))
        await settle(pilot, lambda: len(screen.drill.rounds[0].answers) >= 3)
        answers = [(a.participant, a.text) for a in screen.drill.rounds[0].answers]
        assert answers == [("Ana", GOOD), ("Ben", TRADE), ("Chen", STALL)]


@run_async
async def test_summary_export_asks_before_it_overwrites(lib, tmp_path):
    app = make(lib, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await play_two_rounds(pilot)
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, DrillSummaryScreen)
        await pilot.press("e")
        await pilot.pause()
        written = sorted((tmp_path / "out").iterdir())
        assert [p.suffix for p in written] == [".csv", ".json", ".md"]
        written[0].write_text("edited by hand")
        await pilot.press("e")
        await pilot.pause()
        assert written[0].read_text() == "edited by hand"
        assert any("press e again to overwrite" in n.message for n in app._notifications)
        await pilot.press("e")
        await pilot.pause()
        assert written[0].read_text().startswith("drill,")


@run_async
async def test_the_round_and_the_moment_picker_show_lines_never_state_ids(lib, tmp_path):
    from textual.widgets import OptionList

    from simulator.tui.drill.widgets import ChoiceModal

    app = make(lib, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        moments = screen.drill.moments
        info = str(screen.query_one("#round-info", Static).render())
        assert "Round 1" in info and moments[0].title not in info
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        options = app.screen.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(len(moments))]
        assert shown == [m.variants[0] for m in moments]
