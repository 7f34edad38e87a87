"""A dialog listing every problem found while loading the library, with its location."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from simulator.errors import Problem


class ProblemsScreen(ModalScreen[None]):
    """Library problems (path:line:col: message), shown instead of crashing."""

    DEFAULT_CSS = """
    ProblemsScreen { align: center middle; }
    ProblemsScreen > Vertical {
        width: 90%; max-width: 110; height: 80%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    ProblemsScreen VerticalScroll { height: 1fr; }
    ProblemsScreen Button { margin: 1 0 0 0; }
    """
    BINDINGS = [Binding("escape,q,p", "close", "Close")]

    def __init__(self, problems: Sequence[Problem], title: str = "Library problems") -> None:
        super().__init__()
        self.problems = list(problems)
        self.heading = title

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(f"{self.heading} ({len(self.problems)})")
            with VerticalScroll():
                yield Static(Content("\n").join(
                    Content.assemble((f"{p.path}:{p.line}:{p.col}" if p.line else p.path,
                                      "bold"), " ",
                                     (p.severity, "$text-error" if p.severity == "error"
                                      else "$text-warning"), f": {p.message}")
                    for p in self.problems))
            yield Button("Close", variant="primary", id="close")

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        """Back to where you were."""
        self.dismiss(None)
