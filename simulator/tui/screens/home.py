"""Home: the scenario library with search, filters and a preview of the chosen one."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from simulator.money import format_money
from simulator.tui.widgets.cycle import Cycle

if TYPE_CHECKING:
    from simulator.loading import Library
    from simulator.model import Persona, Scenario


def matches(sc: Scenario, persona: Persona | None, query: str) -> bool:
    """Every word of the query appears in the scenario's title, id, tags, brief or buyer."""
    hay = " ".join([sc.id, sc.title, " ".join(sc.tags), sc.brief, sc.audience, sc.difficulty,
                    persona.name if persona else "", persona.role if persona else "",
                    persona.company if persona else ""]).lower()
    return all(word in hay for word in query.lower().split())


def stakes(sc: Scenario) -> Content:
    """What is at stake in the deal, in the rep's terms."""
    m = sc.money
    cur = m.currency
    rows = []
    if m.price_in_play:
        rows.append(f"Your list price  {format_money(m.list_price, cur)} a {m.unit}")
        if m.target is not None and m.target != m.list_price:
            rows.append(f"Your target      {format_money(m.target, cur)}")
        rows.append(f"Your walk-away   {format_money(m.walk_away, cur)}")
        rows.append(f"Buyer's number   {format_money(m.buyer_target, cur)}")
        if m.competitor_price:
            rows.append(f"Competitor       {format_money(m.competitor_price, cur)}")
        if m.quantity:
            gap = (m.list_price - m.buyer_target) * m.quantity
            rows.append(f"Order            {m.quantity:,.0f} {m.unit}s; the gap to the buyer's "
                        f"number is {format_money(gap, cur)}")
    else:
        rows.append("This conversation is not about price.")
    if m.value:
        rows.append(f"Value to them    {m.value}")
    if sc.gets:
        rows.append("You can ask for  " + "; ".join(g.name for g in sc.gets))
    return Content("\n".join(rows))


class ScenarioList(OptionList):
    """The scenarios; Enter plans the highlighted one (shown in the footer)."""

    BINDINGS = [Binding("enter", "select", "Plan & start")]


class HomeScreen(Screen):
    """Pick a scenario: search, filter, preview, then plan or start."""

    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("s", "start", "Start (skip plan)"),
        Binding("slash", "search", "Search"),
        Binding("h", "history", "History"),
        Binding("t", "team", "Team", show=False),
        Binding("d", "drill", "Team drill", show=False),
        Binding("p", "problems", "Problems", show=False),
        Binding("escape", "clear", "Clear search", show=False),
    ]

    def __init__(self, library: Library | None) -> None:
        super().__init__()
        self.library = library
        self.shown: list[Scenario] = []
        self.assignments: list[dict] = []  # the rep's, as last read

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home"):
            with Vertical(id="left"):
                yield Input(placeholder="Search  ( / )", id="search", compact=True)
                with Vertical(id="filters"):
                    yield Cycle("For", ["rep", "manager"], id="audience")
                    yield Cycle("Level", ["easy", "medium", "hard"], id="difficulty")
                    yield Cycle("Tag", [], id="tag")
                yield ScenarioList(id="scenarios")
                yield Static(id="assignments", classes="panel")
            with VerticalScroll(id="preview"):
                yield Static("Loading the library…", id="title")
                yield Static(id="brief", classes="panel")
                yield Static(id="persona", classes="panel")
                yield Static(id="stakes", classes="panel")
        yield Static(id="problems-bar")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Library"
        self.query_one("#brief").border_title = "Brief"
        self.query_one("#persona").border_title = "Buyer"
        self.query_one("#stakes").border_title = "At stake"
        self.query_one("#problems-bar").display = False
        self.query_one("#assignments").display = False
        self.query_one("#assignments").border_title = "Assigned to you"
        for part in ("brief", "persona", "stakes"):
            self.query_one(f"#{part}").display = False
        self.query_one("#scenarios").focus()
        if self.library is not None:
            self.set_library(self.library)
        else:  # load once this screen is drawn, so the first frame is not kept waiting
            self.call_after_refresh(self.app.load_in_background)

    def set_library(self, lib: Library) -> None:
        """Show a (newly loaded) library: tags, the list, and any problems it has."""
        self.library = lib
        tags = sorted({t for sc in lib.scenarios.values() for t in sc.tags})
        self.query_one("#tag", Cycle).set_choices(tags)
        bar = self.query_one("#problems-bar", Static)
        if lib.problems:
            n = len(lib.problems)
            bar.update(Content.assemble(
                ("⚠ ", "bold $text-warning"),
                f"{n} problem{'s' if n != 1 else ''} in the library: ",
                (str(lib.problems[0]), "$text-warning"),
                ("  (p shows all)", "dim"),
            ))
        bar.display = bool(lib.problems)
        self.refresh_list()
        # The assignments are read once the library is in and the first screens have
        # settled (a drill or a practice opened from the command line goes on top at once,
        # and the database's first use imports and migrates), only while this screen is in
        # front; it reads them again whenever it comes back.
        self.set_timer(0.3, self._assignments_if_current)

    def _assignments_if_current(self) -> None:
        if self.is_current:
            self.load_assignments()

    def on_screen_resume(self) -> None:
        self.load_assignments()  # a session just played may have done one

    # ------------------------------------------------------------ assignments

    @work(thread=True, exclusive=True, group="assignments")
    def load_assignments(self) -> None:
        """The rep's assignments, read off the UI thread (the database may be remote)."""
        from simulator.errors import ShadowboxError

        try:
            rows = self.app.store.assignments()
        except ShadowboxError:
            return  # practice goes on without them; the history screens say what failed
        self.app.call_from_thread(self.show_assignments, rows)

    def show_assignments(self, rows: list[dict]) -> None:
        """Open assignments first (soonest due), then the last few done."""
        box = self.query_one("#assignments", Static)
        if not rows and not self.assignments:
            return  # nothing assigned, nothing shown: no refresh of a screen that may be below
        self.assignments = rows
        rows = [a for a in rows if not a["done"]] + [a for a in rows if a["done"]][-3:]
        lines = []
        for a in rows[:6]:
            title = (self.library.scenarios[a["scenario"]].title
                     if self.library is not None and a["scenario"] in self.library.scenarios
                     else a["scenario"])
            due = date.fromisoformat(a["due"]).strftime("%d %b")
            if a["done"]:
                state = ("✓ done", "$success")
            elif a["overdue"]:
                state = ("overdue", "$error")
            else:
                state = ("not yet", "$warning")
            lines.append(Content.assemble((state[0], f"bold {state[1]}"), f"  {title}",
                                          (f"  due {due} · pass {a['pass_mark']:g}", "dim")))
        box.update(Content("\n").join(lines))
        box.display = bool(lines)

    # ------------------------------------------------------------ list and preview

    def _filter(self, name: str) -> str | None:
        return self.query_one(f"#{name}", Cycle).value

    def refresh_list(self) -> None:
        """Show the scenarios that pass the search and filters."""
        lib = self.library
        if lib is None:
            return
        query = self.query_one("#search", Input).value
        audience, difficulty, tag = (self._filter("audience"), self._filter("difficulty"),
                                     self._filter("tag"))
        self.shown = [
            sc for sc in lib.ordered()
            if (audience is None or sc.audience == audience)
            and (difficulty is None or sc.difficulty == difficulty)
            and (tag is None or tag in sc.tags)
            and matches(sc, lib.personas.get(sc.persona), query)
        ]
        options = self.query_one("#scenarios", OptionList)
        options.clear_options()
        items: list[Option | None] = []
        for sc in self.shown:
            if items:
                items.append(None)
            items.append(Option(Content.assemble(
                (sc.title, "bold"), "\n",
                (f"{sc.audience} · {sc.difficulty} · {lib.personas[sc.persona].name}", "dim")),
                id=sc.id))
        options.add_options(items)
        if self.shown:
            options.highlighted = 0
        self.show_preview(self.shown[0] if self.shown else None)

    def show_preview(self, sc: Scenario | None) -> None:
        title = self.query_one("#title", Static)
        parts = [self.query_one(f"#{n}", Static) for n in ("brief", "persona", "stakes")]
        if sc is None:
            empty = ("No scenario matches the search and filters."
                     if self.library.scenarios else
                     "No scenarios in the library. Add personas/ and scenarios/ folders with "
                     "--library DIR or SHADOWBOX_LIBRARY.")
            title.update(Content(empty))
            for p in parts:
                p.display = False
            return
        for p in parts:
            p.display = True
        persona = self.library.persona_of(sc)
        title.update(Content.assemble(
            (sc.title, "bold $accent"), "\n",
            (f"{sc.audience} · {sc.difficulty}" + (f" · {', '.join(sc.tags)}" if sc.tags else ""),
             "dim")))
        parts[0].update(Content(" ".join(sc.brief.split())))
        t = persona.temperament
        parts[1].update(Content.assemble(
            (persona.name, "bold"), f", {persona.role}, {persona.company}\n",
            (persona.summary + "\n" if persona.summary else ""),
            (f"patience {t.patience} turns · pushes {t.push:g} · gives {t.give:g}", "dim")))
        parts[2].update(stakes(sc))

    def selected(self) -> Scenario | None:
        if self.library is None:
            return None
        options = self.query_one("#scenarios", OptionList)
        if options.highlighted is None or not self.shown:
            return None
        return self.library.scenarios[options.get_option_at_index(options.highlighted).id]

    @on(Input.Changed, "#search")
    @on(Cycle.Changed)
    def _filters_changed(self) -> None:
        self.refresh_list()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#scenarios").focus()

    @on(OptionList.OptionHighlighted, "#scenarios")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_preview(self.library.scenarios[event.option.id])

    @on(OptionList.OptionSelected, "#scenarios")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_prep()

    # ------------------------------------------------------------ actions

    def action_prep(self) -> None:
        """Plan the negotiation (target, walk-away, trades), then start."""
        from simulator.tui.screens.prep import PrepScreen

        sc = self.selected()
        if sc is not None:
            self.app.push_screen(PrepScreen(sc))

    def action_start(self) -> None:
        """Start straight away with the scenario's default plan."""
        sc = self.selected()
        if sc is not None:
            self.app.begin(sc)

    def action_search(self) -> None:
        """Jump to the search box."""
        self.query_one("#search").focus()

    def action_clear(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        self.query_one("#scenarios").focus()

    def action_history(self) -> None:
        """Past sessions and progress per habit."""
        self.app.open_history()

    def action_team(self) -> None:
        """The team's practice, for a manager."""
        self.app.open_team()

    def action_drill(self) -> None:
        """Run a group drill for a sales meeting on the chosen scenario."""
        from simulator.tui.drill import open_drill_setup

        sc = self.selected()
        open_drill_setup(self.app, scenario_id=sc.id if sc else None)

    def action_problems(self) -> None:
        """Every problem found while loading the library."""
        from simulator.tui.screens.problems import ProblemsScreen

        if self.library is not None and self.library.problems:
            self.app.push_screen(ProblemsScreen(self.library.problems))
