"""Pieces of the drill screens: the leaderboard table, verdict badges, small dialogs."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, OptionList
from textual.widgets.option_list import Option

from simulator.drill import Answer, Standing
from simulator.scorecard import SHORT_HABITS

TONES = {"good": "$success", "warn": "$warning", "bad": "$error", "neutral": "$secondary"}


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def badges(answer: Answer) -> Content:
    """The verdicts as coloured badges, readable from the back of the room."""
    parts: list = []
    for label, tone in answer.badges():
        if parts:
            parts.append(" ")
        parts.append((f" {label.upper()} ", f"bold $text on {TONES[tone]}"))
    return Content.assemble(*parts)


class Leaderboard(DataTable):
    """The live standings: place, name, overall and each scored habit."""

    DEFAULT_CSS = """
    Leaderboard { height: auto; max-height: 100%; }
    """

    def __init__(self, habits: Sequence[str], **kw) -> None:
        super().__init__(cursor_type="none", zebra_stripes=True, **kw)
        self.habits = list(habits)

    def on_mount(self) -> None:
        self.add_column("#", key="place")
        self.add_column("Name", key="name")
        self.add_column("Score", key="overall")
        for h in self.habits:
            self.add_column(SHORT_HABITS[h], key=h)
        self.add_column("Ans", key="attempts")
        self.add_column("Pass", key="skipped")

    def show(self, standings: Sequence[Standing], ranked_by: str | None = None) -> None:
        """Replace the rows; the column being ranked by is shown in bold."""
        self.clear()
        for s in standings:
            cells: list = [Text(str(c)) for c in (  # Text: never markup, measured right
                s.place, s.name, fmt(s.overall), *(fmt(s.habits[h]) for h in self.habits),
                s.attempts, s.skipped)]
            key_col = 2 if ranked_by is None else 3 + self.habits.index(ranked_by)
            cells[key_col] = Content.styled(cells[key_col].plain, "bold $accent")
            if s.rank == 1:
                cells[1] = Content.styled(s.name, "bold")
            self.add_row(*cells, key=s.name)


class ChoiceModal(ModalScreen[str | None]):
    """Pick one of a list (a moment, a volunteer); Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    ChoiceModal { align: center middle; }
    ChoiceModal > Vertical { width: 90%; max-width: 110; height: auto; max-height: 80%;
        border: thick $accent; background: $surface; padding: 0 1; }
    ChoiceModal OptionList { height: auto; max-height: 30; }
    """

    def __init__(self, title: str, options: Sequence[tuple[str | Content, str]],
                 highlighted: int = 0) -> None:
        super().__init__()
        self.title_text = title
        self.options = list(options)
        self.start = highlighted

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content.styled(self.title_text, "bold"))
            yield OptionList(*[Option(Content(label) if isinstance(label, str) else label,
                                      id=value) for label, value in self.options])

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ol.highlighted = min(self.start, max(len(self.options) - 1, 0))
        ol.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)


class LineModal(ModalScreen[str | None]):
    """The manager types a line (the buyer's words); Enter poses it, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    LineModal { align: center middle; }
    LineModal > Vertical { width: 90%; max-width: 110; height: auto; border: thick $accent;
        background: $surface; padding: 0 1; }
    """

    def __init__(self, title: str, placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content.styled(self.title_text, "bold"))
            yield Input(placeholder=self.placeholder, max_length=1000)

    @on(Input.Submitted)
    def _done(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Close without posing a line."""
        self.dismiss(None)
