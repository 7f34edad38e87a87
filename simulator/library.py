"""The library: every persona and scenario that loaded, with every problem found.

`simulator.loading.load_library` makes one from the files; practice straight in makes one
of a single scenario and its buyer from the cache (`simulator.catalog.read_validated`).
This module imports nothing of the core's validation (no pydantic, no YAML).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.errors import Problem

if TYPE_CHECKING:
    from simulator.model import Persona, Scenario


@dataclass
class Library:
    """Everything that loaded, with every problem found along the way."""

    personas: dict[str, Persona] = field(default_factory=dict)
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)  # "scenario:<id>" -> file
    broken: dict[str, Problem] = field(default_factory=dict)  # scenario id -> first error

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def scenario(self, scenario_id: str) -> Scenario:
        from simulator.errors import ShadowboxError

        if scenario_id in self.scenarios:
            return self.scenarios[scenario_id]
        hint = difflib.get_close_matches(scenario_id, list(self.scenarios), n=1, cutoff=0.5)
        text = f"unknown scenario '{scenario_id}'"
        if hint:
            text += f"; did you mean '{hint[0]}'?"
        text += " (shadowbox list shows them all)"
        if scenario_id in self.broken:
            text = f"scenario '{scenario_id}' did not load: {self.broken[scenario_id]}"
        raise ShadowboxError(text)

    def ordered(self) -> list[Scenario]:
        """Scenarios in library order: reps' before managers', easy to hard, then by title."""
        rank = {"easy": 0, "medium": 1, "hard": 2}
        return sorted(self.scenarios.values(),
                      key=lambda s: (s.audience != "rep", rank[s.difficulty], s.title.lower()))

    def persona_of(self, scenario: Scenario) -> Persona:
        return self.personas[scenario.persona]
