"""The history database: per-turn commits, replay/resume, two writers, progress."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from simulator.errors import ShadowboxError
from simulator.loading import load_library
from simulator.session import Plan, Session
from simulator.store import Store, data_dir, history_path
from test_tui_support import CONCEDE, HOLD, OPEN, TRADE, Clock, scorer, write_library


@pytest.fixture
def lib(tmp_path):
    return load_library([write_library(tmp_path / "lib")])


def new_session(lib, seed=7, plan=None):
    sc = lib.scenario("renewal")
    return Session(sc, lib.persona_of(sc), seed=seed, plan=plan, scorer=scorer)


def test_location_follows_shadowbox_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SHADOWBOX_HOME", str(tmp_path / "team"))
    assert data_dir() == tmp_path / "team"
    assert history_path() == tmp_path / "team" / "history.db"
    monkeypatch.delenv("SHADOWBOX_HOME")
    assert data_dir().name == "shadowbox"


def test_each_turn_is_on_disk_as_soon_as_it_is_added(tmp_path, lib):
    db = tmp_path / "h.db"
    store = Store(db, clock=Clock())
    session = new_session(lib)
    sid = store.record(session)
    # a second, independent connection sees every turn right after it happens
    other = sqlite3.connect(db)
    assert other.execute("SELECT count(*) FROM turns").fetchone()[0] == 1
    session.respond(HOLD)
    assert other.execute("SELECT count(*) FROM turns").fetchone()[0] == 3
    texts = [r[0] for r in other.execute("SELECT text FROM turns ORDER BY idx")]
    assert texts == [t.text for t in session.turns]
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rec = store.load(sid)
    assert rec["status"] == "in_progress"
    assert rec["rep_turns"] == 1
    assert rec["scorecard"]["habits"]["hold_price"]["score"] == 100.0


def test_finish_saves_outcome_and_plan(tmp_path, lib):
    store = Store(tmp_path / "h.db", clock=Clock())
    session = new_session(lib, plan=Plan(11.5, 11.0, ("term",)))
    sid = store.record(session)
    for line in (HOLD, TRADE):
        session.respond(line)
    store.finish(sid, session)
    rec = store.load(sid)
    assert (rec["status"], rec["won"], rec["price"]) == ("deal", True, 12.0)
    assert rec["plan"] == {"target": 11.5, "walk_away": 11.0, "trades": ["term"]}
    assert rec["label"] == "Renewed at your price"
    assert [t["speaker"] for t in rec["turns"]] == ["buyer", "rep", "buyer", "rep", "buyer"]
    assert rec["turns"][1]["scores"]["price"] == "hold"


def test_replay_and_resume_continue_the_same_session(tmp_path, lib):
    store = Store(tmp_path / "h.db", clock=Clock())
    session = new_session(lib, seed=11)
    sid = store.record(session)
    session.respond(HOLD)
    again = store.resume(sid, lib, scorer=scorer)
    assert [t.text for t in again.turns] == [t.text for t in session.turns]
    assert again.seed == 11
    again.respond(TRADE)
    store.finish(sid, again)
    rec = store.load(sid)
    assert len(rec["turns"]) == 5 and rec["status"] == "deal"
    assert len(store.sessions()) == 1


def test_replay_notices_a_changed_scenario(tmp_path):
    root = write_library(tmp_path / "lib")
    lib = load_library([root])
    store = Store(tmp_path / "h.db", clock=Clock())
    session = new_session(lib)
    sid = store.record(session)
    session.respond(HOLD)
    path = root / "scenarios" / "renewal.yaml"
    path.write_text(path.read_text().replace("Still {offer}?", "Really, {offer}?"))
    with pytest.raises(ShadowboxError, match="has changed since"):
        store.replay(sid, load_library([root]), scorer=scorer)


def test_unknown_and_bad_ids_are_one_line_errors(tmp_path):
    store = Store(tmp_path / "h.db")
    with pytest.raises(ShadowboxError, match="no session 42"):
        store.load(42)
    with pytest.raises(ShadowboxError, match="'abc' is not a session id"):
        store.load("abc")


def test_unreadable_database_is_a_one_line_error(tmp_path):
    bad = tmp_path / "h.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ShadowboxError, match="cannot open the history database"):
        Store(bad).sessions()


def test_progress_per_habit_oldest_first(tmp_path, lib):
    store = Store(tmp_path / "h.db", clock=Clock())
    for lines in ([CONCEDE, HOLD], [HOLD, OPEN, TRADE]):
        s = new_session(lib)
        sid = store.record(s)
        for line in lines:
            s.respond(line)
        store.finish(sid, s)
    prog = store.progress()
    assert [sid for sid, _ in prog["hold_price"]] == [1, 2]
    assert prog["hold_price"][0][1] < prog["hold_price"][1][1] == 100.0


WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {tests!r})
    from pathlib import Path
    from simulator.loading import load_library
    from simulator.session import Session
    from simulator.store import Store
    from test_tui_support import scorer
    lib = load_library([Path({lib!r})])
    sc = lib.scenario("renewal")
    store = Store(Path({db!r}))
    for n in range({sessions}):
        s = Session(sc, lib.persona_of(sc), seed=n + 1, scorer=scorer)
        sid = store.record(s)
        for i in range({lines}):
            if s.finished:
                break
            s.respond("writer {name} session %d line %d" % (n, i))
    print("done")
""")


def test_two_instances_writing_at_once_lose_nothing(tmp_path):
    lib = write_library(tmp_path / "lib")
    db = tmp_path / "shared" / "history.db"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER.format(tests=str(Path(__file__).parent), lib=str(lib),
                                                 db=str(db), sessions=6, lines=3, name=name)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in ("a", "b")
    ]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert out.strip() == "done"
    store = Store(db)
    rows = store.sessions()
    assert len(rows) == 12
    texts = [t["text"] for r in rows for t in store.load(r["id"])["turns"]
             if t["speaker"] == "rep"]
    # patience 4: each session takes all three lines, none lost, none duplicated
    expected = {f"writer {w} session {n} line {i}" for w in "ab" for n in range(6)
                for i in range(3)}
    assert sorted(texts) == sorted(expected)
    assert json.loads(json.dumps(rows[0]["scorecard"]))["turns"]
