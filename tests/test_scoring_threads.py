"""The scorer's first use is safe from several threads at once: the app warms it in a worker
while another thread may score (two workers had crashed start-up with a KeyError)."""

from __future__ import annotations

import subprocess
import sys

# Each run is a fresh interpreter, so every pattern is still uncompiled when the threads start.
_RACE = """
import sys, threading
sys.setswitchinterval(1e-6)  # switch threads as often as possible, to meet the race
from simulator.scoring import score
errors = []
start = threading.Barrier(6)
def go(i):
    start.wait()
    try:
        score(f"What would make this worth it for you, and could we do $8.20 if you sign? {i}")
    except Exception as e:
        errors.append(repr(e))
threads = [threading.Thread(target=go, args=(i,)) for i in range(6)]
[t.start() for t in threads]
[t.join() for t in threads]
print(errors[:1])
"""


def test_first_use_from_several_threads_at_once() -> None:
    for _ in range(8):
        out = subprocess.run([sys.executable, "-c", _RACE], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr[-2000:]
        assert out.stdout.strip() == "[]", out.stdout
