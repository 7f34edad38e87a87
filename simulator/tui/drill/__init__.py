"""Group drills in the app: set-up, the round in front of the room, the summary.

`open_drill_setup(app)` is what the rest of the app calls (a key on the home screen,
the command palette); `DrillApp` opens the app straight on a drill for
`shadowbox drill`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from simulator.drill import Drill
from simulator.drill_store import DrillStore
from simulator.tui.app import ShadowboxApp
from simulator.tui.drill.screens import DrillScreen, DrillSetupScreen, DrillSummaryScreen

__all__ = ["DrillApp", "DrillScreen", "DrillSetupScreen", "DrillSummaryScreen",
           "open_drill_setup"]


def open_drill_setup(app: ShadowboxApp, **kw: Any) -> None:
    """Open the drill set-up over the current screen, saving into the app's history."""
    app.push_screen(DrillSetupScreen(app.library, store=DrillStore(app.store),
                                     scorer=app.session_kw.get("scorer"), **kw))


class DrillApp(ShadowboxApp):
    """The Shadowbox app opened on a drill (or on the drill set-up when the command line
    left the scenario or the team open). Closing the drill lands on the library."""

    # CSS_PATH is read relative to the class's module: point at the app's own sheet.
    CSS_PATH = str(Path(sys.modules[ShadowboxApp.__module__].__file__).parent
                   / str(ShadowboxApp.CSS_PATH))

    def __init__(self, *, drill: Drill | None = None, setup: dict[str, Any] | None = None,
                 projector: bool = False, export_dir: Path | None = None,
                 **kw: Any) -> None:
        super().__init__(**kw)
        self.drill = drill
        self.setup = setup or {}
        self.projector = projector
        self.export_dir = export_dir

    def on_mount(self) -> None:
        # ShadowboxApp.on_mount (run after this one) opens the library; the drill goes on
        # top of it once that is done.
        self.call_after_refresh(self.open_drill)

    def open_drill(self) -> None:
        store = DrillStore(self.store)
        if self.drill is not None:
            self.push_screen(DrillScreen(self.drill, store, projector=self.projector,
                                         export_dir=self.export_dir))
        else:
            open_drill_setup(self, projector=self.projector, export_dir=self.export_dir,
                             **self.setup)
