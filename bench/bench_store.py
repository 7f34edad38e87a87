"""Benchmarks of the history database on both backends (run on demand, not in the suite).

    python bench/bench_store.py [--pg URL] [--reps 100] [--sessions 50] [--turns 12]
                                [--rounds 20] [--exchanges 200]

Without --pg (or SHADOWBOX_TEST_PG_URL) a throwaway PostgreSQL server is started with
tests/pgserver.py where its binaries exist; each backend gets a fresh database.

1. Per-turn save: two conversations of 200 exchanges played in lockstep (a bench scenario
   that lasts 200 exchanges, the real scorer), timing each save (`Recording.save`: the exchange's
   two turn rows and the summary, one transaction). One is saved as now; the baseline is
   saved as before this change (the whole scorecard rebuilt and encoded every exchange),
   through the same database. Medians at exchanges 1-10, 91-100 and 191-200. Target: flat
   from 1 to 200.
2. The team view: 100 reps x 50 sessions x 12 turns (60,000 turn rows; the sessions spread
   over 12 weeks, two drills a week with ten reps each), then `team_view` for all time,
   the last 30 days and one scenario, `--rounds` times each, beside a trivial baseline (a
   COUNT(*) on sessions) in the same run. Target: at most 200 ms on both backends.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

PERSONA = """\
id: bench-buyer
name: Bea Bench
role: Buyer
company: Benchco
temperament: {patience: 5, push: 0.5, give: 0.5}
lines:
  on_concede: ["More, please."]
  on_trade: ["Go on."]
  on_hold: ["Hmm, {buyer_number}."]
  on_stall: ["Ask them, then."]
  on_open_question: ["Good question. We need it live by March."]
  on_closed_question: ["Yes."]
  on_tell: ["If you say so."]
  on_other: ["Pardon?"]
  attack: ["Your price of {offer} is too high."]
"""

SCENARIO = """\
id: bench-long
title: A conversation that lasts the bench
persona: bench-buyer
difficulty: easy
tags: [bench]
brief: Keep asking.
money: {currency: USD, unit: seat, list_price: 10.0, walk_away: 8.0, buyer_target: 7.0}
gets:
  - {id: volume, name: More volume, phrases: [volume]}
conversation:
  start: opening
  turn_budget: 200  # the most a scenario may have: the bench plays up to 200 exchanges
  states:
    opening: {moment: attack}
    won: {say: ["Deal."], ending: {status: deal, won: true, price: offer, label: Won}}
  transitions:
    - {from: opening, move: trade, to: won, when: {gets_asked: [volume]}}
    # the bench's four lines come round again: a repeat keeps the buyer listening, so
    # patience never closes the conversation
    - {from: opening, move: repeat, to: opening}
lesson: Ask open questions.
"""

LINES = ["What's behind the $7 figure?", "Walk me through how the decision gets made.",
         "Our price is $10 because restores take minutes, not days.",
         "Tell me about the last rollout."]


def ms(xs: list[float]) -> str:
    return f"{statistics.median(xs) * 1000:6.2f} ms"


def bench_library(folder: Path):
    from simulator.loading import load_library

    (folder / "personas").mkdir(parents=True)
    (folder / "scenarios").mkdir(parents=True)
    (folder / "personas" / "bench-buyer.yaml").write_text(PERSONA)
    (folder / "scenarios" / "bench-long.yaml").write_text(SCENARIO)
    lib = load_library([folder])
    errors = [p for p in lib.problems if p.severity == "error"]
    if errors:
        raise SystemExit("\n".join(map(str, errors)))
    return lib


def per_turn(url: str, lib, exchanges: int) -> dict[str, list[float]]:
    """Time every save of two long conversations played in lockstep: one saved as the store
    saves now, one saved as it did before (the whole scorecard, turn rows included,
    rebuilt and encoded every exchange), through the same database."""
    from simulator.scorecard import build
    from simulator.session import Session
    from simulator.store import Recording, Store

    class Before(Recording):
        def payload(self, since=0, now=None):
            out = super().payload(since, now)
            out["summary"]["scorecard"] = json.dumps(build(self.session).to_dict(),
                                                     ensure_ascii=False)
            return out

    store = Store(url, user="bench")
    sc = lib.scenario("bench-long")
    times: dict[str, list[float]] = {"new": [], "old": []}
    pairs = []
    for key, cls in (("new", Recording), ("old", Before)):
        session = Session(sc, lib.persona_of(sc), seed=1)
        rec = cls(store, session)
        rec.save()
        pairs.append((key, session, rec))
    for i in range(exchanges):
        for key, session, rec in pairs:
            session.respond(LINES[i % len(LINES)])  # no listener: the save is timed alone
            t = time.perf_counter()
            ok = rec.save()
            times[key].append(time.perf_counter() - t)
            assert ok, rec.error
            # open to the end: only the budget's last turn closes it
            assert not session.finished or i + 1 == sc.conversation.turn_budget
    store.close()
    return times


def fill(url: str, reps: int, sessions: int, turns: int) -> None:
    """reps x sessions x turns rows, as real saves would leave them (one upload each)."""
    from sqlalchemy import insert

    from simulator.db import tables
    from simulator.drill_store import DrillStore
    from simulator.store import Store

    rng = random.Random(7)
    store = Store(url, user="bench")
    t = tables()
    now = time.time()
    turn_data = json.dumps({"index": 1, "speaker": "rep", "text": LINES[0], "state": "opening",
                            "offer": 10.0, "buyer_number": 7.0, "moves": ["open_question"],
                            "scores": {"question": "open", "price": "none"}})
    scenarios = ["procurement-head", "renewal-price-increase", "budget-freeze"]
    users = [f"rep{k:03d}" for k in range(reps)]
    skill = {u: rng.uniform(30, 80) for u in users}
    batch_s, batch_t = [], []
    sid = 0
    for u in users:
        for n in range(sessions):
            sid += 1
            started = now - 84 * 86400 + (n / sessions) * 84 * 86400 + rng.uniform(0, 3600)
            level = min(100.0, skill[u] + n * 0.4)
            habits = {h: round(min(100, max(0, rng.gauss(level, 15))), 1)
                      for h in ("hold_price", "trade", "open_questions")}
            batch_s.append({"id": sid, "scenario": scenarios[n % 3], "title": "t",
                            "persona": "{}", "seed": n, "plan": "{}", "started": started,
                            "updated": started, "status": "ended", "won": 0, "label": "",
                            "price": None, "overall": round(sum(habits.values()) / 3, 1),
                            "rep_turns": turns // 2, "scorecard": "{}",
                            "uid": uuid.uuid4().hex, "user_name": u, **habits,
                            "coaching": None})
            batch_t += [{"session_id": sid, "idx": i, "speaker": "rep" if i % 2 else "buyer",
                         "text": LINES[i % 4], "data": turn_data, "at": started}
                        for i in range(turns)]
        if len(batch_t) >= 6000 or u == users[-1]:
            store.write(lambda c: (c.execute(insert(t["sessions"]), batch_s),
                                   c.execute(insert(t["turns"]), batch_t)))
            batch_s, batch_t = [], []
    if url.startswith("postgresql"):
        from sqlalchemy import text

        store.write(lambda c: c.execute(text(
            "SELECT setval(pg_get_serial_sequence('sessions', 'id'), (SELECT max(id) FROM "
            "sessions))")))
    # two drills a week, ten reps each, saved the way the app saves them
    drills = DrillStore(store)
    D, P = t["drills"], t["drill_participants"]
    for w in range(24):
        day = date.today() - timedelta(days=84) + timedelta(days=w * 3.5)
        did = f"bench{w:02d}"
        team = rng.sample(users, 10)
        rows = {"drill": {"id": did, "scenario": scenarios[w % 3], "title": "t",
                          "started_at": f"{day.isoformat()}T09:00:00+00:00", "finished_at": None,
                          "seed": w, "timer": None, "rounds": 3, "team": json.dumps(team),
                          "data": "{}", "markdown": "", "csv": "", "user_name": "manager"},
                "participants": [{"drill_id": did, "position": i, "name": u, "rank": i + 1,
                                  "place": str(i + 1), "overall": skill[u],
                                  "hold_price": skill[u], "trade": None,
                                  "open_questions": skill[u], "coaching": None,
                                  "attempts": 3, "skipped": 0, "focus": None}
                                 for i, u in enumerate(team)],
                "answers": []}
        drills.upload(rows)
    del D, P
    store.close()


def team_times(url: str, rounds: int) -> dict[str, list[float]]:
    from sqlalchemy import text

    from simulator.store import Store
    from simulator.team import team_view

    store = Store(url, user="manager")
    out: dict[str, list[float]] = {"baseline": [], "all": [], "30d": [], "scenario": []}
    since = date.today() - timedelta(days=30)
    team_view(store)  # warm: the connection and the tables
    for _ in range(rounds):
        for key, fn in (
            ("baseline", lambda: store.read(lambda c: c.execute(
                text("SELECT count(*) FROM sessions")).scalar())),
            ("all", lambda: team_view(store)),
            ("30d", lambda: team_view(store, since=since)),
            ("scenario", lambda: team_view(store, scenario="procurement-head")),
        ):
            t = time.perf_counter()
            view = fn()
            out[key].append(time.perf_counter() - t)
            if key == "all":
                assert len(view["reps"]) >= 100
    store.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg", help="a PostgreSQL admin URL (a database per run is created)")
    ap.add_argument("--reps", type=int, default=100)
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--turns", type=int, default=12)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--exchanges", type=int, default=200)
    args = ap.parse_args()
    if not 1 <= args.exchanges <= 200:
        ap.error("--exchanges is 1 to 200 (the bench scenario's turn budget, the most a "
                 "scenario may have)")

    from pgserver import PgServer, binaries, create_database, drop_database

    work = Path(tempfile.mkdtemp(prefix="shadowbox-bench-"))
    os.environ["SHADOWBOX_HOME"] = str(work / "home")
    lib = bench_library(work / "lib")
    server = None
    admin = args.pg or os.environ.get("SHADOWBOX_TEST_PG_URL")
    if not admin and binaries() is not None:
        server = PgServer().start()
        admin = server.url()
    backends = [("SQLite", lambda name: f"sqlite:///{work / name}.db")]
    if admin:
        backends.append(("PostgreSQL", lambda name: create_database(admin, name)))
    else:
        print("no PostgreSQL: SQLite only")
    made: list[str] = []
    try:
        for label, make in backends:
            name = f"bench_{uuid.uuid4().hex[:8]}"
            made.append(name)
            url = make(name + "_turns")
            made.append(name + "_turns")
            res = per_turn(url, lib, args.exchanges)
            n = args.exchanges
            print(f"\n{label}: per-exchange save, {n} exchanges of one conversation")
            for lo, hi in ((0, 10), (n // 2 - 10, n // 2), (n - 10, n)):
                print(f"  exchanges {lo + 1:>3}-{hi:<3}  save {ms(res['new'][lo:hi])}   "
                      f"(before, whole scorecard every save: {ms(res['old'][lo:hi])})")
            t0 = time.perf_counter()
            url = make(name + "_team")
            made.append(name + "_team")
            fill(url, args.reps, args.sessions, args.turns)
            print(f"{label}: {args.reps} reps x {args.sessions} sessions x {args.turns} turns "
                  f"= {args.reps * args.sessions * args.turns:,} turn rows, filled in "
                  f"{time.perf_counter() - t0:.1f} s")
            times = team_times(url, args.rounds)
            for key, what in (("baseline", "COUNT(*) baseline"), ("all", "team view, all time"),
                              ("30d", "team view, 30 days"),
                              ("scenario", "team view, one scenario")):
                xs = times[key]
                print(f"  {what:<26} median {ms(xs)}  max {max(xs) * 1000:6.2f} ms")
    finally:
        if admin:
            for name in made:
                try:
                    drop_database(admin, name)
                except Exception:  # noqa: BLE001 - the SQLite names were never databases
                    pass
        if server is not None:
            server.remove()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
