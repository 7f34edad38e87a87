"""Hostile input at the command line: score --jsonl lines, huge numbers, damaged history."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from textual.widgets import DataTable

from simulator.session import Session
from simulator.store import Store
from simulator.tui.screens.history import HistoryScreen
from test_tui_support import HOLD, TRADE, app_for, run_async, scorer


def run_cli(*args: str, cwd, stdin: bytes | None = None, home=None):
    env = dict(os.environ, SHADOWBOX_HOME=str(home or cwd / "home"))
    return subprocess.run([sys.executable, "-m", "simulator", *args], capture_output=True,
                          env=env, cwd=cwd, timeout=60, input=stdin)


def test_score_jsonl_bad_lines_each_get_an_error_and_the_rest_are_scored(tmp_path):
    lines = [
        b'{"text": "We can do $7.50"}',
        b'{"text": "x", "our_price": ' + b"1" * 5000 + b"}",       # 5,000 digits
        b'{"text": "x", "our_price": ' + b"9" * 400 + b"}",        # too big for a float
        b'{"text": "\\ud800 fine, $7.50 works"}',                  # a lone surrogate
        b'{"text": "caf\xe9"}',                                    # Latin-1, not UTF-8
        b'{"text": "What is behind that target?"}',
        b"[" * 100_000,                                            # nested past recursion
        b'{"text": 5}',
        b"",
        b'{"text": "If you commit to two years, we can do $8.20."}',
    ]
    (tmp_path / "in.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    out = run_cli("score", "--jsonl", "in.jsonl", cwd=tmp_path)
    assert b"Traceback" not in out.stderr, out.stderr
    got = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert len(got) == len(lines)
    errors = {g["line"]: g["error"] for g in got if "error" in g and "question" not in g}
    assert set(errors) == {2, 3, 5, 7, 8, 9}
    assert "4,300 digits" in errors[2] and "too large" in errors[3]
    assert errors[5].startswith("not UTF-8 text") and errors[9] == "empty line"
    assert got[0]["price"] == "concede" and got[5]["question"] == "open"
    assert got[3]["named_price"] == 7.5  # the surrogate line is scored too
    assert got[9]["price"] == "trade"
    assert out.returncode == 1


@pytest.mark.parametrize("args", [
    ["history", "--limit", str(10**23)],
    ["export", str(10**23)],
    ["play", "procurement-head", "--script", "-", "--seed", str(10**23)],
    ["practice", "procurement-head", "--seed", str(10**23)],
    ["drill", "procurement-head", "--team", "A,B", "--seed", str(10**23)],
])
def test_huge_numbers_are_clear_errors(tmp_path, args):
    out = run_cli(*args, cwd=tmp_path, stdin=b"hello\n")
    err = out.stderr.decode()
    assert out.returncode in (1, 2) and "Traceback" not in err and "Overflow" not in err
    assert "9223372036854775807" in err or "no session" in err


@pytest.mark.parametrize("sid", ["-" + "1" * 24, "9" * 5000, "-5", "x1"],
                         ids=["minus-10e23", "5000-digits", "negative", "not-a-number"])
def test_an_impossible_session_id_is_a_one_line_error(tmp_path, sid):
    out = run_cli("export", sid, cwd=tmp_path)
    err = out.stderr.decode()
    assert out.returncode == 1 and err.count("\n") == 1, err
    assert "is not a session id" in err and "9223372036854775807" in err
    assert "Traceback" not in err and len(err) < 200


def _damage(db, sql: str) -> None:
    conn = sqlite3.connect(db)
    conn.execute(sql)
    conn.commit()
    conn.close()


@pytest.fixture
def damaged(tmp_path):
    """Two saved sessions; the first with a broken scorecard, persona and one turn."""
    from simulator.loading import load_library
    from test_tui_support import write_library

    lib = load_library([write_library(tmp_path / "lib")])
    sc = lib.scenario("renewal")
    home = tmp_path / "home"
    store = Store(home / "history.db")
    for _ in range(2):
        s = Session(sc, lib.persona_of(sc), seed=7, scorer=scorer)
        sid = store.record(s)
        s.respond(HOLD)
        s.respond(TRADE)
        store.finish(sid, s)
    store.close()
    db = home / "history.db"
    _damage(db, "UPDATE sessions SET scorecard = '{not json', persona = '[1' WHERE id = 1")
    _damage(db, "UPDATE turns SET data = 'garbage' WHERE session_id = 1 AND idx = 1")
    return home


def test_damaged_rows_are_named_and_the_rest_is_shown(tmp_path, damaged):
    out = run_cli("history", cwd=tmp_path, home=damaged)
    text, err = out.stdout.decode(), out.stderr.decode()
    assert out.returncode == 0 and "Traceback" not in err, err
    assert "session 1: persona, scorecard damaged" in err
    assert len(text.strip().splitlines()) == 2
    out = run_cli("history", "--json", cwd=tmp_path, home=damaged)
    assert [r["id"] for r in json.loads(out.stdout)] == [2, 1]
    out = run_cli("export", "1", "--format", "json", cwd=tmp_path, home=damaged)
    assert out.returncode == 0 and "turn 2" in out.stderr.decode()
    rec = json.loads(out.stdout)
    assert rec["turns"][1]["text"] == HOLD and rec["scorecard"] is None
    out = run_cli("export", "1", cwd=tmp_path, home=damaged)
    assert out.returncode == 0 and HOLD[:20] in out.stdout.decode()


@pytest.mark.parametrize(("history", "note"), [("damaged", "session 1: "),
                                               ("mistyped", "session 2: started, overall damaged")])
@run_async
async def test_the_history_screen_shows_damaged_rows(tmp_path, monkeypatch, request, history, note):
    app = app_for(tmp_path, monkeypatch)
    app.store = Store(request.getfixturevalue(history) / "history.db")
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        app.open_history()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.query_one("#sessions", DataTable).row_count == 2
        notes = [n.message for n in app._notifications]
        assert any(note in n and "damaged" in n for n in notes), notes


@pytest.fixture
def mistyped(damaged):
    """The damaged history, and session 2 with text where its numbers belong."""
    _damage(damaged / "history.db",
            "UPDATE sessions SET started = 'garbage', overall = 'x' WHERE id = 2")
    return damaged


@pytest.mark.parametrize("args", [["history"], ["history", "--json"], ["export", "2"],
                                  ["team"], ["team", "--json"]])
def test_a_wrong_typed_value_is_a_damaged_row(tmp_path, mistyped, args):
    out = run_cli(*args, cwd=tmp_path, home=mistyped)
    err = out.stderr.decode()
    assert out.returncode == 0 and "Traceback" not in err, err
    assert "damaged" in err
    if args[0] == "history":
        assert "session 2: started, overall damaged" in err
        assert "session 1" in err and out.stdout.decode().count('"id"' if "--json" in args
                                                                else "renewal") == 2
    elif args[0] == "export":
        assert "Shadowbox session 2" in out.stdout.decode()
        assert out.stdout.decode().count("**You:**") == 2
    else:
        assert "1 session damaged" in err


def test_evidence_quotes_the_reply_as_written(tmp_path):
    reply = "Our price is\n$8.50 because\tit gets you to volume.  What is\nbehind that target?"
    out = run_cli("score", reply, "--our-price", "8.5", "--json", cwd=tmp_path)
    got = json.loads(out.stdout)
    spans = [e for v in got["verdicts"].values() for e in v["evidence"]]
    assert spans and all(e["text"] == reply[e["start"]:e["end"]] for e in spans)
    assert any("\n" in e["text"] for e in spans)
    line = json.dumps({"text": reply, "our_price": 8.5}).encode() + b"\n"
    out = run_cli("score", "--jsonl", "-", cwd=tmp_path, stdin=line)
    got = json.loads(out.stdout)
    assert all(e["text"] == reply[e["start"]:e["end"]]
               for v in got["verdicts"].values() for e in v["evidence"])
    out = run_cli("score", reply, "--our-price", "8.5", cwd=tmp_path)
    assert '> "What is\nbehind that target?"' in out.stdout.decode()


def test_damaged_drill_rows_are_named(tmp_path):
    from simulator.drill import Drill
    from simulator.drill_store import DrillStore
    from simulator.loading import library_dirs, load_library
    from test_drill import GOOD, scripted

    lib = load_library(library_dirs())
    sc = lib.scenario("procurement-head")
    home = tmp_path / "home"
    ds = DrillStore(Store(home / "history.db"))
    ids = []
    for seed in (1, 2):
        d = Drill(sc, lib.persona_of(sc), ["Ana", "Ben"], seed=seed, scorer=scripted)
        d.pose()
        d.answer(GOOD)
        ds.save(d)
        ids.append(d.id)
    ds.close()
    _damage(home / "history.db", f"UPDATE drills SET team = '[x', data = '{{' "
                                 f"WHERE id = '{d.id}'")
    out = run_cli("drill", "--history", cwd=tmp_path, home=home)
    err = out.stderr.decode()
    assert out.returncode == 0 and "Traceback" not in err, err
    assert f"drill {d.id}: its team is damaged" in err
    assert out.stdout.decode().count("procurement-head") >= 2
    out = run_cli("drill", "--show", d.id, "--format", "json", cwd=tmp_path, home=home)
    err = out.stderr.decode()
    assert out.returncode == 1 and err.count("\n") == 1 and "its JSON is damaged" in err
    # Exports are rendered from the stored data: a damaged one is named in every format,
    # and the other drill still shows.
    out = run_cli("drill", "--show", d.id, "--format", "md", cwd=tmp_path, home=home)
    err = out.stderr.decode()
    assert out.returncode == 1 and err.count("\n") == 1 and "its JSON is damaged" in err
    out = run_cli("drill", "--show", ids[0], "--format", "md", cwd=tmp_path, home=home)
    assert out.returncode == 0 and out.stdout.decode().startswith("# Drill")
