"""Where the history lives: one database URL, an SQLAlchemy engine, the tables, migrations.

    url = database_url()                 # --db / SHADOWBOX_DB, else the SQLite file
    engine = open_engine(url)            # SQLite (embedded default) or PostgreSQL
    upgrade(engine)                      # run the migrations (also done on first use)

Two backends behind one set of SQLAlchemy Core tables: `sqlite:///path` (a file in the
user's data folder unless told otherwise; WAL mode, a busy timeout, write transactions
that take the lock up front) and `postgresql://user@host:port/dbname` (psycopg 3, a small
pool that checks a connection before use, short connect and statement timeouts so a dead
server is noticed in seconds). The schema is built by the Alembic migrations in
`simulator/migrations/`, which record its version in `alembic_version`; a history file
from before the migrations upgrades in place.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from simulator.errors import ShadowboxError, display_path

#: File name of the SQLite history database inside the data folder.
DB_NAME = "history.db"

#: The newest migration's revision: the schema version this code reads and writes.
SCHEMA_VERSION = "0003"

#: Seconds a PostgreSQL connection attempt may take before the store reports it.
CONNECT_TIMEOUT = 3


def data_dir() -> Path:
    """Where Shadowbox keeps its local files: SHADOWBOX_HOME, else the user's data folder."""
    home = os.environ.get("SHADOWBOX_HOME", "").strip()
    if home:
        return Path(home).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("shadowbox", appauthor=False))


def history_path() -> Path:
    return data_dir() / DB_NAME


def database_url(db: str | Path | None = None) -> str:
    """The database in use: `db`, else SHADOWBOX_DB, else the SQLite file in the data folder.

    A bare path (no `scheme://`) is a SQLite file.
    """
    if db is None or str(db).strip() == "":
        db = os.environ.get("SHADOWBOX_DB", "").strip() or history_path()
    text = str(db).strip()
    if isinstance(db, Path) or "://" not in text:
        return "sqlite:///" + str(Path(text).expanduser())
    return text


def _parse(url: str):
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        u = make_url(url)
    except (ArgumentError, ValueError):
        raise ShadowboxError(f"'{url}' is not a database URL (use postgresql://user@host:port/"
                             "dbname or sqlite:///path)") from None
    backend = u.get_backend_name()
    if backend == "postgres":
        backend = "postgresql"
    if backend == "sqlite":
        if not u.database or u.database == ":memory:":
            raise ShadowboxError(f"'{url}': a SQLite history needs a file (sqlite:///path)")
        return u.set(drivername="sqlite")
    if backend == "postgresql":
        return u.set(drivername="postgresql+psycopg")
    raise ShadowboxError(f"'{url}': unsupported database (use postgresql://user@host:port/"
                         "dbname or sqlite:///path)")


def describe(url: str) -> str:
    """The database as shown to a user: the SQLite file's path, or the URL without password."""
    try:
        u = _parse(url)
    except ShadowboxError:
        return url
    if u.get_backend_name() == "sqlite":
        return display_path(u.database)
    return u.set(drivername="postgresql").render_as_string(hide_password=True)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL, None for a server database."""
    u = _parse(url)
    return Path(u.database) if u.get_backend_name() == "sqlite" else None


def read_only(url: str) -> bool:
    """A SQLite history the user may only read (the file or its folder is read-only)."""
    path = sqlite_file(url)
    return path is not None and path.is_file() and not (
        os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _open_read_only(path: Path):
    """A history someone may only read: readable, without switching on WAL or creating the
    schema; every write is a one-line error (SQLite's 'readonly database')."""
    import sqlite3

    from sqlalchemy import create_engine, event

    uri = path.resolve().as_uri()

    def connect() -> sqlite3.Connection:
        error: sqlite3.DatabaseError | None = None
        # Without write access the WAL index cannot be made: then read it as immutable.
        for query in ("mode=ro", "mode=ro&immutable=1"):
            try:
                conn = sqlite3.connect(f"{uri}?{query}", uri=True, timeout=30.0,
                                       check_same_thread=False)
                conn.execute("SELECT id FROM sessions LIMIT 1").fetchall()
                return conn
            except sqlite3.DatabaseError as exc:
                error = exc
        raise ShadowboxError(f"{display_path(path)}: cannot read the history database "
                             f"(read-only): {error}")

    engine = create_engine("sqlite://", creator=connect)

    @event.listens_for(engine, "connect")
    def _setup(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def open_engine(url: str):
    """An SQLAlchemy engine for the URL, set up for many writers at once (a read-only
    SQLite history opens read-only: see `read_only`)."""
    from sqlalchemy import create_engine, event

    u = _parse(url)
    if u.get_backend_name() == "sqlite":
        path = Path(u.database)
        if read_only(url):
            return _open_read_only(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ShadowboxError(f"{display_path(path)}: cannot create the history folder: "
                                 f"{exc.strerror or exc}") from None
        engine = create_engine(u, connect_args={"timeout": 30.0})

        @event.listens_for(engine, "connect")
        def _setup(dbapi_conn, _record) -> None:
            dbapi_conn.isolation_level = None  # transactions are begun below, not by the driver
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout = 30000")
            cur.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode: a killed process loses nothing committed.
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:
            # A writer takes the write lock at BEGIN, so two writers queue on the busy
            # timeout instead of failing when a read lock would have to be upgraded.
            conn.exec_driver_sql(
                "BEGIN" if conn.get_execution_options().get("shadowbox_read") else
                "BEGIN IMMEDIATE")

        return engine
    return create_engine(
        u, pool_pre_ping=True, pool_size=2, max_overflow=4,
        connect_args={"connect_timeout": CONNECT_TIMEOUT,
                      "options": "-c statement_timeout=15000 -c lock_timeout=15000"})


# ------------------------------------------------------------------ tables

@functools.cache
def tables() -> dict[str, Any]:
    """The tables as SQLAlchemy Core objects (the schema at SCHEMA_VERSION)."""
    from sqlalchemy import Column, Float, Integer, MetaData, Table, Text

    from simulator.model import HABITS

    md = MetaData()
    _tables: dict[str, Any] = {}

    def habits() -> list[Column]:
        return [Column(h, Float) for h in HABITS]

    _tables["metadata"] = md
    _tables["sessions"] = Table(
        "sessions", md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("scenario", Text, nullable=False),
        Column("title", Text, nullable=False),
        Column("persona", Text, nullable=False),         # JSON: id, name, role, company
        Column("seed", Integer, nullable=False),
        Column("plan", Text, nullable=False),            # JSON: Plan.to_dict()
        Column("started", Float, nullable=False),
        Column("updated", Float, nullable=False),
        Column("status", Text, nullable=False, server_default="in_progress"),
        Column("won", Integer, nullable=False, server_default="0"),
        Column("label", Text, nullable=False, server_default=""),
        Column("price", Float),
        Column("overall", Float),
        Column("rep_turns", Integer, nullable=False, server_default="0"),
        # JSON: Scorecard.to_dict() without its per-turn rows (rebuilt from `turns`)
        Column("scorecard", Text),
        Column("uid", Text),                             # unique: uploads are idempotent
        Column("user_name", Text, nullable=False, server_default=""),
        *habits(),
    )
    _tables["turns"] = Table(
        "turns", md,
        Column("session_id", Integer, primary_key=True),
        Column("idx", Integer, primary_key=True),
        Column("speaker", Text, nullable=False),
        Column("text", Text, nullable=False),
        Column("data", Text, nullable=False),            # JSON: Turn.to_dict()
        Column("at", Float, nullable=False),
    )
    _tables["drills"] = Table(
        "drills", md,
        Column("id", Text, primary_key=True),
        Column("scenario", Text, nullable=False),
        Column("title", Text, nullable=False),
        Column("started_at", Text, nullable=False),      # ISO 8601, UTC
        Column("finished_at", Text),
        Column("seed", Integer, nullable=False),
        Column("timer", Float),
        Column("rounds", Integer, nullable=False),
        Column("team", Text, nullable=False),            # JSON list of names, in team order
        Column("data", Text, nullable=False),            # JSON: Drill.to_dict(); exports render it
        Column("user_name", Text, nullable=False, server_default=""),  # who ran it
    )
    _tables["drill_participants"] = Table(
        "drill_participants", md,
        Column("drill_id", Text, primary_key=True),
        Column("position", Integer, nullable=False),
        Column("name", Text, primary_key=True),
        Column("rank", Integer),
        Column("place", Text, nullable=False),
        Column("overall", Float),
        *habits(),
        Column("attempts", Integer, nullable=False),
        Column("skipped", Integer, nullable=False),
        Column("focus", Text),
    )
    _tables["drill_answers"] = Table(
        "drill_answers", md,
        Column("drill_id", Text, primary_key=True),
        Column("seq", Integer, primary_key=True),
        Column("round", Integer, nullable=False),
        Column("moment", Text, nullable=False),
        Column("line", Text, nullable=False),
        Column("participant", Text, nullable=False),
        Column("status", Text, nullable=False),          # answered | empty | skipped
        Column("text", Text, nullable=False),
        Column("overall", Float),
        *habits(),
        Column("advice", Text, nullable=False),
        Column("seconds", Float),
        Column("at", Text, nullable=False),
    )
    _tables["assignments"] = Table(
        "assignments", md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("scenario", Text, nullable=False),
        Column("user_name", Text, nullable=False),
        Column("due", Text, nullable=False),             # ISO date
        Column("pass_mark", Float, nullable=False),
        Column("assigned_by", Text, nullable=False),
        Column("created", Float, nullable=False),
    )
    return _tables


# ------------------------------------------------------------------ migrations

@functools.cache
def db_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean the database failed (not a bug in the caller)."""
    import sqlite3

    from sqlalchemy.exc import SQLAlchemyError

    return (SQLAlchemyError, sqlite3.Error, OSError)


def reason(exc: BaseException) -> str:
    """One line saying why the database failed, without SQLAlchemy's boilerplate."""
    orig = getattr(exc, "orig", None) or exc
    text = " ".join(str(orig).split())
    return text[:300] or type(orig).__name__


def current_version(conn) -> str | None:
    """The schema version recorded in the database; None for a new or pre-migration one."""
    from sqlalchemy import inspect, text

    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine, user: str = "") -> tuple[str | None, str]:
    """Run the migrations up to SCHEMA_VERSION; returns (version before, version after).

    Safe to run from many processes at once: PostgreSQL takes an advisory lock and SQLite
    the write lock before looking at the version, then the migrations run in that one
    transaction (DDL is transactional on both), so a failed migration leaves no half-schema.
    """
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(715001)"))
        before = current_version(conn)
        if before == SCHEMA_VERSION:
            return before, before
        if before is not None and before > SCHEMA_VERSION:
            raise ShadowboxError(f"the history database is at schema {before}, newer than "
                                 f"this Shadowbox knows ({SCHEMA_VERSION}): upgrade Shadowbox")
        cfg = Config()
        cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        cfg.attributes["connection"] = conn
        cfg.attributes["user"] = user
        command.upgrade(cfg, SCHEMA_VERSION)
        return before, current_version(conn) or SCHEMA_VERSION
