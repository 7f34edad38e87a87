"""Loading personas and scenarios: safe YAML, validated, every problem located.

`load_library(dirs)` reads every `personas/*.yaml` and `scenarios/*.yaml` under
the given folders, collects every problem of every file, and returns what did
load. A broken file never stops the others.
"""

from __future__ import annotations

import difflib
import gc
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from simulator.cache import SourceCache
from simulator.catalog import bundled_dir, library_dirs
from simulator.errors import Problem, display_path
from simulator.library import Library
from simulator.model import MOVES, PLACEHOLDER_RE, PLACEHOLDERS, Persona, Scenario
from simulator.yamlsrc import Loc, Source, read_yaml

# ------------------------------------------------------------ pydantic -> located


def _unwrap(tp: Any) -> list[Any]:
    """The candidate inner types of an annotation (through Optional, Annotated, unions)."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for a in typing.get_args(tp) for t in _unwrap(a)]
    return [tp]


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The pydantic model class found at `loc` inside `model`, if any."""
    current: list[Any] = [model]
    for part in loc:
        nxt: list[Any] = []
        for tp in current:
            for t in _unwrap(tp):
                origin = typing.get_origin(t)
                if isinstance(t, type) and issubclass(t, BaseModel) and isinstance(part, str):
                    for name, f in t.model_fields.items():
                        if part in (name, f.alias):
                            nxt.append(f.annotation)
                elif origin is list and isinstance(part, int):
                    nxt.append(typing.get_args(t)[0])
                elif origin is dict and isinstance(part, str):
                    nxt.append(typing.get_args(t)[1])
        current = nxt
    for tp in current:
        for t in _unwrap(tp):
            if isinstance(t, type) and issubclass(t, BaseModel):
                return t
    return None


def field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


def _clean_loc(src: Source, loc: Sequence[Any]) -> Loc:
    """Drop pydantic's union-member labels from a location, keeping real path parts."""
    out: list[str | int] = []
    node: Any = src.data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not out and part == "from":
            out.append(part)
        # else: a label such as 'list[str]' or 'function-after[...]': skip it
    return tuple(out)


def _dotted(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _describe(err: dict) -> str:
    kind = err["type"]
    msg = err["msg"]
    value = err.get("input")
    if kind in ("string_type", "int_type", "float_type", "bool_type", "list_type", "dict_type",
                "model_type", "int_parsing", "float_parsing", "bool_parsing"):
        shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
        return f"{msg[0].lower() + msg[1:]}, got {shown}"
    if kind == "literal_error":
        return f"{msg[0].lower() + msg[1:]}, got {value!r}"
    if kind.startswith("value_error"):
        return msg.removeprefix("Value error, ")
    return msg[0].lower() + msg[1:]


_CONTAINER_ERRORS = {"list_type", "dict_type", "model_type", "model_attributes_type"}


def _prune_union_noise(src: Source, errors: list[dict]) -> list[dict]:
    """A value that fits no branch of a union gets one error per branch: keep the useful one.

    Errors about the value's shape (list vs. scalar) are dropped when the value has the
    other shape, and an error is dropped when a deeper error explains it.
    """
    clean = [(_clean_loc(src, e["loc"]), e) for e in errors]
    kept = []
    for loc, err in clean:
        value = err.get("input")
        is_container = isinstance(value, (list, dict))
        if err["type"] in _CONTAINER_ERRORS and not is_container and len(clean) > 1 and any(
            l2 == loc and e2 is not err for l2, e2 in clean
        ):
            continue
        if is_container and err["type"] not in _CONTAINER_ERRORS | {"missing", "extra_forbidden"} \
                and any(l2[: len(loc)] == loc and len(l2) > len(loc) for l2, _ in clean):
            continue
        kept.append((loc, err))
    merged: dict[Loc, dict] = {}
    out = []
    for loc, err in kept:
        if err["type"] == "literal_error":
            if loc in merged:
                first = merged[loc]
                first["ctx"] = {"expected": first["ctx"]["expected"] + " or "
                                + err["ctx"]["expected"]}
                first["msg"] = f"Input should be {first['ctx']['expected']}"
                continue
            err = dict(err, ctx=dict(err.get("ctx") or {}))
            merged[loc] = err
        out.append(err)
    return out


def validation_problems(
    src: Source, model: type[BaseModel], exc: ValidationError
) -> list[Problem]:
    """Turn pydantic's errors into located, readable problems (deduplicated, in file order)."""
    problems: dict[tuple, Problem] = {}
    errors = exc.errors()
    # A misspelt field shows as "unknown field" plus "missing field": report it once.
    suggested: set[Loc] = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            parent = _clean_loc(src, err["loc"][:-1])
            owner = _model_at(model, parent)
            for hint in difflib.get_close_matches(
                str(err["loc"][-1]), field_names(owner) if owner else [], n=1, cutoff=0.6
            ):
                suggested.add(parent + (hint,))
    errors = _prune_union_noise(src, errors)
    for err in errors:
        if err["type"] == "missing" and _clean_loc(src, err["loc"][:-1]) + (
            err["loc"][-1],
        ) in suggested:
            continue
        loc = _clean_loc(src, err["loc"])
        if err["type"] == "extra_forbidden":
            raw = err["loc"]
            key = raw[-1]
            parent = loc[:-1] if loc and loc[-1] == key else loc
            owner = _model_at(model, parent)
            names = field_names(owner) if owner else []
            hint = difflib.get_close_matches(str(key), names, n=1, cutoff=0.6)
            where = f" in {_dotted(parent)}" if parent else ""
            text = f"unknown field '{key}'{where}"
            if hint:
                text += f"; did you mean '{hint[0]}'?"
            elif names:
                text += f"; expected one of: {', '.join(names)}"
            p = src.problem(parent + (key,), text, key=True)
        elif err["type"] == "missing":
            field_name = err["loc"][-1]
            p = src.problem(loc, f"{_dotted(loc)}: missing required field '{field_name}'")
        else:
            if err["type"] == "literal_error" and isinstance(err.get("input"), str):
                choices = (err.get("ctx") or {}).get("expected", "")
                options = [c.strip().strip("'") for c in choices.replace(" or ", ",").split(",")]
                hint = difflib.get_close_matches(err["input"], options, n=1, cutoff=0.6)
                extra = f"; did you mean '{hint[0]}'?" if hint else ""
            else:
                extra = ""
            p = src.problem(loc, f"{_dotted(loc)}: {_describe(err)}{extra}")
        problems.setdefault((p.line, p.col, p.message), p)
    return sorted(problems.values(), key=lambda p: (p.line, p.col))


# ------------------------------------------------------------ cross-references


def _placeholder_problems(src: Source, loc: Loc, lines: Iterable[str]) -> list[Problem]:
    out = []
    for i, line in enumerate(lines):
        for m in PLACEHOLDER_RE.finditer(line):
            if m.group(1) not in PLACEHOLDERS:
                hint = difflib.get_close_matches(m.group(1), PLACEHOLDERS, n=1)
                dym = f"; did you mean '{{{hint[0]}}}'?" if hint else ""
                out.append(src.problem(loc + (i,), f"unknown placeholder {{{m.group(1)}}}{dym}"))
    return out


def _unknown(src: Source, loc: Loc, what: str, name: str, known: Iterable[str],
             *, key: bool = False) -> Problem:
    known = sorted(known)
    hint = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    text = f"unknown {what} '{name}'"
    text += f"; did you mean '{hint[0]}'?" if hint else (
        f"; known: {', '.join(known)}" if known else "")
    return src.problem(loc, text, key=key)


def persona_problems(src: Source, persona: Persona) -> list[Problem]:
    out = []
    for moment, lines in persona.lines.items():
        out += _placeholder_problems(src, ("lines", moment), lines)
    return out


def scenario_problems(
    src: Source, sc: Scenario, personas: dict[str, Persona]
) -> list[Problem]:
    """Checks pydantic cannot do alone: references between parts and files."""
    out: list[Problem] = []
    persona = personas.get(sc.persona)
    if persona is None:
        out.append(_unknown(src, ("persona",), "persona", sc.persona, personas))
    conv = sc.conversation
    states = conv.states
    if conv.start not in states:
        out.append(_unknown(src, ("conversation", "start"), "state", conv.start, states))
    elif states[conv.start].ending:
        out.append(src.problem(("conversation", "start"), "the start state cannot be an ending"))
    if not sc.endings():
        out.append(src.problem(("conversation", "states"), "no state has an `ending`"))
    get_ids = {g.id for g in sc.gets}
    for name, st in states.items():
        loc = ("conversation", "states", name)
        if st.moment and persona and st.moment not in persona.lines:
            out.append(_unknown(src, loc + ("moment",), f"moment of persona '{persona.id}'",
                                st.moment, persona.lines))
        out += _placeholder_problems(src, loc + ("say",), st.say)
        if st.exemplar:
            out += _placeholder_problems(src, loc + ("model_answer",), [st.exemplar])
        for move, lines in st.react.items():
            out += _placeholder_problems(src, loc + ("react", move), lines)
    for i, tr in enumerate(conv.transitions):
        loc = ("conversation", "transitions", i)
        for j, s in enumerate(tr.sources):
            sloc = loc + (("from", j) if isinstance(tr.from_, list) else ("from",))
            if s == "any":
                continue
            if s not in states:
                out.append(_unknown(src, sloc, "state", s, states))
            elif states[s].ending:
                out.append(src.problem(sloc, f"'{s}' is an ending: no transition can leave it"))
        if tr.to not in states:
            out.append(_unknown(src, loc + ("to",), "state", tr.to, states))
        for j, g in enumerate(tr.when.gets_asked):
            if g not in get_ids:
                out.append(_unknown(src, loc + ("when", "gets_asked", j), "get", g, get_ids))
        out += _placeholder_problems(src, loc + ("say",), tr.say)
    for kind, terms in (("gives", sc.gives), ("gets", sc.gets)):
        ids = [t.id for t in terms]
        for j, t in enumerate(terms):
            if ids.index(t.id) != j:
                out.append(src.problem((kind, j, "id"), f"duplicate {kind[:-1]} id '{t.id}'"))
    return out


# ------------------------------------------------------------ files and library


def _validate(src: Source, model: type[BaseModel]) -> tuple[Any, list[Problem]]:
    try:
        return model.model_validate(src.data), []
    except ValidationError as exc:
        return None, validation_problems(src, model, exc)


def _ignoring_unknown_fields(src: Source, model: type[BaseModel]) -> Any:
    """The file validated with its unknown fields left out, when those were its only
    format errors, so the reference checks still run and one run shows every problem (an
    unknown field no longer hides a bad moment or state name). None otherwise."""
    import copy

    try:
        model.model_validate(src.data)
        return None
    except ValidationError as exc:
        errors = exc.errors()
    if not errors or any(e["type"] != "extra_forbidden" for e in errors):
        return None
    data = copy.deepcopy(src.data)
    for err in errors:
        loc = _clean_loc(src, err["loc"])
        node: Any = data
        for part in loc[:-1]:
            node = node[part]
        if isinstance(node, dict) and loc and loc[-1] in node:
            del node[loc[-1]]
    try:
        return model.model_validate(data)
    except ValidationError:
        return None


Reader = Callable[[Path], tuple[Source | None, list[Problem]]]


def load_persona_file(path: Path, read: Reader = read_yaml
                      ) -> tuple[Persona | None, list[Problem], Source | None]:
    src, problems = read(path)
    if src is None:
        return None, problems, None
    persona, problems = _validate(src, Persona)
    if persona is not None:
        problems = persona_problems(src, persona)
    elif (partial := _ignoring_unknown_fields(src, Persona)) is not None:
        problems += persona_problems(src, partial)
    return persona, src.notes + problems, src


def yaml_files(folder: Path, problems: list[Problem] | None = None) -> list[Path]:
    """The persona/scenario files directly in `folder` (none when it does not exist). A
    folder that cannot be read (no permission, a symlink loop) is a problem, as is an
    entry that cannot be examined; neither hides the other files."""
    problems = problems if problems is not None else []
    try:
        entries = sorted(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        problems.append(Problem(display_path(folder), 0, 0,
                                f"cannot read this folder: {exc.strerror or exc}"))
        return []
    # Anything else named *.yaml is read: read_yaml reports a symlink loop, a broken link
    # or a device as a located problem instead of skipping it unseen.
    return [p for p in entries
            if p.suffix in (".yaml", ".yml") and not is_test_file(p) and not p.is_dir()]


def is_test_file(path: Path) -> bool:
    """Scenario tests (`*.test.yaml`) live beside scenarios but are not part of the library."""
    return path.name.endswith((".test.yaml", ".test.yml"))


def classify(path: Path, read: Reader = read_yaml) -> str:
    """'persona' or 'scenario', from the folder the file is in (or its fields)."""
    if path.parent.name == "personas":
        return "persona"
    if path.parent.name == "scenarios":
        return "scenario"
    src, _ = read(path)
    if src is not None and isinstance(src.data, dict) and "conversation" in src.data:
        return "scenario"
    return "persona"


#: Called with each persona or scenario as it joins the library, with the source it was
#: read from (so `lint` works from the same parse, and no source is kept for long).
Visit = Callable[["Library", Persona | Scenario, Source], None]


class _Collector:
    """The cyclic garbage collector, paused for a bulk load: it would otherwise walk the
    growing library again and again (about 40% of the time to load 1,000 scenarios). What
    a load makes is not cyclic garbage; collection resumes when it returns. A caller's
    `visit` is the caller's own work (lint's model checker makes cyclic garbage by the
    gigabyte over a large library), so it runs with the collector as the caller had it."""

    def __enter__(self) -> _Collector:
        self.paused = gc.isenabled()
        if self.paused:
            gc.disable()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.paused:
            gc.enable()

    def around(self, visit: Visit) -> Visit:
        """`visit`, run with the collector back on (when this paused it)."""

        def run(lib: Library, item: Persona | Scenario, src: Source) -> None:
            if not self.paused:
                return visit(lib, item, src)
            gc.enable()
            try:
                visit(lib, item, src)
            finally:
                gc.disable()

        return run


def load_library(
    dirs: Sequence[Path] | None = None, files: Sequence[Path] = (), *,
    cache: SourceCache | None = None, visit: Visit | None = None,
    only: Sequence[Path] | None = None,
) -> Library:
    """Load personas first (scenarios refer to them), then scenarios, from every folder.

    A folder may hold personas/ and scenarios/ subfolders, or YAML files directly
    (each classified by its fields). Extra single files may be given too. Each file is
    parsed once, or not at all when the cache (`SourceCache.default()` unless given)
    holds it unchanged. With `only`, just those scenario files are loaded (with every
    persona): what practising one scenario needs.
    """
    cache = cache if cache is not None else SourceCache.default()
    with _Collector() as collector:
        try:
            return _load(dirs, files, cache, collector.around(visit) if visit else None, only)
        finally:
            cache.flush()


def _load(dirs: Sequence[Path] | None, files: Sequence[Path], cache: SourceCache | None,
          visit: Visit | None, only: Sequence[Path] | None) -> Library:
    lib = Library()
    dirs = list(dirs) if dirs is not None else library_dirs()
    cache = cache if cache is not None else SourceCache.default()
    classified: dict[Path, tuple[Source | None, list[Problem]]] = {}

    def peek(path: Path) -> tuple[Source | None, list[Problem]]:
        classified[path] = cache.read(path)  # kept for `read`: one parse per file
        return classified[path]

    def read(path: Path) -> tuple[Source | None, list[Problem]]:
        return classified.pop(path) if path in classified else cache.read(path)

    def sort(path: Path) -> None:
        (scenario_paths if classify(path, peek) == "scenario" else persona_paths).append(path)

    persona_paths: list[Path] = []
    scenario_paths: list[Path] = []
    for d in dirs:
        try:
            there = d.exists()
        except OSError as exc:  # a name too long for the system, say
            lib.problems.append(Problem(display_path(d), 0, 0, f"cannot read: {exc.strerror or exc}"))
            continue
        if not there:
            lib.problems.append(Problem(display_path(d), 0, 0, "no such folder" if not
                                        d.is_symlink() else "symbolic link loop or broken link"))
            continue
        if not d.is_dir():
            files = [*files, d]
            continue
        persona_paths += yaml_files(d / "personas", lib.problems)
        scenario_paths += yaml_files(d / "scenarios", lib.problems)
        for p in yaml_files(d, lib.problems):
            sort(p)
    for p in files:
        sort(p)

    for path in persona_paths:
        persona, problems, src = load_persona_file(path, read)
        lib.problems += problems
        if persona is None or any(p.severity == "error" for p in problems):
            continue
        if persona.id in lib.personas:
            first = display_path(lib.files[f"persona:{persona.id}"])
            lib.problems.append(src.problem(("id",), f"duplicate persona id '{persona.id}' "
                                            f"(also in {first})"))
            continue
        lib.personas[persona.id] = persona
        lib.files[f"persona:{persona.id}"] = path
        cache.keep_validated(path, persona)  # (for practice straight in: see simulator.cache)
        if visit is not None:
            visit(lib, persona, src)

    if only is not None:
        wanted = {p.resolve() for p in only}
        names = {p.name for p in wanted}
        scenario_paths = [p for p in scenario_paths if p.name in names and p.resolve() in wanted]
    for path in scenario_paths:
        src, problems = read(path)
        if src is None:
            lib.problems += problems
            continue
        scenario, problems = _validate(src, Scenario)
        if scenario is not None:
            problems = scenario_problems(src, scenario, lib.personas)
        elif (partial := _ignoring_unknown_fields(src, Scenario)) is not None:
            problems += scenario_problems(src, partial, lib.personas)
        problems = src.notes + problems
        lib.problems += problems
        errors = [p for p in problems if p.severity == "error"]
        if scenario is None or errors:
            declared = src.data.get("id")
            if isinstance(declared, str) and errors:
                lib.broken.setdefault(declared, errors[0])
            continue
        if scenario.id in lib.scenarios:
            first = display_path(lib.files[f"scenario:{scenario.id}"])
            lib.problems.append(src.problem(("id",), f"duplicate scenario id '{scenario.id}' "
                                            f"(also in {first})"))
            continue
        lib.scenarios[scenario.id] = scenario
        lib.files[f"scenario:{scenario.id}"] = path
        cache.keep_validated(path, scenario)
        if visit is not None:
            visit(lib, scenario, src)
    return lib


__all__ = ["MOVES", "Library", "bundled_dir", "library_dirs", "load_library"]
