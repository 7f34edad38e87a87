"""Text from a rep, a team list or a YAML file is data: never Rich/Textual markup, never raw
terminal control. Driven through the app, the drill and the CLI with markup-like text."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.content import Content
from textual.widgets import DataTable, Input, Static

from simulator.loading import load_library
from simulator.scoring import Verdict
from simulator.tui.app import make_app
from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.practice import PracticeScreen
from simulator.tui.widgets.transcript import Transcript, turn_item
from test_tui_support import (HOLD, PERSONA, SCENARIO, TRADE, practise, reply_all, run_async,
                              scorer, settle, setup)

#: Text that Rich or Textual markup would act on: closing tags, styles, links, actions.
MARKUP = ["[/] fine", "[bold]Ben", "[/bold]", "[link=https://x.example]click[/link]",
          "[@click=app.quit]quit[/]", "[red on white]loud", "\\[/]", "[stall]", "[b][/i]"]


def hostile_library(root, title: str, name: str, *, escapes: bool = False):
    lib = root / "hostile-lib"
    (lib / "personas").mkdir(parents=True)
    (lib / "scenarios").mkdir(parents=True)
    (lib / "personas" / "it-director.yaml").write_text(
        PERSONA.replace("name: Dana Whitlow", f"name: {quoted(name, escapes)}"), encoding="utf-8")
    (lib / "scenarios" / "renewal.yaml").write_text(
        SCENARIO.replace("title: The backup renewal under budget pressure",
                         f"title: {quoted(title, escapes)}"), encoding="utf-8")
    return lib


def quoted(text: str, escapes: bool = False) -> str:
    """`text` as a double-quoted YAML string; with `escapes`, its backslashes are YAML's."""
    if not escapes:
        text = text.replace("\\", "\\\\")
    return '"' + text.replace('"', '\\"') + '"'


def stalling_scorer(text: str, context):
    """The scripted scorer, with a stall for any reply that defers to a manager."""
    score = scorer(text, context)
    if "manager" in text:
        score = dataclasses.replace(score, stall=Verdict("yes", (), "defers to a manager"))
    return score


def shown(widget) -> str:
    return str(widget.render())


#: Markup-like text as hypothesis draws it: fragments of MARKUP and its characters.
MARKUPISH = st.lists(st.sampled_from(MARKUP + ["[", "]", "\\", "=", "@", "/", " ", "x", "$9"]),
                     min_size=1, max_size=4).map("".join).filter(lambda t: t.strip() == t != "")


@run_async
async def test_markup_in_titles_names_and_replies_is_shown_as_typed(tmp_path, monkeypatch):
    await titles_names_and_replies_shown_as_typed(tmp_path, monkeypatch, "[/] Renewal [bold]now",
                                                  "[/]Dana [red]W", "[/] fine")


@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(title=MARKUPISH, name=MARKUPISH, reply=MARKUPISH)
def test_any_markup_like_title_name_and_reply_is_shown_as_typed(tmp_path_factory, title, name,
                                                                reply):
    """The library, practice, the debrief and its review again from History."""
    import asyncio

    import pytest

    with pytest.MonkeyPatch.context() as monkeypatch:
        asyncio.run(titles_names_and_replies_shown_as_typed(
            tmp_path_factory.mktemp("markup"), monkeypatch, title, name, reply))


async def titles_names_and_replies_shown_as_typed(tmp_path, monkeypatch, title, name, reply):
    _, store = setup(tmp_path, monkeypatch)
    lib = hostile_library(tmp_path, title, name)
    app = make_app(dirs=[lib], library=load_library([lib]), store=store, scorer=stalling_scorer,
                   seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert title in shown(app.screen.query_one("#title"))
        assert name in shown(app.screen.query_one("#persona"))
        practice = await practise(pilot)
        assert isinstance(practice, PracticeScreen)
        await reply_all(pilot, practice,
                        [reply, "let me check with my manager " + reply, HOLD, TRADE])
        items = practice.query_one(Transcript).items
        assert any(reply in str(i.content) for i in items)
        await pilot.press("ctrl+e")
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        table = debrief.query_one("#turns", DataTable)
        said = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        as_listed = reply if len(reply) <= 40 else reply[:39] + "…"  # (long replies are cut)
        assert said[0] == as_listed
        assert said[1].endswith("[stall]"), said  # the debrief's own flag is not swallowed
        sid = debrief.sid
        app.open_history()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        app.review(sid)  # reviewing it again from History
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert str(app.screen.query_one("#turns", DataTable).get_row_at(0)[1]) == as_listed
    assert app.return_code in (0, None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(MARKUP + ["[", "]", "\\", "=", "@", "/", " ", "x", "$9"]),
                min_size=1, max_size=12).map("".join))
def test_any_markup_like_reply_renders_as_plain_text(text):
    """The transcript item of a reply, with verdicts, is the reply's own characters."""
    lib_item = turn_item("rep", "You", text, scorer(text, None))
    assert text in lib_item.content.plain
    assert isinstance(lib_item.content, Content)


@run_async
async def test_markup_team_names_open_the_drill(tmp_path):
    await team_names_shown_as_typed(tmp_path, ["[/]", "[bold]Ben", "[@click=app.quit]Chen"])


@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(team=st.lists(MARKUPISH.filter(lambda t: "," not in t and len(t) <= 40), min_size=2, max_size=3,
                     unique_by=str.casefold))
def test_any_markup_like_team_names_are_shown_as_typed(tmp_path_factory, team):
    import asyncio

    asyncio.run(team_names_shown_as_typed(tmp_path_factory.mktemp("team"), team))


async def team_names_shown_as_typed(tmp_path, team):
    from simulator.drill import Drill
    from simulator.loading import library_dirs
    from simulator.store import Store
    from simulator.tui.app import DrillApp
    from simulator.tui.drill.screens import DrillScreen, DrillSummaryScreen
    from test_drill import GOOD, scripted

    lib = load_library(library_dirs())
    sc = lib.scenario("procurement-head")
    drill = Drill(sc, lib.persona_of(sc), team, seed=4, scorer=scripted)
    app = DrillApp(drill=drill, library=lib, store=Store(tmp_path / "history.db"),
                   export_dir=tmp_path / "out")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, DrillScreen)
                     and shown(app.screen.query_one("#volunteer", Static)))
        screen = app.screen
        assert isinstance(screen, DrillScreen)
        volunteer = shown(screen.query_one("#volunteer", Static))
        assert any(n.upper() in volunteer for n in team), volunteer  # (shown in capitals)
        for _ in team:
            answer = screen.query_one("#answer", Input)
            answer.value = GOOD + " [/] [bold]"
            await pilot.press("enter")
            await pilot.pause()
        board = screen.query_one("#board", DataTable)
        names = {str(board.get_row_at(i)[1]) for i in range(board.row_count)}
        assert names == set(team)
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, DrillSummaryScreen)
        cards = shown(app.screen.query_one("#cards", Static))
        assert all(name in cards for name in team) and "[/] [bold]" in cards
    assert app.return_code in (0, None)


def test_a_crashed_app_exits_non_zero():
    from textual.app import App

    from simulator.tui.app import run_app

    class Boom(App):
        def on_mount(self) -> None:
            raise RuntimeError("boom")

    app = Boom()
    app.run = lambda: App.run(app, headless=True)
    assert run_app(app) == 1


# ---------------------------------------------------------------- terminal escapes

#: A title that would retitle the terminal and clear the screen if printed raw.
ESCAPES = "\x1b]0;pwned\x07\x1b[2J"


def escape_library(root):
    """A library whose scenario title and persona name carry terminal escapes (written as
    YAML's own double-quoted escapes, which PyYAML turns into the raw bytes)."""
    return hostile_library(root, "\\e]0;pwned\\a\\e[2JRenewal", "Dana \\e[31mW\\x9b",
                           escapes=True)


def test_escapes_in_files_reach_no_terminal_from_the_cli(tmp_path):
    import json
    import os
    import subprocess
    import sys

    lib = escape_library(tmp_path)
    script = tmp_path / "script.txt"
    script.write_text(f"{HOLD} \x1b[2J\n{TRADE}\n", encoding="utf-8")
    env = dict(os.environ, SHADOWBOX_HOME=str(tmp_path / "home"))
    runs = {
        "list": ["list"], "list --json": ["list", "--json"],
        "play": ["play", "renewal", "--script", str(script), "--seed", "7"],
        "play --json": ["play", "renewal", "--script", str(script), "--seed", "7", "--json"],
        "validate": ["validate", str(lib)],
        "score": ["score", "Fine \x1b]0;x\x07 we can do $9"],
        "bad id": ["play", "\x1b[2J", "--script", str(script)],
    }
    for name, args in runs.items():
        out = subprocess.run([sys.executable, "-m", "simulator", "--library", str(lib), *args],
                             capture_output=True, text=True, env=env, timeout=60)
        both = out.stdout + out.stderr
        assert "Traceback" not in both, (name, both)
        assert not any(c in both for c in "\x1b\x07\x9b"), (name, both[:300])
        if name.endswith("--json"):
            json.loads(out.stdout)  # still valid JSON
        if name in ("list", "play"):
            assert "\\u001b]0;pwned\\u0007\\u001b[2JRenewal" in out.stdout, (name, out.stdout)
        if name == "validate":
            assert "warning: control character in text" in out.stdout + out.stderr


@run_async
async def test_escapes_in_files_and_pastes_are_shown_escaped_in_the_app(tmp_path, monkeypatch):
    from textual import events

    _, store = setup(tmp_path, monkeypatch)
    lib = escape_library(tmp_path)
    app = make_app(dirs=[lib], library=load_library([lib]), store=store, scorer=scorer, seed=7)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        title = shown(app.screen.query_one("#title"))
        assert "\\u001b]0;pwned\\u0007" in title and "\x1b" not in title
        practice = await practise(pilot)
        reply = practice.query_one("#reply", Input)
        reply.focus()
        app.post_message(events.Paste("We hold \x1b[2J\x1b]0;x\x07 the price"))
        await settle(pilot, lambda: reply.value != "")
        assert reply.value == "We hold \\u001b[2J\\u001b]0;x\\u0007 the price"
        await pilot.press("enter")
        await pilot.pause()
        said = practice.session.rep_turns()[0].text
        assert "\x1b" not in said and "\\u001b[2J" in said
        for item in practice.query_one(Transcript).items:
            assert "\x1b" not in str(item.content) and "\x07" not in str(item.content)


def test_replies_and_team_names_are_kept_printable():
    from simulator.drill import check_team
    from simulator.session import clean_reply

    assert clean_reply("  ok \x1b[2J\x9b\ud800 ") == "ok \\u001b[2J\\u009b\\ud800"
    assert check_team(["Ana\x1b[31m", "Ben"]) == ["Ana\\u001b[31m", "Ben"]
