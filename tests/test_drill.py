"""The drill core: rounds, volunteers, scoring, ties, skips, empty answers, summary, exports."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest
from sqlalchemy import text

from simulator.drill import (Drill, DrillError, cave_ceiling, check_team, moments_of, parse_team,
                             rank, run_script)
from simulator.export import render
from simulator.model import Weights
from simulator.scorecard import habit_totals
from simulator.drill_store import DrillStore
from simulator.loading import library_dirs, load_library
from simulator.scoring import Score, Verdict
from simulator.store import Store

GOOD = "Our price is $8.50 because you reach volume sooner. What's behind the target?"
TRADE = "If you commit to the whole order, we can do $8.40."
CAVE = "Fine, I can do $7.50."
STALL = "Let me check with my manager."


def fake(text: str, *, question="none", price="none", gets=(), stall=False, below=False,
         tips=None) -> Score:
    return Score(text=text, question=Verdict(question, (), f"q {question}"),
                 price=Verdict(price, (), f"p {price}"),
                 exchange=Verdict("yes" if gets else "no"), gets=tuple(gets),
                 stall=Verdict("yes" if stall else "no"), below_walk_away=below,
                 tips=tips if tips is not None else {
                     "hold_price": f"tip hold {price}", "trade": "tip trade",
                     "open_questions": f"tip q {question}", "stall": "tip stall"})


TABLE = {
    GOOD: fake(GOOD, question="open", price="hold"),
    TRADE: fake(TRADE, price="trade", gets=("volume",)),
    CAVE: fake(CAVE, price="concede", below=True),
    STALL: fake(STALL, stall=True),
}


def scripted(text, _ctx):
    return TABLE.get(text, fake(text))


@pytest.fixture(scope="module")
def lib():
    return load_library(library_dirs())


@pytest.fixture
def drill(lib):
    sc = lib.scenario("procurement-head")
    return Drill(sc, lib.persona_of(sc), ["Ana", "Ben", "Chen"], seed=3, scorer=scripted)


def test_team_parsing_and_errors():
    assert parse_team("Ana, Ben,Chen") == ["Ana", "Ben", "Chen"]
    assert parse_team("# sales team\nAna\n  Ben  Lee \n\nChen # new\n") == ["Ana", "Ben Lee",
                                                                          "Chen"]
    with pytest.raises(DrillError, match="appears twice"):
        parse_team("Ana, ana")
    with pytest.raises(DrillError, match="no names"):
        parse_team(" , ,# nobody")
    with pytest.raises(DrillError, match="longer than"):
        check_team(["x" * 41])


def test_moments_come_from_states_then_persona(lib):
    sc = lib.scenario("procurement-head")
    persona = lib.persona_of(sc)
    ms = moments_of(sc, persona)
    ids = [m.id for m in ms]
    assert ids[0] == sc.conversation.start
    assert not any(sc.conversation.states[i].ending for i in ids if i in sc.conversation.states)
    opening = ms[0]
    assert opening.title == "price attack"
    assert set(persona.lines["price_attack"]) <= set(opening.variants)
    # every persona moment is reachable, through a state or on its own
    free = {k for k in persona.lines if not k.startswith("on_")}
    used = {sc.conversation.states[i].moment for i in ids if i in sc.conversation.states}
    assert free <= used | set(ids)


def test_placeholders_filled(drill):
    for m in drill.moments:
        for v in m.variants:
            assert "{" not in v, v
    assert "$7.50" in " ".join(drill.moments[0].variants)


def test_three_people_two_rounds(drill):
    r1 = drill.pose()
    assert r1.number == 1 and r1.moment.id == "opening"
    assert drill.volunteer == "Ana"
    a = drill.answer(GOOD)
    assert (a.participant, a.status, a.overall) == ("Ana", "answered", 100.0)
    assert a.habits == {"hold_price": 100.0, "trade": None, "open_questions": 100.0}
    assert drill.volunteer == "Ben"
    s = drill.skip()
    assert (s.participant, s.status, s.overall) == ("Ben", "skipped", None)
    e = drill.answer("   ")
    assert (e.participant, e.status, e.overall) == ("Chen", "empty", 0.0)
    assert e.habits == {"hold_price": 0.0, "trade": 0.0, "open_questions": 0.0}
    assert drill.round_complete
    assert drill.volunteer == "Ana"  # next after Chen

    r2 = drill.pose()
    assert r2.number == 2 and r2.moment.id == drill.moments[1].id
    c = drill.answer(CAVE)  # Ana
    assert c.overall == 0.0 and ("below walk-away", "bad") in c.badges()
    assert c.coaching == "tip hold concede"
    t = drill.answer(TRADE)  # Ben
    # hold 100 (w 1.5), trade 100 (w 1); an answer that deals with the price is not also
    # required to ask a question, so open questions is not scored here
    assert t.overall == pytest.approx(100.0)
    assert t.habits["open_questions"] is None
    assert t.coaching == "tip hold trade"
    st = drill.answer(STALL)  # Chen
    assert st.coaching == "tip stall"
    assert st.habits["hold_price"] == 0.0

    board = drill.leaderboard()
    assert [(x.place, x.name, x.overall) for x in board] == [
        ("1", "Ben", 100.0), ("2", "Ana", 50.0), ("3", "Chen", 0.0)]
    assert [(x.attempts, x.skipped) for x in board] == [(1, 1), (2, 0), (2, 0)]
    by_q = drill.leaderboard("open_questions")
    assert [(x.place, x.name, x.value) for x in by_q] == [
        ("1", "Ana", 100.0), ("2", "Chen", 0.0), ("–", "Ben", None)]
    with pytest.raises(DrillError, match="not scored"):
        drill.leaderboard("coaching")

    summary = {p.name: p for p in drill.summary()}
    assert summary["Ana"].best.text == GOOD
    assert summary["Ana"].focus == "trade"  # 0 on trade, 50 on the others
    assert summary["Ben"].best.text == TRADE and summary["Ben"].focus is None
    assert summary["Chen"].focus == "hold_price"  # all 0: the heaviest habit first


def test_ties_share_a_rank_in_team_order(lib):
    sc = lib.scenario("procurement-head")
    d = Drill(sc, lib.persona_of(sc), ["Zed", "Amy", "Bo", "Cy"], seed=1, scorer=scripted)
    d.pose()
    d.answer(TRADE)  # Zed
    d.answer(CAVE)   # Amy
    d.answer(TRADE)  # Bo
    d.skip()         # Cy: nothing scored
    board = d.leaderboard()
    assert [(x.place, x.name) for x in board] == [("=1", "Zed"), ("=1", "Bo"), ("3", "Amy"),
                                                  ("–", "Cy")]
    assert rank([("a", 50.04), ("b", 49.96), ("c", 10.0)]) == [(1, True), (1, True), (3, False)]


def test_manager_line_choose_undo_and_another_line(drill):
    with pytest.raises(DrillError, match="no moment posed"):
        drill.answer("hello")
    r = drill.pose(line="  I need   net 120 terms or we walk. ")
    assert r.line == "I need net 120 terms or we walk." and r.moment.source == "manager"
    with pytest.raises(DrillError, match="empty"):
        drill.pose(line="   ")
    drill.choose("chen")
    assert drill.volunteer == "Chen"
    drill.answer(GOOD)
    assert drill.volunteer == "Ana"
    undone = drill.undo()
    assert undone.participant == "Chen" and drill.volunteer == "Chen" and not r.answers
    with pytest.raises(DrillError, match="not in the team"):
        drill.choose("Dora")
    r2 = drill.pose("walkout")
    if len(r2.moment.variants) > 1:
        before = r2.line
        drill.another_line()
        assert r2.line != before
    drill.answer(GOOD)
    with pytest.raises(DrillError, match="already has answers"):
        drill.another_line()
    with pytest.raises(DrillError, match="no moment 'nope'"):
        drill.pose("nope")


def test_timer_and_finish(lib):
    sc = lib.scenario("procurement-head")
    with pytest.raises(DrillError, match="timer"):
        Drill(sc, lib.persona_of(sc), ["A"], timer=1)
    d = Drill(sc, lib.persona_of(sc), ["A", "B"], timer=30, scorer=scripted, seed=2)
    d.pose()
    assert d.answer(GOOD, seconds=45).over_time
    assert not d.answer(GOOD, seconds=12).over_time
    d.finish()
    assert d.finished
    with pytest.raises(DrillError, match="ended"):
        d.pose()


def test_exports(drill):
    drill.pose()
    drill.answer(GOOD)
    drill.skip()
    drill.answer("")
    drill.pose()
    drill.answer("Price | with a pipe, and a comma")
    md = drill.to_markdown()
    assert md.startswith("# Drill: The procurement head")
    assert "| 1 | Ana | 50 |" in md  # (100 + 0) / 2
    assert "Price \\| with a pipe" in md
    assert "- **Ben** passed." in md and "(no answer)" in md
    assert "Work on: **" in md

    rows = list(csv.DictReader(io.StringIO(drill.to_csv())))
    assert [(r["round"], r["participant"], r["status"]) for r in rows] == [
        ("1", "Ana", "answered"), ("1", "Ben", "skipped"), ("1", "Chen", "empty"),
        ("2", "Ana", "answered")]
    assert rows[0]["overall"] == "100.0" and rows[1]["overall"] == ""
    assert rows[3]["answer"] == "Price | with a pipe, and a comma"
    assert rows[0]["coaching"] == "" and rows[0]["advice"]

    data = json.loads(drill.to_json())
    assert data["participants"] == ["Ana", "Ben", "Chen"]
    assert [r["number"] for r in data["rounds"]] == [1, 2]
    assert data["rounds"][0]["answers"][0]["score"]["price"] == "hold"
    assert data["leaderboard"][0]["name"] == "Ana"
    assert set(data["habit_leaderboards"]) == {"hold_price", "trade", "open_questions"}
    assert {p["name"] for p in data["summary"]} == {"Ana", "Ben", "Chen"}
    with pytest.raises(DrillError, match="unknown export format"):
        drill.export("pdf")


def test_exports_name_moments_and_gets_as_the_room_reads_them(drill):
    """No state or get ids in what a team reads: the round is its buyer line, a get its
    name (a moment's id stays in the CSV's `moment` column, for spreadsheets)."""
    drill.pose()
    drill.answer(TRADE)
    md = drill.to_markdown()
    first = drill.moments[0]
    assert f"### Round 1\n\n> {drill.rounds[0].line}" in md
    assert first.title not in md and first.id not in md
    rows = list(csv.DictReader(io.StringIO(drill.to_csv())))
    assert rows[0]["gets"] == "a larger share of the order" and rows[0]["moment"] == first.id


def test_real_scorer_judges_clear_answers(lib):
    sc = lib.scenario("procurement-head")
    d = Drill(sc, lib.persona_of(sc), ["Ana", "Ben"], seed=5)
    d.pose()
    good = d.answer("Our price is $8.50 because you reach full volume weeks sooner than with "
                    "anyone else. What is behind the target?")
    bad = d.answer("OK, I can do $7.50.")
    assert good.score.price.label == "hold" and good.score.question.label == "open"
    assert bad.score.price.label == "concede"
    assert good.overall > bad.overall
    assert good.coaching and bad.coaching


def test_store_round_trip_and_progress(tmp_path, lib):
    ds = DrillStore(Store(tmp_path / "history.db"))
    sc = lib.scenario("procurement-head")
    first = Drill(sc, lib.persona_of(sc), ["Ana", "Ben"], seed=1, scorer=scripted,
                  started_at="2025-03-03T09:00:00+00:00")
    first.pose()
    first.answer(CAVE)
    first.answer(GOOD)
    ds.save(first)
    second = Drill(sc, lib.persona_of(sc), ["ana", "Ben", "Chen"], seed=2, scorer=scripted,
                   started_at="2025-03-10T09:00:00+00:00")
    second.pose()
    second.answer(GOOD)
    second.skip()
    ds.save(second)  # saved mid-drill, then again: replaced, not duplicated
    second.answer(TRADE)
    second.finish()
    ds.save(second)

    listed = ds.drills()
    assert [d["id"] for d in listed] == [second.id, first.id]
    assert listed[0]["team"] == ["ana", "Ben", "Chen"]
    assert listed[0]["leaders"] == ["ana", "Chen"]  # tied at 100
    got = ds.load(second.id)["data"]  # the drill's data; its exports are rendered from it
    assert got["finished_at"] == second.finished_at
    assert render("drill", "md", got) == second.to_markdown()
    assert render("drill", "csv", got) == second.to_csv()
    prog = ds.progress()
    assert [p["overall"] for p in prog["ana"]] == [0.0, 100.0]
    assert [p["place"] for p in prog["Ben"]] == ["1", "–"]
    assert prog["Chen"][0]["overall"] == pytest.approx(100.0)
    n = ds.store.read(lambda conn: conn.execute(
        text("SELECT COUNT(*) FROM drill_answers WHERE drill_id = :d"), {"d": second.id}).scalar())
    assert n == 3
    with pytest.raises(Exception, match="no drill 'nope'"):
        ds.load("nope")
    # the session history in the same file is untouched and usable
    assert Store(tmp_path / "history.db").sessions() == []
    ds.close()


def test_an_answer_is_read_against_the_moments_line(lib):
    sc = lib.scenario("procurement-head")
    d = Drill(sc, lib.persona_of(sc), ["Ana", "Ben"], seed=5)
    d.pose(line="Everyone else is at $7.50. Can you do $7.50?")
    yes = d.answer("Sure, we can do that.")
    d.pose(line="Can you send me the case study from the Ohio plant?")
    other = d.answer("Sure, we can do that.")
    assert yes.score.price.label == "concede" and yes.score.named_price == 7.5
    assert other.score.price.label == "none"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(lib, start):
    sc = lib.scenario("procurement-head")
    name = f"{start}HYPERLINK(\"http://x.example\")"
    d = Drill(sc, lib.persona_of(sc), [name, "Ben"], seed=3, scorer=scripted)
    d.pose()
    d.answer(f"{start}cmd|' /C calc'!A0")
    d.answer("-5 is what we can take off")
    rows = list(csv.DictReader(io.StringIO(d.to_csv())))
    kept = " ".join(name.split())  # names are trimmed: a leading tab or CR goes anyway
    assert rows[0]["participant"] == ("'" + kept if kept[0] in "=+-@" else kept)
    for row in rows:
        for key, value in row.items():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (key, value)
    assert rows[1]["answer"] == "'-5 is what we can take off"
    assert rows[0]["round"] == "1" and rows[0]["drill"] == d.id  # plain cells untouched


# ------------------------------------------------------------------ issue 16: what a new user hit

TRADED_CAVE = "ok we can do 10% off if you sign this week"
HOLD = "Our price is $8.50."
TABLE[TRADED_CAVE] = fake(TRADED_CAVE, price="trade", gets=("signature_date",), below=True)
TABLE[HOLD] = fake(HOLD, price="hold")


def test_a_traded_cave_never_earns_full_marks_or_best_answer(lib):
    sc = lib.scenario("procurement-head")
    d = Drill(sc, lib.persona_of(sc), ["Ana", "Ben"], seed=3, scorer=scripted)
    d.pose()
    cave = d.answer(TRADED_CAVE)                 # Ana caves, with a trade attached
    held = d.answer(HOLD)                        # Ben holds (nothing else)
    assert cave.habits["hold_price"] == 0.0 and cave.caved
    assert cave.overall is not None and cave.overall < 100
    assert cave.overall <= cave_ceiling(sc.habits) < held.overall
    board = d.leaderboard()
    assert [s.name for s in board] == ["Ben", "Ana"] and board[0].rank == 1
    ana = next(p for p in d.summary() if p.name == "Ana")
    assert ana.best is None                      # a cave is never anyone's best answer
    assert "none that held the price" in d.to_markdown()


def test_a_cave_ranks_below_the_weakest_hold_with_the_real_scorer(lib):
    sc = lib.scenario("procurement-head")
    d = Drill(sc, lib.persona_of(sc), ["Ana", "Ben"], seed=3)
    d.pose()
    cave = d.answer("ok we can do $7.50 if you sign this week. What is behind the target?")
    hold = d.answer("Our price is $8.50. Is that a problem?")  # held, only a closed question
    assert cave.caved and not hold.caved
    assert cave.overall < hold.overall


def test_the_session_debrief_counts_a_traded_cave_as_not_holding():
    s = fake(TRADED_CAVE, price="trade", gets=("signature_date",), below=True)
    totals, _ = habit_totals([s], Weights())
    hold = next(t for t in totals if t.habit == "hold_price")
    assert hold.score == 0.0 and "1 below walk-away" in hold.detail


def test_posing_again_before_any_answer_leaves_no_empty_round(drill):
    drill.pose()
    drill.pose(line="Net 120 or no deal.")      # F5 before anyone answered
    assert [r.number for r in drill.rounds] == [1]
    assert drill.current.line == "Net 120 or no deal."
    drill.answer(GOOD)
    drill.pose()                                 # posed, then the drill ends unanswered
    drill.finish()
    data = drill.to_dict()
    assert [r["number"] for r in data["rounds"]] == [1]
    assert "Round 2" not in drill.to_markdown()
    assert "Rounds: 1" in drill.to_markdown()


def test_pose_takes_the_wording_asked_for(drill):
    m = next(m for m in drill.moments if len(m.variants) > 1)
    for _ in range(5):
        assert drill.pose(m.id, variant=0).line == m.variants[0]
    with pytest.raises(DrillError, match="wordings"):
        drill.pose(m.id, variant=len(m.variants))


def test_run_script_answers_moves_on_and_names_bad_lines(lib):
    sc = lib.scenario("procurement-head")
    d = Drill(sc, lib.persona_of(sc), ["Ana", "Ben"], seed=3, scorer=scripted)
    run_script(d, f"# a drill\nAna: {GOOD}\nben: {TRADE}\n---\n\nBen:\nAna: {CAVE}\n---\n")
    assert [(a.round, a.participant, a.status) for a in d.answers] == [
        (1, "Ana", "answered"), (1, "Ben", "answered"), (2, "Ben", "empty"),
        (2, "Ana", "answered")]
    assert len(d.answered_rounds) == 2 and d.rounds[1].moment.id == d.moments[1].id
    d2 = Drill(sc, lib.persona_of(sc), ["Ana", "Ben"], seed=3, scorer=scripted)
    with pytest.raises(DrillError, match=r"s\.txt:2: 'Zed' is not in the team"):
        run_script(d2, f"Ana: {GOOD}\nZed: hello\n", "s.txt")
    with pytest.raises(DrillError, match=r"s\.txt:1: expected 'NAME: answer' or '---'"):
        run_script(d2, "just some words\n", "s.txt")


def test_a_drill_is_set_in_the_session_core_without_playing_a_session(lib, monkeypatch):
    """A drill builds no Session and no Buyer: it reads the session core's Setting at the
    opening deal, so its answers are scored with the context, and its moments filled with
    the figures, a fresh one-on-one conversation would use."""
    import simulator.buyer as buyer
    from simulator.session import Session

    sc = lib.scenario("procurement-head")
    built = []
    real = buyer.Buyer.__init__
    monkeypatch.setattr(buyer.Buyer, "__init__",
                        lambda self, *a, **kw: built.append(1) or real(self, *a, **kw))
    seen = []
    d = Drill(sc, lib.persona_of(sc), ["Ana", "Ben"], seed=5,
              scorer=lambda text, ctx: seen.append(ctx) or scripted(text, ctx))
    rnd = d.pose()
    d.answer("GOOD")
    assert not built
    s = Session(sc, lib.persona_of(sc), seed=5)
    assert seen == [replace(s.context(), buyer_said=rnd.line)]
    assert "{" not in rnd.line and s.buyer.fill("{offer} / {buyer_number}") == \
        d.setting.fill("{offer} / {buyer_number}", d.deal) == "$8.50 / $7.50"
