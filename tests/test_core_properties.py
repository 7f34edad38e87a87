"""Hostile input to the core: files, values and conversations never crash, problems are located."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.loading import load_library
from simulator.scorecard import build
from simulator import yamlsrc
from simulator.yamlsrc import read_yaml
from tests.conftest import SCENARIO

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

# YAML-flavoured text: the characters that make YAML interesting, plus anything at all.
yamlish = st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#%@`,?\n\t 012.\\<=~")),
                  max_size=200) | st.text(max_size=200)


@FAST
@given(text=yamlish)
def test_any_text_reads_or_fails_with_a_location(tmp_path_factory, text: str) -> None:
    path = tmp_path_factory.mktemp("y") / "x.yaml"
    path.write_text(text, encoding="utf-8")
    src, problems = read_yaml(path)
    if src is None:
        assert problems and all(p.message and "\n" not in p.message for p in problems)
    else:
        assert isinstance(src.data, dict) and not problems


def _pure_python(path: Path):
    """read_yaml as it reads without libyaml (the path that reports every failing file)."""
    fast, yamlsrc._CLoader = yamlsrc._CLoader, None
    try:
        return read_yaml(path)
    finally:
        yamlsrc._CLoader = fast


@FAST
@given(text=yamlish)
def test_libyaml_and_pure_python_read_the_same(tmp_path_factory, text: str) -> None:
    """Same data, same line and column for every key and value, same problems."""
    path = tmp_path_factory.mktemp("y") / "x.yaml"
    path.write_text(text, encoding="utf-8")
    src, problems = read_yaml(path)
    slow, slow_problems = _pure_python(path)
    assert problems == slow_problems
    if src is not None:
        assert (src.data, src.values, src.keys) == (slow.data, slow.values, slow.keys)


def test_libyaml_reads_the_bundled_library_as_pure_python_does() -> None:
    root = Path(__file__).resolve().parent.parent
    files = sorted([*root.glob("personas/*.yaml"), *root.glob("scenarios/*.yaml"),
                    *root.glob("tests/playthroughs/*.yaml")])
    assert len(files) > 15 and yamlsrc._CLoader is not None
    for path in files:
        src, _ = read_yaml(path)
        slow, _ = _pure_python(path)
        assert (src.data, src.values, src.keys) == (slow.data, slow.values, slow.keys), path


scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
values = st.recursive(scalars, lambda kids: st.lists(kids, max_size=4)
                      | st.dictionaries(st.text(max_size=10), kids, max_size=4), max_leaves=20)


@FAST
@given(path=st.lists(st.sampled_from(["money", "conversation", "states", "opening", "say",
                                      "transitions", 0, "when", "list_price", "persona"]),
                     min_size=1, max_size=4),
       value=values)
def test_any_value_anywhere_in_a_scenario_is_reported_with_a_line(tmp_path_factory, path,
                                                                  value) -> None:
    data = yaml.safe_load(SCENARIO)
    node = data
    for key in path[:-1]:
        nxt = node.get(key) if isinstance(node, dict) else (node[key] if isinstance(node, list)
                                                            and isinstance(key, int)
                                                            and key < len(node) else None)
        if not isinstance(nxt, (dict, list)):
            break
        node = nxt
    if isinstance(node, dict):
        node[str(path[-1])] = value
    folder = tmp_path_factory.mktemp("lib")
    (folder / "personas").mkdir()
    (folder / "scenarios").mkdir()
    from tests.conftest import PERSONA

    (folder / "personas" / "tester.yaml").write_text(PERSONA, encoding="utf-8")
    (folder / "scenarios" / "tiny.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                                    encoding="utf-8")
    lib = load_library([Path(folder)])
    for p in lib.problems:
        assert p.line >= 1 and p.message
    assert ("tiny" in lib.scenarios) or lib.errors


rep_lines = st.lists(
    st.sampled_from([
        "Our price is $8.50.", "OK, $8.00.", "Fine, 7.50.", "What's behind the target?",
        "Is that final?", "Let me check with my manager.", "If you take the whole order, 8.40.",
        "", "🙂", "asdf", "-1", "$0.00", "99999999999", "you should just sign",
    ]) | st.text(max_size=60),
    min_size=1, max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(lines=rep_lines, seed=st.integers(min_value=1, max_value=2**31 - 1))
def test_any_conversation_keeps_the_deal_sane(lines, seed) -> None:
    from simulator.session import Session

    lib = _bundled()
    for scenario_id in ("procurement-head", "outrageous-ask"):
        sc = lib.scenarios[scenario_id]
        s = Session(sc, lib.persona_of(sc), seed=seed)
        s.play(lines)
        assert s.outcome is not None
        for t in s.turns:
            assert 0 < t.offer <= sc.money.list_price
            assert 0 <= t.buyer_number <= t.offer
        card = build(s).to_dict()
        assert card["overall"] is None or 0 <= card["overall"] <= 100


_LIB = []


def _bundled():
    if not _LIB:
        _LIB.append(load_library())
    return _LIB[0]
