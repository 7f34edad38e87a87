"""A dialog to export a session as Markdown, HTML or JSON to a file."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.content import Content
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from simulator.errors import ShadowboxError, display_path
from simulator.export import (FORMATS, ExportExists, default_filename, export_dir,
                              export_folder, export_target, where, write)


class ExportScreen(ModalScreen[Path | None]):
    """Choose a format and a file; dismisses with the written path (or None)."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 70; max-width: 95%; height: auto;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    ExportScreen RadioSet { layout: horizontal; width: auto; margin: 0 0 1 0; }
    ExportScreen #buttons { height: auto; margin: 1 0 0 0; }
    ExportScreen #buttons Button { margin: 0 2 0 0; }
    ExportScreen #error { height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, record: dict, directory: Path | None = None) -> None:
        super().__init__()
        self.record = record
        # A served app's one export folder, else Documents/Shadowbox (or the data folder).
        self.directory = directory or export_folder() or export_dir()
        self.fmt = "md"
        #: The existing file the rep was warned about: exporting to it again overwrites.
        self.confirmed: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = f"Export session {self.record['id']}"
            yield Label("Format")
            with RadioSet(id="format"):
                for f in FORMATS["session"].values():
                    yield RadioButton(f.title, value=f.name == self.fmt, name=f.name)
            yield Label("File")
            yield Input(self._default_path(), id="path")
            yield Static(id="error", classes="error-text")
            with Horizontal(id="buttons"):
                yield Button("Export", variant="primary", id="export")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#path").focus()

    def _default_path(self) -> str:
        path = self.directory / default_filename(self.record, self.fmt)
        jail = export_folder()
        if jail is not None and path.resolve().is_relative_to(jail):
            # A served app reads a typed path inside its export folder, where "~" is no
            # home folder: the default is named relative to that folder.
            return str(path.resolve().relative_to(jail))
        return where(path)

    @on(RadioSet.Changed, "#format")
    def _format(self, event: RadioSet.Changed) -> None:
        path = self.query_one("#path", Input)
        was_default = path.value == self._default_path()
        self.fmt = event.pressed.name or "md"
        if was_default:
            path.value = self._default_path()

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        """Write the file."""
        value = self.query_one("#path", Input).value.strip()
        if not value:
            self.query_one("#error", Static).update("Give a file name.")
            return
        try:
            target = export_target(value, self.directory)
            written = write(self.record, self.fmt, target, force=target == self.confirmed,
                            make_folder=True)
        except ExportExists as exc:
            self.confirmed = target
            self.query_one("#export", Button).label = "Overwrite"
            self.query_one("#error", Static).update(Content(
                f"{display_path(exc.path)} already exists. Export again to overwrite it, "
                "or change the name."))
            return
        except ShadowboxError as exc:
            self.query_one("#error", Static).update(Content(exc.message))
            return
        self.app.notify(f"Exported to {where(written)}", title="Export saved", timeout=8)
        self.dismiss(written)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)
