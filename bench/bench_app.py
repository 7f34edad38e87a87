"""Benchmarks of the Textual app (run on demand, not in the test suite).

    /work/venv/bin/python bench/bench_app.py [--rounds 5] [--replies 30] [--turns 500]

1. Launch: a fresh interpreter per launch, from the first line of the script to the
   first frame of the app (imports, library load, history open, first layout and
   render), against a bare Textual app with one Static measured the same way, in
   alternating order in the same run. Target: within 1.3x.
2. Enter to reply: in the practice screen (bundled procurement-head, the real
   scorer, history in a temporary folder), the time from Enter on a response to the
   buyer's reply laid out and rendered. Target: under 50 ms of app work.
3. A 500-turn transcript: time to open it, and the time of each scroll step
   (page up/down, jumps) until the frame is rendered. Target: no step near a frame
   budget of ~33 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = """
import time; t0 = time.perf_counter()
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("Hello")
    def on_mount(self):
        self.call_after_refresh(self.done)
    def done(self):
        print(time.perf_counter() - t0); self.exit()
Bare().run(headless=True, size=(120, 40))
"""

SHADOWBOX = """
import time; t0 = time.perf_counter()
from simulator.tui.app import make_app
from simulator.tui.screens import home
first_mount = home.HomeScreen.on_mount
def on_mount(self):
    first_mount(self)
    self.call_after_refresh(done)
home.HomeScreen.on_mount = on_mount
def done():
    print(time.perf_counter() - t0); app.exit()
app = make_app()  # as `shadowbox` does: the library loads in a thread after this frame
app.run(headless=True, size=(120, 40))
"""


def launch(code: str, home: str) -> float:
    env = {**os.environ, "SHADOWBOX_HOME": home}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=120)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return float(out.stdout.strip().splitlines()[-1])


def bench_launch(rounds: int) -> None:
    home = tempfile.mkdtemp(prefix="sbx-bench-")
    launch(BARE, home), launch(SHADOWBOX, home)  # warm the disk cache and .pyc files
    bare, ours = [], []
    for _ in range(rounds):
        bare.append(launch(BARE, home))
        ours.append(launch(SHADOWBOX, home))
    for name, pick in (("median", statistics.median), ("best", min)):
        b, o = pick(bare), pick(ours)
        print(f"launch to first frame ({name} of {rounds}): bare Textual {b * 1000:.0f} ms, "
              f"Shadowbox {o * 1000:.0f} ms; ratio {o / b:.2f}x (target <= 1.3x)")


LINES = [
    "Our price is $8.50 because reaching full volume weeks sooner is worth far more to you.",
    "What is behind the $7.50 target?",
    "Walk me through what happened with the last vendor's ramp.",
    "The price stays at $8.50; that is what the faster ramp is worth.",
    "If you can commit to the whole order on a two-year contract, we can talk about terms.",
    "How would a late launch affect your team?",
]


class Frames:
    """Times every compositor refresh (one frame of app output) while installed."""

    def __init__(self) -> None:
        from textual.screen import Screen

        self.times: list[float] = []
        self.pending: float | None = None  # when the last response was entered
        self.replies: list[float] = []
        original = Screen._compositor_refresh
        frames = self

        def timed(screen):
            t = time.perf_counter()
            original(screen)
            end = time.perf_counter()
            frames.times.append(end - t)
            if frames.pending is not None:
                frames.replies.append(end - frames.pending)
                frames.pending = None

        Screen._compositor_refresh = timed


def stats(values: list[float]) -> str:
    v = sorted(values)
    return (f"median {statistics.median(v) * 1000:.1f} ms, p95 "
            f"{v[max(0, int(len(v) * .95) - 1)] * 1000:.1f} ms, max {v[-1] * 1000:.1f} ms")


async def bench_replies(n: int) -> None:
    from simulator.loading import library_dirs, load_library
    from simulator.store import Store
    from simulator.tui.app import make_app
    from simulator.tui.screens.practice import PracticeScreen

    lib = load_library(library_dirs())
    handler = []
    frames = Frames()
    with tempfile.TemporaryDirectory() as tmp:
        done = 0
        seed = 1
        while done < n:
            app = make_app(library=lib, store=Store(Path(tmp) / "h.db"), start="practice",
                           scenario_id="procurement-head", seed=seed)
            seed += 1
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                screen = app.screen
                assert isinstance(screen, PracticeScreen)
                session = screen.session
                orig = session.respond

                def timed(text, orig=orig):
                    t = time.perf_counter()
                    frames.pending = t
                    out = orig(text)  # score, buyer reply, each turn saved to SQLite
                    handler.append(time.perf_counter() - t)
                    return out

                session.respond = timed
                i = 0
                while not screen.session.finished and done < n:
                    screen.query_one("#reply").value = LINES[i % len(LINES)]
                    i += 1
                    await pilot.press("enter")
                    await pilot.pause()
                    done += 1
    print(f"Enter to reply ({n} responses): score + buyer + save to SQLite {stats(handler)}; "
          f"Enter handled to the reply's frame rendered {stats(frames.replies)} "
          f"(target < 50 ms)")


async def bench_scroll(turns: int) -> None:
    from dataclasses import replace

    from simulator.loading import library_dirs, load_library
    from simulator.session import Session
    from simulator.tui.app import make_app
    from simulator.tui.screens.practice import PracticeScreen

    lib = load_library(library_dirs())
    sc = lib.scenario("procurement-head")
    source = Session(sc, lib.persona_of(sc), seed=5)
    source.play(LINES[1:3] + LINES[1:3])
    pairs = [(source.turns[i], source.turns[i + 1]) for i in range(1, len(source.turns) - 1, 2)]
    long = Session(sc, lib.persona_of(sc), seed=5)
    for k in range(turns):
        rep, buyer = pairs[k % len(pairs)]
        long.turns.append(replace(rep, index=len(long.turns)))
        long.turns.append(replace(buyer, index=len(long.turns)))
    with tempfile.TemporaryDirectory() as tmp:
        from simulator.store import Store

        app = make_app(library=lib, store=Store(Path(tmp) / "h.db"))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            t0 = time.perf_counter()
            app.push_screen(PracticeScreen(long, None))
            await pilot.pause()
            opened = time.perf_counter() - t0
            transcript = app.screen.query_one("#transcript")
            frames = Frames()
            for key in ["pageup"] * 20 + ["pagedown"] * 20 + ["home", "end"]:
                await pilot.press(key)
                await pilot.pause()
            animated = list(frames.times)
            frames.times.clear()
            for y in range(0, transcript.max_scroll_y, max(1, transcript.max_scroll_y // 40)):
                transcript.scroll_to(y=y, animate=False)
                await pilot.pause()
            jumps = list(frames.times)
            lines = transcript.line_count
    print(f"{turns}-turn transcript ({lines} screen lines): opened in {opened * 1000:.0f} ms; "
          f"frames while paging (animated) {stats(animated)} over {len(animated)} frames; "
          f"jump-scroll frames {stats(jumps)} over {len(jumps)} frames (a 60 Hz frame is 16.7 "
          "ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="launches of each app")
    parser.add_argument("--replies", type=int, default=30, help="responses to time")
    parser.add_argument("--turns", type=int, default=500, help="rep turns in the transcript")
    parser.add_argument("--only", choices=("launch", "replies", "scroll"))
    args = parser.parse_args()
    if args.only in (None, "launch"):
        bench_launch(args.rounds)
    if args.only in (None, "replies"):
        asyncio.run(bench_replies(args.replies))
    if args.only in (None, "scroll"):
        asyncio.run(bench_scroll(args.turns))


if __name__ == "__main__":
    main()
