"""A team on one database: users, `history --all`, `play --save`, the team view, assignments,
`db upgrade` and `db sync`, from the core and from the command line (on both backends)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from simulator.drill import Drill
from simulator.drill_store import DrillStore
from simulator.errors import ShadowboxError
from simulator.loading import load_library
from simulator.store import Store
from simulator.team import parse_since, team_view, trend
from test_cli import assert_clean_error, sb
from test_tui_support import CONCEDE, HOLD, OPEN, TRADE, Clock, played, scorer, write_library

SCRIPT = ("Our price is $8.50 because you reach volume faster, which is worth $4 a unit.\n"
          "What's behind the $7.50 target?\n")


@pytest.fixture
def lib(tmp_path):
    return load_library([write_library(tmp_path / "lib")])


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("SHADOWBOX_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SHADOWBOX_DB", raising=False)
    return tmp_path / "home"


def test_trend_and_since():
    assert trend([10, 20, 30]) is None
    assert trend([10, 20, 60, 70]) == 50.0
    assert trend([80, 80, 40, 40, 40]) == -40.0
    today = date(2026, 12, 7)
    assert parse_since("7d", today) == date(2026, 11, 30)
    assert parse_since("2w", today) == date(2026, 11, 23)
    assert parse_since("2026-11-02", today) == date(2026, 11, 2)
    with pytest.raises(ShadowboxError, match="expected a date"):
        parse_since("last monday", today)


def test_team_view_per_rep_and_leaderboards(db_url, lib):
    clock = Clock()
    ana = Store(db_url, user="ana", clock=clock)
    ben = Store(db_url, user="ben", clock=clock)
    for lines in ([CONCEDE, CONCEDE], [HOLD, OPEN], [HOLD, OPEN], [HOLD, TRADE]):
        played(ana, lib, lines)
    played(ben, lib, [CONCEDE])
    sc = lib.scenario("renewal")
    d = Drill(sc, lib.persona_of(sc), ["Ana", "Chen"], seed=1, scorer=scorer)
    d.pose()
    d.answer(HOLD)
    d.answer(CONCEDE)
    d.finish()
    DrillStore(ana).save(d)

    maya = Store(db_url, user="maya")
    maya.assign("renewal", ["ana", "dan"], date.today() + timedelta(days=7), 50)
    view = team_view(maya)
    reps = {r["user"]: r for r in view["reps"]}
    assert set(reps) == {"ana", "ben", "Chen", "dan"}  # Ana in the drill is the user ana
    # dan was set practice and has not practised: listed last, with nothing but that
    assert view["reps"][-1]["user"] == "dan"
    assert reps["dan"]["last_practised"] is None and reps["dan"]["sessions"] == 0
    assert reps["dan"]["assignments"] == {"done": 0, "open": 1, "overdue": 0}
    assert reps["ben"]["assignments"] == {"done": 0, "open": 0, "overdue": 0}
    a = reps["ana"]
    assert (a["sessions"], a["drills"]) == (4, 1)
    hold = a["habits"]["hold_price"]
    assert hold["scores"] == 5 and hold["trend"] > 0  # caved first, held since
    # the sessions fall in the Clock's week, the drill in this one
    assert [w["average"] for w in hold["weekly"]] == [75.0, 100.0] and hold["average"] == 80.0
    assert a["weakest_habit"] in a["habits"]
    assert a["habits"][a["weakest_habit"]]["average"] == min(
        h["average"] for h in a["habits"].values())
    assert (reps["Chen"]["sessions"], reps["Chen"]["drills"]) == (0, 1)
    assert reps["ben"]["last_practised"] <= a["last_practised"]
    board = view["leaderboards"]["hold_price"]
    assert [b["user"] for b in board][0] == "ana" and board[0]["rank"] == 1
    assert [b["average"] for b in board] == sorted((b["average"] for b in board), reverse=True)

    assert team_view(Store(db_url), scenario="other")["reps"] == []
    later = team_view(Store(db_url), since=date.today() + timedelta(days=1))
    assert later["since"] and later["leaderboards"] == {}
    # nobody practised in that period; the reps with assignments are still listed
    assert [(r["user"], r["sessions"], r["last_practised"]) for r in later["reps"]] == \
        [("dan", 0, None), ("ana", 0, None)]


def run_cli(*args, env, stdin=None):
    return sb(*args, env=env, stdin=stdin, timeout=120)


def test_a_team_from_the_command_line(db_url, tmp_path):
    env = {"SHADOWBOX_HOME": str(tmp_path / "home"), "SHADOWBOX_DB": db_url}
    for user in ("ana", "ben"):
        proc = run_cli("--user", user, "play", "procurement-head", "--script", "-",
                       "--seed", "3", "--save", "--json", env=env, stdin=SCRIPT)
        assert proc.returncode == 0, proc.stderr
        out = json.loads(proc.stdout)
        assert out["user"] == user and isinstance(out["session_id"], int)
    proc = run_cli("history", "--all", "--json", env={**env, "SHADOWBOX_USER": "maya"})
    rows = json.loads(proc.stdout)
    assert sorted(r["user"] for r in rows) == ["ana", "ben"]
    assert all(r["rep_turns"] == 2 and r["habits"]["hold_price"] == 100 for r in rows)
    mine = json.loads(run_cli("--user", "ana", "history", "--json", env=env).stdout)
    assert [r["user"] for r in mine] == ["ana"]
    assert "No sessions yet for maya" in run_cli("--user", "maya", "history", env=env).stdout

    due = (date.today() + timedelta(days=7)).isoformat()
    proc = run_cli("--user", "maya", "assign", "procurement-head", "--to", "ana,ben",
                   "--due", due, "--pass", "50", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Assigned procurement-head to ana, ben" in proc.stdout
    proc = run_cli("--user", "ana", "play", "procurement-head", "--script", "-", "--seed", "3",
                   "--save", env=env, stdin=SCRIPT)
    assert "Saved as session 3 for ana" in proc.stdout
    listed = json.loads(run_cli("--user", "maya", "assignments", "--all", "--json",
                                env=env).stdout)
    assert [(a["user"], a["done"]) for a in listed] == [("ana", True), ("ben", False)]
    text = run_cli("--user", "ben", "assignments", env=env).stdout
    assert "procurement-head" in text and "not yet" in text and "ana" not in text

    view = json.loads(run_cli("team", "--json", "--since", "7d", env=env).stdout)
    assert {r["user"] for r in view["reps"]} == {"ana", "ben"}
    ana = next(r for r in view["reps"] if r["user"] == "ana")
    assert {"user", "sessions", "drills", "habits", "last_practised", "weakest_habit"} <= set(ana)
    assert ana["sessions"] == 2 and ana["habits"]["hold_price"]["average"] == 100
    text = run_cli("team", "--scenario", "procurement-head", env=env).stdout
    assert text.startswith("Team: 2 reps") and "Leaderboards" in text


def test_team_text_stays_in_columns_whatever_a_cell_holds(tmp_path):
    env = {"SHADOWBOX_HOME": str(tmp_path / "home")}
    for user in ("ana", "roberto"):
        run_cli("--user", user, "play", "procurement-head", "--script", "-", "--seed", "3",
                "--save", env=env, stdin=SCRIPT)
    past, later = date.today() - timedelta(days=1), date.today() + timedelta(days=7)
    for scenario, due in (("procurement-head", past), ("budget-freeze", later)):
        run_cli("assign", scenario, "--to", "ana", "--due", due.isoformat(), "--pass", "100",
                env=env)
    lines = run_cli("team", env=env).stdout.splitlines()
    head = next(line for line in lines if line.startswith("rep "))
    rows = [line for line in lines if line.startswith(("ana ", "roberto "))]
    assert "0/2 1 late" in rows[[r.split()[0] for r in rows].index("ana")]
    for column in ("weakest", "assigned", "last practised"):  # the left-aligned ones
        start = head.index(column)
        assert all(row[start - 1] == " " != row[start] for row in rows), (column, head, rows)


def test_team_commands_refuse_bad_input_in_one_line(tmp_path):
    env = {"SHADOWBOX_HOME": str(tmp_path / "home")}
    assert_clean_error(run_cli("team", "--since", "yesterday", env=env), "--since 'yesterday'")
    assert_clean_error(run_cli("assign", "procurement-head", "--to", "ana", "--due", "soon",
                               env=env), "--due 'soon'")
    assert_clean_error(run_cli("assign", "nope", "--to", "ana", "--due", "2026-12-01",
                               env=env), "nope")
    assert_clean_error(run_cli("assign", "procurement-head", "--to", " , ", "--due",
                               "2026-12-01", env=env), "--to")
    assert_clean_error(run_cli("assign", "procurement-head", "--to", "ana", "--due",
                               "2026-12-01", "--pass", "120", env=env), "--pass 120")
    assert_clean_error(run_cli("--user", "", "history", env=env), "not a user name")
    assert_clean_error(run_cli("--db", "mysql://x@y/z", "history", env=env),
                       "unsupported database")
    assert_clean_error(run_cli("history", "--limit", "0", env=env), "--limit 0")


def test_assigning_again_updates_the_open_assignment_and_says_so(tmp_path):
    env = {"SHADOWBOX_HOME": str(tmp_path / "home"), "SHADOWBOX_USER": "maya"}
    first, later = date.today() + timedelta(days=3), date.today() + timedelta(days=10)
    proc = run_cli("assign", "procurement-head", "--to", "ana,ben", "--due", first.isoformat(),
                   "--pass", "60", env=env)
    assert proc.returncode == 0, proc.stderr
    proc = run_cli("assign", "procurement-head", "--to", "Ana,chen", "--due", later.isoformat(),
                   "--pass", "80", env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        f"Assigned procurement-head to chen, due {later.isoformat()}, pass mark 80.",
        f"Updated ana's open assignment of procurement-head (was due {first.isoformat()}, "
        f"pass mark 60): due {later.isoformat()}, pass mark 80."]
    rows = json.loads(run_cli("assignments", "--all", "--json", env=env).stdout)
    assert sorted((a["user"], a["due"], a["pass_mark"]) for a in rows) == [
        ("ana", later.isoformat(), 80.0), ("ben", first.isoformat(), 60.0),
        ("chen", later.isoformat(), 80.0)]


def test_team_names_an_unknown_scenario_and_shows_no_empty_leaderboards(tmp_path):
    env = {"SHADOWBOX_HOME": str(tmp_path / "home")}
    assert_clean_error(run_cli("team", "--scenario", "nosuch", env=env), "nosuch")
    proc = run_cli("team", "--scenario", "procurement-head", env=env)  # known, not practised
    assert proc.returncode == 0 and proc.stdout.startswith("No practice yet")
    run_cli("assign", "procurement-head", "--to", "ana", "--due", "2030-01-01", env=env)
    proc = run_cli("team", env=env)  # ana is listed for her assignment; nothing is ranked
    assert proc.returncode == 0 and proc.stdout.startswith("Team: 1 rep,")
    assert "Leaderboards" not in proc.stdout


def test_db_status_on_an_unreachable_database_still_counts_the_spool(tmp_path):
    from pgserver import free_port

    env = {"SHADOWBOX_HOME": str(tmp_path / "home"), "SHADOWBOX_USER": "ana"}
    dead = f"postgresql://ana@127.0.0.1:{free_port()}/gone"
    run_cli("--db", dead, "play", "procurement-head", "--script", "-", "--seed", "3", "--save",
            env=env, stdin=SCRIPT)
    proc = run_cli("--db", dead, "db", "status", env=env)
    assert_clean_error(proc, "cannot open the history database")
    assert "spooled:  1 file in " in proc.stdout and "db sync" in proc.stdout
    assert "database: postgresql://ana@127.0.0.1" in proc.stdout


def test_db_upgrade_creates_the_schema_in_an_empty_postgresql_database(pg_url, tmp_path):
    env = {"SHADOWBOX_HOME": str(tmp_path / "home")}
    proc = run_cli("--db", pg_url, "db", "upgrade", env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("schema none -> 0003")
    assert "up to date" in run_cli("--db", pg_url, "db", "upgrade", env=env).stdout
    status = run_cli("--db", pg_url, "--user", "ana", "db", "status", env=env).stdout
    assert "schema:   0003" in status and "user:     ana" in status


def test_play_save_with_the_database_down_keeps_the_turns_for_db_sync(db_url, tmp_path):
    from pgserver import free_port

    env = {"SHADOWBOX_HOME": str(tmp_path / "home"), "SHADOWBOX_USER": "ana"}
    dead = f"postgresql://ana@127.0.0.1:{free_port()}/gone"
    proc = run_cli("--db", dead, "play", "procurement-head", "--script", "-", "--seed", "3",
                   "--save", env=env, stdin=SCRIPT)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "History isn't being saved" in proc.stderr and "db sync" in proc.stderr
    assert "Outcome:" in proc.stdout  # the play itself went ahead
    assert len(list((tmp_path / "home" / "spool").glob("session-*.json"))) == 1
    proc = run_cli("--db", db_url, "db", "sync", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "uploaded session 1 (5 turns)" in proc.stdout
    assert "Nothing to sync" in run_cli("--db", db_url, "db", "sync", env=env).stdout
    rows = json.loads(run_cli("--db", db_url, "history", "--json", env=env).stdout)
    assert [(r["user"], r["rep_turns"]) for r in rows] == [("ana", 2)]


def test_the_team_view_marks_no_value_one_way():
    """A rep with no score, no weakest habit, no assignment and no date shows money.BLANK in
    every empty cell, in the command's text as on the screen, and never another dash."""
    from simulator.commands.team import render
    from simulator.money import BLANK
    from simulator.team import assigned_text
    from simulator.tui.screens.team import cell

    rep = {"user": "ana", "sessions": 0, "drills": 1, "overall": None,
           "habits": {"hold_price": {"average": 80.0, "trend": None}},
           "weakest_habit": None, "last_practised": None,
           "assignments": {"done": 0, "open": 0, "overdue": 0}}
    view = {"reps": [rep, {**rep, "user": "ben", "habits": {"trade": {"average": 50.0,
                                                                       "trend": 3.0}}}],
            "since": None, "scenario": None, "leaderboards": {}}
    text = render(view)
    row = next(line for line in text.splitlines() if line.startswith("ana"))
    assert row.count(BLANK) == 5, row  # overall, trade, weakest, assigned, last practised
    assert "—" not in text
    assert cell(None) == BLANK and assigned_text(rep["assignments"]) == BLANK
