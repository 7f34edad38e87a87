"""No import circles: the modules read top-down (front ends, then the core, then the scorer).

Every `import` of a `simulator` module counts, wherever it is written: at the top, inside a
function (a lazy import is still a dependency) or under `if TYPE_CHECKING:` (so is a type).
A circle makes two modules one, which neither can be understood, tested nor moved without
the other; this test names the modules of any circle that comes back.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "simulator"

#: Circles known and left for their own work, each with why. Nothing may join this list
#: without a reason; a circle that is gone must leave it (the test says so).
KNOWN: dict[frozenset[str], str] = {}


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" in parts:  # Alembic's scripts run inside a migration, not imported
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def imports(mods: dict[str, Path]) -> dict[str, set[str]]:
    """What each module imports of the package: `from a.b import c` is a.b.c when c is a
    module, else a.b."""
    def known(name: str) -> str:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name

    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                deps |= {known(a.name) for a in node.names if a.name.startswith("simulator")}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                    and node.module.split(".")[0] == "simulator":
                for a in node.names:
                    full = f"{node.module}.{a.name}"
                    deps.add(full if full in mods else known(node.module))
        graph[name] = deps - {name, ""}
    return graph


def circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(frozenset(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def describe(group: frozenset[str], graph: dict[str, set[str]]) -> str:
    return "; ".join(f"{m} -> {', '.join(sorted(graph[m] & group))}" for m in sorted(group))


def test_the_walker_finds_a_circle_through_lazy_and_type_only_imports(tmp_path):
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [frozenset("abc")]
    pkg = tmp_path / "simulator"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "one.py").write_text("from typing import TYPE_CHECKING\n"
                                "if TYPE_CHECKING:\n    from simulator.two import X\n")
    (pkg / "two.py").write_text("def f():\n    from simulator import one\n")
    mods = {"simulator": pkg / "__init__.py", "simulator.one": pkg / "one.py",
            "simulator.two": pkg / "two.py"}
    assert circles(imports(mods)) == [frozenset({"simulator.one", "simulator.two"})]


def test_no_import_circles():
    graph = imports(modules())
    assert "simulator.buyer" in graph["simulator.session"]  # the walker reads the imports
    found = circles(graph)
    new = [describe(g, graph) for g in found if g not in KNOWN]
    assert not new, "import circles:\n" + "\n".join(new)
    gone = [sorted(g) for g in KNOWN if g not in found]
    assert not gone, f"no longer circles, take them off KNOWN: {gone}"


def test_the_app_sits_above_its_screens_and_widgets():
    """Folder by folder inside the app: tui/app.py opens the screens and the drill, they use
    the widgets; nothing below ever imports the app, and no two folders import each other."""
    graph = imports(modules())

    def folder(name: str) -> str:
        parts = name.split(".")
        return ".".join(parts[:3]) if len(parts) > 3 else name

    tui = {m for m in graph if m.startswith("simulator.tui.")}
    folders: dict[str, set[str]] = {}
    for m in tui:
        folders.setdefault(folder(m), set()).update(
            folder(d) for d in graph[m] if d in tui and folder(d) != folder(m))
    assert not circles(folders), folders
    below = {f for f in folders if f != "simulator.tui.app"}
    assert not [f for f in below if "simulator.tui.app" in folders[f]], folders
