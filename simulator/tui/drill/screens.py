"""The drill screens: set-up, the round in front of the room, and the end-of-drill summary.

The screens only drive a `simulator.drill.Drill` and show what it returns; scores,
ranks and coaching are decided in the core. Each change is saved to the history
database (`DrillStore`) as it happens, so a closed laptop loses nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from weakref import WeakKeyDictionary

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import (
    Button,
    Checkbox,
    Digits,
    Footer,
    Input,
    Label,
    Select,
    Static,
)

from simulator.drill import Drill, DrillError, parse_team
from simulator.drill_store import DrillStore
from simulator.errors import ShadowboxError, display_path
from simulator.export import ExportExists, export_dir, export_folder, where, write_all
from simulator.loading import Library
from simulator.scorecard import HABIT_TITLES
from simulator.tui.drill.widgets import ChoiceModal, Leaderboard, LineModal, badges, fmt
from simulator.tui.widgets.header import Header
from simulator.tui.widgets.reply import ReplyInput

#: A high-contrast theme for a projector: white on black, yellow for what matters.
PROJECTOR = Theme(
    name="shadowbox-projector",
    primary="#FFD700",
    secondary="#00BFFF",
    accent="#FFD700",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    success="#00E060",
    warning="#FFB000",
    error="#FF4040",
    dark=True,
)


#: The theme each app had before the projector theme, restored when the drill is left.
_THEME_BEFORE: WeakKeyDictionary = WeakKeyDictionary()


def use_projector(screen: Screen) -> None:
    """Switch the app to the projector theme (registered once)."""
    app = screen.app
    if PROJECTOR.name not in app.available_themes:
        app.register_theme(PROJECTOR)
    if app.theme != PROJECTOR.name:
        _THEME_BEFORE[app] = app.theme
    app.theme = PROJECTOR.name


def leave_projector(app) -> None:
    """Give the app back the theme it had before the drill."""
    if app in _THEME_BEFORE:
        app.theme = _THEME_BEFORE.pop(app)


class DrillScreen(Screen):
    """One buyer, a room of reps: the moment in large, who is up, verdicts, the board."""

    CSS_PATH = "drill.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("f2", "skip", "Skip"),
        Binding("f3", "next_moment", "Next moment"),
        Binding("f4", "pick_moment", "Pick moment"),
        Binding("f5", "own_line", "Your line"),
        Binding("f6", "volunteer", "Volunteer"),
        Binding("f7", "another_line", "Other wording", show=False),
        Binding("f8", "undo", "Undo"),
        Binding("f9", "rank_by", "Rank by"),
        Binding("f10", "end", "End drill"),
    ]

    def __init__(
        self,
        drill: Drill,
        store: DrillStore | None = None,
        *,
        projector: bool = False,
        export_dir: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.drill = drill
        self.store = store
        self.projector = projector
        self.export_dir = export_dir
        self.clock = clock
        self.ranked_by: str | None = None
        self.turn_started = clock()
        self.saved = store is not None
        self.failing: str | None = None  # why the last save failed (the drill is spooled)
        self._retry_at = 0.0

    # ---------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="drill-body"):
            with Vertical(id="stage"):
                yield Static(id="round-info")
                yield Static(id="moment")
                with Horizontal(id="upbar"):
                    yield Static(id="volunteer")
                    yield Digits("", id="clock")
                yield ReplyInput(id="answer", max_length=4000)
                yield Static(id="badges")
                yield Static(id="coaching")
                yield Static(id="waiting")
                yield Static(id="round-log")
            with Vertical(id="board-pane"):
                yield Static(id="board-title")
                yield Leaderboard(self.drill.scored_habits(), id="board")
        yield Footer()

    def on_mount(self) -> None:
        d = self.drill
        self.title = "Shadowbox drill"
        self.sub_title = f"{d.scenario.title} · {d.persona.name}"
        if self.projector:
            self.add_class("-projector")
            use_projector(self)
        self.query_one("#clock").display = d.timer is not None
        if d.current is None:
            d.pose()
            self._save()
        self.refresh_all(None)
        self.query_one("#answer").focus()
        if d.timer is not None:
            self.set_interval(0.5, self.tick, name="answer timer")

    # ---------------------------------------------------------------- showing

    def refresh_all(self, last=None) -> None:
        """Redraw everything from the drill (after any change)."""
        d = self.drill
        rnd = d.current
        p = d.persona
        self.query_one("#round-info", Static).update(Content.assemble(
            (f"Round {rnd.number}", "bold $accent"), " · ",  # (the line below is the moment)
            (f"{p.name}, {p.role}", "dim")))
        moment = self.query_one("#moment", Static)
        moment.update(Content(f"“{rnd.line}”"))
        moment.border_title = Content(p.name + (" (the manager's line)"
                                                if rnd.moment.source == "manager" else ""))
        self.query_one("#volunteer", Static).update(Content.assemble(
            ("Up now: ", "bold"), (f" {d.volunteer.upper()} ", "bold $text on $primary")))
        answer = self.query_one("#answer", Input)
        answer.placeholder = (f"{d.volunteer}'s answer: Enter scores it (empty Enter = no "
                              "answer, F2 = pass)")
        if last is not None:
            self.query_one("#badges", Static).update(Content.assemble(
                (f"{last.participant}: ", "bold"),
                (fmt(last.overall) + " ", "bold $accent") if last.overall is not None else "",
                badges(last)))
            self.query_one("#coaching", Static).update(Content.styled(last.coaching, "italic"))
        else:
            self.query_one("#badges", Static).update("")
            self.query_one("#coaching", Static).update(
                Content.styled("Answers are scored on the habits this buyer tests: "
                               + ", ".join(HABIT_TITLES[h] for h in d.scored_habits()) + ".",
                               "dim"))
        waiting = d.waiting()
        if waiting:
            note = "Still to answer this moment: " + ", ".join(waiting)
        else:
            note = "Everyone has had a go: F3 next moment, F10 end the drill, or go again."
        if not self.saved:
            note += "  (not saved to history)"
        elif self.failing:
            note += "  (history not being saved: kept on this machine, retrying)"
        self.query_one("#waiting", Static).update(Content.styled(note, "dim"))
        self.query_one("#round-log", Static).update(self.round_log())
        self.refresh_board()
        self.turn_started = self.clock()
        self.tick()

    def round_log(self) -> Content:
        """This moment's answers so far, newest first, for the room to compare."""
        answers = self.drill.current.answers
        if not answers:
            return Content("")
        parts: list = [("This moment so far", "bold underline")]
        for a in reversed(answers):
            parts += ["\n", (a.participant, "bold"), "  "]
            if a.overall is not None:
                parts += [(fmt(a.overall), "bold $accent"), "  "]
            parts.append(badges(a))
            if a.text:
                parts += ["\n  ", (f"“{a.text}”", "dim")]
        return Content.assemble(*parts)

    def refresh_board(self) -> None:
        d = self.drill
        title = "overall" if self.ranked_by is None else HABIT_TITLES[self.ranked_by]
        self.query_one("#board-title", Static).update(Content.assemble(
            ("Leaderboard", "bold"), (f" · by {title}", "dim")))
        self.query_one(Leaderboard).show(d.leaderboard(self.ranked_by), self.ranked_by)

    def tick(self) -> None:
        """Update the answer timer (shown large); it turns red when time is up."""
        if self.drill.timer is None:
            return
        left = self.drill.timer - (self.clock() - self.turn_started)
        clock = self.query_one("#clock", Digits)
        shown = max(0, int(left + 0.999))
        clock.update(f"{shown // 60}:{shown % 60:02d}")
        clock.set_class(left <= 0, "-expired")
        clock.set_class(0 < left <= 10, "-closing")

    def elapsed(self) -> float:
        return round(self.clock() - self.turn_started, 1)

    def _save(self) -> None:
        if self.store is None or not self.saved or not self.drill.answers:
            return  # a drill nobody answered yet is not worth a line in the history
        if self.failing and time.monotonic() < self._retry_at and not self.drill.finished_at:
            return  # a dead server is not asked after every answer; the end always tries
        try:
            self.store.save(self.drill)
        except ShadowboxError as exc:
            if self.failing is None:
                self.app.notify(f"The drill is not being saved: {exc.message}",
                                severity="warning", timeout=10)
            self.failing = exc.message
            self._retry_at = time.monotonic() + 10.0
            return
        if self.failing is not None:
            self.failing = None
            self.app.notify("The drill is being saved again; nothing was lost.", timeout=6)

    def _do(self, fn: Callable, *args):
        """Run one drill change; a refused request is a notice, never a crash."""
        try:
            result = fn(*args)
        except DrillError as exc:
            self.app.notify(exc.message, severity="warning")
            return None
        self._save()
        return result

    # ---------------------------------------------------------------- answering

    @on(Input.Submitted, "#answer")
    def _answered(self, event: Input.Submitted) -> None:
        event.stop()
        ans = self._do(lambda: self.drill.answer(event.value, seconds=self.elapsed()))
        if ans is not None:
            self.refresh_all(ans)
        elif not event.input.value:
            event.input.value = event.value  # refused: give the answer back to fix

    def action_skip(self) -> None:
        """The volunteer passes: no score, the next person is up."""
        ans = self._do(self.drill.skip)
        if ans is not None:
            self.query_one("#answer", Input).value = ""
            self.refresh_all(ans)

    def action_undo(self) -> None:
        """Take back the last answer of this round (a slip); that person is up again."""
        ans = self._do(self.drill.undo)
        if ans is not None:
            self.app.notify(f"Took back {ans.participant}'s turn.")
            self.refresh_all(None)
            if ans.text:
                answer = self.query_one("#answer", Input)
                answer.value = ans.text
                answer.cursor_position = len(ans.text)  # go on typing after it, not before

    # ---------------------------------------------------------------- the manager

    def _new_round(self, rnd) -> None:
        if rnd is not None:
            self.query_one("#answer", Input).value = ""
            self.refresh_all(None)
        self.query_one("#answer").focus()

    def action_next_moment(self) -> None:
        """Pose the scenario's next moment to the room."""
        self._new_round(self._do(self.drill.pose))

    def action_pick_moment(self) -> None:
        """Choose which moment to pose, from the scenario and the buyer's lines."""
        d = self.drill
        # The line listed is the line posed: its first wording (F7 offers the others).
        opts = [(Content(m.variants[0]), str(i)) for i, m in enumerate(d.moments)]

        def chosen(value: str | None) -> None:
            if value is not None:
                self._new_round(self._do(lambda: d.pose(int(value), variant=0)))

        self.app.push_screen(ChoiceModal("Pose which moment?", opts), chosen)

    def action_own_line(self) -> None:
        """Type the buyer's line yourself; only the reps' answers are scored."""
        def chosen(value: str | None) -> None:
            if value is not None:
                self._new_round(self._do(lambda: self.drill.pose(line=value)))

        self.app.push_screen(LineModal(f"What does {self.drill.persona.name} say?",
                                       "Type the buyer's line and press Enter"), chosen)

    def action_volunteer(self) -> None:
        """Choose who answers next."""
        d = self.drill
        waiting = set(d.waiting())
        opts = [(p + ("" if p in waiting else "  (already answered this moment)"), p)
                for p in d.participants]

        def chosen(value: str | None) -> None:
            if value is not None and self._do(d.choose, value) is not None:
                self.refresh_all(None)

        self.app.push_screen(ChoiceModal("Who answers next?", opts,
                                         d.participants.index(d.volunteer)), chosen)

    def action_another_line(self) -> None:
        """Swap the buyer's wording for another variant of the same moment."""
        if self._do(self.drill.another_line) is not None:
            self.refresh_all(None)

    def action_rank_by(self) -> None:
        """Rank the board by overall, then by each habit in turn."""
        order = [None, *self.drill.scored_habits()]
        self.ranked_by = order[(order.index(self.ranked_by) + 1) % len(order)]
        self.refresh_board()

    def action_end(self) -> None:
        """End the drill: save it and show the summary."""
        self.drill.finish()
        self._save()
        self.app.switch_screen(DrillSummaryScreen(self.drill, export_dir=self.export_dir,
                                                  projector=self.projector))


class DrillSummaryScreen(Screen):
    """After the drill: the final board, each person's best answer and one habit to work on."""

    CSS_PATH = "drill.tcss"
    BINDINGS = [
        Binding("e", "export", "Export md/csv/json"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, drill: Drill, *, export_dir: Path | None = None,
                 projector: bool = False) -> None:
        super().__init__()
        self.drill = drill
        self.export_dir = export_dir
        self.projector = projector
        #: Set once the exports were found already there: the next export overwrites.
        self.overwrite = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="summary"):
            yield Static(id="summary-title")
            yield Leaderboard(self.drill.scored_habits(), id="final-board")
            yield Static(id="cards")
        yield Footer()

    def on_mount(self) -> None:
        d = self.drill
        self.title = "Shadowbox drill"
        self.sub_title = "Summary"
        if self.projector:
            self.add_class("-projector")
            use_projector(self)
        self.query_one("#summary-title", Static).update(Content.assemble(
            ("Drill over: ", "bold"), (d.scenario.title, "bold $accent"),
            f"\n{len(d.answered_rounds)} round{'s' if len(d.answered_rounds) != 1 else ''}, "
            f"{len(d.participants)} people, {sum(a.attempted for a in d.answers)} answers"))
        self.query_one(Leaderboard).show(d.leaderboard())
        parts: list = []
        for ps in d.summary():
            if parts:
                parts.append("\n\n")
            parts += [(ps.name, "bold $accent"), f"  {fmt(ps.overall)}\n"]
            if ps.best is not None:
                parts += [("Best answer ", "bold"),
                          (f"(round {ps.best.round}, {fmt(ps.best.overall)}): ", "dim"),
                          f"“{ps.best.text}”\n"]
            elif ps.attempts:
                parts += [("Best answer: ", "bold"), ("none that held the price\n", "dim")]
            if ps.focus:
                parts += [("Work on: ", "bold"), (HABIT_TITLES[ps.focus], "bold $warning"),
                          f". {ps.focus_tip}"]
            else:
                parts.append(ps.focus_tip)
        self.query_one("#cards", Static).update(Content.assemble(*parts))

    def action_export(self) -> None:
        """Write the drill as Markdown, CSV and JSON (asking before it overwrites)."""
        folder = self.export_dir or export_folder() or export_dir()
        try:
            paths = write_all(self.drill.to_dict(), folder, kind="drill", force=self.overwrite)
        except ExportExists as exc:
            self.overwrite = True
            self.app.notify(f"{display_path(exc.path)} already exists: press e again to "
                            "overwrite the exports.", severity="warning", timeout=8)
            return
        except ShadowboxError as exc:
            self.app.notify(exc.message, severity="error", timeout=8)
            return
        self.app.notify(f"Saved {', '.join(p.name for p in paths)} in {where(paths[0].parent)}",
                        title="Export saved", timeout=8)

    def action_close(self) -> None:
        """Leave the summary (back to the app, or quit when the drill ran alone)."""
        if len(self.app.screen_stack) > 2:
            leave_projector(self.app)
            self.app.pop_screen()
        else:
            self.app.exit(0)


class DrillSetupScreen(Screen):
    """Before a drill: the scenario, the team, an optional timer, the projector layout."""

    CSS_PATH = "drill.tcss"
    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, library: Library, *, team: Sequence[str] = (),
                 scenario_id: str | None = None, timer: float | None = None,
                 projector: bool = False, store: DrillStore | None = None,
                 export_dir: Path | None = None, scorer=None) -> None:
        super().__init__()
        self.library = library
        self.team = list(team)
        self.scenario_id = scenario_id
        self.timer = timer
        self.projector = projector
        self.store = store
        self.export_dir = export_dir
        self.scorer = scorer

    def compose(self) -> ComposeResult:
        scs = self.library.ordered()
        first = self.scenario_id if self.scenario_id in self.library.scenarios else (
            scs[0].id if scs else Select.NULL)
        yield Header()
        with VerticalScroll(id="setup"):
            yield Label(Content.styled("Run a drill with the team", "bold $accent"))
            yield Label("Scenario (the buyer everyone faces)")
            yield Select([(Content(f"{s.title} ({s.difficulty})"), s.id) for s in scs],
                         value=first,
                         allow_blank=False if scs else True, id="scenario")
            yield Label("Team, in speaking order (comma-separated)")
            yield Input(", ".join(self.team), placeholder="Ana, Ben, Chen", id="team")
            yield Label("Answer timer in seconds (empty for none)")
            yield Input("" if self.timer is None else f"{self.timer:g}", type="number",
                        placeholder="e.g. 45", id="timer")
            yield Checkbox("Projector layout (high contrast)", self.projector, id="projector")
            yield Static(id="setup-error")
            yield Button("Start the drill", variant="primary", id="start")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Shadowbox drill"
        self.sub_title = "Set-up"
        self.query_one("#team" if not self.team else "#start").focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#start")
    def start(self) -> None:
        """Check the set-up and open the drill."""
        error = self.query_one("#setup-error", Static)
        try:
            value = self.query_one("#scenario", Select).value
            if value is Select.NULL:
                raise DrillError("choose a scenario (the library has none)")
            scenario = self.library.scenario(str(value))
            team = parse_team(self.query_one("#team", Input).value)
            raw = self.query_one("#timer", Input).value.strip()
            try:
                timer = float(raw) if raw else None
            except ValueError:
                raise DrillError(f"timer: {raw!r} is not a number of seconds") from None
            kw = {"scorer": self.scorer} if self.scorer is not None else {}
            drill = Drill(scenario, self.library.persona_of(scenario), team, timer=timer, **kw)
        except ShadowboxError as exc:
            error.update(Content.styled(exc.message, "bold $error"))
            return
        self.app.switch_screen(DrillScreen(
            drill, self.store, projector=self.query_one("#projector", Checkbox).value,
            export_dir=self.export_dir))

    def action_cancel(self) -> None:
        """Back without starting."""
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit(0)
