"""Starting files for `shadowbox new`: commented, and clean under validate, lint and test.

Templates are plain text with a few `@@NAME@@` markers filled by `str.replace`
(ids checked against the id pattern first), so the comments survive and nothing
in them is interpreted. `tests/test_toolkit.py` runs validate, lint and test on
freshly scaffolded files, so a template that drifts from the formats fails there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from simulator.errors import ShadowboxError
from simulator.schema import KINDS, schema_file_name, schema_text

_ID = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")

PERSONA = """\
# yaml-language-server: $schema=../schema/persona.schema.json
# A buyer character. Scenarios refer to it by `id`; one persona can star in several.
# Check it with: shadowbox validate @@FILE@@
id: @@ID@@
name: Jordan Reyes          # the buyer's full name, shown in the app and transcripts
role: Operations Director   # job title
company: Halvorsen Freight  # the buyer's company
summary: >-
  Runs a busy operations team, likes the product, and has been told to bring
  every supplier's price down before renewal.
temperament:
  patience: 4   # rep turns in a row with no hold, trade or open question before they give up
  push: 0.5     # how hard they press after a concession (0 to 2)
  give: 0.25    # how much of the gap they close after a hold or a trade (0 to 1)
# What the buyer says. Each entry is a list of variants; one is picked at random
# (seeded). {placeholders} are filled from the deal: {offer}, {buyer_number},
# {list_price}, {walk_away}, {target}, {competitor_price}, {unit}, {name}, {company},
# {rep_company}.
lines:
  # Reactions: said when the rep's move keeps the conversation where it is.
  # Every move needs one (on_tell is optional; it matters in manager scenarios).
  on_concede:
    - "That's better. I think there's a bit more in it, though."
    - "Good, we're moving. {buyer_number} would settle it."
  on_trade:
    - "Maybe. Tell me exactly what you'd need from us for that."
  on_hold:
    - "I hear you, but my budget hasn't changed."
    - "You keep telling me it's worth it. My finance team wants a lower number."
  on_stall:
    - "If you need to ask someone, go ahead. I'll still want {buyer_number}."
  on_open_question:
    - "Fair question. Let me think about how to put it."
  on_closed_question:
    - "Yes, more or less."
    - "No, not really."
  on_other:
    - "Sorry, where are we on the price?"
  on_tell:
    - "I'd rather work that out myself, thanks."
  # Moments: any other name. A scenario state says them with `moment: <name>`.
  price_push:
    - "Before we renew: we need your price closer to {buyer_number} a {unit}. Can you get there?"
    - "Honestly, {offer} a {unit} is hard to defend internally. I was hoping for {buyer_number}."
# Hidden needs, revealed one per open question about the deal (keywords pick which comes first).
reveals:
  - id: busy_season
    text: "The real worry is our busy season. Last year a supplier slipped and we paid for it."
    keywords: [season, worry, last year, risk]
"""

SCENARIO = """\
# yaml-language-server: $schema=../schema/scenario.schema.json
# A practice scenario: a persona in a deal, with the buyer as a state machine.
# Check it with: shadowbox validate @@FILE@@ && shadowbox lint @@FILE@@
# See it with:   shadowbox --library @@DIR@@ graph @@ID@@
id: @@ID@@
title: @@TITLE@@
persona: @@PERSONA@@      # the persona's id
audience: rep            # rep, or manager for coaching scenarios
difficulty: easy         # easy, medium or hard
tags: [price, renewal]
rep_company: Northwind Software
brief: |
  Your customer is renewing and has been asked to cut supplier costs. You sell at
  $100 a seat; their target is $80. Find out what is really behind the
  ask, and hold your price unless you get something worth more in return.
money:
  currency: USD
  unit: seat
  list_price: 100     # your opening price: the standing offer
  walk_away: 90       # the lowest price you may accept
  buyer_target: 80    # the buyer's opening number
  value: Fewer missed shipments in the busy season.
# What the rep may offer, and what to ask for in return. `phrases` help the scorer
# recognise them in a response (lower case).
gives:
  - id: price
    name: A lower price per seat
    phrases: [discount, lower price]
gets:
  - id: longer_term
    name: A two-year renewal
    phrases: [two-year, two year, 24 months, longer term]
habits:               # which habits are scored, and how much each counts
  hold_price: 1.0
  trade: 1.0
  open_questions: 1.0
conversation:
  start: opening
  states:
    opening:
      @@OPENING@@
      # How a strong rep might answer here: the debrief shows it under a weak response.
      model_answer: "Our price is {offer} a {unit}. What is behind the number finance gave you?"
    probing:
      say:
        - "Since you ask: the pressure comes from finance, but what I care about is reliability."
        - "Fair question. Finance sets the number; my team lives with the service."
      model_answer: "Then let's talk reliability. If you renew for two years, {offer} holds for both."
    pressure:
      say:
        - "You're sticking to {offer}, then. Give me one good reason to sign at that."
        - "Still {offer}. Convince me it's worth more than the others charge."
      model_answer: "{offer} keeps your shipments on time in your busy season. What would a late one cost you?"
    agreed:
      say:
        - "Alright. {offer} it is; let's get the renewal signed."
      ending: {status: deal, won: true, price: offer, label: "Renewed at your price"}
    discounted:
      say:
        - "Thanks. {offer} works for us, and I'll remember how easy that was."
      ending: {status: deal, won: false, price: offer, label: "Renewed with a free discount"}
    gave_up:
      say:
        - "We're going round in circles. I'll look at other options."
      ending: {status: no_deal, won: false, label: "The buyer ran out of patience"}
  # For each response, the first transition whose move and condition match fires;
  # if none does, the buyer reacts (the persona's on_<move> lines, or the defaults) and
  # stays. `from: any` means every state that is not an ending.
  turn_budget: 20       # rep turns before the buyer closes with the ending play has earned
  transitions:
    - {from: any, move: any, to: gave_up, when: {patience_spent: true}}
    - {from: [opening, probing, pressure], move: concede, to: discounted}
    - {from: [opening, pressure], move: open_question, to: probing}
    - {from: [opening, probing], move: hold, to: pressure}
    - {from: pressure, move: hold, to: agreed, when: {at_least: {hold: 2}}}
    - {from: [probing, pressure], move: trade, to: agreed}
lesson: |
  A renewal is where price pressure feels most personal. Asking what sits behind the
  target showed you what the customer values; holding $100 and tying it to that
  value kept the renewal whole. A discount given for nothing only teaches the buyer to ask.
"""

TEST = """\
# yaml-language-server: $schema=../schema/playtest.schema.json
# Scenario tests: scripted rep lines and what must happen. Run: shadowbox test @@FILE@@
scenario: @@ID@@
seed: 1
paths:
  - name: asks why, holds the price twice, and renews at list
    lines:
      - "What's behind the target your finance team gave you?"
      - "I understand. Our price stays at $100 a seat, because it keeps your shipments on time."
      - "The price is $100 a seat. That is what reliable delivery in your busy season is worth."
    expect:
      states: [probing, pressure, agreed]
      outcome: {status: deal, won: true, price: 100}
  - name: gives the discount at once
    lines:
      - "Sure, I can drop it to $85 a seat."
    expect:
      states: [discounted]
      outcome: {status: deal, won: false}
"""

_MOMENT = "moment: price_push"
_SAY = ('say:\n        - "We need to talk about the renewal price. {buyer_number} a {unit} '
        'is where we need to be."')


@dataclass(frozen=True)
class Planned:
    """A file `new` will write."""

    path: Path
    text: str


def check_id(name: str, what: str) -> str:
    """NAME as an id (lower case, spaces to '-'), or a one-line error."""
    ident = re.sub(r"\s+", "-", name.strip().lower())
    if not _ID.match(ident):
        raise ShadowboxError(
            f"'{name}' cannot be a {what} id: use lower-case letters, digits, '-' and '_', "
            "starting with a letter (at most 63 characters)")
    return ident


def _fill(template: str, **values: str) -> str:
    for key, value in values.items():
        template = template.replace(f"@@{key}@@", value)
    return template


def _title(ident: str) -> str:
    words = re.split(r"[-_]+", ident)
    return " ".join(words).capitalize()


def plan_persona(folder: Path, ident: str) -> list[Planned]:
    path = folder / "personas" / f"{ident}.yaml"
    return [Planned(path, _fill(PERSONA, ID=ident, FILE=str(path)))]


def plan_scenario(folder: Path, ident: str, persona: str | None = None) -> list[Planned]:
    """The scenario, its test and, unless `persona` names an existing one, a persona."""
    planned: list[Planned] = []
    if persona is None:
        persona = check_id(f"{ident}-buyer", "persona")
        planned += plan_persona(folder, persona)
        opening = _MOMENT
    else:
        opening = _SAY
    path = folder / "scenarios" / f"{ident}.yaml"
    test = folder / "scenarios" / f"{ident}.test.yaml"
    planned.append(Planned(path, _fill(SCENARIO, ID=ident, TITLE=_title(ident),
                                       PERSONA=persona, OPENING=opening, FILE=str(path),
                                       DIR=str(folder))))
    planned.append(Planned(test, _fill(TEST, ID=ident, FILE=str(test))))
    return planned


def plan_schemas(folder: Path) -> list[Planned]:
    """The schema files the `$schema` comments point at, where they are missing."""
    out = []
    for kind in KINDS:
        path = folder / "schema" / schema_file_name(kind)
        if not path.exists():
            out.append(Planned(path, schema_text(kind)))
    return out


def write(planned: list[Planned]) -> list[Path]:
    """Write every planned file, refusing (before writing any) to overwrite one."""
    taken = [p.path for p in planned if p.path.exists()]
    if taken:
        raise ShadowboxError(f"{taken[0]} already exists; choose another NAME or --dir")
    written = []
    for p in planned:
        try:
            p.path.parent.mkdir(parents=True, exist_ok=True)
            p.path.write_text(p.text, encoding="utf-8")
        except OSError as exc:
            raise ShadowboxError(f"{p.path}: cannot write: {exc.strerror or exc}") from None
        written.append(p.path)
    return written
