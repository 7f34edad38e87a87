"""Golden playthroughs: every tests/playthroughs/*.test.yaml file, every path, via simulator.playtest.

Each path is its own test case, so a failure names the scenario and the path, lists every way
the run differed from the file, and prints the whole transcript (rep moves and states included).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.loading import bundled_dir, load_library
from simulator.playtest import load_playtest, run_path

PLAYTHROUGHS = Path(__file__).parent / "playthroughs"
FILES = sorted(PLAYTHROUGHS.glob("*.test.yaml"))


@pytest.fixture(scope="module")
def library():
    return load_library([bundled_dir()])


def _cases():
    for path in FILES:
        spec, _src, problems = load_playtest(path)
        if spec is None:
            yield pytest.param(path, None, None, problems, id=f"{path.stem}:unreadable")
            continue
        for i, p in enumerate(spec.paths):
            yield pytest.param(path, spec, i, [], id=f"{spec.scenario}:{i}:{p.name.split(' - ')[0]}")


def test_there_are_playthroughs():
    assert FILES, f"no *.test.yaml files in {PLAYTHROUGHS}"


@pytest.mark.parametrize(("file", "spec", "index", "problems"), list(_cases()))
def test_path(library, file, spec, index, problems):
    assert not problems, "\n".join(str(p) for p in problems)
    path = spec.paths[index]
    result = run_path(library, spec.scenario, spec.seed, path)
    if not result.ok:
        pytest.fail(
            f"{file.name}, path '{path.name}' (seed {spec.seed}):\n  - "
            + "\n  - ".join(result.failures)
            + "\n\nTranscript:\n  " + "\n  ".join(result.transcript),
            pytrace=False,
        )
