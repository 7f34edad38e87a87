"""The bundled library: every file valid and lint-clean, the required scenarios present,
every conversation well formed, and the playbook's good moves beating its bad ones.

Conversation shape (endings reachable, no dead ends) is checked with `simulator.lint`, the
same checks `shadowbox lint` runs; the good-vs-bad comparison replays the golden paths in
tests/playthroughs/ so the two suites can never disagree about what "good" means.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.lint import edges, lint_library, reachable
from simulator.loading import bundled_dir, load_library
from simulator.playtest import load_playtest
from simulator.scorecard import build
from simulator.session import Session

REQUIRED = (
    "procurement-head",
    "outrageous-ask",
    "send-information",
    "stalled-deal",
    "toughest-customer",
    "coaching-rep",
)
PLAYTHROUGHS = Path(__file__).parent / "playthroughs"


@pytest.fixture(scope="module")
def library():
    return load_library([bundled_dir()])


def test_every_bundled_file_loads_without_problems(library):
    assert library.problems == [], "\n".join(str(p) for p in library.problems)
    names = {p.stem for p in (bundled_dir() / "scenarios").glob("*.yaml")}
    assert names == set(library.scenarios), "a scenario file's name differs from its id"
    names = {p.stem for p in (bundled_dir() / "personas").glob("*.yaml")}
    assert names == set(library.personas), "a persona file's name differs from its id"


def test_library_is_lint_clean(library):
    warnings = lint_library(library)
    assert warnings == [], "\n".join(str(p) for p in warnings)


def test_required_scenarios_and_more(library):
    missing = [s for s in REQUIRED if s not in library.scenarios]
    assert not missing, f"missing required scenarios: {missing}"
    assert len(library.scenarios) >= len(REQUIRED) + 2
    assert len(library.personas) >= 6
    used = {sc.persona for sc in library.scenarios.values()}
    assert used == set(library.personas), f"personas no scenario uses: {set(library.personas) - used}"
    assert len(used) < len(library.scenarios), "at least one persona should be reused"


def test_coaching_scenario_scores_coaching_not_price(library):
    sc = library.scenarios["coaching-rep"]
    assert sc.audience == "manager"
    assert sc.habits.coaching > 0 and sc.habits.open_questions > 0
    assert sc.habits.hold_price == 0 and sc.habits.trade == 0
    assert not sc.money.price_in_play
    assert not library.scenarios["send-information"].money.price_in_play


def test_files_point_editors_at_the_schema():
    for kind in ("personas", "scenarios"):
        for path in sorted((bundled_dir() / kind).glob("*.yaml")):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            expected = f"# yaml-language-server: $schema=../schema/{kind[:-1]}.schema.json"
            assert first == expected, f"{path.name}: first line is {first!r}"


@pytest.mark.parametrize("scenario_id", sorted(load_library([bundled_dir()]).scenarios))
def test_conversation_shape(library, scenario_id):
    sc = library.scenarios[scenario_id]
    persona = library.personas[sc.persona]
    states = sc.conversation.states
    endings = sc.endings()
    assert len(states) >= 8, f"{scenario_id}: only {len(states)} states"
    assert len(endings) >= 2, f"{scenario_id}: only {len(endings)} endings"
    assert len({e.status for e in endings.values()}) >= 2, "endings should differ in kind"
    assert any(e.won for e in endings.values()) and not all(e.won for e in endings.values())
    graph = edges(sc, persona)
    seen = reachable(sc, graph)
    assert set(endings) <= seen, f"unreachable endings: {set(endings) - seen}"
    assert set(states) == seen, f"unreachable states: {set(states) - seen}"
    leaving = {e.source for e in graph if e.moves and not e.impossible}
    dead = [s for s in states if s not in endings and s not in leaving]
    assert not dead, f"dead ends (no way out, not an ending): {dead}"
    assert sc.lesson.strip() and sc.brief.strip()
    assert sc.reveals or persona.reveals, "no hidden needs to uncover"


def _playthroughs() -> dict[str, object]:
    out = {}
    for path in sorted(PLAYTHROUGHS.glob("*.test.yaml")):
        spec, _src, problems = load_playtest(path)
        assert spec is not None, "\n".join(str(p) for p in problems)
        out[spec.scenario] = spec
    return out


def test_every_scenario_has_good_bad_and_wandering_paths(library):
    specs = _playthroughs()
    assert set(specs) == set(library.scenarios), "scenarios without golden playthroughs"
    for sid, spec in specs.items():
        kinds = {p.name.split(" - ")[0] for p in spec.paths}
        assert {"good", "bad", "wanders"} <= kinds, f"{sid}: has {sorted(kinds)}"
        wander = [p for p in spec.paths if p.name.startswith("wanders")]
        assert any("" in p.lines for p in wander), f"{sid}: the wandering path has no empty line"


def _play(library, sid, seed, lines):
    sc = library.scenarios[sid]
    session = Session(sc, library.personas[sc.persona], seed=seed)
    session.play(lines)
    return session


@pytest.mark.parametrize("scenario_id", sorted(_playthroughs()))
def test_good_moves_beat_bad_moves(library, scenario_id):
    """Every good path ends better than every bad path: won beats lost, and where both
    close at a price the good price is higher; the good path also scores higher."""
    spec = _playthroughs()[scenario_id]
    money = library.scenarios[scenario_id].money
    good = [_play(library, scenario_id, spec.seed, p.lines)
            for p in spec.paths if p.name.startswith("good")]
    bad = [_play(library, scenario_id, spec.seed, p.lines)
           for p in spec.paths if p.name.startswith("bad")]
    assert good and bad
    for g in good:
        assert g.outcome.won, f"good path did not win: {g.outcome}"
        for b in bad:
            assert not b.outcome.won, f"bad path won: {b.outcome}"
            assert build(g).overall > build(b).overall
            if money.price_in_play and g.outcome.price is not None and b.outcome.price is not None:
                assert g.outcome.price > b.outcome.price


def test_seeds_vary_the_buyer_but_not_the_outcome(library):
    spec = _playthroughs()["procurement-head"]
    lines = spec.paths[0].lines
    runs = [_play(library, "procurement-head", seed, lines) for seed in range(1, 9)]
    texts = {tuple(t.text for t in s.turns if t.speaker == "buyer") for s in runs}
    assert len(texts) > 1, "the buyer said exactly the same lines under eight seeds"
    assert {(s.outcome.status, s.outcome.won, s.outcome.price) for s in runs} == {
        ("deal", True, 8.5)}


def _rep_states(library):
    """(scenario, state name, state) for every state a rep can be in (reachable, open)."""
    for sc in library.scenarios.values():
        live = reachable(sc, edges(sc, library.persona_of(sc)))
        for name, st in sc.conversation.states.items():
            if name in live and st.ending is None:
                yield sc, name, st


def test_every_state_a_rep_can_be_in_has_a_strong_model_answer(library):
    """The debrief's stronger answers are strong by the app's own scorer, in their state:
    no concession, nothing under the walk-away, no stall or telling, and a high score."""
    from dataclasses import replace

    from simulator.scorecard import habit_totals

    weak = []
    for sc, name, st in _rep_states(library):
        assert st.exemplar, f"{sc.id}: state '{name}' has no model_answer"
        persona = library.persona_of(sc)
        s = Session(sc, persona, seed=1)
        said = (list(st.say) + list(persona.lines.get(st.moment, []) if st.moment else []))[0]
        v = s.scorer(s.buyer.fill(st.exemplar), replace(s.context(), buyer_said=s.buyer.fill(said)))
        _, overall = habit_totals([v], sc.habits, questions_expected=False)
        if (v.price.label == "concede" or v.below_walk_away or v.is_stall or v.is_telling
                or overall is None or overall < 70):
            weak.append(f"{sc.id}.{name}: {v.question.label}/{v.price.label} {overall}")
    assert not weak, weak
