"""A failing history (a full disk, a read-only folder) never ends a session or loses a turn."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from textual.widgets import Input

from simulator.loading import load_library
from simulator.session import Session
from simulator.store import Store
from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.screens.export import ExportScreen
from simulator.tui.screens.practice import PracticeScreen
from test_tui_support import (HOLD, OPEN, TRADE, app_for, practise, reply_all, run_async,
                              scorer, write_library)

#: A reply long enough that recording it needs new pages in the database.
LONG = "We hold the price, and here is why. " * 120


def fill_the_disk(store: Store):
    """SQLite's own 'database or disk is full' from now on: no page may be added (on every
    connection of the store's pool). Returns a function that frees the disk again."""
    from sqlalchemy import event, text

    with store.engine.connect() as conn:
        pages = conn.execute(text("PRAGMA page_count")).scalar()
    store.engine.dispose()  # the pooled connections go; each new one is full at once

    @event.listens_for(store.engine, "connect")
    def _full(dbapi_conn, _record) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    def free() -> None:
        event.remove(store.engine, "connect", _full)
        store.engine.dispose()

    return free


@run_async
async def test_a_full_disk_mid_session_keeps_every_turn_and_the_export(tmp_path, monkeypatch):
    app = app_for(tmp_path, monkeypatch)
    async with app.run_test(size=(110, 36)) as pilot:
        practice = await practise(pilot)
        assert isinstance(practice, PracticeScreen)
        sid = practice.sid
        saved_before = len(app.store.load(sid)["turns"])
        fill_the_disk(app.store)
        await reply_all(pilot, practice, (LONG, OPEN, HOLD, TRADE))
        assert app.screen is practice  # still practising
        rep_lines = [t.text for t in practice.session.rep_turns()]
        assert rep_lines[:2] == [LONG.strip(), OPEN]
        warnings = [n.message for n in app._notifications if n.severity in ("warning", "error")]
        assert len(warnings) == 1 and "History isn't being saved" in warnings[0]
        assert "full" in warnings[0]
        # what was saved is the clean start of the conversation, before the disk filled
        assert len(app.store.load(sid)["turns"]) == saved_before
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#path", Input).value = str(tmp_path / "kept.md")
        app.screen.query_one("#path", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
    text = (tmp_path / "kept.md").read_text()
    assert text.count("**You:**") == len(rep_lines) == 4
    assert "We hold the price, and here is why." in text and "the nine dollar figure" in text
    assert "Renewed at your price" in text


async def _debrief_with_the_disk_full(pilot, app):
    """Practise with the database full from the first exchange, then open the debrief."""
    practice = await practise(pilot)
    free = fill_the_disk(app.store)
    await reply_all(pilot, practice, (LONG, OPEN))
    await pilot.press("ctrl+e")
    await pilot.pause()
    assert isinstance(app.screen, DebriefScreen)
    assert app.store.load(practice.sid)["status"] == "in_progress"
    return practice.sid, free


@run_async
async def test_leaving_the_debrief_saves_what_a_full_disk_kept(tmp_path, monkeypatch):
    app = app_for(tmp_path, monkeypatch)
    async with app.run_test(size=(110, 36)) as pilot:
        sid, free = await _debrief_with_the_disk_full(pilot, app)
        free()  # the disk has room again
        await pilot.press("escape")
        await pilot.pause()
        rec = app.store.load(sid)
        assert rec["status"] != "in_progress" and rec["rep_turns"] == 2
        assert any("saved again" in n.message for n in app._notifications)


@run_async
async def test_quitting_saves_what_a_full_disk_kept_or_says_where_it_is(tmp_path, monkeypatch,
                                                                       capsys):
    from simulator.tui.app import save_on_exit

    app = app_for(tmp_path, monkeypatch)
    async with app.run_test(size=(110, 36)) as pilot:
        sid, free = await _debrief_with_the_disk_full(pilot, app)
        await pilot.press("ctrl+q")
    assert save_on_exit(app) == 1  # still full: the CLI exits non-zero, and says where
    err = capsys.readouterr().err.strip().splitlines()
    spool = list((tmp_path / "home" / "spool").glob("*.json"))
    assert len(err) == 1 and len(spool) == 1 and spool[0].name in err[0]
    assert "shadowbox db sync" in err[0]
    free()
    assert save_on_exit(app) == 0 and capsys.readouterr().err == ""
    assert app.store.load(sid)["rep_turns"] == 2 and not spool[0].exists()


@run_async
async def test_history_that_cannot_be_opened_still_lets_you_practise(tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the history folder should be")
    app = app_for(tmp_path, monkeypatch)
    app.store = Store(blocked / "history.db")
    async with app.run_test(size=(110, 36)) as pilot:
        practice = await practise(pilot)
        await reply_all(pilot, practice, [HOLD])
        assert practice.sid is None and len(practice.session.rep_turns()) == 1
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)  # exported from memory


def _stored_history(home) -> int:
    lib = load_library([write_library(home.parent / "lib")])
    sc = lib.scenario("renewal")
    store = Store(home / "history.db")
    s = Session(sc, lib.persona_of(sc), seed=7, scorer=scorer)
    sid = store.record(s)
    s.respond(HOLD)
    store.close()
    return sid


def _read_only(cmd: list[str], folder) -> list[str]:
    """`cmd` run with `folder` read-only: chmod when not root (root ignores modes), else a
    read-only bind mount in a private mount namespace."""
    if os.geteuid() != 0:
        return cmd
    if shutil.which("unshare") is None:
        pytest.skip("running as root without unshare: cannot make a folder read-only")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("running as root where mount namespaces are not allowed")
    import shlex

    return ["unshare", "-m", "sh", "-c",
            f"mount --bind -o ro {shlex.quote(str(folder))} {shlex.quote(str(folder))} && "
            f"exec {shlex.join(cmd)}"]


def test_a_read_only_history_folder_can_still_be_read(tmp_path):
    home = tmp_path / "home"
    sid = _stored_history(home)
    os.chmod(home / "history.db", 0o444)
    os.chmod(home, 0o555)
    env = dict(os.environ, SHADOWBOX_HOME=str(home))
    try:
        for args, expect in ((["history"], "renewal"), (["export", str(sid)], "# The backup"),
                             (["history", "--json"], '"renewal"')):
            cmd = _read_only([sys.executable, "-m", "simulator", *args], home)
            out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
            assert out.returncode == 0, out.stderr
            assert expect in out.stdout
            assert "Traceback" not in out.stderr
        # and a write is a clean one-line error, not a traceback
        cmd = _read_only([sys.executable, "-c",
                          "from simulator.store import Store; Store().delete(1)"], home)
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
        assert "cannot save history" in out.stderr and "readonly" in out.stderr
        assert sorted(p.name for p in home.iterdir()) == ["history.db"]
    finally:
        os.chmod(home, 0o755)
        os.chmod(home / "history.db", 0o644)
