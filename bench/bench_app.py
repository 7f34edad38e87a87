"""Benchmarks of what a Shadowbox user waits for (run on demand, not in the test suite).

    /work/venv/bin/python bench/bench_app.py [--rounds 7] [--replies 30] [--turns 500]
                                             [--extra 1000] [--only ...]

Each figure is a median over rounds, against a baseline measured in the same run, in
alternating order (the machine is shared and noisy: read the ratios).

1. launch (tmux): from spawning the command in a real terminal (a tmux pane, 120x40) to
   the pane showing (a) a bare Textual app's first frame (one Static), (b) `shadowbox`'s
   home screen with the library listed (the first scenario's title on screen), (c)
   `shadowbox practice procurement-head` with the buyer's first line on screen, and (d)
   the same with `--library` of 1,000 extra scenarios (see 2). The pane
   is polled with `tmux capture-pane` every few ms. Targets: (b) within 1.3x of (a), (c)
   (and (d)) within 1.4x. The history and the parsed-library cache are in temporary folders, warmed
   by one run of each first (as a user's are after the first launch).
2. cli: `shadowbox --version` against `python -c "import argparse"` (target 1.3x); then
   `validate`, `lint` and `list` on the bundled library against the same with
   `--library` of 1,000 extra scenarios (copies of the bundled ones under new ids and
   titles), with a warm cache and with `SHADOWBOX_CACHE=off`, and each run's peak memory
   (max RSS). Targets: validate within 3x, lint 4x, list 2x; peak at most 60 MiB.
3. replies: in the practice screen (bundled procurement-head, the real scorer, history in
   a temporary folder), the time from Enter on a response to the buyer's reply laid out
   and rendered. Target: under 50 ms of app work.
4. scroll: a 500-turn transcript: time to open it, and the time of each scroll step
   (page up/down, jumps) until the frame is rendered. Target: open under 0.2 s, p95 of
   frames at most 16 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("Bare Textual app ready")
Bare().run()
"""

SOCKET = "shadowbox-bench"  # a tmux server of our own, never the user's


def in_tmux(argv: list[str], marker: str, env: dict, timeout: float = 30) -> float:
    """Seconds from spawning `argv` in a fresh 120x40 tmux pane until `marker` shows."""
    session = f"b{os.getpid()}"
    tmux = ["tmux", "-L", SOCKET]
    command = " ".join(map(shlex.quote, argv))
    t0 = time.perf_counter()
    # A pane gets the tmux server's environment, not ours: pass what the run needs.
    pass_on = [f"-e{name}={env[name]}" for name in ("SHADOWBOX_HOME", "SHADOWBOX_CACHE")
               if name in env]
    subprocess.run([*tmux, "new-session", "-d", "-s", session, "-c", str(ROOT), *pass_on,
                    "-x", "120", "-y", "40", command], env=env, check=True)
    try:
        while time.perf_counter() - t0 < timeout:
            pane = subprocess.run([*tmux, "capture-pane", "-p", "-t", session],
                                  capture_output=True, text=True).stdout
            if marker in pane:
                return time.perf_counter() - t0
            time.sleep(0.003)
        raise SystemExit(f"{argv}: {marker!r} never showed; the pane read:\n{pane}")
    finally:
        subprocess.run([*tmux, "kill-session", "-t", session], capture_output=True)


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms"


def bench_launch(rounds: int, extra: int) -> None:
    if shutil.which("tmux") is None:
        print("launch: tmux is not installed; skipped")
        return
    from simulator.loading import library_dirs, load_library
    from simulator.session import Session

    lib = load_library(library_dirs())
    first = lib.ordered()[0].title
    sc = lib.scenario("procurement-head")
    line = Session(sc, lib.persona_of(sc), seed=1).turns[0].text
    buyer = " ".join(line.split()[:5])  # the first words of the buyer's first line
    tmp = tempfile.mkdtemp(prefix="sbx-bench-")
    env = {**os.environ, "SHADOWBOX_HOME": tmp, "SHADOWBOX_CACHE": f"{tmp}/cache"}
    sbx = [sys.executable, "-m", "simulator"]
    big = Path(tmp) / "big"
    extra_library(big, extra)
    runs = {
        "bare": ([sys.executable, "-c", BARE], "Bare Textual app ready"),
        "library": (sbx, first),
        "practice": ([*sbx, "practice", "procurement-head", "--seed", "1"], buyer),
        "practice+": ([*sbx, "--library", str(big), "practice", "procurement-head", "--seed",
                       "1"], buyer),
    }
    tmux = ["tmux", "-L", SOCKET]
    # One idle session keeps our tmux server up between runs (it quits with its last one).
    subprocess.run([*tmux, "new-session", "-d", "-s", "keep", "sleep 3600"], check=True)
    try:
        # Warm the disk cache, the .pyc files and Shadowbox's cache (as any earlier run does;
        # `list` is there because the runs below are killed as soon as their screen shows).
        for more in ([], ["--library", str(big)]):
            subprocess.run([*sbx, *more, "list"], env=env, cwd=ROOT, capture_output=True,
                           check=True)
        for argv, marker in runs.values():
            in_tmux(argv, marker, env)
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(rounds):
            for name, (argv, marker) in runs.items():
                times[name].append(in_tmux(argv, marker, env))
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    bare = statistics.median(times["bare"])
    print(f"launch in tmux, spawn to the screen a user acts on (median of {rounds}):")
    print(f"  bare Textual app, first frame{'':<14} {median_ms(times['bare']):>8}")
    for name, what, target in (("library", "home, library listed", 1.3),
                               ("practice", "practice, buyer's first line", 1.4),
                               ("practice+", f"the same, {extra} extra scenarios", 1.4)):
        ratio = statistics.median(times[name]) / bare
        print(f"  shadowbox {what:<33} {median_ms(times[name]):>8}  {ratio:.2f}x "
              f"(target <= {target}x)")
    shutil.rmtree(tmp, ignore_errors=True)


MEASURE = """
import resource, sys, time
t0 = time.perf_counter()
from simulator.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def run_cli(args: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds of `shadowbox ARGS` in a fresh interpreter, and its peak RSS in MiB."""
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", MEASURE, *args], capture_output=True,
                         text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - t0
    return wall, int(out.stderr.strip().splitlines()[-1]) / 1024


def extra_library(folder: Path, count: int) -> None:
    """`count` scenarios copied from the bundled ones, each with its own id and title."""
    import yaml

    (folder / "scenarios").mkdir(parents=True)
    bundled = sorted((ROOT / "scenarios").glob("*.yaml"))
    for i in range(count):
        src = bundled[i % len(bundled)]
        text = src.read_text(encoding="utf-8")
        text = re.sub(r"^id: (.*)$", lambda m: f"id: {m.group(1)}-x{i:04d}", text, count=1,
                      flags=re.M)
        text = re.sub(r"^title: (.*)$", lambda m: "title: " + json.dumps(
            f"{yaml.safe_load(m.group(1))} no. {i}"), text, count=1, flags=re.M)
        (folder / "scenarios" / f"{src.stem}-x{i:04d}.yaml").write_text(text, encoding="utf-8")


def bench_cli(rounds: int, extra: int) -> None:
    env = {**os.environ}
    env.pop("SHADOWBOX_LIBRARY", None)
    base, ours = [], []
    for _ in range(max(rounds, 15)):
        for argv, into in (([sys.executable, "-c", "import argparse"], base),
                           ([sys.executable, "-m", "simulator", "--version"], ours)):
            t0 = time.perf_counter()
            subprocess.run(argv, capture_output=True, env=env, cwd=ROOT)
            into.append(time.perf_counter() - t0)
    ratio = statistics.median(ours) / statistics.median(base)
    print(f"--version {median_ms(ours)} against python -c 'import argparse' "
          f"{median_ms(base)}: {ratio:.2f}x (target <= 1.3x)")
    with tempfile.TemporaryDirectory(prefix="sbx-bench-") as tmp:
        big = Path(tmp) / "big"
        extra_library(big, extra)
        print(f"a library of {extra} extra scenarios (median of {rounds}; peak = max RSS):")
        for cache in ("warm", "off"):
            env["SHADOWBOX_CACHE"] = f"{tmp}/cache" if cache == "warm" else "off"
            for command, target in (("validate", 3), ("lint", 4), ("list", 2)):
                small, large, peak = [], [], []
                run_cli([command], env), run_cli(["--library", str(big), command], env)
                for _ in range(rounds):
                    small.append(run_cli([command], env)[0])
                    wall, rss = run_cli(["--library", str(big), command], env)
                    large.append(wall)
                    peak.append(rss)
                ratio = statistics.median(large) / statistics.median(small)
                print(f"  {command:<8} cache {cache:<4}  bundled {median_ms(small):>7}, "
                      f"+{extra} {median_ms(large):>8}: {ratio:5.2f}x (target <= {target}x); "
                      f"peak {max(peak):.0f} MiB (target <= 60)")


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
        self.ends: list[tuple[object, float]] = []  # (screen, when its frame was done)
        self.pending: float | None = None  # when the last response was entered
        self.replies: list[float] = []
        original = Screen._compositor_refresh
        frames = self

        def timed(screen):
            t = time.perf_counter()
            original(screen)
            end = time.perf_counter()
            frames.times.append(end - t)
            frames.ends.append((screen, end))
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
            frames = Frames()
            t0 = time.perf_counter()
            screen = PracticeScreen(long, None)
            app.push_screen(screen)
            await pilot.pause()
            transcript = app.screen.query_one("#transcript")
            while not transcript.filled:  # older turns fill in between frames
                await pilot.pause(0.01)
            filled = time.perf_counter() - t0
            opened = next(end for s, end in frames.ends
                          if s is screen and transcript.line_count) - t0
            frames.times.clear()
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
    print(f"{turns}-turn transcript ({lines} screen lines): on screen in {opened * 1000:.0f} ms "
          f"(target < 200 ms), every turn rendered after {filled * 1000:.0f} ms; "
          f"frames while paging (animated) {stats(animated)} over {len(animated)} frames; "
          f"jump-scroll frames {stats(jumps)} over {len(jumps)} frames (a 60 Hz frame is 16.7 "
          "ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="runs of each command")
    parser.add_argument("--extra", type=int, default=1000, help="extra scenarios for cli")
    parser.add_argument("--replies", type=int, default=30, help="responses to time")
    parser.add_argument("--turns", type=int, default=500, help="rep turns in the transcript")
    parser.add_argument("--only", choices=("launch", "cli", "replies", "scroll"))
    args = parser.parse_args()
    # Nothing the bench runs, in-process or not, uses the user's cache folder.
    os.environ["SHADOWBOX_CACHE"] = tempfile.mkdtemp(prefix="sbx-bench-cache-")
    # An installed Shadowbox runs from compiled bytecode, as the bare app's Textual does:
    # with PYTHONDONTWRITEBYTECODE set (as in some shells and CI), every run of a checkout
    # would compile each of Shadowbox's modules again and time that too. The warm-up runs
    # write the .pyc files; the tmux server (and so every pane) starts without the setting.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    if args.only in (None, "launch"):
        bench_launch(args.rounds, args.extra)
    if args.only in (None, "cli"):
        bench_cli(args.rounds, args.extra)
    if args.only in (None, "replies"):
        asyncio.run(bench_replies(args.replies))
    if args.only in (None, "scroll"):
        asyncio.run(bench_scroll(args.turns))


if __name__ == "__main__":
    main()
