"""The manager's team view: who practised, how each habit is going, who needs what.

    view = team_view(store, since=parse_since("30d"), scenario=None)
    view["reps"]           # one entry per rep, most recently practised first
    view["leaderboards"]   # per habit, the reps ranked by their average in the period

Read from the summary columns only (sessions and drill participants; no JSON, no turns),
so a team of a hundred with 5,000 sessions answers in milliseconds. Names match in any
case ("Ana" in a drill is the user "ana"); a rep is shown by the user name of their last
session, else as a drill last spelled them.

Reps with assignments are listed even when they have not practised in the period (with
`last_practised` None), each with their assignments done, open and overdue.

For each rep and habit: the average, the trend (the average of the later half of their
scores in the period minus that of the earlier half; None with fewer than four), and the
weekly averages the chart draws. A rep's weakest habit is the one with the lowest average
(none when all their habits average the same).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from simulator.errors import ShadowboxError
from simulator.money import BLANK

if TYPE_CHECKING:
    from simulator.store import Store

#: Fewest scores a trend is computed from.
TREND_MIN = 4


def parse_since(text: str, today: date | None = None) -> date:
    """A --since value: a date (2026-11-02), or a span back from today (7d, 4w)."""
    text = text.strip()
    today = today or date.today()
    m = re.fullmatch(r"(\d{1,4})\s*([dw])", text.lower())
    if m:
        n = int(m.group(1)) * (7 if m.group(2) == "w" else 1)
        return today - timedelta(days=n)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ShadowboxError(f"--since '{text}': expected a date (YYYY-MM-DD) or a span "
                             "back from today (7d, 4w)") from None


def _weeks():
    """A function from a timestamp to the ISO date of its week's Monday (local time),
    remembered by the hour: thousands of sessions fall in a few hundred hours."""
    seen: dict[int, str] = {}

    def week_of(ts: float) -> str:
        hour = int(ts // 3600)
        got = seen.get(hour)
        if got is None:
            d = datetime.fromtimestamp(ts).date()
            got = seen[hour] = (d - timedelta(days=d.weekday())).isoformat()
        return got

    return week_of


def _mean(xs: list[float]) -> float | None:
    return round(float(sum(xs)) / len(xs), 1) if xs else None


def trend(scores: list[float]) -> float | None:
    """Later half's average minus the earlier half's (chronological scores)."""
    if len(scores) < TREND_MIN:
        return None
    half = len(scores) // 2
    return round(sum(scores[-half:]) / half - sum(scores[:half]) / half, 1)


def trend_arrow(value: float | None) -> str:
    """A trend as shown: '↑5', '↓3', '→0'; '' when there are too few scores."""
    if value is None:
        return ""
    size = round(abs(value))
    if size == 0:
        return "→0"
    return f"{'↑' if value > 0 else '↓'}{size}"


def assigned_text(a: dict) -> str:
    """A rep's assignments in a few characters: '1/2 done', '1 late'."""
    total = a["done"] + a["open"] + a["overdue"]
    if not total:
        return BLANK
    return f"{a['done']}/{total}" + (f" {a['overdue']} late" if a["overdue"] else "")


def team_view(store: Store, since: date | None = None,
              scenario: str | None = None) -> dict[str, Any]:
    """Every rep's practice in the period (since `since`, of `scenario` if given)."""
    from sqlalchemy import select

    from simulator.db import tables
    from simulator.model import HABITS
    from simulator.store import is_number

    t = tables()
    S, D, P = t["sessions"], t["drills"], t["drill_participants"]
    since_ts = datetime.combine(since, datetime.min.time()).timestamp() if since else None
    sq = select(S.c.user_name, S.c.started, S.c.overall, *[S.c[h] for h in HABITS]).where(
        S.c.rep_turns > 0).order_by(S.c.started, S.c.id)
    dq = select(P.c.name, D.c.started_at, P.c.overall, *[P.c[h] for h in HABITS]).join(
        D, D.c.id == P.c.drill_id).where(P.c.attempts > 0).order_by(D.c.started_at, D.c.id)
    if since_ts is not None:
        sq = sq.where(S.c.started >= since_ts)
        # drills keep their start as ISO 8601 in UTC, which sorts as text
        dq = dq.where(D.c.started_at >= datetime.fromtimestamp(since_ts, timezone.utc)
                      .isoformat(timespec="seconds"))
    if scenario:
        sq = sq.where(S.c.scenario == scenario)
        dq = dq.where(D.c.scenario == scenario)

    def go(conn):
        return conn.execute(sq).all(), conn.execute(dq).all()

    session_rows, drill_rows = store.read(go, "read the team's history")
    # (when, name, is_session, overall, *habits), oldest first; sessions then drills at a tie
    # a damaged row (a number column holding text, see store.is_number) is left out, counted
    kept = [r for r in session_rows if all(is_number(v) for v in r[1:] if v is not None)]
    damaged = len(session_rows) - len(kept)
    points = [(r[1], r[0], True, *r[2:]) for r in kept]
    points += [(_ts(r[1]), r[0], False, *r[2:]) for r in drill_rows]
    points.sort(key=lambda p: p[0])
    week_of = _weeks()

    reps: dict[str, dict[str, Any]] = {}
    folded: dict[str, str] = {}
    for when, name, is_session, overall, *scores in points:
        key = folded.get(name) or folded.setdefault(name, name.casefold())
        rep = reps.get(key)
        if rep is None:
            rep = reps[key] = {"user": name, "sessions": 0, "drills": 0, "last": when,
                               "overall": [], "habits": {h: ([], {}) for h in HABITS}}
        if is_session:
            rep["user"] = name  # the user name a rep practises under beats a drill's spelling
            rep["sessions"] += 1
        else:
            rep["drills"] += 1
        rep["last"] = when
        if overall is not None:
            rep["overall"].append(overall)
        week = None
        for h, v in zip(HABITS, scores):
            if v is not None:
                values, weeks = rep["habits"][h]
                values.append(v)
                week = week or week_of(when)
                weeks.setdefault(week, []).append(v)

    # assignments (as they stand, whatever the period): a rep who was set practice and has
    # not practised is listed too
    assigned: dict[str, dict[str, int]] = {}
    for a in store.assignments(everyone=True):
        if scenario and a["scenario"] != scenario:
            continue
        key = folded.get(a["user"]) or folded.setdefault(a["user"], a["user"].casefold())
        reps.setdefault(key, {"user": a["user"], "sessions": 0, "drills": 0, "last": None,
                              "overall": [], "habits": {h: ([], {}) for h in HABITS}})
        counts = assigned.setdefault(key, {"done": 0, "open": 0, "overdue": 0})
        counts["done" if a["done"] else "overdue" if a["overdue"] else "open"] += 1

    out_reps = []
    for key, rep in reps.items():
        habits: dict[str, Any] = {}
        for h, (values, weeks) in rep["habits"].items():
            if values:
                habits[h] = {"average": _mean(values), "trend": trend(values),
                             "scores": len(values),
                             "weekly": [{"week": w, "average": _mean(vs)}
                                        for w, vs in sorted(weeks.items())]}
        averages = {h: v["average"] for h, v in habits.items()}
        # the habit with the lowest average (the first of HABITS at a tie); none when every
        # habit stands at the same average: there is no weakest
        weakest = (min(averages, key=lambda h: (averages[h], HABITS.index(h)))
                   if len(set(averages.values())) > 1 else None)
        out_reps.append({
            "user": rep["user"], "sessions": rep["sessions"], "drills": rep["drills"],
            "overall": _mean(rep["overall"]), "habits": habits,
            "last_practised": datetime.fromtimestamp(rep["last"]).astimezone().isoformat(
                timespec="seconds") if rep["last"] is not None else None,
            "weakest_habit": weakest,
            "assignments": assigned.get(key, {"done": 0, "open": 0, "overdue": 0}),
        })
    # most recently practised first; those who have not practised at the end
    out_reps.sort(key=lambda r: (r["last_practised"] or "", r["user"].casefold()), reverse=True)
    boards = {}
    for h in HABITS:
        ranked = sorted(((r["habits"][h]["average"], r["user"], r["habits"][h]["scores"])
                         for r in out_reps if h in r["habits"]), key=lambda x: (-x[0], x[1]))
        if ranked:
            boards[h] = [{"rank": i + 1, "user": u, "average": a, "scores": n}
                         for i, (a, u, n) in enumerate(ranked)]
    return {"since": since.isoformat() if since else None, "scenario": scenario,
            "reps": out_reps, "leaderboards": boards,
            **({"damaged_sessions": damaged} if damaged else {})}


def _ts(iso: str) -> float:
    try:
        return datetime.fromisoformat(iso).timestamp()
    except ValueError:
        return 0.0
