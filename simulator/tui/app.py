"""The Shadowbox app: the screens, the history store and the session they share.

`make_app(...)` is the one way to build it, used by the commands and the tests:

    app = make_app(dirs=library_dirs(), start="home")
    app = make_app(dirs=..., start="practice", scenario_id="procurement-head", seed=7)

Screens ask the app to start, resume or review sessions (`app.begin`,
`app.resume`, `app.review`), so a new screen (a drill, say) only needs those.
"""

from __future__ import annotations

import gc
import random
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen

from simulator.errors import ShadowboxError
from simulator.safetext import printable

if TYPE_CHECKING:
    from simulator.catalog import Catalog
    from simulator.drill import Drill
    from simulator.library import Library
    from simulator.model import Scenario
    from simulator.session import Plan, Session
    from simulator.store import Recording, Store

# The core (pydantic models, the scorer, YAML loading) is imported only once the first
# frame is on screen: the library loads in a thread while the rep can already see the app.
# The history database (SQLAlchemy, migrations) is opened off the UI thread too, after the
# first frame; a practice's first save waits for it (see `_record`).

DARK, LIGHT = "textual-dark", "textual-light"
#: The practice screen's stylesheet, as Textual names it for the screen (see __init__).
PRACTICE_CSS = (Path(__file__).parent / "screens" / "practice.tcss").resolve()

def next_seed(seed: int) -> int:
    """A new seed derived from the last one (so "new seed" is reproducible in tests)."""
    return random.Random(seed).randrange(1, 2**31)


class ShadowboxApp(App[int]):
    """Practise a buyer, see every score, debrief, track progress."""

    TITLE = "Shadowbox"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("ctrl+t", "toggle_theme", "Light/dark", tooltip="Switch light and dark themes"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        *,
        dirs: Sequence[Path] | None = None,
        extra_dirs: Sequence[str | Path] = (),
        library: Library | None = None,
        store: Store | None = None,
        start: str = "home",
        scenario_id: str | None = None,
        scenario_file: Path | None = None,
        persona_file: Path | None = None,
        seed: int | None = None,
        watch: bool = False,
        scorer: Callable | None = None,
        watch_interval: float = 0.5,
    ) -> None:
        # Straight into practice: its screen's stylesheet is read with the app's, so that
        # opening the screen does not parse every stylesheet a second time (Textual re-parses
        # them all when a screen brings a file of its own); it is the same file, read in the
        # same order, that the practice screen would add.
        super().__init__(css_path=[self.CSS_PATH, PRACTICE_CSS] if start == "practice" else None)
        self.dirs = list(dirs) if dirs is not None else None
        self.extra_dirs = list(extra_dirs)
        self.library = library
        self._store = store
        self.start = start
        self.scenario_id = scenario_id
        self.scenario_file = scenario_file  # known from the cards: practice loads it first
        self.persona_file = persona_file  # (its buyer's file, from the cards too)
        self.seed = seed
        self.watch = watch
        self.watch_interval = watch_interval
        self.session_kw: dict[str, Any] = {"scorer": scorer} if scorer is not None else {}
        self._loading = False
        self._practised = False  # practice opened on the kept scenario (`_practise_kept`)
        self._opened = False  # the screen the command asked for has been opened
        self._collector_paused = False  # see `run`
        self.theme = DARK

    @property
    def store(self) -> Store:
        """The history (made on first use: its module is not needed for the first frame)."""
        if self._store is None:
            from simulator.store import Store

            self._store = Store()
        return self._store

    @store.setter
    def store(self, store: Store) -> None:
        self._store = store

    # ------------------------------------------------------------ start-up

    def run(self, *args: Any, **kwargs: Any) -> int | None:
        """Run the app with the cyclic garbage collector paused until the screen the command
        asked for is drawn: start-up (Textual, pydantic's models, the library, the screens)
        makes objects that live as long as the app, and scanning them again cost a full
        collection of 30-36 ms (and smaller ones) before the buyer's first line. They are then frozen (`gc.freeze`: never
        scanned again; they are still freed when nothing refers to them) and collection
        resumes (`_startup_done`)."""
        if gc.isenabled():
            gc.freeze()  # what was imported before the app ran
            gc.disable()
            self._collector_paused = True
        try:
            return super().run(*args, **kwargs)
        finally:
            self._startup_done()

    def _startup_done(self) -> None:
        """The screen asked for is on screen (or start-up gave up): collect again."""
        if self._collector_paused:
            self._collector_paused = False
            gc.freeze()
            gc.enable()

    def on_mount(self) -> None:
        self.set_timer(5, self._startup_done)  # whatever happens to start-up
        if self.library is None and self.start != "home":
            # Straight into practice or history: load now, and open the screen asked for
            # on its own (leaving it opens the library: see pop_screen).
            if self._practise_kept():
                return
            self.request_library()
            return
        # The last run's cards, when no file changed: the library is listed in the first
        # frame, without pydantic or YAML, while the library itself loads behind it.
        from simulator.catalog import cached_catalog
        from simulator.tui.screens.home import HomeScreen

        catalog = cached_catalog(self.library_paths()) if self.library is None else None

        def open_home() -> None:
            self.push_screen(HomeScreen(self.library, catalog))
            if self.library is not None:
                self.library_ready()
            self.home_opened()
            self.screen.call_after_refresh(self._startup_done)

        # After the app's mount: a screen pushed during it is laid out and rendered once in
        # vain (Textual shows no frame until its mount is over), then rendered again.
        self.call_later(open_home)

    def home_opened(self) -> None:
        """Called once the library screen is on the stack (a front end that opens on top of
        it, such as a drill, starts here)."""

    def request_library(self) -> None:
        """Start loading the library in a thread, once (the home screen asks after its first
        frame, so that frame is not kept waiting)."""
        if self.library is None and not self._loading:
            self._loading = True
            self.load_in_background()

    def library_paths(self) -> list[Path]:
        from simulator.catalog import library_dirs

        return self.dirs if self.dirs is not None else library_dirs(self.extra_dirs)

    @work(thread=True, exclusive=True, group="library")
    def load_in_background(self) -> None:
        """Load the library off the UI thread, then hand it to the screens."""
        from simulator.catalog import catalog_key, catalog_of, store_catalog

        paths = self.library_paths()
        if self.start == "practice" and self.scenario_file is not None and not self._practised:
            self._practise_first(paths, self.scenario_file)
        from simulator.loading import load_library

        key = catalog_key(paths)  # before reading: an edit meanwhile makes the next run miss
        lib = load_library(paths)
        catalog = catalog_of(lib)
        store_catalog(paths, key, catalog)
        import simulator.tui.screens.home  # noqa: F401  (for leaving a screen opened straight in)

        self.call_from_thread(self.set_library, lib, catalog)
        self.open_store()
        self.warm_scorer()

    def warm_scorer(self) -> None:
        """Score one line off the UI thread, so the rep's first response does not wait for
        the scoring engine, its patterns and the learned weights to load."""
        if "scorer" not in self.session_kw:
            from simulator.moves import compile_patterns
            from simulator.scoring import score

            score("What would make this worth it for you?")
            compile_patterns()  # (what reads the moves from that score)

    def open_store(self) -> None:
        """Open the history database off the UI thread (imports, and migrations on first
        use), so the first save does not make the UI wait. A failure is reported by that
        save, in the app, as it would be without this."""
        try:
            self.store.engine
        except ShadowboxError:
            pass

    def _practise_kept(self) -> bool:
        """Straight into practice on the scenario and buyer the last load validated
        (`_validated_pair`), read here, during the app's mount: practice is then the first
        screen Textual draws (no empty screen is drawn while a thread reads them), and the
        rest of the library loads in the thread once it is on screen. False (nothing done)
        when either file changed since or its entry is not there."""
        if self.start != "practice" or self.scenario_file is None:
            return False
        lib = self._validated_pair(self.scenario_file)
        if lib is None:
            return False
        import simulator.session  # noqa: F401  (what `begin` needs, imported here)
        import simulator.tui.screens.practice  # noqa: F401

        self._practised = True  # (the thread goes straight to the rest of the library)
        self._loading = True

        def open_practice() -> None:
            self.set_library(lib, None)
            self.call_after_refresh(self.call_after_refresh, self.load_in_background)

        # After the app's mount, as the library screen is (see on_mount).
        self.call_later(open_practice)
        return True

    def _practise_first(self, paths: list[Path], scenario_file: Path) -> None:
        """Straight into practice: open practice on just the scenario and its buyer, before
        the rest of the library (which `load_in_background` loads next, for the library
        screen, once practice is on screen). They come as the last load validated them
        (`_validated_pair`), else from their files (the scenario's and every persona)."""
        import threading

        lib = self._validated_pair(scenario_file)
        if lib is None:
            from simulator.loading import load_library

            lib = load_library(paths, only=[scenario_file])
        if self.scenario_id not in lib.scenarios:
            return  # changed since: the whole library says what is wrong
        import simulator.session  # noqa: F401  (what `begin` needs, imported here)
        import simulator.tui.screens.practice  # noqa: F401

        self.call_from_thread(self.set_library, lib, None)
        drawn = threading.Event()  # the rest waits for practice's first frame
        self.call_from_thread(self.call_after_refresh, self.call_after_refresh, drawn.set)
        drawn.wait(2)

    def _validated_pair(self, scenario_file: Path) -> Library | None:
        """The scenario and its buyer as the last load validated them, rebuilt from the
        cache without pydantic or YAML (`simulator.catalog.read_validated`): the command
        found the scenario on the last run's cards, so nothing in the library has changed
        since. None when either file changed since or its entry is not there."""
        from simulator.catalog import read_validated
        from simulator.library import Library

        if self.persona_file is None:
            return None
        sc = read_validated(scenario_file, "Scenario")
        persona = read_validated(self.persona_file, "Persona")
        if sc is None or persona is None or sc.id != self.scenario_id or sc.persona != persona.id:
            return None
        return Library(personas={persona.id: persona}, scenarios={sc.id: sc},
                       files={f"scenario:{sc.id}": scenario_file,
                              f"persona:{persona.id}": self.persona_file})

    def set_library(self, lib: Library, catalog: Catalog | None = None) -> None:
        # (a library screen exists only once its module is imported: practice straight in
        # opens without it, and imports it in the loading thread once it is drawn)
        home = sys.modules.get("simulator.tui.screens.home")
        self.library = lib
        for screen in self.screen_stack if home is not None else ():
            if isinstance(screen, home.HomeScreen):
                screen.set_library(lib, catalog)
        self.library_ready()
        if len(self.screen_stack) == 1:  # nothing opened (an unknown scenario, say)
            from simulator.tui.screens.home import HomeScreen

            self.push_screen(HomeScreen(lib, catalog))

    def library_ready(self) -> None:
        """The library is loaded: open the screen the command asked for (once)."""
        if self._opened:
            return
        self._opened = True
        if self.start == "practice" and self.scenario_id:
            try:
                self.begin(self.library.scenario(self.scenario_id), seed=self.seed)
            except ShadowboxError as exc:
                self.show_error(exc.message)
        elif self.start == "history":
            self.open_history()
        elif self.start == "team":
            self.open_team()
        self.screen.call_after_refresh(self._startup_done)  # (once that screen is drawn)

    def reload_library(self) -> Library:
        """Read the library again (after a scenario or persona file changed)."""
        from simulator.loading import load_library

        self.library = load_library(self.library_paths())
        return self.library

    # ------------------------------------------------------------ sessions

    def _record(self, session: Session) -> Recording:
        """Save the session as it goes; a failing database is a notice, never a crash.
        Until the database is open, the first save waits for it to open off the UI thread
        (once this screen is drawn), or for the rep's first exchange, whichever is first."""
        if self.store.opened:
            rec = self.store.track(session)
            self.tell(rec)
            return rec
        rec = self.store.track(session, save=False)
        self.call_after_refresh(self._open_then_save, rec)
        return rec

    @work(thread=True, group="store")
    def _open_then_save(self, rec: Recording) -> None:
        self.open_store()
        self.call_from_thread(self._first_save, rec)
        self.warm_scorer()  # (the library may have been loaded before the app started)

    def _first_save(self, rec: Recording) -> None:
        if rec.sid is None and not rec.forgotten and rec.error is None:
            rec.save()
            self.tell(rec)

    def tell(self, rec: Recording | None) -> None:
        """Tell the rep when history stops (or starts again) being saved."""
        notice = rec.take_notice() if rec is not None else None
        if notice:
            self.notify(notice, title="History", severity="warning" if rec.error else
                        "information", timeout=10)

    def begin(self, scenario: Scenario, plan: Plan | None = None, seed: int | None = None,
              *, replace: bool = False) -> Session:
        """Start a session of `scenario` and open the practice screen on it."""
        from simulator.session import Session
        from simulator.tui.screens.practice import PracticeScreen

        session = Session(scenario, self.library.persona_of(scenario),
                          seed=seed if seed is not None else self.seed, plan=plan,
                          **self.session_kw)
        screen = PracticeScreen(session, self._record(session), watch=self.watch)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        return session

    def retry(self, session: Session, new_seed: bool, *, replace: bool = True) -> Session:
        """Play the same scenario again, with the same seed or a new one, and the same plan."""
        seed = next_seed(session.seed) if new_seed else session.seed
        scenario = self.library.scenarios.get(session.scenario.id, session.scenario)
        return self.begin(scenario, session.plan, seed, replace=replace)

    def finish(self, rec: Recording | None, session: Session) -> None:
        """Save the outcome of a session that has just ended (or keep it for later)."""
        if rec is not None:
            rec.save(final=True)
            self.tell(rec)

    def save_pending(self) -> None:
        """Try again to save what a failing database refused (on leaving a debrief), and
        say whether it worked."""
        for rec in self._store.retry_pending() if self._store is not None else []:
            self.tell(rec)

    def resume(self, sid: int) -> None:
        """Replay a stored, unfinished session and carry on practising it."""
        from simulator.tui.screens.practice import PracticeScreen

        try:
            session = self.store.resume(sid, self.library, **self.session_kw)
        except ShadowboxError as exc:
            self.show_error(exc.message)
            return
        rec = self.store.recording_of(session)
        if session.finished:
            self.finish(rec, session)
            self.review(sid)
            return
        self.push_screen(PracticeScreen(session, rec, watch=self.watch))

    def review(self, sid: int) -> None:
        """Open the debrief of a stored session, as it was saved (what its exports read).
        Its replay, when the scenario still gives the same conversation, allows a retry."""
        from simulator.tui.screens.debrief import DebriefScreen

        try:
            record = self.store.load(sid)
        except ShadowboxError as exc:
            self.show_error(exc.message)
            return
        try:
            session = self.store.replay(sid, self.library, **self.session_kw)
        except ShadowboxError as exc:
            session = None
            self.notify(f"{exc.message}: shown as it was saved; it cannot be played again.",
                        severity="warning", timeout=8)
        self.push_screen(DebriefScreen(session, sid, record))

    def open_history(self) -> None:
        from simulator.tui.screens.history import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen(self.store))

    def open_team(self) -> None:
        """The manager's view of the team (everyone in the history database)."""
        from simulator.tui.screens.team import TeamScreen

        if not isinstance(self.screen, TeamScreen):
            ids = sorted(self.library.scenarios) if self.library is not None else []
            self.push_screen(TeamScreen(self.store, ids))

    def open_drill(self) -> None:
        """The drill set-up (simulator/tui/drill), for a sales meeting."""
        self.open_drill_setup()

    def open_drill_setup(self, **kw: Any) -> None:
        """Open the drill set-up over the current screen, saving into the app's history."""
        from simulator.drill_store import DrillStore
        from simulator.tui.drill.screens import DrillSetupScreen

        self.push_screen(DrillSetupScreen(self.library, store=DrillStore(self.store),
                                          scorer=self.session_kw.get("scorer"), **kw))

    def go_home(self) -> None:
        """Back to the library, closing every screen above it."""
        from simulator.tui.screens.home import HomeScreen

        while len(self.screen_stack) > 2 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        if len(self.screen_stack) == 2 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()  # the library, even under a screen opened straight in

    def pop_screen(self):
        """Leaving a screen that was opened straight in (practice, history) lands on the
        library, which was never drawn under it (so that screen opened sooner)."""
        from simulator.tui.screens.home import HomeScreen

        if (len(self.screen_stack) == 2 and self.library is not None
                and not isinstance(self.screen, (HomeScreen, ModalScreen))):
            return self.switch_screen(HomeScreen(self.library))
        return super().pop_screen()

    def export_session(self, sid: int | None, session: Session | None = None) -> None:
        """Export a session: from history, or from memory when its history failed."""
        from simulator.debrief import session_record
        from simulator.tui.screens.export import ExportScreen

        # A session whose recording is failing has turns the database lacks: from memory.
        rec = self.store.recording_of(session) if session is not None else None
        record = None
        if sid is not None and (rec is None or rec.error is None):
            try:
                record = self.store.load(sid)
            except ShadowboxError as exc:
                if session is None:
                    self.show_error(exc.message)
                    return
        if record is None:
            if session is None:
                self.show_error("This session was not saved, so it cannot be exported.")
                return
            record = session_record(session, sid, rec.started if rec is not None else None)
        self.push_screen(ExportScreen(record))

    # ------------------------------------------------------------ feel

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Notifications quote reps, team lists and files: always plain text, never markup
        (screens' own `notify` passes markup=True, which is overridden here)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    async def on_event(self, event: events.Event) -> None:
        """Pasted text reaches every input with its control characters made visible
        escapes: nothing typed or pasted can drive the terminal (keys never carry them)."""
        if isinstance(event, events.Paste):
            event.text = printable(event.text)
        await super().on_event(event)

    def show_error(self, message: str) -> None:
        """Errors are shown in the app, never as a traceback."""
        self.notify(message, title="Shadowbox", severity="error", timeout=8)

    def action_toggle_theme(self) -> None:
        """Switch between the dark and light themes."""
        self.theme = LIGHT if self.theme == DARK else DARK

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Library", "Back to the scenario library", self.go_home)
        yield SystemCommand("History", "Your past sessions and progress per habit",
                            self.open_history)
        yield SystemCommand("Team", "Every rep's practice, habits, trends and leaderboards",
                            self.open_team)
        yield SystemCommand("Light/dark theme", "Switch between the light and dark themes",
                            self.action_toggle_theme)
        yield SystemCommand("Team drill", "One buyer, a room of reps, a live leaderboard",
                            self.open_drill)
        if self.library is not None:
            for sc in sorted(self.library.scenarios.values(), key=lambda s: s.title):
                yield SystemCommand(f"Practise: {sc.title}",
                                    f"{sc.audience}, {sc.difficulty}; skip the plan and start",
                                    lambda sc=sc: self.begin(sc), discover=False)


class DrillApp(ShadowboxApp):
    """The Shadowbox app opened on a drill (or on the drill set-up when the command line
    left the scenario or the team open). Closing the drill lands on the library."""

    def __init__(self, *, drill: Drill | None = None, setup: dict[str, Any] | None = None,
                 projector: bool = False, export_dir: Path | None = None,
                 **kw: Any) -> None:
        super().__init__(**kw)
        self.drill = drill
        self.setup = setup or {}
        self.projector = projector
        self.export_dir = export_dir

    def home_opened(self) -> None:
        # The drill goes on top of the library screen once that is pushed.
        self.open_drill()

    def open_drill(self) -> None:
        from simulator.drill_store import DrillStore
        from simulator.tui.drill.screens import DrillScreen

        store = DrillStore(self.store)
        if self.drill is not None:
            self.push_screen(DrillScreen(self.drill, store, projector=self.projector,
                                         export_dir=self.export_dir))
        else:
            self.open_drill_setup(projector=self.projector, export_dir=self.export_dir,
                                  **self.setup)


def run_app(app: App) -> int:
    """Run the app; its exit status, non-zero when it crashed (Textual prints the error,
    and such a run must not look like a success to a script)."""
    result = app.run()
    return save_on_exit(app) or app.return_code or int(result or 0)


def save_on_exit(app: App) -> int:
    """One more try, once the app has closed, to save what a failing database refused; 1,
    saying on stderr where each session's turns are kept, when it still fails."""
    import sys

    from simulator.errors import display_path

    store = getattr(app, "_store", None)
    left = [r for r in store.retry_pending() if r.error] if store is not None else []
    for rec in left:
        kept = (f"kept in {display_path(rec.spool_path)}; `shadowbox db sync` saves them"
                if rec.spool_path.exists() else "lost: the local disk failed too")
        print(f"shadowbox: history not saved ({rec.error}); the session's turns are {kept}",
              file=sys.stderr)
    return 1 if left else 0


def make_app(**kwargs: Any) -> ShadowboxApp:
    """Build the app (see ShadowboxApp for the options)."""
    return ShadowboxApp(**kwargs)
