"""Exports of a stored session (md, html, json), from the core and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from simulator.errors import ShadowboxError
from simulator.export import evidence_spans, export, write
from simulator.loading import load_library
from simulator.session import Session
from simulator.store import Store
from test_tui_support import HOLD, TRADE, Clock, scorer, write_library


@pytest.fixture
def stored(tmp_path):
    """A finished session saved in tmp_path/home/history.db; returns (db, id)."""
    lib = load_library([write_library(tmp_path / "lib")])
    sc = lib.scenario("renewal")
    store = Store(tmp_path / "home" / "history.db", clock=Clock())
    s = Session(sc, lib.persona_of(sc), seed=7, scorer=scorer)
    sid = store.record(s)
    s.respond(HOLD)
    s.respond("Let me put it another way, <b>&</b> with markup in it.")
    s.respond(TRADE)
    store.finish(sid, s)
    return store, sid


def test_markdown_has_summary_habits_turns_and_evidence(stored):
    store, sid = stored
    md = export(store.load(sid), "md")
    assert md.startswith("# The backup renewal under budget pressure\n")
    assert "- **Outcome:** Renewed at your price \\[deal, won\\]" in md
    assert "| Hold the price | 100 |" in md
    assert "**Dana Whitlow:** The renewal at $12.00 a seat won't fly." in md
    assert "**You:** **Our price is $12** a seat" in md
    assert "*question: none · price: hold · exchange: no*" in md
    assert "## Lesson" in md


def test_html_escapes_text_and_marks_evidence(stored):
    store, sid = stored
    page = export(store.load(sid), "html")
    assert page.startswith("<!doctype html>")
    assert "<mark>Our price is $12</mark> a seat" in page
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in page and "<b>&</b>" not in page
    assert "Renewed at your price" in page


def test_json_is_the_whole_record(stored):
    store, sid = stored
    data = json.loads(export(store.load(sid), "json"))
    assert data["id"] == sid and data["seed"] == 7
    assert data["scorecard"]["outcome"]["status"] == "deal"
    assert len(data["turns"]) == 7
    assert data["started"].endswith("+00:00")


def test_evidence_spans_merge_and_clip():
    scores = {"verdicts": {"a": {"evidence": [{"start": 0, "end": 4}, {"start": 2, "end": 9}]},
                           "b": {"evidence": [{"start": 12, "end": 99}]}}}
    assert evidence_spans("hello world, bye", scores) == [(0, 9), (12, 16)]


def test_write_into_a_folder_uses_the_default_name(stored, tmp_path):
    store, sid = stored
    path = write(store.load(sid), "md", tmp_path)
    assert path.name == f"shadowbox-{sid}-renewal.md" and path.read_text().startswith("# ")


def run_cli(args, home, cwd):
    env = {**os.environ, "SHADOWBOX_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "simulator", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=60)


def test_cli_export_and_history(stored, tmp_path):
    store, sid = stored
    home = store.path.parent
    out = run_cli(["export", str(sid), "--format", "html", "-o", "s.html"], home, tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stderr.strip() == "wrote s.html"
    assert "<mark>" in (tmp_path / "s.html").read_text()
    out = run_cli(["export", str(sid), "--format", "json"], home, tmp_path)
    assert json.loads(out.stdout)["id"] == sid
    out = run_cli(["history", "--json"], home, tmp_path)
    rows = json.loads(out.stdout)
    assert rows[0]["id"] == sid and rows[0]["status"] == "deal"
    assert rows[0]["habits"]["hold_price"] == 100.0
    out = run_cli(["history"], home, tmp_path)
    assert out.returncode == 0 and "renewal" in out.stdout and "Renewed at your price" in out.stdout


def test_cli_errors_are_one_line(stored, tmp_path):
    store, _ = stored
    home = store.path.parent
    for args, message in (
        (["export", "99"], "no session 99"),
        (["export", "x1"], "'x1' is not a session id"),
        (["export", "1", "-o", str(tmp_path / "missing" / "f.md")], "cannot write"),
    ):
        out = run_cli(args, home, tmp_path)
        assert out.returncode == 1
        assert out.stderr.count("\n") == 1 and message in out.stderr
        assert "Traceback" not in out.stderr
    out = run_cli(["history"], tmp_path / "empty", tmp_path)
    assert out.returncode == 0 and "No sessions yet" in out.stdout


def test_a_served_app_exports_only_into_its_folder(stored, tmp_path, monkeypatch):
    store, sid = stored
    jail = tmp_path / "exports"
    jail.mkdir()
    (jail / "out").symlink_to(tmp_path)
    monkeypatch.setenv("SHADOWBOX_EXPORT_DIR", str(jail))
    record = store.load(sid)
    assert write(record, "md", "s.md") == jail / "s.md"
    assert write(record, "md", str(jail / "t.md")).read_text().startswith("# ")
    for typed in ("../s.md", str(tmp_path / "s.md"), "out/s.md", "/etc/passwd",
                  "sub/../../s.md"):
        with pytest.raises(ShadowboxError, match="exports from this app go only into"):
            write(record, "md", typed)
    assert not (tmp_path / "s.md").exists()
    assert sorted(p.name for p in jail.iterdir()) == ["out", "s.md", "t.md"]


def test_cli_export_does_not_overwrite_without_force(stored, tmp_path):
    store, sid = stored
    home = store.path.parent
    (tmp_path / "mine.md").write_text("my own notes")
    out = run_cli(["export", str(sid), "-o", "mine.md"], home, tmp_path)
    assert out.returncode == 1 and out.stderr.count("\n") == 1
    assert "mine.md already exists; add --force to overwrite it" in out.stderr
    assert (tmp_path / "mine.md").read_text() == "my own notes"
    out = run_cli(["export", str(sid), "-o", "mine.md", "--force"], home, tmp_path)
    assert out.returncode == 0 and (tmp_path / "mine.md").read_text().startswith("# ")


def test_a_failed_write_leaves_no_partial_file(tmp_path, monkeypatch):
    import errno
    from pathlib import Path

    from simulator.export import write_file

    real_open = Path.open

    class Full:
        """A file on a full disk: it opens, and every write fails."""

        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, text):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "open", lambda self, *a, **kw: Full(real_open(self, *a, **kw)))
    target = tmp_path / "out.md"
    with pytest.raises(ShadowboxError, match="No space left on device"):
        write_file(target, "# text")
    assert not target.exists()
    monkeypatch.undo()
    write_file(target, "# text")  # the next try is not told the file already exists
    assert target.read_text() == "# text"
