"""Drills in the history database, so a manager can follow the team across meetings.

    drills = DrillStore()            # the same history.db as sessions (simulator.store)
    drills.save(drill)               # after every answer: the whole drill, one transaction
    drills.drills()                  # past drills, newest first
    drills.load(drill_id)            # one drill as its JSON export, plus its Markdown and CSV
    drills.progress()                # per person, their overall in each drill, oldest first

Three tables next to the session tables: `drills` (one row per drill, with its full
JSON), `drill_participants` (one row per person per drill: place, overall, habits) and
`drill_answers` (one row per answer, skip or empty answer). The connection, WAL mode,
busy timeout and location rules are `simulator.store.Store`'s: one database, one place.
"""

from __future__ import annotations

import json
import sys
import sqlite3
from typing import TYPE_CHECKING, Any

from simulator.errors import ShadowboxError, display_path
from simulator.model import HABITS
from simulator.store import Store

if TYPE_CHECKING:
    from simulator.drill import Drill

SCHEMA = """
CREATE TABLE IF NOT EXISTS drills (
    id          TEXT PRIMARY KEY,
    scenario    TEXT NOT NULL,
    title       TEXT NOT NULL,
    started_at  TEXT NOT NULL,        -- ISO 8601, UTC
    finished_at TEXT,
    seed        INTEGER NOT NULL,
    timer       REAL,
    rounds      INTEGER NOT NULL,
    team        TEXT NOT NULL,        -- JSON list of names, in team order
    data        TEXT NOT NULL,        -- JSON: Drill.to_dict()
    markdown    TEXT NOT NULL,
    csv         TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS drill_participants (
    drill_id       TEXT NOT NULL REFERENCES drills(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    name           TEXT NOT NULL,
    rank           INTEGER,
    place          TEXT NOT NULL,
    overall        REAL,
    hold_price     REAL,
    trade          REAL,
    open_questions REAL,
    coaching       REAL,
    attempts       INTEGER NOT NULL,
    skipped        INTEGER NOT NULL,
    focus          TEXT,
    PRIMARY KEY (drill_id, name)
);
CREATE TABLE IF NOT EXISTS drill_answers (
    drill_id       TEXT NOT NULL REFERENCES drills(id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    round          INTEGER NOT NULL,
    moment         TEXT NOT NULL,
    line           TEXT NOT NULL,
    participant    TEXT NOT NULL,
    status         TEXT NOT NULL,     -- answered | empty | skipped
    text           TEXT NOT NULL,
    overall        REAL,
    hold_price     REAL,
    trade          REAL,
    open_questions REAL,
    coaching       REAL,
    advice         TEXT NOT NULL,
    seconds        REAL,
    at             TEXT NOT NULL,
    PRIMARY KEY (drill_id, seq)
);
CREATE INDEX IF NOT EXISTS drills_started ON drills(started_at);
CREATE INDEX IF NOT EXISTS drill_participants_name ON drill_participants(name COLLATE NOCASE);
"""


class DrillStore:
    """Drill tables in the history database (the `Store`'s connection)."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store if store is not None else Store()
        self._ready = False

    @property
    def path(self):
        return self.store.path

    @property
    def conn(self) -> sqlite3.Connection:
        conn = self.store.conn
        if not self._ready:
            try:
                conn.executescript(SCHEMA)
            except sqlite3.DatabaseError as exc:
                raise ShadowboxError(f"{display_path(self.path)}: cannot set up the drill "
                                     f"tables: {exc}") from None
            self._ready = True
        return conn

    def close(self) -> None:
        self.store.close()
        self._ready = False

    # ------------------------------------------------------------ writing

    def save(self, drill: Drill) -> None:
        """Write the drill as it stands (insert or replace), in one transaction."""
        self.conn  # make sure the tables exist
        data = drill.to_dict()
        stmts: list[tuple[str, tuple]] = [
            ("DELETE FROM drill_answers WHERE drill_id = ?", (drill.id,)),
            ("DELETE FROM drill_participants WHERE drill_id = ?", (drill.id,)),
            ("INSERT OR REPLACE INTO drills (id, scenario, title, started_at, finished_at, "
             "seed, timer, rounds, team, data, markdown, csv) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             (drill.id, drill.scenario.id, drill.scenario.title, drill.started_at,
              drill.finished_at, drill.seed, drill.timer, len(drill.rounds),
              json.dumps(drill.participants, ensure_ascii=False),
              json.dumps(data, ensure_ascii=False), drill.to_markdown(), drill.to_csv())),
        ]
        focus = {p.name: p.focus for p in drill.summary()}
        for s in drill.leaderboard():
            stmts.append((
                "INSERT INTO drill_participants (drill_id, position, name, rank, place, overall, "
                "hold_price, trade, open_questions, coaching, attempts, skipped, focus) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (drill.id, drill.participants.index(s.name), s.name, s.rank, s.place,
                 s.overall, *(s.habits.get(h) for h in HABITS), s.attempts, s.skipped,
                 focus.get(s.name)),
            ))
        seq = 0
        for r in drill.rounds:
            for a in r.answers:
                seq += 1
                stmts.append((
                    "INSERT INTO drill_answers (drill_id, seq, round, moment, line, participant, "
                    "status, text, overall, hold_price, trade, open_questions, coaching, advice, "
                    "seconds, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (drill.id, seq, r.number, r.moment.id, r.line, a.participant, a.status,
                     a.text, a.overall, *(a.habits.get(h) for h in HABITS), a.coaching,
                     a.seconds, a.at),
                ))
        self.store._write(stmts)

    # ------------------------------------------------------------ reading

    def _read(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        try:
            return list(self.conn.execute(sql, params))
        except sqlite3.DatabaseError as exc:
            raise ShadowboxError(f"{display_path(self.path)}: cannot read drills: {exc}") \
                from None

    def drills(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Past drills, newest first: id, scenario, title, dates, rounds, team, winner(s)."""
        sql = ("SELECT id, scenario, title, started_at, finished_at, rounds, team FROM drills "
               "ORDER BY started_at DESC, rowid DESC")
        params: tuple = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        out = []
        for r in self._read(sql, params):
            d = dict(r)
            d["team"] = _json(d["team"], list)
            if d["team"] is None:  # a damaged row: shown without its team, and named
                d["team"] = []
                print(f"shadowbox: warning: drill {d['id']}: its team is damaged in "
                      f"{display_path(self.path)} (not valid JSON)", file=sys.stderr)
            d["leaders"] = [x["name"] for x in self._read(
                "SELECT name FROM drill_participants WHERE drill_id = ? AND rank = 1 "
                "ORDER BY position", (d["id"],))]
            out.append(d)
        return out

    def load(self, drill_id: str) -> dict[str, Any]:
        """One drill: its JSON export under "data" (None if damaged), and its "markdown" and
        "csv" exports."""
        rows = self._read("SELECT data, markdown, csv FROM drills WHERE id = ?",
                          (str(drill_id),))
        if not rows:
            raise ShadowboxError(f"no drill {drill_id!r} in {display_path(self.path)} "
                                 "(shadowbox drill --history lists them)")
        r = rows[0]
        # "data" is None when the stored JSON is damaged: the Markdown and CSV still read
        return {"data": _json(r["data"], dict), "markdown": r["markdown"], "csv": r["csv"]}

    def progress(self) -> dict[str, list[dict[str, Any]]]:
        """Per person (case-insensitive, shown as last spelled), every drill they took part
        in, oldest first: drill id, date, scenario, place, overall and habits."""
        rows = self._read(
            "SELECT p.*, d.started_at, d.scenario FROM drill_participants p "
            "JOIN drills d ON d.id = p.drill_id ORDER BY d.started_at, d.rowid, p.position")
        out: dict[str, list[dict[str, Any]]] = {}
        names: dict[str, str] = {}
        for r in rows:
            key = r["name"].casefold()
            names[key] = r["name"]
            out.setdefault(key, []).append({
                "drill": r["drill_id"], "date": r["started_at"][:10], "scenario": r["scenario"],
                "place": r["place"], "overall": r["overall"],
                "habits": {h: r[h] for h in HABITS if r[h] is not None},
                "attempts": r["attempts"], "skipped": r["skipped"], "focus": r["focus"],
            })
        return {names[k]: v for k, v in out.items()}

    def delete(self, drill_id: str) -> None:
        self.conn
        self.store._write([("DELETE FROM drill_answers WHERE drill_id = ?", (drill_id,)),
                           ("DELETE FROM drill_participants WHERE drill_id = ?", (drill_id,)),
                           ("DELETE FROM drills WHERE id = ?", (drill_id,))])


def _json(text: str | None, kind: type) -> Any:
    """`text` read as JSON of `kind` (list or dict), or None when it is not."""
    try:
        value = json.loads(text) if text else None
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, kind) else None
