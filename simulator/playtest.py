"""Scenario tests: scripted rep lines with the expected states, outcome and totals.

One format for the library's golden playthroughs (`tests/playthroughs/`) and for
trainers' own tests (`*.test.yaml` beside their scenarios):

    scenario: procurement-head
    seed: 1
    paths:
      - name: holds the price and wins the whole order
        lines: ["Our price is $8.50 ...", "..."]
        expect:
          states: [pressure, walkout, ...]     # the state after each line (optional)
          outcome: {status: deal, won: true, price: 8.5}
          totals: {hold: 4, concede: 0, open: 1}

A path may instead (or as well) say what kind of play it is: `kind: good` must win, `bad`
must lose, and `mixed` must score between the file's bad and good paths. With `seeds: [1, 2,
3, 4]` every path is played at each seed. The blind playthroughs (bench/playthroughs/) are
written this way.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, ValidationError, model_validator

from simulator.errors import Problem
from simulator.loading import Library, validation_problems
from simulator.model import Identifier, StateName, Status, Strict
from simulator.yamlsrc import Source, read_yaml

if TYPE_CHECKING:
    from simulator.session import Session

#: Counters a test can expect, each counted over the rep's responses.
TOTALS = ("hold", "trade", "concede", "stall", "telling", "open", "closed", "exchange",
          "revealed", "turns")


class ExpectedOutcome(Strict):
    """The ending the path must reach; omitted fields are not checked."""

    status: Status | Literal["unfinished", "ended"] | None = Field(
        None, description="deal, no_deal, stalled, escalated, meeting, retained, or "
        "unfinished / ended"
    )
    won: bool | None = Field(None, description="Whether the rep reached the goal.")
    price: float | None = Field(None, description="The deal price (to the cent).")
    price_at_most: float | None = Field(None, description="The deal price is at most this.")
    price_at_least: float | None = Field(None, description="The deal price is at least this.")


class Expect(Strict):
    """What a path must produce."""

    states: list[StateName] | None = Field(
        None, description="The state after each rep line, in order."
    )
    outcome: ExpectedOutcome | None = Field(None, description="The ending.")
    totals: dict[str, int] = Field(
        default_factory=dict,
        description="Counts over the rep's responses: " + ", ".join(TOTALS) + ".",
    )
    overall_at_least: float | None = Field(None, description="Overall score at least this.")
    overall_at_most: float | None = Field(None, description="Overall score at most this.")


#: What a path of a given kind must do: good play wins, bad play loses, and mixed play
#: scores between the file's bad and good paths.
Kind = Literal["good", "bad", "mixed"]


class PathSpec(Strict):
    """One scripted run through a scenario."""

    name: str = Field(min_length=1, description="What this path shows.")
    lines: list[str] = Field(min_length=1, description="The rep's responses, in order.")
    kind: Kind | None = Field(
        None, description="good (must win), bad (must lose) or mixed (its overall score must lie "
        "between the best bad path's and the worst good path's in the file, over all its seeds). "
        "A path with a kind may end before its last line."
    )
    expect: Expect | None = Field(None, description="What must happen (required without a kind).")

    @model_validator(mode="after")
    def _expect_or_kind(self) -> PathSpec:
        if self.expect is None and self.kind is None:
            raise ValueError("a path needs 'expect' or 'kind' (good, bad or mixed)")
        return self


class PlaytestFile(Strict):
    """A file of scenario tests."""

    scenario: Identifier = Field(description="The scenario id these paths play.")
    seed: int = Field(1, description="Seed for the buyer's lines.")
    seeds: list[int] | None = Field(
        None, min_length=1, description="Seeds to play every path at, one run each (instead of seed)."
    )
    paths: list[PathSpec] = Field(min_length=1, description="The paths to play.")

    def all_seeds(self) -> list[int]:
        return list(self.seeds) if self.seeds else [self.seed]


@dataclass
class PathResult:
    """One path's result: what happened and every way it differed from the test."""

    name: str
    failures: list[str] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)
    states: list[str] = field(default_factory=list)  # the state after each rep line
    seed: int = 1
    kind: Kind | None = None
    won: bool = False
    overall: float | None = None  # the scorecard's overall habit score
    repeats: int = 0  # buyer lines said a second time, word for word
    below_offer: bool = False  # the deal closed under the lowest price the rep named

    @property
    def ok(self) -> bool:
        return not self.failures


def totals(session: Session) -> dict[str, int]:
    from simulator.scorecard import price_label

    turns = session.rep_turns()
    reps = [t.score for t in turns]
    # The price as the conversation counts it: committing to the buyer's ask is no concession.
    price = [price_label(t.score, t.moves) for t in turns]
    return {
        "hold": price.count("hold"),
        "trade": price.count("trade"),
        "concede": price.count("concede"),
        "stall": sum(s.is_stall for s in reps),
        "telling": sum(s.is_telling for s in reps),
        "open": sum(s.question.label == "open" for s in reps),
        "closed": sum(s.question.label == "closed" for s in reps),
        "exchange": sum(s.has_exchange for s in reps),
        "revealed": len(session.buyer.progress.revealed),
        "turns": len(reps),
    }


def run_path(library: Library, scenario_id: str, seed: int, path: PathSpec) -> PathResult:
    """Play one path and compare it with its expectations."""
    # (imported here: `validate` checks test files without playing them)
    from simulator.scorecard import build
    from simulator.session import Session

    scenario = library.scenario(scenario_id)
    session = Session(scenario, library.persona_of(scenario), seed=seed)
    result = PathResult(path.name, seed=seed, kind=path.kind)
    unused = session.play(path.lines)
    reps = session.rep_turns()
    result.states = [t.state for t in reps]
    for t in session.turns:
        who = "rep" if t.speaker == "rep" else "buyer"
        extra = f"  [{', '.join(t.moves)} -> {t.state}]" if t.speaker == "rep" else ""
        result.transcript.append(f"{who}: {t.text}{extra}")
    out = session.outcome
    result.won = bool(out.won)
    result.overall = build(session).overall
    buyer = [t.text for t in session.turns if t.speaker == "buyer"]
    result.repeats = len(buyer) - len(set(buyer))
    if result.repeats:
        result.failures.append(f"the buyer said {result.repeats} line(s) a second time")
    offers = [t.score.named_price for t in reps if t.score and t.score.named_price is not None]
    if out.price is not None and offers and out.price < min(offers) - 1e-9:
        result.below_offer = True
        result.failures.append(f"the deal closed at {out.price:g}, under the rep's lowest offer ({min(offers):g})")
    if path.kind == "good" and not out.won:
        result.failures.append(f"a good path must win; it ended {out.status}: {out.label}")
    if path.kind == "bad" and out.won:
        result.failures.append(f"a bad path must lose; it won: {out.label}")
    exp = path.expect or Expect()
    if exp.states is not None:
        got = [t.state for t in reps]
        for i, (want, have) in enumerate(zip(exp.states, got, strict=False), start=1):
            if want != have:
                t = reps[i - 1]
                result.failures.append(
                    f"line {i}: expected state '{want}', got '{have}' "
                    f"(moves: {', '.join(t.moves)}; rep said: {t.text[:70]!r})"
                )
                break
        if len(exp.states) != len(got) and not result.failures:
            result.failures.append(
                f"expected {len(exp.states)} states, the conversation had {len(got)} rep turns"
            )
    if unused and path.kind is None:
        result.failures.append(f"the conversation ended with {len(unused)} line(s) unused")
    if exp.outcome is not None:
        e = exp.outcome
        if e.status is not None and out.status != e.status:
            result.failures.append(f"outcome status: expected {e.status}, got {out.status}")
        if e.won is not None and out.won != e.won:
            result.failures.append(f"outcome won: expected {e.won}, got {out.won}")
        price = out.price
        if e.price is not None and (price is None or abs(price - e.price) > 0.005):
            result.failures.append(f"outcome price: expected {e.price}, got {price}")
        if e.price_at_most is not None and (price is None or price > e.price_at_most + 1e-9):
            result.failures.append(f"outcome price: expected at most {e.price_at_most}, "
                                   f"got {price}")
        if e.price_at_least is not None and (price is None or price < e.price_at_least - 1e-9):
            result.failures.append(f"outcome price: expected at least {e.price_at_least}, "
                                   f"got {price}")
    have = totals(session)
    for key, want in exp.totals.items():
        if have[key] != want:
            result.failures.append(f"totals.{key}: expected {want}, got {have[key]}")
    overall = result.overall
    if exp.overall_at_least is not None and (overall is None or overall < exp.overall_at_least):
        result.failures.append(f"overall: expected at least {exp.overall_at_least}, got {overall}")
    if exp.overall_at_most is not None and (overall is None or overall > exp.overall_at_most):
        result.failures.append(f"overall: expected at most {exp.overall_at_most}, got {overall}")
    return result


def check_mixed(results: list[PathResult]) -> None:
    """Mark each mixed result whose overall score lies outside the band between the best
    bad result and the worst good one (over every seed of the file) as failing."""
    bad = [r.overall for r in results if r.kind == "bad" and r.overall is not None]
    good = [r.overall for r in results if r.kind == "good" and r.overall is not None]
    lo, hi = max(bad, default=float("-inf")), min(good, default=float("inf"))
    for r in results:
        if r.kind == "mixed" and (r.overall is None or not lo <= r.overall <= hi):
            band = f"{'-' if lo == float('-inf') else f'{lo:g}'} to {'-' if hi == float('inf') else f'{hi:g}'}"
            r.failures.append(f"a mixed path must score between the bad and the good paths "
                              f"({band}); it scored {r.overall}")


def load_playtest(path: Path) -> tuple[PlaytestFile | None, Source | None, list[Problem]]:
    """Read and validate a test file; problems are located like any other file's."""
    src, problems = read_yaml(path)
    if src is None:
        return None, None, problems
    try:
        spec = PlaytestFile.model_validate(src.data)
    except ValidationError as exc:
        return None, src, validation_problems(src, PlaytestFile, exc)
    bad = [
        src.problem(("paths", i, "expect", "totals", k), f"unknown total '{k}'; expected one "
                    f"of: {', '.join(TOTALS)}", key=True)
        for i, p in enumerate(spec.paths) for k in (p.expect.totals if p.expect else ()) if k not in TOTALS
    ]
    return (None if bad else spec), src, bad


def check_test_file(path: Path, library: Library) -> tuple[PlaytestFile | None, list[Problem]]:
    """Read a test file and check it against the library: its scenario and state names."""
    spec, src, problems = load_playtest(path)
    if spec is None or src is None:
        return None, problems
    if spec.scenario not in library.scenarios:
        hint = difflib.get_close_matches(spec.scenario, list(library.scenarios), n=1, cutoff=0.6)
        broken = [p for p in library.errors if spec.scenario in Path(p.path).stem]
        text = f"unknown scenario '{spec.scenario}'"
        if hint:
            text += f"; did you mean '{hint[0]}'?"
        elif broken:
            text += f" (did it fail to load? see {broken[0].path})"
        return None, [src.problem(("scenario",), text)]
    states = library.scenarios[spec.scenario].conversation.states
    for i, path_spec in enumerate(spec.paths):
        for j, name in enumerate((path_spec.expect or Expect()).states or []):
            if name not in states:
                hint = difflib.get_close_matches(name, list(states), n=1, cutoff=0.6)
                text = f"unknown state '{name}' in scenario '{spec.scenario}'"
                text += f"; did you mean '{hint[0]}'?" if hint else ""
                problems.append(src.problem(("paths", i, "expect", "states", j), text))
    return (None if problems else spec), problems
