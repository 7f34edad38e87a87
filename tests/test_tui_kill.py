"""Kill the app with SIGKILL mid-session: every turn it showed is in the history."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from simulator.store import Store

DRIVER = textwrap.dedent("""
    import asyncio, sys
    sys.path.insert(0, {tests!r})
    from pathlib import Path
    from simulator.store import Store
    from simulator.tui.app import make_app
    from test_tui_support import HOLD, OPEN, scorer, write_library

    LINES = [HOLD, OPEN, "Tell me more about the clinics.", "And the audit?"]

    async def main():
        lib = write_library(Path({root!r}) / "lib")
        app = make_app(dirs=[lib], store=Store(Path({db!r})), scorer=scorer, seed=3,
                       start="practice", scenario_id="renewal")
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(500):  # the library loads in a thread; then practice opens
                await pilot.pause(0.01)
                if app.screen.query("#reply"):
                    break
            for line in LINES:
                app.screen.query_one("#reply").value = line
                await pilot.press("enter")
                await pilot.pause()
                shown = len(app.screen.session.turns)
                print("shown", shown, flush=True)
            print("waiting", flush=True)
            await asyncio.Event().wait()   # mid-session, until killed

    asyncio.run(main())
""")


def test_killed_app_loses_no_turn(tmp_path: Path):
    db = tmp_path / "home" / "history.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER.format(tests=str(Path(__file__).parent),
                                             root=str(tmp_path), db=str(db))],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    shown = 0
    try:
        for line in proc.stdout:
            if line.startswith("shown"):
                shown = int(line.split()[1])
            if line.strip() == "waiting":
                break
        else:
            raise AssertionError(proc.stderr.read())
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert shown == 9
    rec = Store(db).load(1)
    assert rec["status"] == "in_progress"
    assert len(rec["turns"]) == shown
    assert [t["speaker"] for t in rec["turns"]] == ["buyer", "rep"] * 4 + ["buyer"]
    assert rec["turns"][1]["scores"]["price"] == "hold"
