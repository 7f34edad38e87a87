"""Shared by the app tests: a small library of our own, a scripted scorer, a fixed clock.

The app tests use their own scenario and a scorer that looks responses up in a
table, so they test the app, not the scorer or the bundled content (both change
under other people's hands). Imported by tests/test_tui*.py and tests/test_store.py.
"""

from __future__ import annotations

import time
from pathlib import Path

from simulator.scoring import Score, Span, Verdict
from simulator.store import Store

PERSONA = """\
id: it-director
name: Dana Whitlow
role: IT Director
company: Northfield Clinics
summary: Runs IT for nine clinics on a tight budget; was burned by a slow restore last winter.
temperament: {patience: 4, push: 0.5, give: 0.4}
lines:
  on_concede: ["Better. Keep going.", "That helps. What else can move?"]
  on_trade: ["Maybe. Tell me exactly what you need from us."]
  on_hold: ["You keep repeating {offer}. I have a quote at {competitor_price}."]
  on_stall: ["So someone else decides. Tell them {buyer_number}."]
  on_open_question: ["Fair enough, here is the background."]
  on_closed_question: ["Yes. Anything else?"]
  on_other: ["I'm not sure what you're getting at."]
  ask: ["The renewal at {offer} a seat won't fly. I need {buyer_number}."]
reveals:
  - {id: restore_pain, text: "Last winter a restore took three days and two clinics ran on paper.", keywords: [behind, winter, restore]}
  - {id: audit, text: "An audit is due in March, and backups are on the checklist.", keywords: [audit, march]}
"""

SCENARIO = """\
id: renewal
title: The backup renewal under budget pressure
persona: it-director
audience: rep
difficulty: medium
tags: [price, renewal]
rep_company: Harbor Vault
brief: Northfield Clinics renews its cloud backup every year. The director wants a cut.
money:
  currency: USD
  unit: seat
  list_price: 12.00
  walk_away: 10.50
  buyer_target: 9.00
  competitor_price: 9.50
  value: Restores in minutes instead of days.
  quantity: 400
gets:
  - {id: term, name: A three-year term, phrases: [three years]}
  - {id: reference, name: A reference call, phrases: [reference]}
conversation:
  start: opening
  states:
    opening: {moment: ask, model_answer: "Our price is {offer} a seat because restores take minutes. What is behind your number?"}
    pushing: {say: ["Still {offer}? The other quote is {competitor_price}."], model_answer: "If you sign for three years, {offer} holds."}
    won: {say: ["All right, {offer} with the term. Send the paperwork."], ending: {status: deal, won: true, price: offer, label: Renewed at your price}}
    caved: {say: ["{buyer_number} it is, then."], ending: {status: deal, won: false, price: offer, label: Renewed at the buyer's number}}
    lost: {say: ["We'll go with the other quote."], ending: {status: no_deal, won: false, label: Lost to the other quote}}
  transitions:
    - {from: [opening, pushing], move: any, to: lost, when: {patience_spent: true}}
    - {from: [opening, pushing], move: concede, to: caved, when: {at_least: {concede: 2}}}
    - {from: opening, move: [hold, concede], to: pushing}
    - {from: pushing, move: trade, to: won, when: {gets_asked: [term]}}
    - {from: pushing, move: hold, to: won, when: {at_least: {hold: 3}}}
lesson: Hold the renewal price and trade any move for a longer term.
"""

HOLD = "Our price is $12 a seat because restores take minutes, not days."
OPEN = "What's behind the nine dollar figure?"
TRADE = "If you sign for three years, we can hold $11.50."
CONCEDE = "Fine, I can do $11 a seat if that helps."
CONCEDE_AGAIN = "Alright, make it $10.50 and we're done."
CLOSED = "Is that your final budget?"


def _span(text: str, part: str) -> tuple[Span, ...]:
    start = text.index(part)
    return (Span(start, start + len(part), part),)


def _score(text: str, question: str = "none", price: str = "none", q_ev: str = "",
           p_ev: str = "", gets: tuple[str, ...] = (), x_ev: str = "",
           named: float | None = None) -> Score:
    return Score(
        text=text,
        question=Verdict(question, _span(text, q_ev) if q_ev else (), f"{question} question"),
        price=Verdict(price, _span(text, p_ev) if p_ev else (), f"price {price}"),
        exchange=Verdict("yes" if gets else "no", _span(text, x_ev) if x_ev else ()),
        gets=gets,
        named_price=named,
        tips={"hold_price": "Restate the price and tie it to the value."},
    )


SCORES = {
    HOLD: _score(HOLD, price="hold", p_ev="Our price is $12"),
    OPEN: _score(OPEN, question="open", q_ev="What's behind"),
    TRADE: _score(TRADE, price="trade", p_ev="we can hold $11.50", gets=("term",),
                  x_ev="If you sign for three years"),
    CONCEDE: _score(CONCEDE, price="concede", p_ev="I can do $11", named=11.0),
    CONCEDE_AGAIN: _score(CONCEDE_AGAIN, price="concede", p_ev="make it $10.50", named=10.5),
    CLOSED: _score(CLOSED, question="closed", q_ev="Is that"),
}


def scorer(text: str, _context) -> Score:
    """Looks the response up; anything else scores as nothing."""
    return SCORES.get(text) or _score(text)


def played(store: Store, lib, lines, seed: int = 1) -> int:
    """Play `lines` of the renewal scenario, saved in `store` turn by turn; ended and
    finished. Returns the session id."""
    from simulator.session import Session

    sc = lib.scenario("renewal")
    s = Session(sc, lib.persona_of(sc), seed=seed, scorer=scorer)
    sid = store.record(s)
    for line in lines:
        if not s.finished:
            s.respond(line)
    s.end()
    store.finish(sid, s)
    return sid


def write_library(root: Path) -> Path:
    (root / "personas").mkdir(parents=True, exist_ok=True)
    (root / "scenarios").mkdir(parents=True, exist_ok=True)
    (root / "personas" / "it-director.yaml").write_text(PERSONA, encoding="utf-8")
    (root / "scenarios" / "renewal.yaml").write_text(SCENARIO, encoding="utf-8")
    return root


class Clock:
    """A clock that starts on 5 January 2026, 09:00 UTC and ticks a minute per reading."""

    def __init__(self, start: float = 1767603600.0) -> None:
        self.now = start

    def __call__(self) -> float:
        self.now += 60
        return self.now


def utc(monkeypatch) -> None:
    """Render local times in UTC, so dates in snapshots do not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


def setup(tmp_path: Path, monkeypatch) -> tuple[Path, Store]:
    """A library and an empty history in tmp_path; cwd there too (exports must not land in it)."""
    utc(monkeypatch)
    monkeypatch.setenv("SHADOWBOX_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SHADOWBOX_LIBRARY", raising=False)
    monkeypatch.chdir(tmp_path)
    lib = write_library(tmp_path / "lib")
    return lib, Store(tmp_path / "home" / "history.db", clock=Clock())


def app_for(tmp_path: Path, monkeypatch, **kw):
    """The app on our library, scripted scorer, seed 7, history in tmp_path."""
    from simulator.loading import load_library
    from simulator.tui.app import make_app

    lib, store = setup(tmp_path, monkeypatch)
    kw.setdefault("seed", 7)
    if kw.pop("preload", True):
        kw["library"] = load_library([lib])
    return make_app(dirs=[lib], store=store, scorer=scorer, **kw)




def run_async(fn):
    """Run an async test body with asyncio (no async plugin needed)."""
    import asyncio
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


def test_badges_flow_to_the_width_without_splitting_one():
    from simulator.scoring import Context, score
    from simulator.tui.widgets.turn import badges

    s = score("I can do 7.90 if you sign today. Let me check with my manager.",
              Context(our_price=8.5, their_price=7.5, walk_away=8.2))
    one_line = badges(s).plain
    labels = [part.strip() for part in one_line.split("  ") if part.strip()]
    assert len(labels) >= 4
    for width in (20, 30, 45, 200):
        lines = badges(s, width).plain.split("\n")
        assert all(len(line) <= width for line in lines) or len(lines) == len(labels)
        for label in labels:  # every badge whole on one line
            assert any(label in line for line in lines), (width, label, lines)
    assert len(badges(s, 200).plain.split("\n")) == 1


async def settle(pilot, done, rounds: int = 200) -> None:
    """Let the app work until `done()` (a burst of keys passes through several queues; on a
    busy machine one pause is not enough). No sleeping: each round is one idle pause."""
    for _ in range(rounds):
        if done():
            return
        await pilot.pause()


async def practise(pilot, scenario: str = "renewal"):
    """Open practice on `scenario` from the app's library; returns the practice screen."""
    app = pilot.app
    await pilot.pause()
    app.begin(app.library.scenario(scenario))
    await pilot.pause()
    return app.screen


async def reply_all(pilot, practice, lines) -> None:
    """Type each line into the practice reply and press Enter, until the conversation ends."""
    from textual.widgets import Input

    for text in lines:
        reply = practice.query_one("#reply", Input)
        reply.value = text
        reply.focus()
        await pilot.press("enter")
        await pilot.pause()
        if practice.session.finished:
            break
