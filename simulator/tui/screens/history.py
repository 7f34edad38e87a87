"""History: every saved session, progress per habit as a chart, resume or review."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from rich.text import Text
from textual.widgets import DataTable, Footer, Static
from textual_plotext import PlotextPlot

from simulator.errors import ShadowboxError
from simulator.money import format_money
from simulator.scorecard import HABIT_TITLES
from simulator.store import Store, damage_note
from simulator.tui.widgets.header import Header

#: Plot colours per habit, the same in both themes.
HABIT_COLOURS = {"hold_price": "green", "trade": "cyan", "open_questions": "orange",
                 "coaching": "magenta"}


class SessionTable(DataTable):
    """The sessions; Enter reviews the selected one (shown in the footer)."""

    BINDINGS = [Binding("enter", "select_cursor", "Review")]


class HistoryScreen(Screen):
    """Your sessions, newest first, and how each habit is trending."""

    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("r", "resume", "Resume"),
        Binding("x", "export", "Export"),
        Binding("ctrl+r", "reload", "Refresh", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.rows: list[dict] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield SessionTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Static(id="empty")
        yield PlotextPlot(id="chart")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "History"
        table = self.query_one("#sessions", DataTable)
        table.add_columns("#", "When", "Scenario", "Outcome", "Price", "Score", "Turns")
        self.action_reload()
        table.focus()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        """Read the history again (another window may have added sessions)."""
        try:
            self.rows = self.store.sessions()
        except ShadowboxError as exc:
            self.app.show_error(exc.message)
            self.rows = []
        notes = [n for n in map(damage_note, self.rows) if n]
        if notes:
            self.app.show_error(notes[0] + (f" (and {len(notes) - 1} more)"
                                            if len(notes) > 1 else ""))
        table = self.query_one("#sessions", DataTable)
        table.clear()
        for r in self.rows:
            card = r["scorecard"] or {}
            cur = (card.get("deal") or {}).get("currency", "USD")
            outcome = r["label"] or ("in progress (r resumes)" if r["status"] == "in_progress"
                                     else r["status"])
            if len(outcome) > 28:
                outcome = outcome[:27] + "…"
            table.add_row(*map(Text, (  # Text: never markup, and measured right
                str(r["id"]), datetime.fromtimestamp(r["started"]).strftime("%d %b %H:%M"),
                r["scenario"], ("✓ " if r["won"] else "") + outcome,
                format_money(r["price"], cur) if r["price"] is not None else "–",
                f"{r['overall']:.0f}" if r["overall"] is not None else "–",
                str(r["rep_turns"]))), key=str(r["id"]))
        empty = self.query_one("#empty", Static)
        empty.update("No sessions yet: pick a scenario in the library and practise."
                     if not self.rows else "")
        empty.display = not self.rows
        self.draw_chart()

    def draw_chart(self) -> None:
        plot = self.query_one("#chart", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        progress = self.store.progress() if self.rows else {}
        plt.title("Progress per habit (score by session)")
        plt.ylim(0, 100)
        for habit, points in progress.items():
            xs = [sid for sid, _ in points]
            ys = [score for _, score in points]
            plt.plot(xs, ys, marker="braille", label=HABIT_TITLES.get(habit, habit),
                     color=HABIT_COLOURS.get(habit, "white"))
        if progress:
            ids = sorted({sid for points in progress.values() for sid, _ in points})
            step = max(1, len(ids) // 10)
            plt.xticks(ids[::step], [str(i) for i in ids[::step]])
            plt.xlabel("session")
        plot.refresh()

    def current(self) -> dict | None:
        table = self.query_one("#sessions", DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_review()

    def action_review(self) -> None:
        """Open the debrief of the selected session."""
        row = self.current()
        if row is not None:
            self.app.review(row["id"])

    def action_resume(self) -> None:
        """Carry on an unfinished session where it stopped."""
        row = self.current()
        if row is None:
            return
        if row["status"] != "in_progress":
            self.app.notify("That session has ended; Enter reviews it.", timeout=3)
            return
        self.app.resume(row["id"])

    def action_export(self) -> None:
        """Save the selected session as Markdown, HTML or JSON."""
        row = self.current()
        if row is not None:
            self.app.export_session(row["id"])

    def action_back(self) -> None:
        self.app.pop_screen()
