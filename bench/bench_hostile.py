"""Hostile YAML: how long the loader takes to accept or refuse files up to 1 MB.

    python bench/bench_hostile.py

For each file: the median CPU time of 3 `read_yaml` runs, and what it answered. The
baseline is a legitimate flat 1 MB file (accepted). For contrast, PyYAML's own scanner on
1,000, 2,000 and 4,000 levels of flow nesting (the quadratic scan the loader now stops at
level 41). Node-dense files (a quarter of a million one-letter items took 8-14 s) are
refused at their 20,001st value.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.yamlsrc import read_yaml  # noqa: E402

FILES = {
    "baseline: flat 1 MB mapping (accepted)": "".join(f"k{i}: {'value ' * 16}{i}\n"
                                                      for i in range(9_000)),
    "10,000 levels of [ (20 KB)": "a: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "1 MB of { b: nesting": "a: " + "{b: " * 199_000 + "}" * 199_000 + "\n",
    "1 MB of [ never closed": "a: " + "[" * 999_000 + "\n",
    "1 MB of compact '- - -' lists": "- " * 499_000 + "x\n",
    "1,400 levels of block mappings": "a:\n" + "".join(" " * i + "b:\n"
                                                       for i in range(1, 1400)),
    "249,000 block items '- a' (1 MB)": "- a\n" * 249_000,
    "494,000 flow items [1,1,...] (1 MB)": "[" + "1," * 494_000 + "1]\n",
    "165,000 flow keys {a: 1, ...} (1 MB)": "{" + ", ".join(["a: 1"] * 165_000) + "}\n",
}


def timed(fn, runs: int = 3) -> float:
    out = []
    for _ in range(runs):
        start = time.process_time()  # CPU time: the machine is shared
        fn()
        out.append(time.process_time() - start)
    return statistics.median(out)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in FILES.items():
            path = Path(tmp) / "f.yaml"
            path.write_text(text)
            src, problems = read_yaml(path)
            verdict = "accepted" if src is not None else f"refused: {problems[0]}"
            secs = timed(lambda: read_yaml(path))
            print(f"{name:<40} {len(text) / 1e6:5.2f} MB  {secs * 1000:8.1f} ms  "
                  f"{verdict.replace(str(path), 'f.yaml')[:70]}")
    for depth in (1_000, 2_000, 4_000):
        text = "a: " + "[" * depth + "]" * depth + "\n"
        secs = timed(lambda: sum(1 for _ in yaml.scan(text, Loader=yaml.SafeLoader)), runs=1)
        print(f"PyYAML's scanner alone, {depth:,} levels of [ ({len(text) / 1e3:.0f} KB)"
              f"{'':8} {secs * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
