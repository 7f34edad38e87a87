"""Hostile files: deep nesting, endless devices, symlink loops and unreadable folders are
each a one-line, located problem (never a traceback, a hang or running out of memory)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.loading import load_library
from simulator import yamlsrc
from simulator.yamlsrc import MAX_DEPTH, MAX_NODES, read_yaml
from test_tui_support import write_library


def run_cli(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, SHADOWBOX_HOME=str(cwd / "home"))
    return subprocess.run([sys.executable, "-m", "simulator", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=timeout)


def _the_one_problem(path, text: str):
    """Write `text` (at most 1 MB) to `path` and read it: refused, with exactly one problem."""
    path.write_text(text)
    assert path.stat().st_size <= 1_000_000
    src, problems = read_yaml(path)
    assert src is None and len(problems) == 1
    return problems[0]


@pytest.mark.parametrize("text", [
    "a: " + "[" * 10_000 + "]" * 10_000 + "\n",           # the 20 KB file that took 20 s
    "a: " + "{b: " * 199_000 + "}" * 199_000 + "\n",     # 1 MB of flow mappings
    "a: " + "[" * 999_000 + "\n",                         # 1 MB, never closed
    "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 1400)),  # deep block nesting
    "- " * 400_000 + "x\n",                               # compact nested block lists
])
def test_deep_nesting_is_refused_where_it_passes_the_limit(tmp_path, text):
    p = _the_one_problem(tmp_path / "deep.yaml", text)
    assert f"nesting deeper than {MAX_DEPTH} levels" in p.message or "too deep" in p.message
    # located where the limit is crossed, not at the end of a full parse
    assert p.line <= MAX_DEPTH + 2, p


def test_nesting_within_the_limit_still_loads(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("a: " + "[" * (MAX_DEPTH - 2) + "1" + "]" * (MAX_DEPTH - 2) + "\n")
    src, problems = read_yaml(path)
    assert problems == [] and src is not None


@pytest.mark.parametrize("libyaml", [True, False])
@pytest.mark.parametrize("text", [
    "- a\n" * 249_000,                                   # 996 KB of block items: took 8 s
    "[" + "1," * 494_000 + "1]\n",                       # 990 KB of flow items: 13.6 s
    "{" + ", ".join(["a: 1"] * 165_000) + "}\n",         # 990 KB of flow keys: 8 s
    "k: v\n" * 199_000,                                  # duplicate keys libyaml composes
])
def test_node_dense_files_are_refused_at_the_limit(tmp_path, monkeypatch, text, libyaml):
    if not libyaml:  # PyYAML without libyaml, and text libyaml refuses, use the slow loader
        monkeypatch.setattr(yamlsrc, "_CLoader", None)
    p = _the_one_problem(tmp_path / "dense.yaml", text)
    assert p.message == (f"more than {MAX_NODES:,} values (keys, items and scalars); "
                         "Shadowbox files have a few hundred")
    assert p.line >= 1 and p.col >= 1
    assert str(p).count("\n") == 0


def test_every_bundled_and_test_file_is_far_under_the_value_limit():
    import yaml
    root = Path(__file__).resolve().parent.parent
    files = [p for p in root.rglob("*.yaml") if "corpus" not in p.parts]
    counts = [sum(isinstance(e, yaml.NodeEvent) for e in yaml.parse(p.read_text()))
              for p in files]
    assert len(files) > 10 and max(counts) * 10 < MAX_NODES


def test_a_large_file_of_few_values_still_loads(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("".join(f"k{i}: {'value ' * 16}{i}\n" for i in range(9_000)))
    assert 900_000 < path.stat().st_size <= 1_000_000
    src, problems = read_yaml(path)
    assert problems == [] and len(src.data) == 9_000


def test_an_endless_device_or_a_fifo_is_refused_without_reading_it(tmp_path):
    lib = write_library(tmp_path / "lib")
    (lib / "scenarios" / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(lib / "scenarios" / "pipe.yaml")
    loaded = load_library([lib])
    msgs = {Path(p.path).name: p.message for p in loaded.problems}
    assert msgs["zero.yaml"] == "not a regular file"
    assert msgs["pipe.yaml"] == "not a regular file"
    assert "renewal" in loaded.scenarios  # the broken files hide nothing


@pytest.mark.parametrize("args", [
    ["play", "procurement-head", "--script", "/dev/zero"],
    ["drill", "procurement-head", "--team-file", "/dev/zero"],
    ["score", "--jsonl", "/dev/zero"],
    ["validate", "/dev/zero"],
])
def test_dev_zero_as_an_input_is_a_one_line_error(tmp_path, args):
    out = run_cli(*args, cwd=tmp_path)
    assert out.returncode != 0
    assert "Traceback" not in out.stderr and "MemoryError" not in out.stderr
    lines = (out.stderr + out.stdout).strip().splitlines()
    assert 1 <= len(lines) <= 2, lines
    assert any(w in lines[0] for w in ("larger than", "longer than", "not a regular file",
                                       "not UTF-8")), lines


def test_symlink_loops_are_located_problems(tmp_path):
    lib = write_library(tmp_path / "lib")
    (lib / "scenarios" / "loop.yaml").symlink_to(lib / "scenarios" / "loop.yaml")
    looped = tmp_path / "looped"
    looped.mkdir()
    (looped / "scenarios").symlink_to(looped / "scenarios")
    loaded = load_library([lib, looped, tmp_path / "nowhere"])
    by_name = {Path(p.path).name: p.message for p in loaded.problems}
    assert "symbolic links" in by_name["loop.yaml"] or "loop" in by_name["loop.yaml"]
    assert "cannot read this folder" in by_name["scenarios"]
    assert by_name["nowhere"] == "no such folder"
    assert "renewal" in loaded.scenarios
    for cmd in (["--library", str(looped), "list"], ["validate", str(lib)],
                ["--library", str(lib), "lint"]):
        out = run_cli(*cmd, cwd=tmp_path)
        assert "Traceback" not in out.stderr, (cmd, out.stderr)


def test_an_unreadable_scenarios_folder_is_one_problem(tmp_path, monkeypatch):
    lib = write_library(tmp_path / "lib")
    blocked = lib / "scenarios"
    if os.geteuid() != 0:
        blocked.chmod(0)
    else:  # root reads any folder: make this one fail the way a chmod 000 folder does
        real = Path.iterdir

        def iterdir(self):
            if self == blocked:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "iterdir", iterdir)
    try:
        loaded = load_library([lib])
    finally:
        blocked.chmod(0o755)
    problems = [p for p in loaded.problems if p.path.endswith("scenarios")]
    assert [p.message for p in problems] == ["cannot read this folder: Permission denied"]
    assert "it-director" in loaded.personas
