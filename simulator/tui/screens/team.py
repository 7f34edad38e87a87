"""Team: every rep's practice, habit by habit, with a chart and the leaderboards.

The manager's Monday morning: who practised and when, each habit's average and trend, each
rep's weakest habit; the selected rep's weekly averages as a chart; the team's leaderboard
for each habit. Read in a worker thread (a team database may be across the network), from
`simulator.team.team_view`, the same data as `shadowbox team --json`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual_plotext import PlotextPlot

from simulator.errors import ShadowboxError
from simulator.model import HABITS
from simulator.money import BLANK
from simulator.scorecard import HABIT_TITLES, SHORT_HABITS
from simulator.store import Store
from simulator.team import assigned_text, trend_arrow
from simulator.tui.screens.history import HABIT_COLOURS
from simulator.tui.widgets.cycle import Cycle
from simulator.tui.widgets.header import Header

#: The periods the screen offers, as Cycle choices and their length in days.
PERIODS = {"7 days": 7, "30 days": 30, "90 days": 90}


def cell(habit: dict | None) -> str:
    """A habit's average and trend for a table cell: '72 ↑5'."""
    if habit is None:
        return BLANK
    return f"{habit['average']:.0f} {trend_arrow(habit['trend'])}".rstrip()


class RepTable(DataTable):
    """The reps; moving the cursor charts the highlighted rep."""


class TeamScreen(Screen):
    """Who practised, how each habit is going, who needs what."""

    CSS_PATH = "team.tcss"
    BINDINGS = [
        Binding("ctrl+r", "reload", "Refresh"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, store: Store, scenarios: list[str] = ()) -> None:
        super().__init__()
        self.store = store
        self.scenarios = list(scenarios)
        self.view: dict[str, Any] | None = None
        self.charted: str | None = None  # whose weekly averages the chart shows

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="team-filters"):
            yield Cycle("Last", list(PERIODS), id="period")
            yield Cycle("Scenario", self.scenarios, id="scenario")
        # the name stays in view if a long one still makes the table scroll sideways
        yield RepTable(id="reps", cursor_type="row", zebra_stripes=True, fixed_columns=1)
        yield Static("Reading the team's history…", id="team-empty")
        with Horizontal(id="team-bottom"):
            yield PlotextPlot(id="team-chart")
            yield Static(id="boards", classes="panel")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Team"
        self.query_one("#period", Cycle).value = "30 days"
        self.query_one("#boards").border_title = "Leaderboards"
        self.action_reload()
        self.query_one("#reps", DataTable).focus()

    # ------------------------------------------------------------ data

    def since(self) -> date | None:
        period = self.query_one("#period", Cycle).value
        return date.today() - timedelta(days=PERIODS[period]) if period else None

    @on(Cycle.Changed)
    def action_reload(self) -> None:
        """Read the team's history again (for the chosen period and scenario)."""
        self.load(self.since(), self.query_one("#scenario", Cycle).value)

    @work(thread=True, exclusive=True, group="team")
    def load(self, since: date | None, scenario: str | None) -> None:
        from simulator.team import team_view

        try:
            view = team_view(self.store, since=since, scenario=scenario)
        except ShadowboxError as exc:
            self.app.call_from_thread(self.failed, exc.message)
            return
        self.app.call_from_thread(self.show, view)

    def failed(self, message: str) -> None:
        self.app.show_error(message)
        empty = self.query_one("#team-empty", Static)
        empty.update(Content(f"The team's history cannot be read: {message}"))
        empty.display = True

    def show(self, view: dict[str, Any]) -> None:
        self.view = view
        table = self.query_one("#reps", DataTable)
        row = table.cursor_row
        # a habit column only where some rep in the view has a score for it
        habits = [h for h in HABITS if any(h in r["habits"] for r in view["reps"])]
        table.clear(columns=True)
        # narrow enough for 80 columns with every habit: the day without the time, and no
        # overall (the habits beside it say more; `shadowbox team` keeps both)
        table.add_columns("Rep", "Last", "Sessions", "Drills",
                          *[SHORT_HABITS[h] for h in habits], "Weakest", "Assigned")
        for r in view["reps"]:
            when = (datetime.fromisoformat(r["last_practised"]).strftime("%d %b")
                    if r["last_practised"] else BLANK)
            table.add_row(
                r["user"], when, str(r["sessions"]), str(r["drills"]),
                *[cell(r["habits"].get(h)) for h in habits],
                SHORT_HABITS[r["weakest_habit"]] if r["weakest_habit"] else BLANK,
                assigned_text(r["assignments"]), key=r["user"])
        empty = self.query_one("#team-empty", Static)
        scope = "in this period" + (" for this scenario" if view["scenario"] else "")
        empty.update(Content(f"No practice {scope} yet. Reps practise with the same --db "
                             "(or SHADOWBOX_DB) to show up here."))
        empty.display = not view["reps"]
        self.query_one("#boards", Static).update(self.boards(view))
        if view["reps"]:
            table.move_cursor(row=min(row, len(view["reps"]) - 1))
        self.chart(view["reps"][table.cursor_row] if view["reps"] else None)

    @staticmethod
    def boards(view: dict[str, Any]) -> Content:
        rows: list[Content] = []
        for h, board in view["leaderboards"].items():
            rows.append(Content.styled(HABIT_TITLES[h], "bold"))
            for b in board[:5]:
                rows.append(Content(f" {b['rank']:>2}. {b['user'][:14]:<14} {b['average']:>4.0f}"))
        return Content("\n").join(rows) if rows else Content.styled("Nothing scored yet.",
                                                                    "dim")

    def chart(self, rep: dict[str, Any] | None) -> None:
        plot = self.query_one("#team-chart", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.ylim(0, 100)
        self.charted = rep["user"] if rep is not None else None
        if rep is None:
            plt.title("Weekly average per habit")
            plot.refresh()
            return
        plt.title(f"{rep['user']}: weekly average per habit")
        weeks = sorted({w["week"] for h in rep["habits"].values() for w in h["weekly"]})
        x_of = {w: i + 1 for i, w in enumerate(weeks)}
        for habit, data in rep["habits"].items():
            xs = [x_of[w["week"]] for w in data["weekly"]]
            ys = [w["average"] for w in data["weekly"]]
            draw = plt.plot if len(xs) > 1 else plt.scatter  # one week: a point, not a line
            draw(xs, ys, marker="braille" if len(xs) > 1 else "●",
                 label=HABIT_TITLES.get(habit, habit), color=HABIT_COLOURS.get(habit, "white"))
        if weeks:
            step = max(1, len(weeks) // 6)
            ticks = list(range(1, len(weeks) + 1))[::step]
            plt.xticks(ticks, [date.fromisoformat(weeks[t - 1]).strftime("%d %b")
                               for t in ticks])
            plt.xlim(0.5, len(weeks) + 0.5)
            plt.xlabel("week of")
        plot.refresh()

    @on(DataTable.RowHighlighted, "#reps")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.view and 0 <= event.cursor_row < len(self.view["reps"]):
            self.chart(self.view["reps"][event.cursor_row])

    def action_back(self) -> None:
        self.app.pop_screen()
