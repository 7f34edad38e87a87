"""A one-line filter that cycles through its choices (lighter than a Select drop-down)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class Cycle(Widget, can_focus=True):
    """`Label: value`; Enter, space, → or a click go to the next choice, ← to the previous.

    The first choice is always "any" (value None).
    """

    DEFAULT_CSS = """
    Cycle { height: 1; width: auto; padding: 0 1; background: $boost; }
    Cycle:focus { background: $accent 30%; text-style: bold; }
    Cycle:hover { background: $accent 20%; }
    """
    BINDINGS = [
        Binding("enter,space,right", "step(1)", "Next", show=False),
        Binding("left", "step(-1)", "Previous", show=False),
    ]

    index: reactive[int] = reactive(0)

    @dataclass
    class Changed(Message):
        """The choice changed."""

        cycle: Cycle
        value: str | None

        @property
        def control(self) -> Cycle:
            return self.cycle

    def __init__(self, label: str, choices: list[str] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self.choices: list[str | None] = [None, *choices]

    @property
    def value(self) -> str | None:
        return self.choices[self.index]

    @value.setter
    def value(self, value: str | None) -> None:
        self.index = self.choices.index(value)

    def set_choices(self, choices: list[str]) -> None:
        current = self.value
        self.choices = [None, *choices]
        self.index = self.choices.index(current) if current in self.choices else 0
        self.refresh(layout=True)

    def render(self) -> Content:
        value = self.value if self.value is not None else "any"
        return Content.assemble((f"{self.label}: ", "dim"), value, (" ▸", "dim"))

    def watch_index(self, old: int, new: int) -> None:
        if old != new:
            self.post_message(self.Changed(self, self.value))
        self.refresh(layout=True)

    def action_step(self, delta: int) -> None:
        """Go to the next (or previous) choice."""
        self.index = (self.index + delta) % len(self.choices)

    def on_click(self, event: Click) -> None:
        self.action_step(1)
