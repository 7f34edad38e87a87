"""One debrief model: a session just played and the same session read back from history
render the same text, Markdown, HTML, JSON and app screen; exports of sessions and drills
go through one registry of formats."""

from __future__ import annotations

import json

import pytest

from simulator.debrief import Debrief, render_text, to_html, to_json, to_markdown
from simulator.errors import ShadowboxError
from simulator.export import FORMATS, EXPORT_DIR_ENV, format_of, render, write, write_all
from simulator.loading import load_library
from simulator.session import Session
from simulator.store import Store
from test_tui_support import CONCEDE, HOLD, TRADE, Clock, run_async, scorer, write_library

MARKUP = "[bold red]Fine[/] <b>&</b> *whatever* you say"
LINES = [HOLD, CONCEDE, MARKUP, TRADE]


def play(store: Store, lib, lines, *, finish: bool = True):
    sc = lib.scenario("renewal")
    s = Session(sc, lib.persona_of(sc), seed=7, scorer=scorer)
    sid = store.record(s)
    for line in lines:
        if not s.finished:
            s.respond(line)
    if finish:
        if not s.finished:
            s.end()
        store.finish(sid, s)
    else:
        store.recording_of(s).save()
    return s, sid


@pytest.fixture
def lib(tmp_path):
    return load_library([write_library(tmp_path / "lib")])


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "home" / "history.db", clock=Clock())


def both(store, lib, lines, **kw) -> tuple[Debrief, Debrief]:
    """The live debrief of a session and the one read back from history."""
    s, sid = play(store, lib, lines, **kw)
    record = store.load(sid)
    return Debrief.from_session(s, sid, record["started"]), Debrief.from_record(record)


@pytest.mark.parametrize("finish", [True, False])
def test_live_and_stored_debriefs_render_the_same(store, lib, finish):
    live, stored = both(store, lib, LINES if finish else LINES[:2], finish=finish)
    assert render_text(live) == render_text(stored)
    assert to_markdown(live) == to_markdown(stored)
    assert to_html(live) == to_html(stored)
    a, b = json.loads(to_json(live)), json.loads(to_json(stored))
    a.pop("updated"), b.pop("updated")  # when it was last written: now, for the live one
    assert a == b
    # and what they render is the real debrief: the turning points the app showed live,
    # stronger answers under the weak turns
    from simulator.coaching import turning_points

    s, _ = play(store, lib, LINES if finish else LINES[:2], finish=finish)
    assert stored.points == turning_points(s) and stored.points
    assert "## Turning points" in to_markdown(stored)
    assert [r["turn"] for r in stored.stronger] == ([2, 3] if finish else [2])
    assert "> A strong rep might say: “If you sign for three years, $12.00 holds.”" in \
        to_markdown(stored)
    assert "A strong rep might say: “If you sign" in render_text(stored)


def test_the_debrief_wording_is_written_once(store, lib):
    """The outcome, price and plan lines are the model's, the same in every renderer."""
    _, d = both(store, lib, LINES)
    rows = dict(d.summary())
    assert rows["Outcome"] == "Renewed at your price [deal, won]"
    # what the rep planned to trade for, in words, never the scenario's ids ("term")
    assert rows["Plan"] == "target $12.00, walk-away $10.50, trade for a three-year term, " \
        "a reference call"
    assert rows["Concessions"].startswith("1 given; 1 response asked for something back")
    text, md, page = render_text(d), to_markdown(d), to_html(d)
    for label in ("Outcome", "Price", "Deal", "Overall", "Concessions"):
        assert f"{label}: {rows[label]}" in text
        assert f"<dt>{label}</dt><dd>" in page
        assert f"- **{label}:** " in md
    assert "Played: " not in text and "Seed: 7" in text  # the same script prints the same


def test_an_unfinished_session_says_so_everywhere(store, lib):
    _, d = both(store, lib, [HOLD], finish=False)
    assert d.outcome_text == "Not finished yet [in_progress]"
    assert "Not finished yet" in to_markdown(d) and "Not finished yet" in render_text(d)


def test_rep_text_is_never_markup(store, lib):
    _, d = both(store, lib, LINES)
    md, page, text = to_markdown(d), to_html(d), render_text(d)
    assert "\\[bold red\\]Fine\\[/\\] \\<b\\>&\\</b\\> \\*whatever\\* you say" in md
    assert "[bold red]Fine[/] &lt;b&gt;&amp;&lt;/b&gt; *whatever* you say" in page
    assert "<b>&</b>" not in page
    assert MARKUP in json.loads(to_json(d))["turns"][5]["text"]
    assert "Turns:" in text


@run_async
async def test_the_app_shows_the_same_debrief_live_and_reviewed(tmp_path, monkeypatch):
    from textual.widgets import DataTable

    from simulator.tui.screens.debrief import DebriefScreen
    from test_tui_support import app_for

    app = app_for(tmp_path, monkeypatch)
    lib = load_library([tmp_path / "lib"])

    def shown(screen) -> list[str]:
        out = [str(screen.query_one(f"#{w}").render())
               for w in ("outcome", "price", "habits", "plan", "stronger", "lesson")]
        table = screen.query_one("#turns", DataTable)
        out += [" | ".join(map(str, table.get_row_at(i))) for i in range(table.row_count)]
        return out

    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        session, sid = play(app.store, lib, LINES)
        await app.push_screen(DebriefScreen(session, sid))
        await pilot.pause()
        live = shown(app.screen)
        app.pop_screen()
        await pilot.pause()
        app.review(sid)
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen) and app.screen.session is not None
        assert shown(app.screen) == live
        stronger = str(app.screen.query_one("#stronger").render())
        assert MARKUP in stronger  # shown as typed: never read as markup
        assert "you said “Fine, I can do $11 a seat if that helps.”" in stronger


@run_async
async def test_a_session_whose_scenario_has_gone_is_still_reviewed(tmp_path, monkeypatch):
    from simulator.tui.screens.debrief import DebriefScreen
    from test_tui_support import app_for

    app = app_for(tmp_path, monkeypatch)
    lib = load_library([tmp_path / "lib"])
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        _, sid = play(app.store, lib, LINES)
        del app.library.scenarios["renewal"]
        app.review(sid)
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen) and app.screen.session is None
        assert "Renewed at your price" in str(app.screen.query_one("#outcome").render())
        # the turning points are read from the stored turns, not the replay
        assert "▼ Turn 2: you conceded; your offer fell from $12.00 to $11.00." in str(
            app.screen.query_one("#points").render())
        await pilot.press("r")  # no replay, no retry: said, not crashed
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)


# ------------------------------------------------------------ the registry


def test_one_registry_of_formats_for_sessions_and_drills():
    assert list(FORMATS["session"]) == ["md", "html", "json"]
    assert list(FORMATS["drill"]) == ["md", "csv", "json"]
    assert format_of("drill", "csv").ext == "csv"
    with pytest.raises(ShadowboxError, match=r"unknown export format 'pdf' for a drill "
                                             r"\(use md, csv, json\)"):
        render("drill", "pdf", {})


def _drill(lib_dirs=None):
    from simulator.drill import Drill
    from simulator.loading import library_dirs
    from test_drill import GOOD, scripted

    lib = load_library(library_dirs([]))
    sc = lib.scenario("procurement-head")
    d = Drill(sc, lib.persona_of(sc), ["=Ana", "Ben"], seed=3, scorer=scripted,
              drill_id="d1", started_at="2026-03-10T09:00:00+00:00")
    d.pose()
    d.answer(GOOD)
    d.answer("-5 off, fine")
    return d


def test_a_drill_exports_every_format_into_a_folder_and_asks_before_overwriting(tmp_path):
    from simulator.export import ExportExists

    d = _drill()
    paths = write_all(d.to_dict(), tmp_path / "out", kind="drill")
    assert [p.name for p in paths] == [f"drill-2026-03-10-procurement-head-d1.{e}"
                                       for e in ("md", "csv", "json")]
    assert paths[0].read_text() == d.to_markdown() and paths[1].read_text() == d.to_csv()
    assert "'=Ana" in paths[1].read_text() and "'-5 off" in paths[1].read_text()
    with pytest.raises(ExportExists):
        write_all(d.to_dict(), tmp_path / "out", kind="drill")
    assert write_all(d.to_dict(), tmp_path / "out", kind="drill", force=True) == paths


def test_served_exports_stay_inside_their_folder(tmp_path, monkeypatch, store, lib):
    jail = tmp_path / "jail"
    jail.mkdir()
    monkeypatch.setenv(EXPORT_DIR_ENV, str(jail))
    with pytest.raises(ShadowboxError, match="exports from this app go only into"):
        write_all(_drill().to_dict(), tmp_path / "elsewhere", kind="drill")
    _, sid = play(store, lib, [HOLD])
    with pytest.raises(ShadowboxError, match="exports from this app go only into"):
        write(store.load(sid), "md", "../out.md")
    assert write(store.load(sid), "html", "x.html").parent == jail.resolve()


def test_a_stored_drill_exports_as_the_live_one(tmp_path):
    from simulator.drill_store import DrillStore

    d = _drill()
    ds = DrillStore(Store(tmp_path / "history.db"))
    ds.save(d)
    data = ds.load("d1")["data"]
    for fmt in FORMATS["drill"]:
        assert render("drill", fmt, data) == d.export(fmt)
    cols = ds.store.read(lambda conn: [c["name"] for c in __import__("sqlalchemy").inspect(
        conn).get_columns("drills")])
    assert "markdown" not in cols and "csv" not in cols  # the data, not rendered documents


def test_a_drill_spooled_before_schema_0003_still_uploads(tmp_path):
    """A spool file written by an older Shadowbox holds the rendered documents too."""
    from simulator.drill_store import DrillStore, drill_rows

    d = _drill()
    rows = drill_rows(d, "ana")
    rows["drill"] |= {"markdown": d.to_markdown(), "csv": d.to_csv()}
    ds = DrillStore(Store(tmp_path / "history.db"))
    ds.upload(rows)
    assert render("drill", "md", ds.load("d1")["data"]) == d.to_markdown()
