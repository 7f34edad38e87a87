"""Loading: safe YAML, every problem located as path:line:col, broken files never hide others."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.loading import load_library
from simulator.yamlsrc import read_yaml
from tests.conftest import PERSONA, SCENARIO, write


def problems_of(folder: Path) -> list[str]:
    return [str(p) for p in load_library([folder]).problems]


def test_valid_library_loads(tiny_lib: Path) -> None:
    lib = load_library([tiny_lib])
    assert lib.problems == []
    assert set(lib.scenarios) == {"tiny"}
    assert lib.persona_of(lib.scenarios["tiny"]).name == "Tess Ter"


def test_wrong_type_is_located(tiny_lib: Path) -> None:
    write(tiny_lib / "scenarios" / "tiny.yaml",
          SCENARIO.replace("list_price: 10.0", "list_price: ten"))
    [p] = problems_of(tiny_lib)
    assert p.startswith("scenarios/tiny.yaml:") or ":7:" in p
    assert ":7:" in p and "money.list_price" in p and "'ten'" in p


def test_unknown_key_suggests_the_field(tiny_lib: Path) -> None:
    write(tiny_lib / "scenarios" / "tiny.yaml", SCENARIO.replace("brief:", "breif:"))
    [p] = problems_of(tiny_lib)
    assert ":6:1: error: unknown field 'breif'" in p
    assert "did you mean 'brief'?" in p


def test_unknown_nested_key_suggests_the_field(tiny_lib: Path) -> None:
    write(tiny_lib / "scenarios" / "tiny.yaml", SCENARIO.replace("walk_away: 8.0", "walkaway: 8.0"))
    probs = problems_of(tiny_lib)
    assert any("unknown field 'walkaway' in money; did you mean 'walk_away'?" in p for p in probs)
    assert all(":7:" in p for p in probs)


def test_bad_references_are_all_reported(tiny_lib: Path) -> None:
    text = (SCENARIO.replace("persona: tester", "persona: testr")
            .replace("to: pressed}", "to: presed}")
            .replace("gets_asked: [volume]", "gets_asked: [volumes]"))
    write(tiny_lib / "scenarios" / "tiny.yaml", text)
    probs = problems_of(tiny_lib)
    joined = "\n".join(probs)
    assert "unknown persona 'testr'; did you mean 'tester'?" in joined
    assert "unknown state 'presed'; did you mean 'pressed'?" in joined
    assert "unknown get 'volumes'; did you mean 'volume'?" in joined
    assert len(probs) == 3
    assert probs[0].startswith(str(Path("scenarios/tiny.yaml"))) or "tiny.yaml:3:" in probs[0]


def test_unknown_move_suggests(tiny_lib: Path) -> None:
    write(tiny_lib / "scenarios" / "tiny.yaml", SCENARIO.replace("move: [hold, concede]",
                                                                 "move: [hold, concde]"))
    probs = problems_of(tiny_lib)
    assert any("did you mean 'concede'?" in p and ":21:36:" in p for p in probs), probs


def test_missing_field_names_it(tiny_lib: Path) -> None:
    write(tiny_lib / "scenarios" / "tiny.yaml", SCENARIO.replace("lesson: Hold the price.\n", ""))
    [p] = problems_of(tiny_lib)
    assert "missing required field 'lesson'" in p


def test_persona_without_some_reactions_loads(tiny_lib: Path) -> None:
    """A persona need not write on_<move> for every move: the move's default is said."""
    write(tiny_lib / "personas" / "tester.yaml", PERSONA.replace('  on_stall: ["Ask them, then."]\n', ""))
    assert problems_of(tiny_lib) == []


def test_unknown_reaction_is_located(tiny_lib: Path) -> None:
    write(tiny_lib / "personas" / "tester.yaml", PERSONA.replace("  on_stall:", "  on_stal:"))
    probs = problems_of(tiny_lib)
    assert any("personas/tester.yaml:6:" in p.replace("\\", "/") and "on_stal" in p
               and "unknown reaction" in p for p in probs), probs
    # the scenario then refers to a persona that did not load: reported too, located
    assert any("unknown persona 'tester'" in p for p in probs)


def test_a_state_named_any_is_an_error(tiny_lib: Path) -> None:
    write(tiny_lib / "scenarios" / "tiny.yaml",
          SCENARIO.replace("    pressed: {say:", "    any: {say:").replace("to: pressed",
                                                                         "to: any"))
    probs = problems_of(tiny_lib)
    assert any("'any' is reserved" in p for p in probs), probs


def test_unknown_placeholder(tiny_lib: Path) -> None:
    write(tiny_lib / "scenarios" / "tiny.yaml", SCENARIO.replace("Still {offer}?", "Still {ofer}?"))
    [p] = problems_of(tiny_lib)
    assert "unknown placeholder {ofer}; did you mean '{offer}'?" in p and ":14:" in p


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        ("id: [unclosed\n", "not valid YAML", 2),
        ("", "file is empty", 1),
        ("# only a comment\n", "no content", 1),
        ("- a\n- b\n", "expected a mapping", 1),
        ("id: a\nid: b\n", "duplicate key 'id' (first at line 1)", 2),
        ("a: &x [1]\nb: *x\n", "aliases", 2),
        ("a: !!python/object/apply:os.system ['echo hacked']\n", "unsupported tag", 1),
        ("a: 1\n<<: {b: 2}\n", "merge keys", 2),
        ("a: 1\n---\nb: 2\n", "not valid YAML", 2),
    ],
)
def test_broken_yaml_is_located(tmp_path: Path, content: str, message: str, line: int) -> None:
    path = write(tmp_path / "x.yaml", content)
    src, probs = read_yaml(path)
    assert src is None
    [p] = probs
    assert message in p.message
    assert p.line == line


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    rows = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        rows.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    path = write(tmp_path / "bomb.yaml", "\n".join(rows) + "\n")
    src, [p] = read_yaml(path)
    assert src is None and "aliases" in p.message and p.line == 2


def test_big_file_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as fh:
        fh.truncate(50_000_000)
    _, [p] = read_yaml(path)
    assert "50.0 MB" in p.message


def test_not_yaml_and_not_text(tmp_path: Path) -> None:
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    _, [p] = read_yaml(path)
    assert "not UTF-8" in p.message


def test_missing_file_and_directory(tmp_path: Path) -> None:
    _, [p] = read_yaml(tmp_path / "nope.yaml")
    assert p.message == "no such file"
    _, [p] = read_yaml(tmp_path)
    assert "is a directory" in p.message


def test_broken_file_never_hides_the_others(tiny_lib: Path) -> None:
    write(tiny_lib / "scenarios" / "broken.yaml", "id: [\n")
    second = SCENARIO.replace("id: tiny", "id: tiny-two")
    write(tiny_lib / "scenarios" / "two.yaml", second)
    lib = load_library([tiny_lib])
    assert set(lib.scenarios) == {"tiny", "tiny-two"}
    assert len(lib.errors) == 1 and "broken.yaml" in lib.errors[0].path


def test_duplicate_ids_across_folders(tiny_lib: Path, tmp_path_factory) -> None:
    other = tmp_path_factory.mktemp("other")
    write(other / "scenarios" / "tiny.yaml", SCENARIO)
    lib = load_library([tiny_lib, other])
    assert any("duplicate scenario id 'tiny'" in str(p) for p in lib.problems)


def test_state_names_cannot_be_import_paths(tiny_lib: Path) -> None:
    text = SCENARIO.replace("pressed", "os.system")
    write(tiny_lib / "scenarios" / "tiny.yaml", text)
    lib = load_library([tiny_lib])
    assert "tiny" not in lib.scenarios
    assert any("should match pattern" in p.message for p in lib.problems)


def test_test_files_are_not_library_files(tiny_lib: Path) -> None:
    write(tiny_lib / "scenarios" / "tiny.test.yaml", "scenario: tiny\npaths: []\n")
    assert load_library([tiny_lib]).problems == []


def test_bundled_library_loads_cleanly() -> None:
    lib = load_library()
    assert lib.problems == [], "\n".join(map(str, lib.problems))
    assert {"procurement-head"} <= set(lib.scenarios)


def test_a_broken_scenario_is_named_by_its_id(tiny_lib: Path) -> None:
    from simulator.errors import ShadowboxError

    write(tiny_lib / "scenarios" / "other-name.yaml",
          SCENARIO.replace("id: tiny", "id: tiny2").replace("list_price: 10.0", "list_price: x"))
    lib = load_library([tiny_lib])
    with pytest.raises(ShadowboxError, match=r"scenario 'tiny2' did not load: .*other-name.yaml:7"):
        lib.scenario("tiny2")


def test_a_visit_runs_with_the_garbage_collector_as_the_caller_had_it(tiny_lib: Path) -> None:
    """Loading pauses the cyclic collector, but not for the caller's own work: lint's model
    checker, run from a visit with it paused, grew to 1 GB over 30 scenarios."""
    import gc

    seen: list[bool] = []
    assert gc.isenabled()
    load_library([tiny_lib], visit=lambda lib, item, src: seen.append(gc.isenabled()))
    assert seen and all(seen) and gc.isenabled()
    seen.clear()
    gc.disable()
    try:
        load_library([tiny_lib], visit=lambda lib, item, src: seen.append(gc.isenabled()))
        assert seen and not any(seen) and not gc.isenabled()
    finally:
        gc.enable()


def test_loaded_objects_share_what_they_need_not_own(tiny_lib: Path) -> None:
    """A loaded library holds no per-object copies of what is the same everywhere (a set
    of written fields per object, an empty condition per transition): 1,000 scenarios
    took 41 MiB, 24 MiB now. What each object reports is unchanged."""
    lib = load_library([tiny_lib])
    sc = lib.scenarios["tiny"]
    bare = [t for t in sc.conversation.transitions if "when" not in t.model_fields_set]
    assert bare and all(t.when is bare[0].when for t in bare)
    assert bare[0].when.model_fields_set == set()
    kinds: dict[frozenset, list] = {}
    for st in sc.conversation.states.values():
        kinds.setdefault(frozenset(st.model_fields_set), []).append(st)
    same = max(kinds.values(), key=len)
    assert len(same) > 1 and all(st.__pydantic_fields_set__ is same[0].__pydantic_fields_set__
                                 for st in same)
    again = load_library([tiny_lib]).scenarios["tiny"]
    assert again == sc and again.model_fields_set == sc.model_fields_set
