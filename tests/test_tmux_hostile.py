"""The real app in a real terminal (tmux): markup and escape text typed by a rep, named in a
team or written in a scenario's title is shown as plain text, never obeyed, and the app
keeps running and exits cleanly. Skipped where tmux is not installed (CI installs it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

ROOT = Path(__file__).resolve().parent.parent
SHADOWBOX = [sys.executable, "-m", "simulator"]
HOSTILE_TITLE = "\\e]0;pwned\\a\\e[2JRuth [bold]frozen[/]"  # as written in the YAML (double-quoted)


class Pane:
    """One tmux server of our own (its own socket), one window running a command."""

    def __init__(self, tmp: Path, command: list[str]) -> None:
        self.sock = f"sbx-{uuid.uuid4().hex[:8]}"
        env = {**os.environ, "SHADOWBOX_HOME": str(tmp / "home"), "TERM": "xterm-256color"}
        # The command's exit status is written by the shell that runs it: tmux's own
        # (#{pane_dead_status}) was sometimes never set, the app's exited process left a
        # zombie tmux did not reap (seen on a loaded machine, before issue 14's work too).
        self.status_file = tmp / f"exit-status-{self.sock}"
        shell = f"{' '.join(_quote(c) for c in command)}; echo $? > {_quote(str(self.status_file))}"
        self._tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", "t",
                   f"sh -c {_quote(shell)}", env=env)
        self._tmux("set-option", "-t", "t", "remain-on-exit", "on")

    def _tmux(self, *args: str, env: dict | None = None) -> str:
        out = subprocess.run(["tmux", "-L", self.sock, *args], capture_output=True, text=True,
                             env=env, timeout=30)
        return out.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "t")

    def wait_for(self, text: str, timeout: float = 60) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.3)
        raise AssertionError(f"{text!r} never appeared; the screen:\n{self.screen()}")

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", "t", "-l", text)
        self._tmux("send-keys", "-t", "t", "Enter")

    def key(self, key: str) -> None:
        self._tmux("send-keys", "-t", "t", key)

    def title(self) -> str:
        return self._tmux("display-message", "-p", "-t", "t", "#{pane_title}")

    def exit_status(self, timeout: float = 30) -> int:
        """The command's exit status, once it has exited (see `__init__`)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                return int(self.status_file.read_text().strip())
            except (OSError, ValueError):  # not exited yet (or being written)
                time.sleep(0.3)
        raise AssertionError(f"the app did not exit; the screen:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.sock, "kill-server"], capture_output=True, timeout=30)


def _quote(s: str) -> str:
    return "'" + s.replace("'", "'\"'\"'") + "'"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    (lib / "scenarios").mkdir(parents=True)
    text = (ROOT / "scenarios" / "budget-freeze.yaml").read_text(encoding="utf-8")
    text = text.replace("id: budget-freeze", "id: hostile-freeze", 1)
    text = text.replace("title: '\"The budget is frozen\"'", f'title: "{HOSTILE_TITLE}"', 1)
    assert "hostile-freeze" in text and "pwned" in text
    (lib / "scenarios" / "hostile-freeze.yaml").write_text(text, encoding="utf-8")
    return lib


def test_practice_shows_markup_and_escapes_as_text(tmp_path: Path, library: Path) -> None:
    pane = Pane(tmp_path, [*SHADOWBOX, "--library", str(library), "practice", "hostile-freeze", "--seed", "1"])
    try:
        screen = pane.wait_for("Ruth")
        assert "[bold]frozen[/]" in screen  # the title's markup, shown as written
        assert "\\u001b]0;pwned" in screen  # the escape, shown escaped
        assert "pwned" not in pane.title()  # the title's escape did not retitle the terminal
        pane.type("[/] fine, [bold]Ben said [red]no")
        screen = pane.wait_for("[/] fine, [bold]Ben said [red]no")
        pane.key("C-e")  # end and debrief
        screen = pane.wait_for("Debrief")
        assert "[/] fine" in screen
        pane.key("C-q")
        assert pane.exit_status() == 0
    finally:
        pane.close()


def test_drill_shows_markup_names_and_answers_as_text(tmp_path: Path) -> None:
    pane = Pane(tmp_path, [*SHADOWBOX, "drill", "budget-freeze", "--team", "[/],[bold]Ben,Chen", "--seed", "1"])
    try:
        pane.wait_for("[bold]Ben")
        pane.type("[/] we hold at [red]$60k")
        pane.wait_for("[/] we hold at [red]$60k")
        pane.key("C-q")
        assert pane.exit_status() == 0
    finally:
        pane.close()
