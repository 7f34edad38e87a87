"""The history database, on both backends: per-turn saves, replay/resume, users, assignments,
many writers, migrations, and a database that fails mid-session.

Every test taking `db_url` runs twice: on a SQLite file and on a PostgreSQL database (a
server .ci/run starts, or one tests/pgserver.py starts here; skipped, with the reason,
only where no server binaries exist).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy import text

import simulator.db as simulator_db

from simulator.db import SCHEMA_VERSION, database_url, describe
from simulator.drill_store import DrillStore
from simulator.errors import ShadowboxError
from simulator.export import render
from simulator.loading import load_library
from simulator.session import Plan, Session
from simulator.store import Store, data_dir, history_path, spool_dir, spooled
from test_tui_support import CONCEDE, HOLD, OPEN, TRADE, Clock, played, scorer, write_library

DATA = Path(__file__).parent / "data"


@pytest.fixture
def lib(tmp_path):
    return load_library([write_library(tmp_path / "lib")])


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """Spool files and the default database go to a temporary data folder."""
    monkeypatch.setenv("SHADOWBOX_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SHADOWBOX_DB", raising=False)
    monkeypatch.setenv("SHADOWBOX_USER", "ana")
    return tmp_path / "home"


def new_session(lib, seed=7, plan=None):
    sc = lib.scenario("renewal")
    return Session(sc, lib.persona_of(sc), seed=seed, plan=plan, scorer=scorer)


def count(store: Store, sql: str, **params) -> int:
    return store.read(lambda conn: conn.execute(text(sql), params).scalar())


def test_location_follows_shadowbox_home_and_the_database_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("SHADOWBOX_HOME", str(tmp_path / "team"))
    assert data_dir() == tmp_path / "team"
    assert history_path() == tmp_path / "team" / "history.db"
    assert database_url() == "sqlite:///" + str(tmp_path / "team" / "history.db")
    monkeypatch.setenv("SHADOWBOX_DB", "postgresql://coach@db.example:5433/sales")
    assert database_url() == "postgresql://coach@db.example:5433/sales"
    assert database_url(tmp_path / "x.db") == "sqlite:///" + str(tmp_path / "x.db")
    assert database_url("sqlite:///elsewhere.db") == "sqlite:///elsewhere.db"
    assert describe("postgresql://coach:secret@db.example/sales") == \
        "postgresql://coach:***@db.example/sales"
    monkeypatch.delenv("SHADOWBOX_HOME")
    assert data_dir().name == "shadowbox"


def test_each_turn_is_saved_as_soon_as_it_is_added(db_url, lib):
    store = Store(db_url, clock=Clock())
    session = new_session(lib)
    sid = store.record(session)
    other = Store(db_url)  # a second, independent connection sees every turn right away
    assert count(other, "SELECT count(*) FROM turns") == 1
    session.respond(HOLD)
    assert count(other, "SELECT count(*) FROM turns") == 3
    texts = other.read(lambda c: list(c.execute(text("SELECT text FROM turns ORDER BY idx"))
                                      .scalars()))
    assert texts == [t.text for t in session.turns]
    if db_url.startswith("sqlite"):
        path = db_url.removeprefix("sqlite:///")
        assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rec = other.load(sid)
    assert rec["status"] == "in_progress" and rec["user"] == "ana"
    assert rec["rep_turns"] == 1 and rec["hold_price"] == 100.0
    assert rec["scorecard"]["habits"]["hold_price"]["score"] == 100.0
    assert [r["text"] for r in rec["scorecard"]["turns"]] == [HOLD]
    assert other.version() == SCHEMA_VERSION


def test_a_save_writes_what_the_exchange_adds_not_the_whole_conversation(lib, tmp_path):
    store = Store(tmp_path / "h.db", clock=Clock())
    seen = []
    real = store.upload

    def spy(payload, sid=None, **kw):
        seen.append((len(payload["turns"]), len(payload["summary"]["scorecard"])))
        return real(payload, sid, **kw)

    store.upload = spy
    session = new_session(lib)
    store.track(session)
    for line in (OPEN, HOLD, OPEN):
        session.respond(line)
    assert [n for n, _ in seen] == [1, 2, 2, 2]  # the opening, then each exchange's two turns
    sizes = [size for _, size in seen[1:]]
    assert max(sizes) - min(sizes) < 120, sizes  # the summary does not grow with the turns


def test_the_store_bench_plays_its_whole_conversation(tmp_path):
    """bench/bench_store.py times saves out to exchange 200: its scenario must last that
    long (the buyer's patience and the default turn budget once closed it at exchange 9)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import bench_store

    times = bench_store.per_turn(f"sqlite:///{tmp_path / 'bench.db'}",
                                 bench_store.bench_library(tmp_path / "lib"), 200)
    assert len(times["new"]) == len(times["old"]) == 200


def test_finish_saves_outcome_and_plan(db_url, lib):
    store = Store(db_url, clock=Clock())
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


def test_replay_and_resume_continue_the_same_session(db_url, lib):
    store = Store(db_url, clock=Clock())
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


def test_unknown_and_bad_ids_are_one_line_errors(db_url):
    store = Store(db_url)
    with pytest.raises(ShadowboxError, match="no session 42"):
        store.load(42)
    with pytest.raises(ShadowboxError, match="'abc' is not a session id"):
        store.load("abc")


def test_unreadable_or_unreachable_databases_are_one_line_errors(tmp_path):
    bad = tmp_path / "h.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ShadowboxError, match="cannot open the history database"):
        Store(bad).sessions()
    from pgserver import free_port

    with pytest.raises(ShadowboxError, match=r"^postgresql://nobody@127.0.0.1:\d+/x: "
                                             "cannot open the history database"):
        Store(f"postgresql://nobody@127.0.0.1:{free_port()}/x").sessions()
    for url, why in (("mysql://a@b/c", "unsupported database"),
                     ("sqlite://", "needs a file"), ("postgresql://a@b:notaport/c",
                                                     "not a database URL")):
        with pytest.raises(ShadowboxError, match=why):
            Store(url).sessions()


def test_progress_per_habit_oldest_first(db_url, lib):
    store = Store(db_url, clock=Clock())
    for lines in ([CONCEDE, HOLD], [HOLD, OPEN, TRADE]):
        s = new_session(lib)
        sid = store.record(s)
        for line in lines:
            s.respond(line)
        store.finish(sid, s)
    prog = store.progress()
    assert [sid for sid, _ in prog["hold_price"]] == [1, 2]
    assert prog["hold_price"][0][1] < prog["hold_price"][1][1] == 100.0


def test_each_session_records_its_user_and_history_is_your_own(db_url, lib):
    for user in ("ana", "ben", "Ana"):
        played(Store(db_url, user=user), lib, [])
    ana = Store(db_url, user="ana")
    assert [r["user"] for r in ana.sessions()] == ["Ana", "ana"]  # names match in any case
    assert sorted(r["user"] for r in ana.sessions(everyone=True)) == ["Ana", "ana", "ben"]
    assert [r["user"] for r in Store(db_url, user="ben").sessions()] == ["ben"]
    with pytest.raises(ShadowboxError, match="not a user name"):
        Store(db_url, user="a,b")


def test_an_assignment_is_done_when_a_session_since_scores_the_pass_mark(db_url, lib):
    clock = Clock()
    manager = Store(db_url, user="maya", clock=clock)
    due = date.today() + timedelta(days=3)
    manager.assign("renewal", ["ana", "ben"], due, 60)
    # setting it again updates ben's open one (now past due), never a second row
    again = manager.assign("renewal", ["ben"], date.today() - timedelta(days=1), 50)
    assert [(a["user"], a["was"]["pass_mark"]) for a in again] == [("ben", 60.0)]
    ana = Store(db_url, user="ana", clock=clock)
    played(ana, lib, [HOLD, TRADE])
    played(Store(db_url, user="ben", clock=clock), lib, [CONCEDE])
    mine = ana.assignments()
    assert [(a["user"], a["scenario"], a["done"], a["pass_mark"]) for a in mine] == \
        [("ana", "renewal", True, 60.0)]
    assert mine[0]["best"] >= 60 and mine[0]["due"] == due.isoformat()
    everyone = manager.assignments(everyone=True)
    assert [(a["user"], a["done"], a["overdue"], a["pass_mark"]) for a in everyone] == \
        [("ben", False, True, 50.0), ("ana", True, False, 60.0)]
    assert {a["assigned_by"] for a in everyone} == {"maya"}


def test_sessions_before_an_assignment_do_not_count(db_url, lib):
    clock = Clock()
    ana = Store(db_url, user="ana", clock=clock)
    played(ana, lib, [HOLD, TRADE])
    ana.assign("renewal", ["ana"], date.today(), 10)
    assert ana.assignments()[0]["done"] is False


def test_a_pre_migration_history_file_upgrades_in_place_with_everything_intact(tmp_path):
    old = tmp_path / "history.db"
    shutil.copy(DATA / "history-0.1.db", old)
    before = sqlite3.connect(old)
    sessions = before.execute("SELECT * FROM sessions ORDER BY id").fetchall()
    turns = before.execute("SELECT * FROM turns ORDER BY session_id, idx").fetchall()
    drills = before.execute("SELECT id, data FROM drills").fetchall()
    before.close()
    assert len(sessions) == 3 and turns and drills

    store = Store(old, user="ana")
    assert store.version() == SCHEMA_VERSION
    after = sqlite3.connect(old)
    cols = [r[1] for r in after.execute("PRAGMA table_info(sessions)")]
    kept = after.execute(f"SELECT {', '.join(cols[:15])} FROM sessions ORDER BY id").fetchall()
    assert kept == sessions  # every old column of every session, unchanged
    assert after.execute("SELECT * FROM turns ORDER BY session_id, idx").fetchall() == turns
    assert after.execute("SELECT id, data FROM drills").fetchall() == drills
    rows = store.sessions()
    assert [r["user"] for r in rows] == ["ana"] * 3  # the file was one rep's: the upgrader's
    for r in rows:
        card = r["scorecard"]
        assert r["hold_price"] == card["habits"]["hold_price"]["score"]
        assert len(store.load(r["id"])["turns"]) == 2 * r["rep_turns"] + 1
    assert DrillStore(store).drills()[0]["team"] == ["Ana", "Ben"]
    # and it keeps working: a new session goes in after the old ones
    Store(old, user="ana").close()
    assert Store(old).version() == SCHEMA_VERSION


def test_the_tables_match_the_migrations(db_url):
    """What the code queries (simulator.db.tables) is exactly what the migrations build."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from simulator.db import tables

    store = Store(db_url)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), tables()["metadata"])
    # indexes and foreign keys are the migrations' own business; columns and tables must agree
    diff = [d for d in diff if not (isinstance(d, tuple) and d[0] in (
        "add_index", "remove_index", "add_fk", "remove_fk"))]
    assert diff == []


def test_upgrade_on_an_empty_database_builds_the_schema(db_url):
    from simulator.db import open_engine, upgrade

    engine = open_engine(db_url)
    assert upgrade(engine, "ana") == (None, SCHEMA_VERSION)
    assert upgrade(engine, "ana") == (SCHEMA_VERSION, SCHEMA_VERSION)
    engine.dispose()


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
    store = Store({db!r}, user={name!r})
    sys.stdin.readline()  # start together
    for n in range({sessions}):
        s = Session(sc, lib.persona_of(sc), seed=n + 1, scorer=scorer)
        sid = store.record(s)
        for i in range({lines}):
            if s.finished:
                break
            s.respond("writer {name} session %d line %d" % (n, i))
        s.end()
        store.finish(sid, s)
    print("done")
""")


def test_twenty_processes_saving_fifty_sessions_each_lose_nothing(db_url, tmp_path):
    lib = write_library(tmp_path / "lib")
    procs_n, sessions_n, lines_n = 20, 50, 2
    Store(db_url).version()  # the schema is made on first use; the writers race on the rest
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER.format(tests=str(Path(__file__).parent), lib=str(lib),
                                                 db=db_url, sessions=sessions_n, lines=lines_n,
                                                 name=f"w{k}")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for k in range(procs_n)
    ]
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
        assert out.strip() == "done"
    store = Store(db_url)
    rows = store.sessions(everyone=True)
    assert len(rows) == procs_n * sessions_n
    assert all(r["status"] == "ended" for r in rows)
    got = store.read(lambda c: sorted(c.execute(text(
        "SELECT text FROM turns WHERE speaker = 'rep'")).scalars()))
    expected = sorted(f"writer w{k} session {n} line {i}" for k in range(procs_n)
                      for n in range(sessions_n) for i in range(lines_n))
    assert got == expected  # none lost, none duplicated
    assert count(store, "SELECT count(*) FROM turns") == procs_n * sessions_n * (2 * lines_n + 1)
    by_user = {}
    for r in rows:
        by_user[r["user"]] = by_user.get(r["user"], 0) + 1
    assert by_user == {f"w{k}": sessions_n for k in range(procs_n)}


# ------------------------------------------------------------------ failures


def test_an_unreachable_database_keeps_every_turn_and_db_sync_uploads_them(db_url, lib):
    from pgserver import free_port

    from simulator.commands.db import sync

    dead = Store(f"postgresql://ana@127.0.0.1:{free_port()}/gone", clock=Clock())
    session = new_session(lib)
    rec = dead.track(session)  # never raises
    assert rec.sid is None and "isn't being saved" in rec.take_notice()
    for line in (HOLD, OPEN):
        session.respond(line)
    assert rec.take_notice() is None  # told once
    files = spooled()
    assert len(files) == 1 and files[0].parent == spool_dir()
    kept = json.loads(files[0].read_text())
    assert [t["text"] for t in kept["turns"]] == [t.text for t in session.turns]

    target = Store(db_url)
    done = sync(target)
    assert done == [("session", 1, 5)]
    assert spooled() == []
    rec2 = target.load(1)
    assert [t["text"] for t in rec2["turns"]] == [t.text for t in session.turns]
    assert rec2["user"] == "ana" and rec2["rep_turns"] == 2
    assert sync(target) == []  # nothing left; a second upload of the same file adds nothing


def test_sync_is_idempotent_when_a_spool_file_is_uploaded_twice(db_url, lib, tmp_path):
    from pgserver import free_port

    from simulator.commands.db import sync

    dead = Store(f"postgresql://ana@127.0.0.1:{free_port()}/gone")
    session = new_session(lib)
    dead.track(session)
    session.respond(HOLD)
    copy = tmp_path / "copy.json"
    shutil.copy(spooled()[0], copy)
    target = Store(db_url)
    sync(target)
    shutil.copy(copy, spool_dir() / copy.name)
    sync(target)
    assert len(target.sessions(everyone=True)) == 1
    assert count(target, "SELECT count(*) FROM turns") == 3


def test_stopping_postgresql_mid_session_loses_no_typed_turn(tmp_path, lib, monkeypatch):
    from pgserver import PgServer, binaries, create_database

    import simulator.store as store_mod

    if binaries() is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    monkeypatch.setattr(store_mod, "RETRY_FIRST", 0.0)  # retry on every exchange
    server = PgServer().start()
    try:
        url = create_database(server.url(), "team")
        store = Store(url)
        session = new_session(lib)
        rec = store.track(session)
        session.respond(HOLD)
        assert rec.error is None and rec.saved == 3
        server.stop()
        session.respond(OPEN)  # the server is gone: the rep plays on
        assert rec.error and "isn't being saved" in rec.take_notice()
        session.respond(TRADE)
        assert session.finished
        kept = json.loads(rec.spool_path.read_text())
        assert [t["text"] for t in kept["turns"]] == [t.text for t in session.turns]
        server.start()
        store.finish(rec.sid, session)  # the server answers again: everything goes in
        assert "being saved again" in rec.take_notice()
        assert not rec.spool_path.exists()
        stored = Store(url).load(rec.sid)
        assert [t["text"] for t in stored["turns"]] == [t.text for t in session.turns]
        assert stored["status"] == "deal"
        store.close()
    finally:
        server.remove()


def test_a_drill_survives_a_dead_database_and_db_sync_uploads_it(db_url, tmp_path):
    from pgserver import free_port

    from simulator.commands.db import sync
    from simulator.drill import Drill
    from simulator.loading import library_dirs

    lib = load_library(library_dirs([]))
    sc = lib.scenario("procurement-head")
    drill = Drill(sc, lib.persona_of(sc), ["Ana", "Ben"], seed=3, scorer=scorer)
    drill.pose()
    drill.answer("Our price is $8.50 because you reach volume sooner.")
    dead = DrillStore(Store(f"postgresql://maya@127.0.0.1:{free_port()}/gone", user="maya"))
    with pytest.raises(ShadowboxError, match="kept in .*drill-.*json"):
        dead.save(drill)
    drill.answer("Fine, I can do $7.50.")
    with pytest.raises(ShadowboxError):
        dead.save(drill)  # the spool file now holds both answers
    target = Store(db_url)
    assert sync(target) == [("drill", drill.id, 2)]
    stored = DrillStore(target)
    assert stored.drills()[0]["user"] == "maya"
    assert render("drill", "csv", stored.load(drill.id)["data"]) == drill.to_csv()
    assert spooled() == []


def _migrate(url: str, revision: str, *, down: bool = False) -> None:
    """Run the migrations to `revision` (up, or down) on the database at `url`."""
    from alembic import command
    from alembic.config import Config

    from simulator.db import open_engine

    engine = open_engine(url)
    with engine.begin() as conn:
        cfg = Config()
        cfg.set_main_option("script_location", str(Path(simulator_db.__file__).parent
                                                   / "migrations"))
        cfg.attributes["connection"] = conn
        cfg.attributes["user"] = "ana"
        (command.downgrade if down else command.upgrade)(cfg, revision)
    engine.dispose()


def test_drills_stored_with_their_documents_keep_everything_but_them(db_url):
    """Schema 0003 keeps a drill's data, never its rendered Markdown and CSV: a database at
    0002 upgrades in place (participants and answers kept: no table copy to cascade from),
    the drill still exports the same, and a downgrade renders the documents back."""
    from sqlalchemy import insert, inspect, select

    from simulator.drill import Drill
    from simulator.drill_store import drill_rows
    from simulator.loading import library_dirs
    from test_drill import GOOD, TRADE as DRILL_TRADE, scripted

    lib = load_library(library_dirs([]))
    sc = lib.scenario("procurement-head")
    d = Drill(sc, lib.persona_of(sc), ["Ana", "Ben"], seed=3, scorer=scripted, drill_id="old1")
    d.pose()
    d.answer(GOOD)
    d.answer(DRILL_TRADE)
    _migrate(db_url, "0002")
    rows = drill_rows(d, "ana")
    meta = sqlalchemy.MetaData()
    engine = simulator_db.open_engine(db_url)
    meta.reflect(engine)
    with engine.begin() as conn:
        conn.execute(insert(meta.tables["drills"]).values(
            **rows["drill"], markdown=d.to_markdown(), csv=d.to_csv()))
        conn.execute(insert(meta.tables["drill_participants"]), rows["participants"])
        conn.execute(insert(meta.tables["drill_answers"]), rows["answers"])
    engine.dispose()

    store = Store(db_url, user="ana")  # upgrades to the current schema on first use
    assert store.version() == SCHEMA_VERSION
    cols = store.read(lambda conn: [c["name"] for c in inspect(conn).get_columns("drills")])
    assert "markdown" not in cols and "csv" not in cols
    ds = DrillStore(store)
    assert list(ds.progress()) == ["Ana", "Ben"]
    n = store.read(lambda conn: len(conn.execute(select(
        simulator_db.tables()["drill_answers"])).all()))
    assert n == 2
    data = ds.load("old1")["data"]
    assert render("drill", "md", data) == d.to_markdown()
    assert render("drill", "csv", data) == d.to_csv()
    store.close()

    _migrate(db_url, "0002", down=True)
    engine = simulator_db.open_engine(db_url)
    with engine.connect() as conn:
        md, table = conn.exec_driver_sql("SELECT markdown, csv FROM drills").one()
    engine.dispose()
    assert md == d.to_markdown() and table == d.to_csv()
