"""Practice history in SQLite: every session and every turn, committed as it happens.

    store = Store()                          # SHADOWBOX_HOME or the user's data folder
    sid = store.record(session)              # saves the session, then each turn as it is added
    session.respond("...")                   # -> the turn rows are already on disk
    store.finish(sid, session)               # outcome and scorecard once it ends
    store.sessions()                         # the history, newest first
    store.load(sid)                          # one session with its turns, for review / export
    store.resume(sid, library)               # replay the rep's lines and carry on recording

The database is in WAL mode with a busy timeout, so two Shadowbox windows (or a
team sharing a folder through SHADOWBOX_HOME) can write to it at once. A killed
app loses no committed turn: each turn is its own transaction.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.errors import ShadowboxError, display_path

if TYPE_CHECKING:
    from simulator.loading import Library
    from simulator.session import Session, Turn

#: File name of the history database inside the data folder.
DB_NAME = "history.db"

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    scenario  TEXT NOT NULL,
    title     TEXT NOT NULL,
    persona   TEXT NOT NULL,          -- JSON: id, name, role, company
    seed      INTEGER NOT NULL,
    plan      TEXT NOT NULL,          -- JSON: Plan.to_dict()
    started   REAL NOT NULL,
    updated   REAL NOT NULL,
    status    TEXT NOT NULL DEFAULT 'in_progress',
    won       INTEGER NOT NULL DEFAULT 0,
    label     TEXT NOT NULL DEFAULT '',
    price     REAL,
    overall   REAL,
    rep_turns INTEGER NOT NULL DEFAULT 0,
    scorecard TEXT                    -- JSON: Scorecard.to_dict(), refreshed every exchange
);
CREATE TABLE IF NOT EXISTS turns (
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    speaker    TEXT NOT NULL,
    text       TEXT NOT NULL,
    data       TEXT NOT NULL,         -- JSON: Turn.to_dict()
    at         REAL NOT NULL,
    PRIMARY KEY (session_id, idx)
);
CREATE INDEX IF NOT EXISTS sessions_started ON sessions(started);
"""

#: Statuses of a session that has not reached an ending.
OPEN_STATUSES = ("in_progress",)


def data_dir() -> Path:
    """Where Shadowbox keeps its history: SHADOWBOX_HOME, else the user's data folder."""
    home = os.environ.get("SHADOWBOX_HOME", "").strip()
    if home:
        return Path(home).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("shadowbox", appauthor=False))


def history_path() -> Path:
    return data_dir() / DB_NAME


class Store:
    """The history database. One connection, used from the thread that made it."""

    def __init__(self, path: Path | str | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path) if path is not None else history_path()
        self.clock = clock
        self._conn: sqlite3.Connection | None = None

    # ------------------------------------------------------------ connection

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._connect()
        return self._conn

    def _connect(self) -> sqlite3.Connection:
        shown = display_path(self.path)
        if self.path.is_file() and not (os.access(self.path, os.W_OK)
                                        and os.access(self.path.parent, os.W_OK)):
            return self._connect_read_only()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode: a killed process loses nothing committed.
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise ShadowboxError(f"{shown}: cannot open the history database: {exc}") from None
        except OSError as exc:
            raise ShadowboxError(f"{shown}: cannot create the history folder: "
                                 f"{exc.strerror or exc}") from None
        return conn

    def _connect_read_only(self) -> sqlite3.Connection:
        """A history someone may only read (a read-only folder or file): readable, without
        switching on WAL or creating the schema; every write is a one-line error."""
        uri = self.path.resolve().as_uri()
        error: sqlite3.DatabaseError | None = None
        # Without write access the WAL index cannot be made: then read it as immutable.
        for query in ("mode=ro", "mode=ro&immutable=1"):
            try:
                conn = sqlite3.connect(f"{uri}?{query}", uri=True, timeout=30.0,
                                       isolation_level=None)
                conn.row_factory = sqlite3.Row
                conn.execute("SELECT id FROM sessions LIMIT 1").fetchall()
                return conn
            except sqlite3.DatabaseError as exc:
                error = exc
        raise ShadowboxError(f"{display_path(self.path)}: cannot read the history database "
                             f"(read-only): {error}")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _write(self, statements: list[tuple[str, tuple]]) -> sqlite3.Cursor | None:
        """Run statements in one immediate transaction (waits for other writers)."""
        conn = self.conn
        cur = None
        try:
            conn.execute("BEGIN IMMEDIATE")
            for sql, params in statements:
                cur = conn.execute(sql, params)
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise ShadowboxError(f"{display_path(self.path)}: cannot save history: {exc}") \
                from None
        return cur

    # ------------------------------------------------------------ recording

    def record(self, session: Session) -> int:
        """Save a new session with the turns it has so far, then record each new turn."""
        p = session.persona
        now = self.clock()
        cur = self._write([(
            "INSERT INTO sessions (scenario, title, persona, seed, plan, started, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (session.scenario.id, session.scenario.title,
             json.dumps({"id": p.id, "name": p.name, "role": p.role, "company": p.company}),
             session.seed, json.dumps(session.plan.to_dict()), now, now),
        )])
        sid = int(cur.lastrowid)
        self._write([self._turn_sql(sid, t, now) for t in session.turns]
                    + [self._summary_sql(sid, session, now)])
        self.attach(sid, session)
        return sid

    def attach(self, sid: int, session: Session) -> None:
        """Record every turn the session adds from now on, each in its own transaction."""

        def on_turn(s: Session, turn: Turn) -> None:
            now = self.clock()
            stmts = [self._turn_sql(sid, turn, now)]
            if turn.speaker == "buyer":
                stmts.append(self._summary_sql(sid, s, now))
            self._write(stmts)

        session.listeners.append(on_turn)

    def finish(self, sid: int, session: Session) -> None:
        """Save the outcome and the final scorecard (call once the session has ended)."""
        self._write([self._summary_sql(sid, session, self.clock())])

    @staticmethod
    def _turn_sql(sid: int, turn: Turn, now: float) -> tuple[str, tuple]:
        return ("INSERT OR REPLACE INTO turns (session_id, idx, speaker, text, data, at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (sid, turn.index, turn.speaker, turn.text,
                 json.dumps(turn.to_dict(), ensure_ascii=False), now))

    @staticmethod
    def _summary_sql(sid: int, session: Session, now: float) -> tuple[str, tuple]:
        card = session.scorecard()
        out = session.outcome
        return ("UPDATE sessions SET updated = ?, status = ?, won = ?, label = ?, price = ?, "
                "overall = ?, rep_turns = ?, scorecard = ? WHERE id = ?",
                (now, out.status if out else "in_progress", int(bool(out and out.won)),
                 out.label if out else "", out.price if out else None, card.overall,
                 len(card.turns), json.dumps(card.to_dict(), ensure_ascii=False), sid))

    # ------------------------------------------------------------ reading

    def sessions(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Every session, newest first, without turns (scorecard included)."""
        sql = "SELECT * FROM sessions ORDER BY started DESC, id DESC"
        params: tuple = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        try:
            return [_row(r) for r in self.conn.execute(sql, params)]
        except sqlite3.DatabaseError as exc:
            raise ShadowboxError(f"{display_path(self.path)}: cannot read history: {exc}") \
                from None

    def load(self, sid: int | str) -> dict[str, Any]:
        """One session with its turns; a one-line error if there is no such session."""
        try:
            key = int(sid)
        except (TypeError, ValueError):
            raise ShadowboxError(f"'{sid}' is not a session id (a number; "
                                 "shadowbox history lists them)") from None
        try:
            row = self.conn.execute("SELECT * FROM sessions WHERE id = ?", (key,)).fetchone()
            if row is None:
                raise ShadowboxError(f"no session {key} in {display_path(self.path)} "
                                     "(shadowbox history lists them)")
            out = _row(row)
            out["turns"] = [
                _turn(r, out) for r in self.conn.execute(
                    "SELECT idx, speaker, text, data FROM turns WHERE session_id = ? "
                    "ORDER BY idx", (key,))
            ]
        except sqlite3.DatabaseError as exc:
            raise ShadowboxError(f"{display_path(self.path)}: cannot read history: {exc}") \
                from None
        return out

    def replay(self, sid: int | str, library: Library, **session_kw: Any) -> Session:
        """Rebuild a stored session by replaying its rep lines (same seed and plan).

        Raises ShadowboxError when the scenario is gone or no longer gives the same
        conversation (its file changed since).
        """
        from simulator.session import Plan, Session

        rec = self.load(sid)
        if rec["scenario"] not in library.scenarios:
            raise ShadowboxError(f"session {rec['id']}: scenario '{rec['scenario']}' is not "
                                 "in the library any more")
        scenario = library.scenarios[rec["scenario"]]
        plan_d = rec["plan"] or {}
        plan = Plan(plan_d.get("target"), plan_d.get("walk_away"),
                    tuple(plan_d.get("trades") or ()))
        session = Session(scenario, library.persona_of(scenario), seed=rec["seed"], plan=plan,
                          **session_kw)
        stored = rec["turns"]
        for t in stored:
            if t["speaker"] != "rep":
                continue
            if session.finished:
                break
            session.respond(t["text"])
        for mine, theirs in zip(session.turns, stored):
            if mine.text != theirs["text"]:
                raise ShadowboxError(
                    f"session {rec['id']}: scenario '{scenario.id}' has changed since; the "
                    f"replay differs at line {mine.index + 1}")
        return session

    def resume(self, sid: int | str, library: Library, **session_kw: Any) -> Session:
        """Replay a stored session and keep recording its new turns under the same id."""
        session = self.replay(sid, library, **session_kw)
        self.attach(int(sid), session)
        return session

    def delete(self, sid: int) -> None:
        self._write([("DELETE FROM turns WHERE session_id = ?", (sid,)),
                     ("DELETE FROM sessions WHERE id = ?", (sid,))])

    def progress(self) -> dict[str, list[tuple[int, float]]]:
        """Per habit, (session id, score) for every session that scored it, oldest first."""
        out: dict[str, list[tuple[int, float]]] = {}
        for rec in reversed(self.sessions()):
            card = rec["scorecard"] or {}
            for habit, h in (card.get("habits") or {}).items():
                if h.get("score") is not None and rec["rep_turns"]:
                    out.setdefault(habit, []).append((rec["id"], float(h["score"])))
        return out


def _row(r: sqlite3.Row) -> dict[str, Any]:
    """A session row with its JSON fields read. A field that is not a JSON object (a
    damaged or hand-edited row) is None and named in "damaged": shown without it."""
    d = dict(r)
    d["damaged"] = []
    for key in ("persona", "plan", "scorecard"):
        d[key] = _json_object(d.get(key)) if d.get(key) else None
        if d.get(key) is None and r[key]:
            d["damaged"].append(key)
    d["won"] = bool(d["won"])
    return d


def damage_note(record: dict[str, Any]) -> str | None:
    """One line naming what of a stored session could not be read, or None."""
    if not record.get("damaged"):
        return None
    return (f"session {record['id']}: {', '.join(record['damaged'])} damaged in the history "
            "database (not valid JSON); shown without it")


def _turn(r: sqlite3.Row, session: dict[str, Any]) -> dict[str, Any]:
    """A stored turn; when its JSON is damaged, what its own columns still say."""
    data = _json_object(r["data"])
    if data is None or not isinstance(data.get("text"), str):
        session["damaged"].append(f"turn {r['idx'] + 1}")
        data = {"index": r["idx"], "speaker": r["speaker"], "text": r["text"]}
    return data


def _json_object(text: str | None) -> dict[str, Any] | None:
    try:
        value = json.loads(text) if text else None
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None
