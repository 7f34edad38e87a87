"""Exports of sessions and drills: one registry of formats, and writing them to files.

    render("session", "md", store.load(sid))     # a stored (or live) session's record
    render("drill", "csv", drill.to_dict())      # a drill's data, live or from history
    write(record, "html", path)                  # to a file, never over one unless forced
    write_all(drill.to_dict(), folder, kind="drill")   # every format into a folder

Each kind (a session, a drill) has its formats in one table, `FORMATS`: name, title,
extension and renderer. The CLI, the app's export dialog, the drill screens and the
history all use it. A session renders from `simulator.debrief.Debrief`, a drill from
its data (`simulator.drill_report`), so an export works even when the scenario file has
changed or gone since it was played.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator import debrief, drill_report
from simulator.debrief import evidence_spans, session_record  # noqa: F401  (re-exported)
from simulator.errors import ShadowboxError, display_path


@dataclass(frozen=True)
class Format:
    """One export format of one kind of thing: its name (`--format`), its title in the
    app, the file extension, and the renderer from the stored data to text."""

    name: str
    title: str
    ext: str
    render: Callable[[dict[str, Any]], str]


def _session(renderer: Callable[[debrief.Debrief], str]) -> Callable[[dict[str, Any]], str]:
    return lambda record: renderer(debrief.Debrief.from_record(record))


#: Every export format, by kind and name, in the order the app offers them.
FORMATS: dict[str, dict[str, Format]] = {
    "session": {f.name: f for f in (
        Format("md", "Markdown", "md", _session(debrief.to_markdown)),
        Format("html", "HTML", "html", _session(debrief.to_html)),
        Format("json", "JSON", "json", _session(debrief.to_json)),
    )},
    "drill": {f.name: f for f in (
        Format("md", "Markdown", "md", drill_report.to_markdown),
        Format("csv", "CSV", "csv", drill_report.to_csv),
        Format("json", "JSON", "json", drill_report.to_json),
    )},
}


def format_of(kind: str, fmt: str) -> Format:
    """The format `fmt` of `kind`; a one-line ShadowboxError naming the known ones."""
    known = FORMATS[kind]
    if fmt not in known:
        raise ShadowboxError(f"unknown export format {fmt!r} for a {kind} "
                             f"(use {', '.join(known)})")
    return known[fmt]


def render(kind: str, fmt: str, data: dict[str, Any]) -> str:
    """The session record or drill data as text in `fmt`."""
    return format_of(kind, fmt).render(data)


#: Set by `shadowbox serve` for the apps it runs: every export goes into this folder, and a
#: path typed in a browser cannot leave it.
EXPORT_DIR_ENV = "SHADOWBOX_EXPORT_DIR"


def export_folder() -> Path | None:
    """The one folder exports are confined to (a served app), or None (anywhere)."""
    value = os.environ.get(EXPORT_DIR_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else None


def export_target(typed: str | Path, default_dir: Path | None = None) -> Path:
    """Where an export typed as `typed` goes: relative to `default_dir` (or the export
    folder of a served app, or here); in a served app, a path that leaves the export folder
    (an absolute path elsewhere, `..`, a symlink out) is a one-line ShadowboxError."""
    jail = export_folder()
    base = jail or (default_dir if default_dir is not None else Path.cwd())
    path = Path(typed).expanduser() if jail is None else Path(typed)
    if not path.is_absolute():
        path = base / path
    if jail is not None:
        try:
            inside = path.resolve().is_relative_to(jail)
        except (OSError, RuntimeError):  # a symlink loop
            inside = False
        if not inside:
            raise ShadowboxError(f"{typed}: exports from this app go only into {jail}; "
                                 "give a file name there")
    return path


def export(record: dict[str, Any], fmt: str) -> str:
    """A session's record as text in `fmt` (md, html or json)."""
    return render("session", fmt, record)


def export_dir() -> Path:
    """Where the app writes exports unless told otherwise: Shadowbox's data folder when
    SHADOWBOX_HOME is set (a team's or a test's own place), else the user's documents folder
    (Documents/Shadowbox), else the exports folder in Shadowbox's data folder. Never the
    directory the app happened to be started from."""
    from simulator.store import data_dir

    if os.environ.get("SHADOWBOX_HOME", "").strip():
        return data_dir() / "exports"
    import platformdirs

    docs = Path(platformdirs.user_documents_dir())
    if docs.is_dir() and docs != Path.home():
        return docs / "Shadowbox"
    return data_dir() / "exports"


def where(path: Path) -> str:
    """A written file's full location as a toast shows it ("~/Documents/Shadowbox/x.md")."""
    full = Path(path).expanduser().resolve()
    try:
        return "~/" + str(full.relative_to(Path.home().resolve()))
    except (ValueError, RuntimeError):
        return str(full)


def default_filename(data: dict[str, Any], fmt: str, kind: str = "session") -> str:
    """The file an export gets unless named: "shadowbox-12-renewal.md",
    "drill-2026-03-10-renewal-ab12cd34ef56.csv"."""
    ext = format_of(kind, fmt).ext
    if kind == "drill":
        return f"drill-{data['started_at'][:10]}-{data['scenario']}-{data['id']}.{ext}"
    return f"shadowbox-{data['id']}-{data['scenario']}.{ext}"


class ExportExists(ShadowboxError):
    """The export would replace a file that is already there (and overwriting was not
    asked for)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{display_path(path)} already exists; add --force to overwrite it")
        self.path = path


def write_file(path: Path, text: str, *, force: bool = False, make_folder: bool = False) -> None:
    """Write `text` to `path`, never over an existing file unless `force` (the check and
    the create are one step: no window for another writer in between). With `make_folder`,
    a missing folder is created (the app's export folder). A write that fails (a full
    disk) leaves no partly written file behind (which the next try would call existing)."""
    opened = False
    try:
        if make_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w" if force else "x", encoding="utf-8") as f:
            opened = True
            f.write(text)
    except FileExistsError:
        raise ExportExists(path) from None
    except OSError as exc:
        if opened:
            try:
                path.unlink()
            except OSError:
                pass
        raise ShadowboxError(f"{display_path(path)}: cannot write: {exc.strerror or exc}") \
            from None


def write(data: dict[str, Any], fmt: str, path: Path | str, *, kind: str = "session",
          force: bool = False, make_folder: bool = False) -> Path:
    """Write one export to a file (a folder: under its default name); a one-line
    ShadowboxError on any failure, ExportExists when the file is there already and `force`
    is not given. With `make_folder`, a missing folder is created (the app's export
    folder). In a served app the file stays inside the export folder."""
    path = export_target(path)
    text = render(kind, fmt, data)
    if path.is_dir():
        path = export_target(path / default_filename(data, fmt, kind))
    write_file(path, text, force=force, make_folder=make_folder)
    return path


def write_all(data: dict[str, Any], folder: Path, *, kind: str, force: bool = False
              ) -> list[Path]:
    """Write every format of `kind` into `folder` under their default names; returns the
    paths. Raises ExportExists (writing nothing) when one of them is there already, unless
    `force`."""
    paths = [(export_target(folder / default_filename(data, f, kind)), f) for f in FORMATS[kind]]
    texts = [render(kind, f, data) for _, f in paths]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ShadowboxError(f"{display_path(folder)}: cannot write the exports: "
                             f"{exc.strerror or exc}") from None
    if not force:
        for path, _ in paths:
            if path.exists():
                raise ExportExists(path)
    for (path, _), text in zip(paths, texts):
        write_file(path, text, force=True)
    return [path for path, _ in paths]
