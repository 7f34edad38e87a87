"""The linter and the diagrams, in process: each warning on a small library built to show it."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.graph import to_dot, to_mermaid
from simulator.lint import edges, lint_library, lint_scenario, reachable
from simulator.loading import Library, load_library
from tests.conftest import PERSONA, SCENARIO, write

TRANSITIONS = "  transitions:\n"


def library(tmp_path: Path, scenario: str = SCENARIO, persona: str = PERSONA,
            extra: dict[str, str] | None = None) -> Library:
    write(tmp_path / "personas" / "tester.yaml", persona)
    write(tmp_path / "scenarios" / "tiny.yaml", scenario)
    for name, text in (extra or {}).items():
        write(tmp_path / name, text)
    lib = load_library([tmp_path])
    assert lib.errors == [], lib.errors
    return lib


def line_of(path: Path, fragment: str) -> int:
    """1-based line of the first line containing `fragment`."""
    for i, line in enumerate(path.read_text().splitlines(), start=1):
        if fragment in line:
            return i
    raise AssertionError(f"{fragment!r} not in {path}")


def messages(lib: Library) -> list[str]:
    return [p.message for p in lint_library(lib)]


def with_states(extra_states: str, extra_transitions: str = "") -> str:
    text = SCENARIO.replace("  transitions:\n", extra_states + TRANSITIONS, 1)
    return text.replace("lesson:", extra_transitions + "lesson:", 1)


def test_the_tiny_library_is_clean(tmp_path: Path) -> None:
    assert lint_library(library(tmp_path)) == []


def test_unreachable_state_and_dead_end_are_located(tmp_path: Path) -> None:
    text = with_states(
        "    limbo: {say: [\"Nobody gets here.\"]}\n"
        "    stuck: {say: [\"And nobody leaves.\"], model_answer: \"What would help?\"}\n",
        "    - {from: pressed, move: open_question, to: stuck}\n",
    )
    found = lint_library(library(tmp_path, text))
    path = tmp_path / "scenarios" / "tiny.yaml"
    by_msg = {p.message: p for p in found}
    limbo = by_msg["state 'limbo' is never reached: no transition leads to it"]
    assert (limbo.line, limbo.col, limbo.severity) == (line_of(path, "limbo:"), 5, "warning")
    stuck = next(p for p in found if "'stuck' is not an ending and has no way out" in p.message)
    assert stuck.line == line_of(path, "stuck:")
    assert len(found) == 2, found


def test_trap_state_that_cannot_reach_an_ending(tmp_path: Path) -> None:
    text = with_states(
        "    loop_a: {say: [\"Round\"]}\n    loop_b: {say: [\"and round.\"]}\n",
        "    - {from: pressed, move: open_question, to: loop_a}\n"
        "    - {from: loop_a, move: any, to: loop_b}\n"
        "    - {from: loop_b, move: any, to: loop_a}\n",
    )
    found = messages(library(tmp_path, text))
    assert any("no ending can be reached from state 'loop_a'" in m for m in found), found
    assert any("no ending can be reached from state 'loop_b'" in m for m in found), found


def test_ending_never_reached(tmp_path: Path) -> None:
    text = with_states("    bonus: {say: [\"Extra!\"], ending: {status: deal, won: true, "
                       "label: Bonus}}\n")
    assert messages(library(tmp_path, text)) == [
        "ending 'bonus' is never reached: no transition leads to it"]


def test_impossible_condition_is_flagged_and_cuts_the_edge(tmp_path: Path) -> None:
    text = SCENARIO.replace("to: won, when: {at_least: {hold: 2}}",
                            "to: won, when: {at_most: {hold: -1}}")
    text = text.replace("to: won, when: {gets_asked: [volume]}",
                        "to: won, when: {turns_at_least: 5, turns_at_most: 3}")
    found = lint_library(library(tmp_path, text))
    msgs = [p.message for p in found]
    assert "this transition can never fire: at_most.hold is -1, but counts start at 0" in msgs
    assert ("this transition can never fire: turns_at_least (5) is above turns_at_most (3)"
            in msgs)
    assert "ending 'won' is never reached: no path from the start state 'opening' leads to it" \
        in msgs
    assert "no reachable ending is won: the good path ends the same as the bad one" in msgs
    path = tmp_path / "scenarios" / "tiny.yaml"
    first = next(p for p in found if "at_most.hold" in p.message)
    assert first.line == line_of(path, "hold: -1")


def test_shadowed_transition_never_fires(tmp_path: Path) -> None:
    text = SCENARIO.replace("lesson:", "    - {from: opening, move: hold, to: won}\nlesson:")
    found = lint_library(library(tmp_path, text))
    assert [p.message for p in found] == [
        "this transition never fires: earlier transitions with no condition already take its "
        "move(s) from 'opening'"]
    assert found[0].line == line_of(tmp_path / "scenarios" / "tiny.yaml", "to: won}")


def test_every_ending_won_means_good_and_bad_end_the_same(tmp_path: Path) -> None:
    text = SCENARIO.replace("won: false, price: buyer", "won: true, price: buyer").replace(
        "won: false, label: Gone", "won: true, label: Gone")
    assert messages(library(tmp_path, text)) == [
        "every reachable ending is won: the bad path ends the same as the good one"]


def test_react_lines_never_said(tmp_path: Path) -> None:
    text = SCENARIO.replace("opening: {moment: attack,",
                            "opening: {moment: attack, react: {concede: [\"Keep going.\"]},")
    assert messages(library(tmp_path, text)) == [
        "these lines are never said: 'concede' always leaves state 'opening'"]


def test_persona_lines_no_scenario_uses(tmp_path: Path) -> None:
    persona = PERSONA.replace("reveals:", "  sulk: [\"Fine. Be like that.\"]\nreveals:")
    found = lint_library(library(tmp_path, persona=persona))
    assert [p.message for p in found] == [
        "lines 'sulk' are never said: no state of tiny uses `moment: sulk`"]
    assert found[0].path.endswith("tester.yaml")
    assert found[0].line == line_of(tmp_path / "personas" / "tester.yaml", "sulk:")


def test_gets_never_rewarded(tmp_path: Path) -> None:
    text = SCENARIO.replace("  - {id: volume, name: More volume, phrases: [volume]}\n",
                            "  - {id: volume, name: More volume, phrases: [volume]}\n"
                            "  - {id: term, name: A longer term, phrases: [two years]}\n")
    unrewarded = ("get 'term' is never rewarded: no condition names it, and every reachable "
                  "transition on `trade` asks for other gets (or there is none)")
    assert messages(library(tmp_path, text)) == [unrewarded]
    # A trade that takes any get rewards them all.
    open_trade = text.replace("when: {gets_asked: [volume]}", "when: {turns_at_least: 2}")
    assert messages(library(tmp_path, open_trade)) == []
    # `move: any` is not a trade: with no trade transition at all, no get is rewarded.
    no_trade = text.replace("    - {from: pressed, move: trade, to: won, when: {gets_asked: "
                            "[volume]}}\n", "")
    assert sorted(messages(library(tmp_path, no_trade))) == [
        unrewarded, unrewarded.replace("'term'", "'volume'")]


def test_tell_unhandled_only_in_coaching_scenarios(tmp_path: Path) -> None:
    assert lint_library(library(tmp_path)) == []  # the tester persona has no on_tell
    text = SCENARIO.replace("difficulty: easy", "difficulty: easy\naudience: manager")
    found = messages(library(tmp_path, text))
    assert found == [
        "no line for the move 'tell' in state(s) 'opening', 'pressed': no transition takes "
        "it, no `react: {tell: ...}`, and persona 'tester' has no on_tell; the buyer falls "
        "back to on_other"]


def test_confusable_ids_and_shared_titles(tmp_path: Path) -> None:
    twin = SCENARIO.replace("id: tiny", "id: ti-ny")
    lib = library(tmp_path, extra={"scenarios/twin.yaml": twin})
    found = messages(lib)
    assert "scenario id 'ti-ny' is easy to confuse with 'tiny' " in " ".join(found) or any(
        "is easy to confuse with" in m for m in found), found
    assert any("has the same title as" in m for m in found), found


def test_lint_scenario_without_a_source(tmp_path: Path) -> None:
    text = with_states("    limbo: {say: [\"Nobody gets here.\"]}\n")
    lib = library(tmp_path, text)
    sc = lib.scenarios["tiny"]
    (p,) = lint_scenario(sc, lib.personas["tester"])
    assert (p.path, p.line, p.severity) == ("scenario 'tiny'", 0, "warning")
    assert str(p) == "scenario 'tiny': warning: state 'limbo' is never reached: no " \
        "transition leads to it"


def test_bundled_library_loads_and_lints_without_crashing() -> None:
    lib = load_library()
    assert lib.scenarios
    for p in lint_library(lib):
        assert p.severity == "warning" and p.line > 0, p


# ------------------------------------------------------------ diagrams


@pytest.fixture
def tiny(tmp_path: Path) -> Library:
    text = with_states("    limbo: {say: [\"Nobody gets here.\"]}\n")
    return library(tmp_path, text)


def test_edges_and_reachability(tiny: Library) -> None:
    sc = tiny.scenarios["tiny"]
    graph = edges(sc, tiny.personas["tester"])
    assert reachable(sc, graph) == {"opening", "pressed", "won", "caved", "gone"}
    first = graph[0]
    assert (first.source, first.dest, first.moves[:2]) == ("opening", "gone",
                                                          ("concede", "trade"))


def test_mermaid_marks_start_endings_conditions_and_unreached(tiny: Library) -> None:
    sc = tiny.scenarios["tiny"]
    text = to_mermaid(sc, tiny.personas["tester"])
    assert text.startswith("---\ntitle: A tiny deal\n---\nstateDiagram-v2\n")
    lines = text.splitlines()
    assert "  [*] --> opening" in lines
    assert "  pressed --> won: hold [hold>=2]" in lines
    assert "  pressed --> won: trade [asked volume]" in lines
    assert "  opening --> gone: any [patience spent]" in lines
    assert "  won --> [*]" in lines and "  class won won" in lines
    assert "  class caved lost" in lines
    assert "  class limbo unreached" in lines
    assert '  state "won (deal, won)" as won' in lines


def test_dot_is_plain_text_with_endings_marked(tiny: Library) -> None:
    text = to_dot(tiny.scenarios["tiny"], tiny.personas["tester"])
    assert text.startswith('digraph "tiny" {') and text.rstrip().endswith("}")
    assert text.count("{") == text.count("}")
    assert '"__start__" -> "opening";' in text
    assert '"pressed" -> "won" [label="hold [hold>=2]"];' in text
    assert '"won" [label="won\\ndeal, won", peripheries=2' in text
    assert '"limbo" [fontcolor="#777777", style="rounded,dashed"];' in text


def test_a_state_without_a_model_answer_is_located(tmp_path: Path) -> None:
    text = SCENARIO.replace(', model_answer: "If you take more volume, {offer} holds."', "")
    found = lint_library(library(tmp_path, text))
    assert [p.message for p in found] == [
        "state 'pressed' has no model_answer: the debrief cannot show how a strong rep might "
        "answer here"]
    assert found[0].line == line_of(tmp_path / "scenarios" / "tiny.yaml", "pressed:")
