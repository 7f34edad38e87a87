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
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from simulator.catalog import Card, Catalog, catalog_of, temperament_words
from simulator.tui.widgets.cycle import Cycle
from simulator.tui.widgets.header import Header

if TYPE_CHECKING:
    from simulator.loading import Library
    from simulator.model import Scenario


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

    def __init__(self, library: Library | None, catalog: Catalog | None = None) -> None:
        super().__init__()
        self.library = library
        self.catalog = catalog  # what is listed: the last run's cards until the library loads
        self.shown: list[Card] = []
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
            return
        if self.catalog is not None:  # listed in the first frame, from the last run's cards
            self.show_catalog(self.catalog)
        # load once this screen is drawn, so the first frame is not kept waiting
        self.call_after_refresh(self.app.request_library)

    def set_library(self, lib: Library, catalog: Catalog | None = None) -> None:
        """Show a (newly loaded) library; its cards, unless given, are made from it."""
        self.library = lib
        self.show_catalog(catalog if catalog is not None else catalog_of(lib))

    def show_catalog(self, catalog: Catalog) -> None:
        """Show the cards: tags, the list, and any problems the library has."""
        if catalog == self.catalog and self.shown:
            return  # the library loaded as the last run's cards said: nothing to redraw
        self.catalog = catalog
        tags = sorted({t for card in catalog.cards for t in card.tags})
        self.query_one("#tag", Cycle).set_choices(tags)
        bar = self.query_one("#problems-bar", Static)
        problems = catalog.problems
        if problems:
            n = len(problems)
            bar.update(Content.assemble(
                ("⚠ ", "bold $text-warning"),
                f"{n} problem{'s' if n != 1 else ''} in the library: ",
                (str(problems[0]), "$text-warning"),
                ("  (p shows all)", "dim"),
            ))
        bar.display = bool(problems)
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
            card = self.catalog.card(a["scenario"]) if self.catalog is not None else None
            title = card.title if card is not None else a["scenario"]
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
        if self.catalog is None:
            return
        query = self.query_one("#search", Input).value
        audience, difficulty, tag = (self._filter("audience"), self._filter("difficulty"),
                                     self._filter("tag"))
        self.shown = [
            card for card in self.catalog.cards
            if (audience is None or card.audience == audience)
            and (difficulty is None or card.difficulty == difficulty)
            and (tag is None or tag in card.tags)
            and card.matches(query)
        ]
        options = self.query_one("#scenarios", OptionList)
        options.clear_options()
        items: list[Option | None] = []
        for card in self.shown:
            if items:
                items.append(None)
            items.append(Option(Content.assemble(
                (card.title, "bold"), "\n",
                (f"{card.audience} · {card.difficulty} · {card.persona['name']}", "dim")),
                id=card.id))
        options.add_options(items)
        if self.shown:
            options.highlighted = 0
        self.show_preview(self.shown[0] if self.shown else None)

    def show_preview(self, card: Card | None) -> None:
        title = self.query_one("#title", Static)
        parts = [self.query_one(f"#{n}", Static) for n in ("brief", "persona", "stakes")]
        if card is None:
            empty = ("No scenario matches the search and filters."
                     if self.catalog.cards else
                     "No scenarios in the library. Add personas/ and scenarios/ folders with "
                     "--library DIR or SHADOWBOX_LIBRARY.")
            title.update(Content(empty))
            for p in parts:
                p.display = False
            return
        for p in parts:
            p.display = True
        persona = card.persona
        title.update(Content.assemble(
            (card.title, "bold $accent"), "\n",
            (f"{card.audience} · {card.difficulty}"
             + (f" · {', '.join(card.tags)}" if card.tags else ""), "dim")))
        parts[0].update(Content(card.brief))
        parts[1].update(Content.assemble(
            (persona["name"], "bold"), f", {persona['role']}, {persona['company']}\n",
            (persona["summary"] + "\n" if persona["summary"] else ""),
            (temperament_words(persona["patience"], persona["push"], persona["give"]), "dim")))
        parts[2].update(Content("\n".join(card.stakes)))

    def selected(self) -> Scenario | None:
        """The highlighted scenario (None while the library is still loading behind the list)."""
        options = self.query_one("#scenarios", OptionList)
        if options.highlighted is None or not self.shown:
            return None
        if self.library is None:
            self.notify("The library is still loading; try again in a moment.", timeout=3)
            return None
        return self.library.scenarios.get(options.get_option_at_index(options.highlighted).id)

    @on(Input.Changed, "#search")
    @on(Cycle.Changed)
    def _filters_changed(self) -> None:
        self.refresh_list()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#scenarios").focus()

    @on(OptionList.OptionHighlighted, "#scenarios")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_preview(self.catalog.card(event.option.id))

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
        sc = self.selected()
        self.app.open_drill_setup(scenario_id=sc.id if sc else None)

    def action_problems(self) -> None:
        """Every problem found while loading the library."""
        from simulator.tui.screens.problems import ProblemsScreen

        if self.catalog is not None and self.catalog.problems:
            self.app.push_screen(ProblemsScreen(self.catalog.problems))
