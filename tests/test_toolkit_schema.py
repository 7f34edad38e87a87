"""Generated files stay in sync: the committed JSON Schemas, the docs' field reference,
and the schema comments at the top of every bundled file."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.schema import (
    KINDS,
    REFERENCE_BEGIN,
    REFERENCE_END,
    docs_with_reference,
    field_reference,
    schema,
    schema_text,
)

ROOT = Path(__file__).resolve().parent.parent
REGENERATE = "run `python -m simulator.schema` and commit the result"


@pytest.mark.parametrize("kind", list(KINDS))
def test_committed_schema_is_up_to_date(kind: str) -> None:
    path = ROOT / "schema" / f"{kind}.schema.json"
    assert path.read_text(encoding="utf-8") == schema_text(kind), f"{path} is stale: {REGENERATE}"


def test_schema_forbids_unknown_fields_and_describes_every_field() -> None:
    for kind in KINDS:
        body = schema(kind)
        assert body["$schema"].startswith("https://json-schema.org/")
        objects = [body, *body.get("$defs", {}).values()]
        for obj in objects:
            if "properties" not in obj:
                continue
            assert obj.get("additionalProperties") is False, obj.get("title")
            for name, prop in obj["properties"].items():
                assert prop.get("description"), f"{kind}: {obj.get('title')}.{name}"
    # YAML spells the transition source `from`, not the Python name.
    transition = schema("scenario")["$defs"]["TransitionSpec"]["properties"]
    assert "from" in transition and "from_" not in transition


def test_docs_field_reference_is_in_sync() -> None:
    text = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    assert REFERENCE_BEGIN in text and REFERENCE_END in text
    assert docs_with_reference(text) == text, f"docs/authoring.md reference is stale: {REGENERATE}"
    reference = field_reference()
    for needle in ("| `patience_spent` |", "| `from` |", "#### TransitionSpec",
                   "### Shadowbox scenario test (*.test.yaml)", "| `lines` |"):
        assert needle in reference, needle


@pytest.mark.parametrize("folder,kind", [("personas", "persona"), ("scenarios", "scenario")])
def test_bundled_files_point_editors_at_the_schema(folder: str, kind: str) -> None:
    files = sorted((ROOT / folder).glob("*.yaml"))
    files = [f for f in files if not f.name.endswith(".test.yaml")]
    assert files
    want = f"# yaml-language-server: $schema=../schema/{kind}.schema.json"
    missing = [f.name for f in files if f.read_text(encoding="utf-8").splitlines()[0] != want]
    assert not missing, f"first line should be {want!r} in: {', '.join(missing)}"
