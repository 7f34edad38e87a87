"""Shared fixtures: a tiny library written to a temporary folder, and a scripted scorer."""

from __future__ import annotations

import os
import tempfile
import textwrap
from pathlib import Path

import pytest

# The parsed-library cache of this test run (and of the commands it runs) lives in a
# folder of its own, never in the user's cache folder.
os.environ["SHADOWBOX_CACHE"] = tempfile.mkdtemp(prefix="shadowbox-cache-")

from simulator.scoring import Score, Span, Verdict

PERSONA = """\
id: tester
name: Tess Ter
role: Buyer
company: Testco
temperament: {patience: 3, push: 0.5, give: 0.5}
lines:
  on_concede: ["More, please."]
  on_trade: ["Go on."]
  on_hold: ["Hmm, {buyer_number}."]
  on_stall: ["Ask them, then."]
  on_open_question: ["Good question."]
  on_closed_question: ["Maybe."]
  on_other: ["Pardon?"]
  attack: ["Your price of {offer} is too high.", "Nobody pays {offer}."]
reveals:
  - {id: budget, text: "Our budget resets in May.", keywords: [budget]}
  - {id: boss, text: "My boss signs.", keywords: []}
"""

SCENARIO = """\
id: tiny
title: A tiny deal
persona: tester
difficulty: easy
tags: [price]
brief: Sell the widget.
money: {currency: USD, unit: widget, list_price: 10.0, walk_away: 8.0, buyer_target: 6.0}
gets:
  - {id: volume, name: More volume, phrases: [volume]}
conversation:
  start: opening
  states:
    opening: {moment: attack, model_answer: "Our price is {offer}. What is behind your number?"}
    pressed: {say: ["Still {offer}? Come on."], model_answer: "If you take more volume, {offer} holds."}
    won: {say: ["Deal at {offer}."], ending: {status: deal, won: true, price: offer, label: Won}}
    caved: {say: ["Deal at {buyer_number}."], ending: {status: deal, won: false, price: offer, label: Caved}}
    gone: {say: ["Bye."], ending: {status: no_deal, won: false, label: Gone}}
  transitions:
    - {from: [opening, pressed], move: any, to: gone, when: {patience_spent: true}}
    - {from: [opening, pressed], move: concede, to: caved, when: {at_least: {concede: 2}}}
    - {from: opening, move: [hold, concede], to: pressed}
    - {from: pressed, move: hold, to: won, when: {at_least: {hold: 2}}}
    - {from: pressed, move: trade, to: won, when: {gets_asked: [volume]}}
lesson: Hold the price.
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def tiny_lib(tmp_path: Path) -> Path:
    """A library folder with one persona and one scenario."""
    write(tmp_path / "personas" / "tester.yaml", PERSONA)
    write(tmp_path / "scenarios" / "tiny.yaml", SCENARIO)
    return tmp_path


def verdict(
    text: str = "",
    *,
    question: str = "none",
    price: str = "none",
    gets: tuple[str, ...] = (),
    asks: tuple[str, ...] = (),
    stall: bool = False,
    named: float | None = None,
) -> Score:
    """A Score built by hand, so buyer and session tests do not depend on the scorer."""
    whole = (Span(0, len(text), text),) if text else ()
    return Score(
        text=text,
        question=Verdict(question, whole if question != "none" else ()),
        price=Verdict(price, whole if price != "none" else ()),
        exchange=Verdict("yes" if gets else "no"),
        gets=gets,
        asks=asks or gets,
        stall=Verdict("yes" if stall else "no"),
        named_price=named,
    )


def scripted_scorer(table: dict[str, Score]):
    """A scorer that looks the response up in `table` (unknown text scores as nothing)."""

    def score(text: str, _context) -> Score:
        return table.get(text, verdict(text))

    return score


# ------------------------------------------------------------------ databases

#: Set by .ci/run: the URL of a PostgreSQL server it started (a database the tests may use
#: to create and drop their own).
PG_ENV = "SHADOWBOX_TEST_PG_URL"


@pytest.fixture
def snap_compare(snap_compare, monkeypatch):
    """pytest-textual-snapshot's comparison with the text cursor kept shown: a blinking cursor
    would make a snapshot depend on the moment it was taken."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    return snap_compare


@pytest.fixture(scope="session")
def pg_admin() -> str:
    """The URL of a PostgreSQL server's admin database: CI's, else one started here."""
    import os

    from pgserver import PgServer, binaries

    if os.environ.get(PG_ENV):
        yield os.environ[PG_ENV]
        return
    if binaries() is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine; "
                    "install Debian's postgresql package")
    server = PgServer().start()  # binaries but no server is a failure, not a skip
    yield server.url("postgres")
    server.remove()


@pytest.fixture
def pg_url(pg_admin) -> str:
    """A fresh, empty PostgreSQL database for one test."""
    import uuid

    from pgserver import create_database, drop_database

    name = "t_" + uuid.uuid4().hex[:12]
    url = create_database(pg_admin, name)
    yield url
    drop_database(pg_admin, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """The store suite runs against both backends: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return "sqlite:///" + str(tmp_path / "history.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="module")
def lib():
    """The bundled library (a test module may define its own `lib`)."""
    from simulator.loading import bundled_dir, load_library

    return load_library([bundled_dir()])


def play(lib, scenario: str, lines: list[str], seed: int = 1):
    """A session of `scenario` from `lib`, played through `lines`."""
    from simulator.session import Session

    sc = lib.scenario(scenario)
    s = Session(sc, lib.persona_of(sc), seed=seed)
    s.play(lines)
    return s


def buyer_lines(s) -> list[str]:
    return [t.text for t in s.turns if t.speaker == "buyer"]


def rep_moves(s) -> list[tuple[str, ...]]:
    return [t.moves for t in s.turns if t.speaker == "rep"]
