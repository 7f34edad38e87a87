"""Drills in the history database, so a manager can follow the team across meetings.

    drills = DrillStore()            # the same database as sessions (simulator.store)
    drills.save(drill)               # after every answer: the whole drill, one transaction
    drills.drills()                  # past drills, newest first
    drills.load(drill_id)["data"]    # one drill's data (Drill.to_dict()), for the exports
    drills.progress()                # per person, their overall in each drill, oldest first

Three tables next to the session tables (`simulator.db`): `drills` (one row per drill,
with its data as JSON and who ran it; its exports are rendered from that data by
`simulator.export`, never stored), `drill_participants` (one row per person per drill:
place, overall, habits) and `drill_answers` (one row per answer, skip or empty answer).
When the database fails, the drill goes on: the last state of the drill is kept in a
spool file, the next save tries again, and `shadowbox db sync` uploads what is left.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from simulator.errors import ShadowboxError, display_path
from simulator.store import Store, spool_dir, write_spool

if TYPE_CHECKING:
    from simulator.drill import Drill


def drill_rows(drill: Drill, user: str) -> dict[str, Any]:
    """The rows a drill is stored as: its `drills` row, participants and answers."""
    from simulator.model import HABITS

    focus = {p.name: p.focus for p in drill.summary()}
    answers = []
    seq = 0
    for r in drill.rounds:
        for a in r.answers:
            seq += 1
            answers.append({
                "drill_id": drill.id, "seq": seq, "round": r.number, "moment": r.moment.id,
                "line": r.line, "participant": a.participant, "status": a.status,
                "text": a.text, "overall": a.overall,
                **{h: a.habits.get(h) for h in HABITS}, "advice": a.coaching,
                "seconds": a.seconds, "at": a.at})
    return {
        "kind": "drill",
        "drill": {
            "id": drill.id, "scenario": drill.scenario.id, "title": drill.scenario.title,
            "started_at": drill.started_at, "finished_at": drill.finished_at,
            "seed": drill.seed, "timer": drill.timer, "rounds": len(drill.rounds),
            "team": json.dumps(drill.participants, ensure_ascii=False),
            "data": json.dumps(drill.to_dict(), ensure_ascii=False), "user_name": user},
        "participants": [{
            "drill_id": drill.id, "position": drill.participants.index(s.name),
            "name": s.name, "rank": s.rank, "place": s.place, "overall": s.overall,
            **{h: s.habits.get(h) for h in HABITS}, "attempts": s.attempts,
            "skipped": s.skipped, "focus": focus.get(s.name)} for s in drill.leaderboard()],
        "answers": answers,
    }


class DrillStore:
    """Drill tables in the history database (the `Store`'s engine)."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store if store is not None else Store()

    @property
    def path(self):
        return self.store.path

    def close(self) -> None:
        self.store.close()

    # ------------------------------------------------------------ writing

    def save(self, drill: Drill) -> None:
        """Write the drill as it stands (replacing what was stored), in one transaction.

        On failure the drill is kept in a spool file and the error says so; the next save
        (or `shadowbox db sync`) writes it.
        """
        rows = drill_rows(drill, self.store.user)
        spool = spool_dir() / f"drill-{drill.id}.json"
        try:
            self.upload(rows)
        except ShadowboxError as exc:
            kept = write_spool(spool, dict(rows, db=self.store.url))
            where = f"it is kept in {display_path(kept)}" if kept else "it is kept in memory"
            raise ShadowboxError(f"{exc.message}; {where} and will be saved when the "
                                 "database answers") from None
        try:
            spool.unlink()
        except OSError:
            pass

    def upload(self, rows: dict[str, Any]) -> None:
        """Replace the stored drill by these rows (`drill_rows`); idempotent."""
        from sqlalchemy import delete, insert

        t = self.store_tables()
        drill_id = rows["drill"]["id"]

        def go(conn) -> None:
            for name, col in (("drill_answers", "drill_id"), ("drill_participants", "drill_id"),
                              ("drills", "id")):
                conn.execute(delete(t[name]).where(t[name].c[col] == drill_id))
            # A spool file from before schema 0003 also holds the rendered exports: dropped.
            drill = {k: v for k, v in rows["drill"].items() if k in t["drills"].c}
            conn.execute(insert(t["drills"]).values(**drill))
            if rows["participants"]:
                conn.execute(insert(t["drill_participants"]), rows["participants"])
            if rows["answers"]:
                conn.execute(insert(t["drill_answers"]), rows["answers"])

        self.store.write(go, "save the drill")

    @staticmethod
    def store_tables() -> dict[str, Any]:
        from simulator.db import tables

        return tables()

    # ------------------------------------------------------------ reading

    def _read(self, query) -> list[dict[str, Any]]:
        return self.store.read(lambda conn: [dict(r) for r in conn.execute(query).mappings()],
                               "read drills")

    def drills(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Past drills, newest first: id, scenario, title, dates, rounds, team, winner(s)."""
        from sqlalchemy import select

        t = self.store_tables()
        D, P = t["drills"], t["drill_participants"]
        q = select(D.c.id, D.c.scenario, D.c.title, D.c.started_at, D.c.finished_at,
                   D.c.rounds, D.c.team, D.c.user_name).order_by(D.c.started_at.desc(),
                                                                  D.c.id.desc())
        if limit is not None:
            q = q.limit(limit)
        out = self._read(q)
        leaders: dict[str, list[str]] = {}
        if out:
            for r in self._read(select(P.c.drill_id, P.c.name).where(
                    P.c.rank == 1, P.c.drill_id.in_([d["id"] for d in out])).order_by(
                    P.c.drill_id, P.c.position)):
                leaders.setdefault(r["drill_id"], []).append(r["name"])
        for d in out:
            d["team"] = _json(d["team"], list)
            if d["team"] is None:  # a damaged row: shown without its team, and named
                d["team"] = []
                print(f"shadowbox: warning: drill {d['id']}: its team is damaged in "
                      f"{self.store.where} (not valid JSON)", file=sys.stderr)
            d["user"] = d.pop("user_name")
            d["leaders"] = leaders.get(d["id"], [])
        return out

    def load(self, drill_id: str) -> dict[str, Any]:
        """One drill: its data (`Drill.to_dict()`) under "data", as the export registry
        renders it (`simulator.export.render("drill", fmt, rec["data"])`). A one-line error
        when there is no such drill or its stored data cannot be read."""
        from sqlalchemy import select

        D = self.store_tables()["drills"]
        rows = self._read(select(D.c.data).where(D.c.id == str(drill_id)))
        if not rows:
            raise ShadowboxError(f"no drill {drill_id!r} in {self.store.where} "
                                 "(shadowbox drill --history lists them)")
        data = _json(rows[0]["data"], dict)
        if data is None or not isinstance(data.get("rounds"), list):
            raise ShadowboxError(f"drill {drill_id}: its JSON is damaged in {self.store.where} "
                                 "(not valid JSON); its line in --history still reads")
        return {"data": data}

    def progress(self) -> dict[str, list[dict[str, Any]]]:
        """Per person (case-insensitive, shown as last spelled), every drill they took part
        in, oldest first: drill id, date, scenario, place, overall and habits."""
        from sqlalchemy import select

        from simulator.model import HABITS

        t = self.store_tables()
        D, P = t["drills"], t["drill_participants"]
        rows = self._read(
            select(P, D.c.started_at, D.c.scenario).join(D, D.c.id == P.c.drill_id)
            .order_by(D.c.started_at, D.c.id, P.c.position))
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
        from sqlalchemy import delete

        t = self.store_tables()
        self.store.write(lambda conn: [
            conn.execute(delete(t[name]).where(t[name].c[col] == drill_id))
            for name, col in (("drill_answers", "drill_id"), ("drill_participants", "drill_id"),
                              ("drills", "id"))], "delete the drill")


def _json(text: str | None, kind: type) -> Any:
    """`text` read as JSON of `kind` (list or dict), or None when it is not."""
    try:
        value = json.loads(text) if text else None
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, kind) else None
