"""Practice history: every session and every turn, saved as it happens, for one rep or a team.

    store = Store()                          # --db / SHADOWBOX_DB, else the SQLite file
    sid = store.record(session)              # saves the session, then each turn as it is added
    session.respond("...")                   # -> the turn rows are already in the database
    store.finish(sid, session)               # outcome and scorecard once it ends
    store.sessions()                         # your history, newest first (everyone=True: all)
    store.load(sid)                          # one session with its turns, for review / export
    store.resume(sid, library)               # replay the rep's lines and carry on recording

The database is SQLite (a file, the default) or PostgreSQL (a team), behind the same
SQLAlchemy Core tables (`simulator.db`). Each exchange is one transaction that adds the new
turn rows and updates the session's summary columns: a save costs the same at turn 200 as
at turn 1. Every session records its user (`--user`, SHADOWBOX_USER, the login name).

A failing database never interrupts practice: `Store.track(session)` gives a `Recording`
that keeps the turns it could not save in memory and in a spool file in the data folder,
retries as the rep plays, and says what happened (`Recording.notice`). `shadowbox db sync`
uploads spool files left by a session that ended while the database was away.
"""

from __future__ import annotations

import functools
import getpass
import json
import os
import threading
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.db import (
    SCHEMA_VERSION,
    data_dir,
    database_url,
    db_errors,
    describe,
    history_path,
    open_engine,
    read_only,
    reason,
    sqlite_file,
    tables,
    upgrade,
)
from simulator.errors import ShadowboxError, display_path

if TYPE_CHECKING:
    from simulator.loading import Library
    from simulator.session import Session, Turn

__all__ = ["Store", "Recording", "current_user", "data_dir", "history_path", "OPEN_STATUSES"]

#: Statuses of a session that has not reached an ending.
OPEN_STATUSES = ("in_progress",)

#: Longest user name kept.
MAX_USER = 64

#: Seconds before a failed database is tried again, doubling up to RETRY_MAX.
RETRY_FIRST, RETRY_MAX = 2.0, 30.0


def current_user(name: str | None = None) -> str:
    """Who is practising: `name`, else SHADOWBOX_USER, else the login name."""
    name = (name if name is not None else os.environ.get("SHADOWBOX_USER", "")).strip()
    if not name:
        try:
            name = getpass.getuser()
        except (OSError, KeyError, ImportError):
            name = "rep"
    return check_user(name)


def check_user(name: str) -> str:
    """A user name as stored: trimmed; a one-line error when it cannot be one."""
    name = name.strip()
    if not name or len(name) > MAX_USER or not name.isprintable() or "," in name:
        raise ShadowboxError(f"'{name[:80]}' is not a user name (1-{MAX_USER} printable "
                             "characters, no commas)")
    return name


def spool_dir() -> Path:
    """Where turns wait that the database could not take (uploaded by `shadowbox db sync`)."""
    return data_dir() / "spool"


class Store:
    """The history database. Connections come from SQLAlchemy's pool, opened on first use."""

    def __init__(self, db: Path | str | None = None, clock: Callable[[], float] = time.time,
                 *, user: str | None = None) -> None:
        self.url = database_url(db)
        self.user = current_user(user)
        self.clock = clock
        self._engine = None
        self._opening = threading.Lock()  # the app's worker threads may open it too
        self._recordings: dict[int, Recording] = {}
        self._failing: dict[str, Recording] = {}  # by uid: turns the database lacks

    # ------------------------------------------------------------ connection

    @functools.cached_property
    def where(self) -> str:
        """The database as shown in messages (the file, or the URL without a password)."""
        return describe(self.url)

    @functools.cached_property
    def path(self) -> Path | None:
        """The SQLite file; None for a PostgreSQL database."""
        return sqlite_file(self.url)

    @property
    def engine(self):
        """The engine, with the schema migrated to SCHEMA_VERSION on first use."""
        if self._engine is not None:
            return self._engine
        with self._opening:
            if self._engine is not None:
                return self._engine
            engine = open_engine(self.url)
            try:
                if not read_only(self.url):  # a read-only history is read as it is
                    upgrade(engine, self.user)
            except ShadowboxError:
                engine.dispose()
                raise
            except db_errors() as exc:
                engine.dispose()
                raise ShadowboxError(f"{self.where}: cannot open the history database: "
                                     f"{reason(exc)}") from None
            self._engine = engine
        return self._engine

    @property
    def conn(self):
        """A connection for ad-hoc reads (tests, tools); closed by `close()`."""
        return self.engine.connect()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def write(self, fn: Callable[[Any], Any], doing: str = "save history") -> Any:
        """Run fn(connection) in one transaction; a one-line ShadowboxError on failure."""
        engine = self.engine
        try:
            with engine.begin() as conn:
                return fn(conn)
        except ShadowboxError:
            raise
        except db_errors() as exc:
            raise ShadowboxError(f"{self.where}: cannot {doing}: {reason(exc)}") from None

    def read(self, fn: Callable[[Any], Any], doing: str = "read history") -> Any:
        """Run fn(connection) for reading; a one-line ShadowboxError on failure."""
        engine = self.engine
        try:
            with engine.connect() as conn:
                return fn(conn.execution_options(shadowbox_read=True))
        except ShadowboxError:
            raise
        except db_errors() as exc:
            raise ShadowboxError(f"{self.where}: cannot {doing}: {reason(exc)}") from None

    def version(self) -> str | None:
        from simulator.db import current_version

        return self.read(current_version, "read the schema version")

    # ------------------------------------------------------------ recording

    @property
    def opened(self) -> bool:
        """Whether the database has been opened (its first use imports SQLAlchemy and
        migrates: the app does that off the UI thread)."""
        return self._engine is not None

    def track(self, session: Session, *, sid: int | None = None,
              save: bool = True) -> Recording:
        """Save the session now (unless `save` is false: then at its next exchange, or when
        the caller calls `rec.save()`) and every turn it adds; never raises for a failing
        database."""
        rec = Recording(self, session, sid=sid, saved=len(session.turns) if sid else 0)
        if save:
            rec.save()
        session.listeners.append(rec.on_turn)
        if rec.sid is not None:
            self._recordings[rec.sid] = rec
        return rec

    def recording_of(self, session: Session) -> Recording | None:
        """The recording that saves `session`, if this store is saving it."""
        return next((r for r in self._recordings.values() if r.session is session), None)

    def retry_pending(self) -> list[Recording]:
        """One more try for every recording whose last save failed (leaving a debrief,
        quitting); returns the ones tried (those still failing have `error` set, and their
        turns in their spool files)."""
        tried = list(self._failing.values())
        for rec in tried:
            rec.save(final=True)
        return tried

    def record(self, session: Session) -> int:
        """Save a new session and record each new turn; raises if the first save fails
        (the turns are still spooled and retried, see `track`)."""
        rec = self.track(session)
        if rec.sid is None:
            raise ShadowboxError(rec.error or f"{self.where}: cannot save history")
        return rec.sid

    def finish(self, sid: int | None, session: Session) -> None:
        """Save the outcome and the final scorecard (call once the session has ended)."""
        rec = self._recordings.get(sid) if sid is not None else None
        if rec is None or rec.session is not session:
            rec = Recording(self, session, sid=sid, saved=len(session.turns), verify=True)
        if not rec.save(final=True):
            raise ShadowboxError(rec.error or f"{self.where}: cannot save history")

    def upload(self, payload: dict[str, Any], sid: int | None = None, *,
               verify: bool = True) -> int:
        """Write a session payload (`Recording.payload`): the session row if new, the turns
        the database lacks, the summary. Idempotent by the payload's uid."""
        t = tables()
        S, T = t["sessions"], t["turns"]
        from sqlalchemy import func, insert, select, update

        def go(conn) -> int:
            nonlocal sid
            have = -1
            if sid is None:
                sid = conn.execute(select(S.c.id).where(S.c.uid == payload["uid"])).scalar()
                verify_now = True
            else:
                verify_now = verify
            if sid is None:
                sid = conn.execute(insert(S).values(**payload["header"])).inserted_primary_key[0]
            elif verify_now:
                top = conn.execute(select(func.max(T.c.idx)).where(T.c.session_id == sid)).scalar()
                have = -1 if top is None else top
            rows = [dict(r, session_id=sid) for r in payload["turns"] if r["idx"] > have]
            if rows:
                conn.execute(insert(T), rows)
            conn.execute(update(S).where(S.c.id == sid).values(**payload["summary"]))
            return int(sid)

        return self.write(go)

    # ------------------------------------------------------------ reading

    def sessions(self, limit: int | None = None, *, user: str | None = None,
                 everyone: bool = False, since: float | None = None) -> list[dict[str, Any]]:
        """Sessions, newest first, without turns: the user's own (default: this store's
        user), or everyone's."""
        from sqlalchemy import func, select

        S = tables()["sessions"]
        q = select(S).order_by(S.c.started.desc(), S.c.id.desc())
        if not everyone:
            q = q.where(func.lower(S.c.user_name) == (user or self.user).lower())
        if since is not None:
            q = q.where(S.c.started >= since)
        if limit is not None:
            q = q.limit(limit)
        return self.read(lambda conn: [_row(r) for r in conn.execute(q).mappings()])

    def load(self, sid: int | str) -> dict[str, Any]:
        """One session with its turns; a one-line error if there is no such session."""
        from sqlalchemy import select

        from simulator.scorecard import turn_row

        try:
            key = int(sid)
        except (TypeError, ValueError):
            raise ShadowboxError(f"'{sid}' is not a session id (a number; "
                                 "shadowbox history lists them)") from None
        t = tables()
        S, T = t["sessions"], t["turns"]

        def go(conn):
            row = conn.execute(select(S).where(S.c.id == key)).mappings().first()
            if row is None:
                return None
            out = _row(row)
            out["turns"] = [_turn(r, out) for r in conn.execute(
                select(T.c.idx, T.c.speaker, T.c.text, T.c.data)
                .where(T.c.session_id == key).order_by(T.c.idx)).mappings()]
            return out

        out = self.read(go)
        if out is None:
            raise ShadowboxError(f"no session {key} in {self.where} "
                                 "(shadowbox history lists them)")
        card = out["scorecard"]
        if card is not None and "turns" not in card:
            card["turns"] = [turn_row(t) for t in out["turns"] if t["speaker"] == "rep"]
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
        self.track(session, sid=int(sid))
        return session

    def delete(self, sid: int) -> None:
        from sqlalchemy import delete

        t = tables()
        self.write(lambda conn: (
            conn.execute(delete(t["turns"]).where(t["turns"].c.session_id == sid)),
            conn.execute(delete(t["sessions"]).where(t["sessions"].c.id == sid))))

    def progress(self, user: str | None = None) -> dict[str, list[tuple[int, float]]]:
        """Per habit, (session id, score) for every session of the user that scored it,
        oldest first."""
        from simulator.model import HABITS

        out: dict[str, list[tuple[int, float]]] = {}
        for rec in reversed(self.sessions(user=user)):
            for habit in HABITS:
                if rec[habit] is not None and rec["rep_turns"]:
                    out.setdefault(habit, []).append((rec["id"], float(rec[habit])))
        return out

    # ------------------------------------------------------------ assignments

    def assign(self, scenario: str, users: list[str], due: date,
               pass_mark: float) -> list[dict[str, Any]]:
        """Set practice: one assignment per user. A user's open (not yet done) assignment
        of the same scenario is updated to the new due date and pass mark rather than
        doubled. Returns one {"id", "user", "was"} per user; `was` is the updated
        assignment as it stood (None for a new one)."""
        from sqlalchemy import insert, update

        A = tables()["assignments"]
        now = self.clock()
        open_ = {a["user"].lower(): a for a in self.assignments(everyone=True)
                 if a["scenario"] == scenario and not a["done"]}
        values = {"due": due.isoformat(), "pass_mark": float(pass_mark),
                  "assigned_by": self.user}

        def put(conn) -> list[dict[str, Any]]:
            out = []
            for u in map(check_user, users):
                was = open_.get(u.lower())
                if was is not None:
                    conn.execute(update(A).where(A.c.id == was["id"]).values(**values))
                    out.append({"id": was["id"], "user": was["user"], "was": was})
                else:
                    row = {"scenario": scenario, "user_name": u, "created": now, **values}
                    new_id = conn.execute(insert(A).values(**row)).inserted_primary_key[0]
                    out.append({"id": new_id, "user": u, "was": None})
            return out

        return self.write(put)

    def assignments(self, user: str | None = None, *,
                    everyone: bool = False) -> list[dict[str, Any]]:
        """Assignments, soonest due first, each with `done` (a session of the scenario since
        it was set scored at least the pass mark), `best` and `done_at`."""
        from sqlalchemy import and_, func, select

        t = tables()
        A, S = t["assignments"], t["sessions"]
        best = (select(func.max(S.c.overall)).where(and_(
            S.c.scenario == A.c.scenario, func.lower(S.c.user_name) == func.lower(A.c.user_name),
            S.c.started >= A.c.created, S.c.rep_turns > 0)).scalar_subquery())
        done_at = (select(func.min(S.c.started)).where(and_(
            S.c.scenario == A.c.scenario, func.lower(S.c.user_name) == func.lower(A.c.user_name),
            S.c.started >= A.c.created, S.c.overall >= A.c.pass_mark)).scalar_subquery())
        q = select(A, best.label("best"), done_at.label("done_at")).order_by(
            A.c.due, A.c.user_name, A.c.id)
        if not everyone:
            q = q.where(func.lower(A.c.user_name) == (user or self.user).lower())
        rows = self.read(lambda conn: [dict(r) for r in conn.execute(q).mappings()],
                         "read assignments")
        today = date.today().isoformat()
        for r in rows:
            r["user"] = r.pop("user_name")
            r["done"] = r["done_at"] is not None
            r["overdue"] = not r["done"] and r["due"] < today
            r["done_at"] = _iso(r["done_at"]) if r["done_at"] is not None else None
            r["created"] = _iso(r["created"])
        return rows


class Recording:
    """One session saved as it happens; a failing database never reaches the player.

    Each exchange is one upload of what it added. When an upload fails, the turns stay in
    memory and in a spool file (`spool_dir()`), the rep is told (`notice`), and the next
    exchanges try again (not more often than every few seconds, so a dead server does not
    slow the conversation); the first upload that succeeds writes everything pending and
    removes the spool file.
    """

    def __init__(self, store: Store, session: Session, *, sid: int | None = None,
                 saved: int = 0, verify: bool = False) -> None:
        self.store = store
        self.session = session
        self.sid = sid
        self.uid = uuid.uuid4().hex
        self.user = store.user
        self.started: float | None = None  # the clock at the first save
        self.saved = saved          # turns already in the database
        self.error: str | None = None
        self.notice: str | None = None  # what the rep should be told, once
        self._verify = verify
        self._tally = None  # the rep turns counted so far (scorecard.Tally)
        self._tallied = 0
        self._retry_at = 0.0
        self._delay = RETRY_FIRST
        self.forgotten = False  # dropped from the history (`forget`): never saved again

    # ------------------------------------------------------------ payload

    def payload(self, since: int = 0, now: float | None = None) -> dict[str, Any]:
        """The session as data: header, the turns from `since`, and the summary."""
        s = self.session
        now = self.store.clock() if now is None else now
        if self.started is None:
            self.started = now
        p = s.persona
        card = self.summary()
        out = s.outcome
        habits = {h.habit: h.score for h in card.habits}
        summary_card = card.to_dict()
        del summary_card["turns"]  # the turn rows hold them: a save stays the same size
        from simulator.model import HABITS

        return {
            "kind": "session",
            "uid": self.uid,
            "sid": self.sid,
            "header": {
                "scenario": s.scenario.id, "title": s.scenario.title, "uid": self.uid,
                "persona": json.dumps({"id": p.id, "name": p.name, "role": p.role,
                                       "company": p.company}, ensure_ascii=False),
                "seed": s.seed, "plan": json.dumps(s.plan.to_dict()), "started": self.started,
                "updated": now, "user_name": self.user,
            },
            "turns": [{"idx": t.index, "speaker": t.speaker, "text": t.text, "at": now,
                       "data": json.dumps(_turn_data(s, t), ensure_ascii=False)}
                      for t in s.turns[since:]],
            "summary": {
                "updated": now, "status": out.status if out else "in_progress",
                "won": int(bool(out and out.won)), "label": out.label if out else "",
                "price": out.price if out else None, "overall": card.overall,
                "rep_turns": self._tally.responses,
                "scorecard": json.dumps(summary_card, ensure_ascii=False),
                **{h: habits.get(h) for h in HABITS},
            },
        }

    def summary(self):
        """The scorecard without per-turn rows, counting only the turns added since the
        last call: the same work at turn 200 as at turn 1."""
        from simulator.scorecard import Tally, build

        s = self.session
        if self._tally is None:
            self._tally = Tally()
        walk_away = s.plan.walk_away if s.plan else None
        for t in s.turns[self._tallied:]:
            if t.speaker == "rep":
                self._tally.add_turn(t, walk_away)
        self._tallied = len(s.turns)
        return build(s, self._tally, turns=False)

    # ------------------------------------------------------------ saving

    def on_turn(self, session: Session, turn: Turn) -> None:
        """A session listener: an exchange ends with the buyer's line, so save then."""
        if turn.speaker == "buyer":
            self.save()

    def save(self, *, final: bool = False) -> bool:
        """Upload what is pending; on failure keep it (memory + spool) and say so."""
        now = self.store.clock()
        if self.error is not None and not final and time.monotonic() < self._retry_at:
            self._spool()
            return False
        since = self.saved if self.sid is not None else 0
        try:
            self.sid = self.store.upload(self.payload(since, now), self.sid,
                                         verify=self._verify)
        except ShadowboxError as exc:
            first = self.error is None
            self.error = exc.message
            self._verify = True  # a commit that raised may still have landed
            self._retry_at = time.monotonic() + self._delay
            self._delay = min(self._delay * 2, RETRY_MAX)
            path = self._spool()
            self.store._failing[self.uid] = self
            if first:
                kept = (f"; your turns are kept in {display_path(path)}" if path else
                        "; your turns are kept in memory")
                self.notice = (f"History isn't being saved ({exc.message}){kept} and will be "
                               "saved when the database answers")
            return False
        self.saved = len(self.session.turns)
        self.store._recordings[self.sid] = self
        self.store._failing.pop(self.uid, None)
        if self.error is not None:
            self.error = None
            self.notice = f"History is being saved again (session {self.sid}); nothing was lost."
            self._unspool()
        self._verify = False
        self._delay = RETRY_FIRST
        return True

    def forget(self) -> None:
        """Drop this session from the history (a practice left before the rep said a word,
        or replaced by its replay): no more saving, no spool file, no row. Raises
        ShadowboxError when the row cannot be deleted."""
        self.forgotten = True
        self.store._failing.pop(self.uid, None)
        if self.on_turn in self.session.listeners:
            self.session.listeners.remove(self.on_turn)
        self._unspool()
        if self.sid is not None:
            self.store._recordings.pop(self.sid, None)
            self.store.delete(self.sid)

    def take_notice(self) -> str | None:
        """The message for the rep since the last call (None when nothing changed)."""
        notice, self.notice = self.notice, None
        return notice

    @property
    def spool_path(self) -> Path:
        return spool_dir() / f"session-{self.uid}.json"

    def _spool(self) -> Path | None:
        """Write the whole session to the spool file (atomically); None if that fails too."""
        data = self.payload(0)
        data["sid"] = self.sid
        data["db"] = self.store.url
        return write_spool(self.spool_path, data)

    def _unspool(self) -> None:
        try:
            self.spool_path.unlink()
        except OSError:
            pass


def _turn_data(session: Session, turn: Turn) -> dict[str, Any]:
    """A turn as stored (`scorecard.turn_record`)."""
    from simulator.scorecard import turn_record

    return turn_record(session, turn)


def write_spool(path: Path, data: dict[str, Any]) -> Path | None:
    """Write a spool file atomically; None when the local disk fails as well."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        return None
    return path


def spooled() -> list[Path]:
    """Spool files waiting for `shadowbox db sync`, oldest first."""
    folder = spool_dir()
    try:
        files = [p for p in folder.glob("*.json") if p.is_file()]
    except OSError:
        return []
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")


def is_number(value: Any) -> bool:
    """Whether a value read from a number column is one (SQLite keeps whatever a hand
    edit wrote there: `started = 'garbage'`)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _row(r) -> dict[str, Any]:
    """A session row with its JSON fields read. A field that is not a JSON object, or a
    number column holding something else (a damaged or hand-edited row), is None (0 where
    the column is never empty) and named in "damaged": shown without it."""
    d = dict(r)
    d["damaged"] = []
    for col in tables()["sessions"].c:
        value = d.get(col.name)
        if value is not None and col.type.python_type in (int, float) and not is_number(value):
            d[col.name] = None if col.nullable else col.type.python_type()
            d["damaged"].append(col.name)
    for key in ("persona", "plan", "scorecard"):
        d[key] = _json_object(r[key]) if r[key] else None
        if d[key] is None and r[key]:
            d["damaged"].append(key)
    d["won"] = bool(d["won"])
    d["user"] = d.pop("user_name")
    return d


def damage_note(record: dict[str, Any]) -> str | None:
    """One line naming what of a stored session could not be read, or None."""
    if not record.get("damaged"):
        return None
    return (f"session {record['id']}: {', '.join(record['damaged'])} damaged in the history "
            "database (not valid JSON, or not a number); shown without it")


def _turn(r, session: dict[str, Any]) -> dict[str, Any]:
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


__all__ += ["SCHEMA_VERSION", "spool_dir", "spooled", "write_spool", "check_user", "damage_note"]
