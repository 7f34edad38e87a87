"""The command line, run as a user runs it: a subprocess, exit codes, stdout and stderr."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator import __version__
from tests.conftest import SCENARIO, write

ROOT = Path(__file__).resolve().parent.parent


def sb(*args: str, stdin: str | None = None, cwd: Path | None = None, env: dict | None = None,
       timeout: float = 60) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "SHADOWBOX_LIBRARY"}
    full_env.update({"PYTHONPATH": str(ROOT), **(env or {})})
    return subprocess.run([sys.executable, "-m", "simulator", *args], input=stdin,
                          capture_output=True, text=True, cwd=cwd or ROOT, env=full_env,
                          timeout=timeout)


def assert_clean_error(proc: subprocess.CompletedProcess, fragment: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert fragment in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_help_and_version() -> None:
    proc = sb("--help")
    assert proc.returncode == 0 and "play" in proc.stdout and "list" in proc.stdout
    proc = sb("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"shadowbox {__version__}"


def _modules_loaded_by(*args: str, cmd: str = "") -> set[str]:
    """The modules a fresh interpreter has loaded after `shadowbox ARGS` (and `cmd`)."""
    code = ("import contextlib, io, sys\nfrom simulator.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    try: main({list(args)!r})\n    except SystemExit: pass\n{cmd}"
            "print(' '.join(sys.modules))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return set(proc.stdout.split())


def test_version_and_help_load_no_core_and_a_command_only_its_own_module() -> None:
    heavy = {"yaml", "pydantic", "textual", "simulator.loading", "simulator.scoring"}
    for args in (["--version"], ["--help"], ["nosuchcommand"]):
        loaded = _modules_loaded_by(*args)
        assert not loaded & heavy, (args, loaded & heavy)
        assert not {m for m in loaded if m.startswith("simulator.commands.")}, args
    assert "argparse" not in _modules_loaded_by("--version")
    loaded = _modules_loaded_by("lint", "--help")
    assert {m for m in loaded if m.startswith("simulator.commands.")} <= {
        "simulator.commands.lint", "simulator.commands.validate"}


def test_list_from_another_directory(tmp_path: Path) -> None:
    proc = sb("list", "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = {row["id"]: row for row in json.loads(proc.stdout)}
    assert {"procurement-head", "send-information"} <= set(rows)
    # Each scenario carries its brief (what a rep reads first) and its turn budget.
    assert rows["procurement-head"]["brief"].startswith("Corvane Systems buys storage drives")
    assert all(r["brief"] and r["turn_budget"] == 20 for r in rows.values())
    proc = sb("list", cwd=tmp_path)
    assert "procurement-head" in proc.stdout


def test_play_json_from_stdin() -> None:
    proc = sb("play", "procurement-head", "--script", "-", "--seed", "4", "--json",
              stdin="What's behind the $7.50 target?\nIs that your final word?\n")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["outcome"]["status"] == "unfinished" and out["outcome"]["won"] is False
    assert out["seed"] == 4
    speakers = [t["speaker"] for t in out["turns"]]
    assert speakers == ["buyer", "rep", "buyer", "rep", "buyer"]
    rep = out["turns"][1]
    assert rep["scores"]["question"] == "open" and "state" in rep
    assert {"habits", "overall", "lesson"} <= set(out["scorecard"])


def test_play_same_seed_same_transcript(tmp_path: Path) -> None:
    script = write(tmp_path / "s.txt", "# my plan\nOur price is $8.50.\n\nWhat's driving the date?\n")
    a = sb("play", "procurement-head", "--script", str(script), "--seed", "9")
    b = sb("play", "procurement-head", "--script", str(script), "--seed", "9")
    assert a.returncode == 0 and a.stdout == b.stdout
    assert "Lesson:" in a.stdout and "Victor Hale" in a.stdout


def test_script_longer_than_the_conversation(tmp_path: Path) -> None:
    caving = ["OK, we can do $8.00.", "Fine, $7.50 it is."] + ["one more thing"] * 2
    script = write(tmp_path / "s.txt", "\n".join(caving) + "\n")
    proc = sb("play", "procurement-head", "--script", str(script), "--seed", "1", "--json")
    out = json.loads(proc.stdout)
    assert out["outcome"]["status"] == "deal"
    assert out["unused_lines"] == ["one more thing", "one more thing"]


@pytest.mark.parametrize(
    ("args", "stdin", "fragment"),
    [
        (("play", "nope-such", "--script", "-"), "hello\n", "unknown scenario 'nope-such'"),
        (("play", "procurement-hed", "--script", "-"), "hello\n", "did you mean 'procurement-head'"),
        (("play", "procurement-head", "--script", "-"), "\n\n# nothing\n", "no responses"),
        (("play", "procurement-head", "--script", "/no/such/file"), None, "no such script"),
        (("play", "procurement-head", "--script", "/"), None, "is a directory"),
    ],
)
def test_play_errors_are_one_line(args, stdin, fragment) -> None:
    assert_clean_error(sb(*args, stdin=stdin), fragment)


def test_unknown_command_and_bad_seed() -> None:
    proc = sb("fly")
    assert proc.returncode == 2 and "invalid choice" in proc.stderr and "Traceback" not in proc.stderr
    proc = sb("play", "procurement-head", "--script", "-", "--seed", "x")
    assert proc.returncode == 2 and "not a whole number: 'x'" in proc.stderr


def test_long_and_emoji_responses(tmp_path: Path) -> None:
    script = write(tmp_path / "s.txt", ("🚀 " + "x" * 10_000) + "\n日本語で価格は？\n")
    proc = sb("play", "procurement-head", "--script", str(script), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["turns"][3]["text"] == "日本語で価格は？"


def test_broken_trainer_folder_never_hides_the_library(tmp_path: Path) -> None:
    write(tmp_path / "scenarios" / "broken.yaml", "id: [\n")
    write(tmp_path / "scenarios" / "mine.yaml",
          SCENARIO.replace("id: tiny", "id: mine").replace("persona: tester",
                                                           "persona: procurement-head")
          .replace("moment: attack", "moment: price_attack"))
    proc = sb("list", "--json", env={"SHADOWBOX_LIBRARY": str(tmp_path)})
    assert proc.returncode == 0
    ids = {row["id"] for row in json.loads(proc.stdout)}
    assert {"mine", "procurement-head"} <= ids
    assert "broken.yaml:2:1: error: not valid YAML" in proc.stderr.replace("\\", "/")
    proc = sb("--library", str(tmp_path), "list")
    assert "mine" in proc.stdout


def test_core_imports_without_textual() -> None:
    """Everything outside simulator.tui (core, scorer, drills, every command module) imports
    in a fresh interpreter without pulling in Textual."""
    package = ROOT / "simulator"
    names = sorted(
        ".".join(("simulator", *p.relative_to(package).with_suffix("").parts)).removesuffix(
            ".__init__")
        for p in package.rglob("*.py")
        if "tui" not in p.relative_to(package).parts and p.name != "__main__.py"
        # Alembic's scripts run inside a migration (simulator.db.upgrade), not as imports.
        and "migrations" not in p.relative_to(package).parts
    )
    assert {"simulator.drill", "simulator.coaching", "simulator.commands.serve"} <= set(names)
    code = (
        f"import importlib, sys\nfor name in {names!r}:\n    importlib.import_module(name)\n"
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
        "assert not bad, bad\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr


def test_score_against_a_scenario_uses_its_prices_and_gets() -> None:
    # procurement-head opens at $8.50 with a $7.50 buyer number: "8.20" is a move toward the
    # buyer, and the scenario's own walk-away decides whether it is below it.
    proc = sb("score", "We can do 8.20 if you commit to the full volume", "--scenario", "procurement-head", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["price"] == "trade" and out["exchange"] is True
    assert out["named_price"] == 8.2
    # The scenario's own get (a meeting) is what send-information's reply asks for.
    proc = sb("score", "Happy to send the overview today; in return could we grab fifteen minutes on Thursday?",
              "--scenario", "send-information", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["exchange"] is True and out["gets"], out


def test_score_scenario_flags_override_and_buyer_line_is_read() -> None:
    proc = sb("score", "Fine, you've got it.", "--scenario", "procurement-head", "--buyer", "Can you do 7.90?", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["price"] == "concede" and out["named_price"] == 7.9
    proc = sb("score", "We can do 8.20.", "--scenario", "procurement-head", "--walk-away", "8.30", "--json")
    assert json.loads(proc.stdout)["below_walk_away"] is True


def test_score_shows_the_rule_and_the_findings_behind_each_verdict() -> None:
    text = "We can do 8.20 if you commit to\nthe full volume"
    proc = sb("score", text, "--our-price", "8.50", "--their-price", "7.50", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    price = out["verdicts"]["price"]
    assert price["rule"] == "price.give_with_get"
    assert {f["rule"] for f in price["findings"]} >= {"price.give", "exchange.get"}
    give = next(f for f in price["findings"] if f["rule"] == "price.give")
    assert give["span"]["text"] == text[give["span"]["start"]:give["span"]["end"]] == "8.20"
    # the old key keeps its names; the records beside it name each one's rule
    assert len(out["findings"]) == len(out["findings_detail"]) and any(n.startswith("get: ") for n in out["findings"])
    assert all(f["span"] is None or f["span"]["text"] == text[f["span"]["start"]:f["span"]["end"]]
               for f in out["findings_detail"])
    proc = sb("score", text, "--our-price", "8.50", "--their-price", "7.50")
    assert proc.returncode == 0, proc.stderr
    assert "[price.give_with_get]" in proc.stdout and "because: price.give \"8.20\"" in proc.stdout
    assert "Findings:" in proc.stdout and "exchange.get" in proc.stdout


def test_score_unknown_scenario_is_a_clean_error() -> None:
    assert_clean_error(sb("score", "hello", "--scenario", "no-such-scenario"), "unknown scenario 'no-such-scenario'")


def test_headless_drill_prints_the_board_saves_it_and_its_csv(tmp_path: Path) -> None:
    env = {"SHADOWBOX_HOME": str(tmp_path / "home")}
    script = tmp_path / "drill.txt"
    script.write_text(
        "# round 1\n"
        "Ana: Our price is $8.50 because you reach volume sooner. What's behind the target?\n"
        "Ben: ok we can do 10% off if you sign this week\n"
        "---\n"
        "Ben: If you commit to the whole order, we can look at the delivery schedule.\n"
        "Ana:\n", encoding="utf-8")
    proc = sb("drill", "procurement-head", "--team", "Ana,Ben", "--script", str(script),
              "--seed", "3", "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert {"id", "leaderboard", "rounds"} <= set(data)
    assert [r["number"] for r in data["rounds"]] == [1, 2]
    board = {row["name"]: row for row in data["leaderboard"]}
    assert set(board) == {"Ana", "Ben"} and all("habits" in r for r in board.values())
    cave = data["rounds"][0]["answers"][1]
    assert cave["participant"] == "Ben" and cave["habits"]["hold_price"] == 0
    assert cave["overall"] < data["rounds"][0]["answers"][0]["overall"]

    proc = sb("drill", "--show", data["id"], "--format", "csv", env=env)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert [(r["round"], r["participant"], r["status"]) for r in rows] == [
        ("1", "Ana", "answered"), ("1", "Ben", "answered"), ("2", "Ben", "answered"),
        ("2", "Ana", "empty")]

    text = sb("drill", "procurement-head", "--team", "Ana,Ben", "--script", str(script),
              "--seed", "3", env=env)
    assert text.returncode == 0, text.stderr
    assert "Place" in text.stdout and "Saved to history as" in text.stdout
    hist = sb("drill", "--history", env=env)
    assert hist.stdout.startswith("2 drills")


def test_headless_drill_errors_are_one_located_line(tmp_path: Path) -> None:
    env = {"SHADOWBOX_HOME": str(tmp_path / "home")}
    script = tmp_path / "drill.txt"
    script.write_text("Ana: fine\nZed: hello\n", encoding="utf-8")
    proc = sb("drill", "procurement-head", "--team", "Ana,Ben", "--script", str(script), env=env)
    assert_clean_error(proc, "drill.txt:2: 'Zed' is not in the team")
    proc = sb("drill", "procurement-head", "--script", str(script), env=env)
    assert_clean_error(proc, "--script needs a SCENARIO_ID and a team")
    proc = sb("drill", "procurement-head", "--team", "Ana", "--json", env=env)
    assert_clean_error(proc, "--json goes with --script")


def test_validate_shows_every_kind_of_problem_in_one_run(tiny_lib: Path) -> None:
    """An unknown field no longer hides a bad moment or state reference in the same file."""
    path = tiny_lib / "scenarios" / "tiny.yaml"
    text = path.read_text().replace("lesson: Hold the price.",
                                    "lesson: Hold the price.\nlessons: typo")
    text = text.replace("opening: {moment: attack,", "opening: {moment: atack,")
    text = text.replace("to: pressed}", "to: presed}")
    path.write_text(text)
    proc = sb("validate", str(tiny_lib))
    assert proc.returncode == 1
    assert "unknown field 'lessons'" in proc.stdout
    assert "unknown moment of persona 'tester' 'atack'" in proc.stdout
    assert "unknown state 'presed'" in proc.stdout
    lines = [ln for ln in proc.stdout.splitlines() if ": error:" in ln]
    assert len(lines) == 3 and all(ln.split(":")[1].isdigit() for ln in lines)


def test_library_works_before_and_after_the_subcommand(tiny_lib: Path, tmp_path: Path) -> None:
    for argv in (("--library", str(tiny_lib), "graph", "tiny"),
                 ("graph", "tiny", "--library", str(tiny_lib))):
        proc = sb(*argv)
        assert proc.returncode == 0, proc.stderr
        assert "opening" in proc.stdout
    other = tmp_path / "other"
    (other / "scenarios").mkdir(parents=True)
    proc = sb("--library", str(other), "list", "--json", "--library", str(tiny_lib))
    assert proc.returncode == 0, proc.stderr
    assert "tiny" in {row["id"] for row in json.loads(proc.stdout)}


def test_scenario_id_has_help_text() -> None:
    for cmd in ("play", "practice"):
        out = sb(cmd, "--help").stdout
        assert "SCENARIO_ID" in out and "shadowbox list shows the ids" in out


def test_an_installed_copy_runs_the_bundled_scenario_tests(tmp_path: Path) -> None:
    """`shadowbox test` with no path, on the wheel's layout (pyproject's force-include):
    the bundled scenarios' tests ship with them and all pass."""
    import shutil
    import tomllib

    conf = tomllib.loads((ROOT / "pyproject.toml").read_text())
    mapping = conf["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert "tests/playthroughs" in mapping
    site = tmp_path / "site"
    shutil.copytree(ROOT / "simulator", site / "simulator",
                    ignore=shutil.ignore_patterns("__pycache__", "_bundled"))
    for src, dest in mapping.items():
        shutil.copytree(ROOT / src, site / dest)
    env = {k: v for k, v in os.environ.items() if k != "SHADOWBOX_LIBRARY"}
    env.update(PYTHONPATH=str(site), SHADOWBOX_HOME=str(tmp_path / "home"))
    proc = subprocess.run([sys.executable, "-m", "simulator", "test"], capture_output=True,
                          text=True, cwd=tmp_path, env=env, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    shipped = len(list((ROOT / "tests" / "playthroughs").glob("*.test.yaml")))
    assert proc.stdout.count("_bundled/tests/playthroughs/") >= shipped
    assert proc.stdout.strip().splitlines()[-1].endswith(" passed, 0 failed")
