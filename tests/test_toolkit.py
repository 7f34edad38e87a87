"""The trainer's toolkit as a trainer runs it: validate, lint, graph, test, new, schema.

Each command runs in a subprocess (`python -m simulator ...`) on good and broken
inputs, and the assertions are on exit codes and what is printed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.schema import KINDS, schema_text
from tests.conftest import PERSONA, SCENARIO, write
from tests.test_cli import assert_clean_error, sb


@pytest.fixture
def lib(tiny_lib: Path) -> Path:
    return tiny_lib


def located(out: str, path: str) -> list[str]:
    """Lines of `out` about `path`, each checked to be path:line:col: severity: message."""
    lines = [ln for ln in out.splitlines() if ln.startswith(path + ":")]
    for ln in lines:
        where, severity = ln.split(": ")[0], ln.split(": ")[1]
        assert where.count(":") == 2 and all(x.isdigit() for x in where.split(":")[1:]), ln
        assert severity in ("error", "warning"), ln
    return lines


# ------------------------------------------------------------ validate


def test_validate_a_good_folder(lib: Path) -> None:
    proc = sb("validate", str(lib))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "2 file(s) checked: no problems"


def test_validate_reports_every_problem_of_every_file(lib: Path) -> None:
    bad = SCENARIO.replace("id: tiny", "id: tiny2").replace("difficulty: easy", "difficulty: 5")
    bad = bad.replace("title: A tiny deal", "titel: A tiny deal\ntitle: Two")
    write(lib / "scenarios" / "typo.yaml", bad)
    ref = SCENARIO.replace("id: tiny", "id: tiny3").replace("persona: tester", "persona: testr")
    ref = ref.replace("to: won, when: {at_least", "to: wonn, when: {at_least")
    write(lib / "scenarios" / "refs.yaml", ref)
    write(lib / "scenarios" / "notyaml.yaml", "id: [unclosed\n  title: oops\n")
    proc = sb("validate", str(lib), cwd=lib)
    assert proc.returncode == 1
    out = proc.stdout
    typo = located(out, "scenarios/typo.yaml")
    assert any(":2:1: error: unknown field 'titel'; did you mean 'title'?" in ln for ln in typo)
    assert any("difficulty: input should be 'easy', 'medium' or 'hard', got 5" in ln
               for ln in typo), typo
    refs = located(out, "scenarios/refs.yaml")
    assert any("unknown persona 'testr'; did you mean 'tester'?" in ln for ln in refs), refs
    assert any("unknown state 'wonn'; did you mean 'won'?" in ln for ln in refs), refs
    (notyaml,) = located(out, "scenarios/notyaml.yaml")
    assert "error: not valid YAML" in notyaml
    assert not located(out, "scenarios/tiny.yaml")  # the good file is untouched
    assert out.strip().splitlines()[-1] == "5 file(s) checked: 5 error(s), 0 warning(s)"
    assert "Traceback" not in proc.stderr


def test_a_broken_folder_never_hides_the_rest(lib: Path, tmp_path_factory) -> None:
    broken = tmp_path_factory.mktemp("broken")
    write(broken / "scenarios" / "bad.yaml", "this: is: not: yaml\n")
    proc = sb("--library", str(lib), "--library", str(broken), "list")
    assert proc.returncode == 0 and "tiny" in proc.stdout
    assert "bad.yaml:1:9: error: not valid YAML" in proc.stderr, proc.stderr
    # validate with no path checks the whole library in use, SHADOWBOX_LIBRARY included
    proc = sb("validate", env={"SHADOWBOX_LIBRARY": str(broken)})
    assert proc.returncode == 1
    assert any("bad.yaml:1:9: error: not valid YAML" in ln for ln in proc.stdout.splitlines())


def test_validate_one_scenario_file_finds_its_persona(lib: Path) -> None:
    proc = sb("validate", str(lib / "scenarios" / "tiny.yaml"))
    assert proc.returncode == 0, proc.stdout
    assert "1 file(s) checked: no problems" in proc.stdout


def test_validate_empty_and_missing_paths(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = sb("validate", str(empty))
    assert proc.returncode == 0
    assert "warning: no persona, scenario or test files here" in proc.stdout
    proc = sb("validate", str(tmp_path / "nope"))
    assert proc.returncode == 1 and "nope: error: no such file or folder" in proc.stdout


def test_validate_checks_scenario_tests_against_the_library(lib: Path) -> None:
    write(lib / "scenarios" / "tiny.test.yaml", """\
        scenario: tiny
        paths:
          - name: a typo in a state
            lines: ["Hello"]
            expect: {states: [presed]}
        """)
    write(lib / "scenarios" / "other.test.yaml", """\
        scenario: tinny
        paths:
          - {name: x, lines: ["Hi"], expect: {outcome: {won: true}}}
        """)
    proc = sb("validate", str(lib), cwd=lib)
    assert proc.returncode == 1
    assert ("scenarios/tiny.test.yaml:5:23: error: unknown state 'presed' in scenario 'tiny'; "
            "did you mean 'pressed'?") in proc.stdout, proc.stdout
    assert ("scenarios/other.test.yaml:1:11: error: unknown scenario 'tinny'; did you mean "
            "'tiny'?") in proc.stdout


# ------------------------------------------------------------ lint


def test_lint_clean_and_broken(lib: Path) -> None:
    proc = sb("lint", str(lib))
    assert proc.returncode == 0 and "no warnings" in proc.stdout, proc.stdout
    text = SCENARIO.replace("  transitions:\n", "    limbo: {say: [\"Lost.\"]}\n"
                            "    stuck: {say: [\"Stuck.\"], model_answer: \"What now?\"}\n  transitions:\n")
    text = text.replace("lesson:", "    - {from: pressed, move: open_question, to: stuck}\n"
                        "lesson:")
    write(lib / "scenarios" / "tiny.yaml", text)
    proc = sb("lint", str(lib), cwd=lib)
    assert proc.returncode == 1
    lines = located(proc.stdout, "scenarios/tiny.yaml")
    limbo = 1 + text.split("\n").index('    limbo: {say: ["Lost."]}')
    assert f"scenarios/tiny.yaml:{limbo}:5: warning: state 'limbo' is never reached: no " \
        "transition leads to it" in lines, lines
    assert any(ln.startswith(f"scenarios/tiny.yaml:{limbo + 1}:5: warning: state 'stuck' is "
                             "not an ending and has no way out") for ln in lines), lines
    # ... and the model checker's reading of it, with the shortest path there.
    assert any(ln.startswith(f"scenarios/tiny.yaml:{limbo + 1}:5: warning: livelock in state "
                             "'stuck'") and ln.endswith("shortest path: hold -> open_question")
               for ln in lines), lines
    assert len(lines) == 3


def test_lint_shows_errors_of_files_it_cannot_lint(lib: Path) -> None:
    write(lib / "personas" / "tester.yaml", PERSONA.replace("role: Buyer", "role: [Buyer]"))
    proc = sb("lint", str(lib), cwd=lib)
    assert proc.returncode == 1
    assert "personas/tester.yaml:3:1: error: role: input should be a valid string, got list" \
        in proc.stdout, proc.stdout
    assert "unknown persona 'tester'" in proc.stdout


# ------------------------------------------------------------ graph


def test_graph_mermaid_and_dot(lib: Path) -> None:
    proc = sb("--library", str(lib), "graph", "tiny")
    assert proc.returncode == 0, proc.stderr
    assert "stateDiagram-v2" in proc.stdout and "  pressed --> won: hold [hold>=2]" in proc.stdout
    proc = sb("graph", str(lib / "scenarios" / "tiny.yaml"), "--format", "dot")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith('digraph "tiny" {')
    assert '"pressed" -> "won" [label="trade [asked volume]"];' in proc.stdout


def test_graph_errors_are_one_line(lib: Path) -> None:
    assert_clean_error(sb("--library", str(lib), "graph", "tiyn"),
                       "unknown scenario 'tiyn'; did you mean 'tiny'?")
    proc = sb("--library", str(lib), "graph", "tiny", "--format", "png")
    assert proc.returncode == 2 and "invalid choice: 'png'" in proc.stderr
    write(lib / "scenarios" / "tiny.yaml", SCENARIO.replace("start: opening", "start: [x"))
    assert_clean_error(sb("graph", str(lib / "scenarios" / "tiny.yaml")), "cannot draw")


# ------------------------------------------------------------ new + test


def test_new_scenario_passes_validate_lint_and_test(tmp_path: Path) -> None:
    proc = sb("new", "scenario", "renewal-squeeze", "--dir", "mine", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in ("personas/renewal-squeeze-buyer.yaml", "scenarios/renewal-squeeze.yaml",
                 "scenarios/renewal-squeeze.test.yaml", "schema/scenario.schema.json"):
        assert (tmp_path / "mine" / name).is_file(), name
        assert f"created mine/{name}" in proc.stdout
    scenario = (tmp_path / "mine" / "scenarios" / "renewal-squeeze.yaml").read_text()
    assert scenario.startswith("# yaml-language-server: $schema=../schema/scenario.schema.json")
    assert scenario.count("\n#") + scenario.count("  # ") > 10  # it is a commented file
    for command in ("validate", "lint", "test"):
        proc = sb(command, "mine", cwd=tmp_path)
        assert proc.returncode == 0, f"{command}:\n{proc.stdout}{proc.stderr}"
    assert "2 passed, 0 failed" in proc.stdout
    # The trainer's folder now works for every command through --library.
    proc = sb("--library", "mine", "list", cwd=tmp_path)
    assert "renewal-squeeze" in proc.stdout
    # Never overwrite, and say why in one line.
    assert_clean_error(sb("new", "scenario", "renewal-squeeze", "--dir", "mine", cwd=tmp_path),
                       "already")
    assert_clean_error(sb("new", "persona", "Not Valid!", cwd=tmp_path), "cannot be a persona id")


def test_test_command_shows_a_readable_diff(tmp_path: Path) -> None:
    assert sb("new", "scenario", "squeeze", "--dir", ".", "--persona", "procurement-head",
              cwd=tmp_path).returncode == 0
    test = tmp_path / "scenarios" / "squeeze.test.yaml"
    test.write_text(test.read_text().replace("states: [probing, pressure, agreed]",
                                             "states: [probing, agreed]"))
    proc = sb("test", str(test), cwd=tmp_path)
    assert proc.returncode == 1
    out = proc.stdout
    assert "FAIL  scenarios/squeeze.test.yaml: asks why, holds the price twice" in out
    assert "PASS  scenarios/squeeze.test.yaml: gives the discount at once" in out
    assert "    - line 2: expected state 'agreed', got 'pressure'" in out
    assert "      +pressure" in out and "       probing" in out
    assert "    transcript:" in out and "      rep: What's behind the target" in out
    assert out.strip().splitlines()[-1] == "1 passed, 1 failed"
    proc = sb("test", str(test), "-k", "discount", cwd=tmp_path)
    assert proc.returncode == 0 and "1 passed, 0 failed" in proc.stdout


def test_test_command_on_broken_and_empty_inputs(tmp_path: Path) -> None:
    write(tmp_path / "scenarios" / "x.test.yaml", "scenario: procurement-head\npaths: [\n")
    proc = sb("test", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 1
    assert "scenarios/x.test.yaml:3:1: error: not valid YAML" in proc.stdout, proc.stdout
    assert "0 passed, 0 failed, 1 file(s) could not run" in proc.stdout
    write(tmp_path / "scenarios" / "x.test.yaml", "scenario: procurement-head\nseed: one\n"
          "paths: [{name: p, lines: [hi], expect: {totals: {holds: 1}}}]\n")
    proc = sb("test", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 1
    assert "scenarios/x.test.yaml:2:7: error: seed: input should be a valid integer" \
        in proc.stdout, proc.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = sb("test", str(empty))
    assert proc.returncode == 1 and "no scenario tests (*.test.yaml) found" in proc.stdout


# ------------------------------------------------------------ schema


def test_schema_prints_and_writes(tmp_path: Path) -> None:
    proc = sb("schema", "persona")
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert data["title"] == "Shadowbox persona" and "lines" in data["properties"]
    proc = sb("schema", "--out", str(tmp_path / "out"))
    assert proc.returncode == 0
    for kind in KINDS:
        assert (tmp_path / "out" / f"{kind}.schema.json").read_text() == schema_text(kind)
    (tmp_path / "file").write_text("x")
    assert_clean_error(sb("schema", "--out", str(tmp_path / "file")), "not a folder")
