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


def lone_warning(tmp_path: Path, scenario: str, at: str) -> str:
    """The one warning lint gives on `scenario`, checked to stand at the line holding `at`."""
    found = lint_library(library(tmp_path, scenario))
    assert len(found) == 1, [p.message for p in found]
    assert found[0].line == line_of(tmp_path / "scenarios" / "tiny.yaml", at)
    return found[0].message


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
    # The model checker adds what that means for play: good moves are stuck in 'stuck'.
    rest = [p.message for p in found if p not in (limbo, stuck)]
    assert rest == [
        "livelock in state 'stuck': no sequence of good moves (trade, commit, accept, "
        "open_question, withdraw, hold, ask) leaves it; only patience or the turn budget ends "
        "the conversation; shortest path: hold -> open_question"], rest


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
    assert lone_warning(tmp_path, text, "to: won}") == (
        "this transition never fires: earlier transitions with no condition already take its "
        "move(s) from 'opening'")


def test_every_ending_won_means_good_and_bad_end_the_same(tmp_path: Path) -> None:
    text = SCENARIO.replace("won: false, price: offer", "won: true, price: offer").replace(
        "won: false, label: Gone", "won: true, label: Gone")
    assert sorted(messages(library(tmp_path, text))) == [
        "bad moves alone (concede, stall, tell) reach the won ending 'caved'; shortest path: "
        "concede -> concede",
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


def test_a_persona_without_a_reaction_gets_the_default(tmp_path: Path) -> None:
    """Personas need not write on_<move> for every move: the registry's default is said,
    so lint has nothing to report, even where coaching is practised (on_tell missing)."""
    text = SCENARIO.replace("difficulty: easy", "difficulty: easy\naudience: manager")
    lib = library(tmp_path, text)
    assert "on_tell" not in lib.personas["tester"].lines
    assert messages(lib) == []


# ------------------------------------------------------------------ the model checker

CHECKS = "(trade, commit, accept, open_question, withdraw, hold, ask)"


def test_checker_finds_a_livelock_with_its_shortest_path(tmp_path: Path) -> None:
    """In 'pressed' only bad moves lead anywhere: good moves change nothing."""
    text = SCENARIO.replace(
        "    - {from: pressed, move: hold, to: won, when: {at_least: {hold: 2}}}\n"
        "    - {from: pressed, move: trade, to: won, when: {gets_asked: [volume]}}\n",
        "    - {from: opening, move: trade, to: won, when: {gets_asked: [volume]}}\n")
    found = messages(library(tmp_path, text))
    assert found == [
        "livelock in state 'pressed': no sequence of good moves " + CHECKS + " leaves it; "
        "only patience or the turn budget ends the conversation; shortest path: hold"], found


def test_checker_finds_bad_moves_that_win(tmp_path: Path) -> None:
    text = SCENARIO.replace("{from: opening, move: [hold, concede], to: pressed}",
                            "{from: opening, move: [hold, concede], to: pressed}\n"
                            "    - {from: pressed, move: stall, to: won}")
    found = messages(library(tmp_path, text))
    assert ("bad moves alone (concede, stall, tell) reach the won ending 'won'; shortest "
            "path: concede -> stall") in found, found


def test_checker_counts_the_turn_budget(tmp_path: Path) -> None:
    """Holding wins after three holds; with a budget of two turns good moves cannot."""
    slow = SCENARIO.replace("at_least: {hold: 2}", "at_least: {hold: 3}").replace(
        "  transitions:\n", "  turn_budget: 2\n  transitions:\n", 1).replace(
        "when: {gets_asked: [volume]}", "when: {gets_asked: [volume], at_least: {hold: 3}}")
    found = messages(library(tmp_path, slow))
    assert ("from the start, good moves need 3 turns to reach a won ending, and the turn "
            "budget is 2; shortest path: (at the start)") in found, found
    assert messages(library(tmp_path, slow.replace("turn_budget: 2", "turn_budget: 3"))) \
        == []


def test_checker_explores_since_state_counts_and_from_any(tmp_path: Path) -> None:
    """`since: state` counts restart in each state; `from: any` covers every state."""
    text = SCENARIO.replace(
        "    - {from: [opening, pressed], move: any, to: gone, when: {patience_spent: true}}",
        "    - {from: any, move: any, to: gone, when: {patience_spent: true}}").replace(
        "when: {at_least: {hold: 2}}", "when: {since: state, at_least: {hold: 2}}")
    lib = library(tmp_path, text)
    assert messages(lib) == []
    from simulator.checker import Checker
    c = Checker(lib.scenarios["tiny"], lib.personas["tester"])
    # hold enters 'pressed'; there the count restarts, so two more holds win.
    start = c.start()
    (pressed,) = c.successors(start, "hold", None)
    assert pressed.state == "pressed" and pressed.here == (0,)
    (again,) = c.successors(pressed, "hold", None)
    assert again.state == "pressed" and again.here == (1,)
    (won,) = c.successors(again, "hold", None)
    assert won.state == "won"


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


def test_too_few_variants_for_likely_visits(tmp_path: Path) -> None:
    """A patient buyer hears 'other' up to patience times in a state: one persona line
    and the five defaults are not enough for eight; a state entered again needs two lines."""
    persona = PERSONA.replace("patience: 3", "patience: 8")
    found = messages(library(tmp_path, persona=persona))
    assert ("the reaction to 'other' in state 'pressed' has 6 line(s) for about 8 likely "
            "visits: add variants (`react: {other: [...]}` or the persona's on_other)") in found
    again = SCENARIO.replace("    - {from: pressed, move: hold, to: won",
                             "    - {from: pressed, move: stall, to: opening}\n"
                             "    - {from: pressed, move: hold, to: won")
    lonely = PERSONA.replace('  attack: ["Your price of {offer} is too high.", "Nobody pays '
                             '{offer}."]', '  attack: ["Your price of {offer} is too high."]')
    found = messages(library(tmp_path, again, lonely))
    assert ("state 'opening' can be entered again, but has 1 line to say on entering it: "
            "add a variant") in found, found


def test_lines_that_agree_to_a_deal_nobody_records(tmp_path: Path) -> None:
    text = SCENARIO.replace('pressed: {say: ["Still {offer}? Come on."]',
                            'pressed: {say: ["Still {offer}? Come on.", "Deal. Now let\'s '
                            'talk about delivery."]')
    found = messages(library(tmp_path, text))
    assert ("this line reads as agreeing to a deal, but is said in a state that is not a "
            "deal ending ('pressed'): the outcome would not record it") in found, found
    # A question asks rather than agrees.
    asks = text.replace("Deal. Now let's talk about delivery.", "Do we have a deal?")
    assert messages(library(tmp_path, asks)) == []
    yes = PERSONA.replace('on_closed_question: ["Maybe."]', 'on_closed_question: ["Yes."]')
    found = lint_library(library(tmp_path, persona=yes))
    (p,) = found
    assert p.path.endswith("tester.yaml") and "this reaction reads as agreeing to a deal" \
        in p.message


def test_an_older_scenario_still_loads_and_lint_says_how_to_update_it(tmp_path: Path) -> None:
    """`price: buyer` (a deal at the buyer's number) loads, is read as the rep's standing
    offer, and lint says so at the field."""
    old = SCENARIO.replace("won: false, price: offer, label: Caved",
                           "won: false, price: buyer, label: Caved")
    assert lone_warning(tmp_path, old, "caved:") == (
        "`price: buyer` is read as `price: offer`: a deal closes at the rep's standing offer "
        "(the lowest the rep offered, or a number the rep accepted), never at a number the "
        "rep did not offer; write `price: offer`")


def test_checker_says_when_a_conversation_is_too_big_to_explore(tmp_path: Path, monkeypatch) -> None:
    import simulator.checker as checker

    monkeypatch.setattr(checker, "MAX_NODES", 3)
    found = messages(library(tmp_path))
    assert any("the model checker stopped" in m for m in found), found


def test_a_state_without_a_model_answer_is_located(tmp_path: Path) -> None:
    text = SCENARIO.replace(', model_answer: "If you take more volume, {offer} holds."', "")
    assert lone_warning(tmp_path, text, "pressed:") == (
        "state 'pressed' has no model_answer: the debrief cannot show how a strong rep might "
        "answer here")


def test_lint_keeps_each_scenarios_warnings_until_its_file_or_persona_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unchanged scenario is not model checked again: its warnings come from the cache,
    the same warnings at the same places; editing the file or its persona lints it again."""
    import simulator.lint as lint
    from simulator.lint import LintCache, lint_visit

    folder = tmp_path / "lib"
    limbo = with_states('    limbo: {say: ["Nobody gets here."]}\n')
    write(folder / "personas" / "tester.yaml", PERSONA)
    write(folder / "scenarios" / "tiny.yaml", limbo)
    checked: list[str] = []
    real = lint.lint_scenario
    monkeypatch.setattr(lint, "lint_scenario",
                        lambda sc, *a: checked.append(sc.id) or real(sc, *a))

    def run() -> list:
        found: dict = {}
        cache = LintCache(tmp_path / "cache")
        lib = load_library([folder], visit=lint_visit(found, cache))
        cache.save()
        return lint_library(lib, found)

    first = run()
    assert [p.message for p in first] == ["state 'limbo' is never reached: no transition "
                                          "leads to it"]
    assert checked == ["tiny"]
    assert run() == first and checked == ["tiny"]  # from the cache
    write(folder / "scenarios" / "tiny.yaml", "\n" + limbo)  # moved a line down
    moved = run()
    assert checked == ["tiny", "tiny"] and moved[0].line == first[0].line + 1
    write(folder / "personas" / "tester.yaml", PERSONA.replace("Tess Ter", "Tess Tor"))
    assert run() == moved and checked == ["tiny", "tiny", "tiny"]
    (tmp_path / "cache" / "lint.json").write_text('{"stamp": [], "entries": 3}')
    assert run() == moved and len(checked) == 4  # an entry of another shape: linted again
    assert run() == moved and len(checked) == 4
