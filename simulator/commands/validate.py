"""`shadowbox validate [PATH...]`: every problem in every file, located.

Also home of `resolve`, which turns the PATH arguments of validate, lint and
test into the library to load and the files to report on, so the three
commands agree on what a path means:

* no path: the whole library in use (bundled, SHADOWBOX_LIBRARY, --library);
* a folder: its personas/ and scenarios/ (and YAML files directly in it), plus
  its scenario tests;
* a file: that file, loaded with its own library folder (the folder holding
  its personas/ and scenarios/), so a scenario finds its persona there or in the
  library in use. A `*.test.yaml` file is a scenario test.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from simulator.errors import Problem, display_path
from simulator.loading import (
    Library,
    Visit,
    is_test_file,
    library_dirs,
    load_library,
    yaml_files,
)

_YAML = (".yaml", ".yml")
_KINDS = ("personas", "scenarios")


@dataclass
class Targets:
    """What a command was asked about, and the library loaded to answer it."""

    library: Library
    everything: bool
    files: list[Path] = field(default_factory=list)  # persona and scenario files asked about
    tests: list[Path] = field(default_factory=list)  # scenario test files asked about
    shown: set[str] = field(default_factory=set)  # display paths whose problems are reported
    problems: list[Problem] = field(default_factory=list)  # paths that do not exist

    def mine(self, problem: Problem) -> bool:
        return self.everything or problem.path in self.shown

    def load_problems(self) -> list[Problem]:
        """Missing paths, then the library's loading problems in the files asked about."""
        return list(self.problems) + [p for p in self.library.problems if self.mine(p)]


def print_problems(problems: list[Problem]) -> int:
    """Print each problem once, in file order; returns how many are errors."""
    for p in sorted(set(problems), key=lambda p: (p.path, p.line, p.col, p.message)):
        print(p)
    return sum(p.severity == "error" for p in problems)


def library_root(path: Path) -> Path | None:
    """The library folder a file belongs to: the one holding its personas/ or scenarios/."""
    parent = path.parent
    if parent.name in _KINDS:
        return parent.parent
    if any((parent / k).is_dir() for k in _KINDS):
        return parent
    return None


def library_files(folder: Path) -> list[Path]:
    """The persona and scenario files of a library folder, as `load_library` reads them."""
    return [p for d in (folder / "personas", folder / "scenarios", folder)
            for p in yaml_files(d)]


def _is_dir(path: Path) -> bool:
    """Path.is_dir that answers False where the system refuses the name (too long, say);
    loading the library reports that folder."""
    try:
        return path.is_dir()
    except OSError:
        return False


def find_tests(folder: Path) -> list[Path]:
    """Scenario tests of a library folder: in it, in scenarios/, and anywhere under tests/."""
    found: set[Path] = set()
    for d in (folder, folder / "scenarios"):
        if _is_dir(d):
            found.update(p for p in d.iterdir() if p.is_file() and is_test_file(p))
    tests = folder / "tests"
    if _is_dir(tests):
        found.update(p for p in tests.rglob("*.test.y*ml") if p.is_file() and is_test_file(p))
    return sorted(found)


def resolve(args: argparse.Namespace, paths: list[str], visit: Visit | None = None) -> Targets:
    """Load the library the given paths need, and note which files to report on."""
    extra_dirs: list[Path] = list(map(Path, getattr(args, "library", []) or []))
    if not paths:
        dirs = library_dirs(extra_dirs)
        lib = load_library(dirs, visit=visit)
        return Targets(lib, True, files=[f for d in dirs for f in library_files(d)],
                       tests=[t for d in dirs for t in find_tests(d)])
    extra_files: list[Path] = []
    t = Targets(Library(), False)
    for raw in paths:
        path = Path(raw)
        shown = display_path(path)
        try:
            path.stat()
        except FileNotFoundError:
            t.problems.append(Problem(shown, 0, 0, "no such file or folder" if not
                                      path.is_symlink() else "broken symbolic link"))
            continue
        except OSError as exc:  # a name too long, a symlink loop, no permission
            t.problems.append(Problem(shown, 0, 0, f"cannot read: {exc.strerror or exc}"))
            continue
        t.shown.add(shown)
        if path.is_dir():
            extra_dirs.append(path)
            t.files += library_files(path)
            t.tests += find_tests(path)
            continue
        root = library_root(path)
        if is_test_file(path):
            t.tests.append(path)
            if root is not None:
                extra_dirs.append(root)
            continue
        t.files.append(path)
        if root is not None and path.suffix in _YAML:
            extra_dirs.append(root)
        else:
            extra_files.append(path)
    t.shown.update(display_path(p) for p in [*t.files, *t.tests])
    t.library = load_library(library_dirs(extra_dirs), extra_files, visit=visit)
    return t


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        description="Check files against their format and their references (personas, "
        "states, gets, scenarios). Prints every problem as path:line:col: severity: "
        "message and exits 1 if there is any error. With no PATH, checks the whole library "
        "in use; a folder means its personas/, scenarios/ and scenario tests.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or library folders")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from simulator.playtest import check_test_file

    t = resolve(args, args.paths)
    problems = t.load_problems()
    for path in t.tests:
        problems += check_test_file(path, t.library)[1]
    checked = len(t.files) + len(t.tests)
    if not t.everything:
        for raw in args.paths:
            path = Path(raw)
            if display_path(path) not in t.shown:
                continue  # not readable: already a problem
            if path.is_dir() and not library_files(path) and not find_tests(path):
                problems.append(Problem(display_path(path), 0, 0, "no persona, scenario or "
                                        "test files here (expected personas/ and scenarios/ "
                                        "folders of .yaml files)", "warning"))
    errors = print_problems(problems)
    warnings = len(problems) - errors
    if not problems:
        print(f"{checked} file(s) checked: no problems")
    else:
        print(f"{checked} file(s) checked: {errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0
