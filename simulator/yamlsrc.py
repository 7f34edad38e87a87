"""Safe YAML reading that remembers where every key and value came from.

The document is composed by libyaml (PyYAML's CSafeLoader; a file it refuses is read
again by the pure-Python SafeLoader, whose messages are the ones reported) and then
walked by hand, so that: every value's 1-based line and column is kept (for `path:line:col`
errors); aliases are refused (no alias bombs, no shared objects); duplicate
keys are reported instead of silently dropped; mapping keys stay strings
(`on:` is not turned into True); and no tag beyond the safe core schema is
ever constructed. Nothing in a file is executed.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from simulator.errors import Problem, display_path
from simulator.safetext import has_control, printable

#: Files larger than this are refused before they are read.
MAX_BYTES = 1_000_000
#: Deeper nesting than this is refused (no legitimate file comes close).
MAX_DEPTH = 40
#: More values (keys, items, scalars) than this are refused as they are met: the biggest
#: bundled scenario has under 500, and reading 250,000 one-letter items took 8 s.
MAX_NODES = 20_000

Loc = tuple[str | int, ...]


@dataclass
class Source:
    """A parsed file: its data, and the position of every key and value in it."""

    path: str
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    #: Warnings found while reading (control characters, shown escaped).
    notes: list[Problem] = field(default_factory=list)

    def where(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """The position of `loc`, or of its nearest known ancestor."""
        table = self.keys if key else self.values
        loc = tuple(loc)
        while loc:
            if loc in table:
                return table[loc]
            if not key and loc in self.keys:
                return self.keys[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))

    def problem(self, loc: Loc, message: str, *, key: bool = False, severity="error") -> Problem:
        line, col = self.where(loc, key=key)
        return Problem(self.path, line, col, message, severity)


class _YamlProblem(Exception):
    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def _too_many(mark: yaml.Mark) -> _YamlProblem:
    return _YamlProblem(mark.line + 1, mark.column + 1,
                        f"more than {MAX_NODES:,} values (keys, items and scalars); "
                        "Shadowbox files have a few hundred")


def _count_nodes(text: str) -> None:
    """Refuse a file with more than MAX_NODES values before either loader composes it:
    libyaml's events are counted (20,000 take milliseconds), up to the limit or the first
    error, which the loaders below then report."""
    if _CLoader is None or len(text) <= MAX_NODES:
        return  # every value takes a character at least: a shorter file is not parsed twice
    nodes = 0
    try:
        for event in yaml.parse(text, Loader=_CLoader):
            if isinstance(event, yaml.NodeEvent):
                nodes += 1
                if nodes > MAX_NODES:
                    raise _too_many(event.start_mark)
    except yaml.YAMLError:
        return


class _Loader(yaml.SafeLoader):
    """PyYAML's SafeLoader, refusing deep nesting as its scanner meets it: the scanner's
    work per token grows with the flow depth, so 10,000 `[` (20 KB) took 20 s and 1 MB
    hours before any later check could run. Here the 41st level stops it at once, and the
    node past MAX_NODES stops it too (for text libyaml gave up on before counting it)."""

    nodes = 0

    def _deeper(self) -> None:
        if self.flow_level >= MAX_DEPTH or len(self.indents) >= MAX_DEPTH:
            mark = self.get_mark()
            raise _YamlProblem(mark.line + 1, mark.column + 1,
                               f"nesting deeper than {MAX_DEPTH} levels")

    def fetch_flow_collection_start(self, TokenClass) -> None:  # noqa: N803 (PyYAML's name)
        self._deeper()
        super().fetch_flow_collection_start(TokenClass)

    def add_indent(self, column: int) -> bool:
        self._deeper()
        return super().add_indent(column)

    def compose_node(self, parent, index):
        """Refuse an alias where it is met, in the one pass that composes the file (no
        alias bomb is ever expanded, and no second parse just to look for aliases)."""
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise _YamlProblem(mark.line + 1, mark.column + 1,
                               "YAML aliases (*name) are not supported; write the value out")
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _too_many(self.peek_event().start_mark)
        return super().compose_node(parent, index)


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _empty(node: yaml.Node) -> bool:
    """A value left out (`a:` or `{a: }`): libyaml and PyYAML may mark it a column apart."""
    return isinstance(node, yaml.ScalarNode) and node.value == "" and not node.style


class _Walker:
    def __init__(self, loader: yaml.SafeLoader, src: Source, *, fast: bool = False) -> None:
        self.loader = loader
        self.src = src
        self.seen: set[int] = set()
        self.fast = fast  # libyaml: refuse what its marks may place differently

    def walk(self, node: yaml.Node, loc: Loc, depth: int = 0) -> Any:
        if id(node) in self.seen:
            raise _YamlProblem(*_pos(node), "YAML aliases (*name) are not supported; write it out")
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _YamlProblem(*_pos(node), f"nesting deeper than {MAX_DEPTH} levels")
        # A block mapping or list starts on the line after its key: point at the key.
        container = isinstance(node, (yaml.MappingNode, yaml.SequenceNode))
        self.src.values[loc] = self.src.keys.get(loc, _pos(node)) if container else _pos(node)
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                raise _YamlProblem(*_pos(node), f"unsupported tag {node.tag}")
            out: dict[str, Any] = {}
            for knode, vnode in node.value:
                if knode.tag == "tag:yaml.org,2002:merge":
                    raise _YamlProblem(*_pos(knode), "YAML merge keys (<<) are not supported")
                if not isinstance(knode, yaml.ScalarNode):
                    raise _YamlProblem(*_pos(knode), "mapping keys must be plain words")
                key = self.text(knode, str(knode.value))
                if key in out:
                    first = self.src.keys[loc + (key,)]
                    raise _YamlProblem(
                        *_pos(knode), f"duplicate key '{key}' (first at line {first[0]})"
                    )
                if self.fast and _empty(vnode) and (node.flow_style
                                                    or vnode.start_mark.line != knode.end_mark.line):
                    raise _YamlProblem(*_pos(vnode), "an empty value libyaml marks elsewhere")
                self.src.keys[loc + (key,)] = _pos(knode)
                out[key] = self.walk(vnode, loc + (key,), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise _YamlProblem(*_pos(node), f"unsupported tag {node.tag}")
            return [self.walk(v, loc + (i,), depth + 1) for i, v in enumerate(node.value)]
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise _YamlProblem(*_pos(node), _first_line(exc)) from None
        return self.text(node, value) if isinstance(value, str) else value

    def text(self, node: yaml.Node, value: str) -> str:
        """A string from the file, its control characters (a quoted "\\e[2J") made visible
        escapes, with a warning: file text is shown, never obeyed by a terminal."""
        if not has_control(value):
            return value
        self.src.notes.append(Problem(self.src.path, *_pos(node),
                                      "control character in text (shown escaped): "
                                      f"{printable(value)[:60]}", "warning"))
        return printable(value)


def _first_line(exc: Exception) -> str:
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    text = problem or str(exc)
    if context and problem:
        text = f"{context}: {problem}"
    return " ".join(str(text).split())


#: libyaml's loader, when PyYAML was built with it (the wheels are): same nodes, same marks.
_CLoader = getattr(yaml, "CSafeLoader", None)


def _fast(shown: str, text: str) -> Source | None:
    """The file read by libyaml, or None if it has any problem at all.

    A file that fails here is read again by the pure-Python loader, whose messages
    (and alias pre-pass) are the ones reported, so libyaml only ever answers for a
    clean file. Text with characters PyYAML's reader refuses goes straight there too,
    and so does a left-out value that libyaml may mark a column away from PyYAML.
    """
    if _CLoader is None or "\t" in text or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None  # (PyYAML refuses some tabs that libyaml takes)
    src = Source(shown, None)
    loader = _CLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        src.data = _Walker(loader, src, fast=True).walk(node, ())
    except (_YamlProblem, yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()
    return src if isinstance(src.data, dict) else None


def read_yaml(path: Path) -> tuple[Source | None, list[Problem]]:
    """Read one YAML file. Returns the source, or None and the problems that stopped it."""
    shown = display_path(path)

    def fail(message: str, line: int = 0, col: int = 0) -> tuple[None, list[Problem]]:
        return None, [Problem(shown, line, col, message)]

    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            return fail("is a directory, not a YAML file")
        if not stat.S_ISREG(info.st_mode):  # a FIFO would wait forever, /dev/zero never ends
            return fail("not a regular file")
        if info.st_size > MAX_BYTES:
            return fail(f"file is {info.st_size / 1e6:.1f} MB; Shadowbox files must be under "
                        "1 MB")
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)  # the bytes actually read are bounded, not st_size
        if len(raw) > MAX_BYTES:
            return fail("file is larger than 1 MB; Shadowbox files must be under 1 MB")
    except FileNotFoundError:
        return fail("no such file" if not path.is_symlink() else "broken symbolic link")
    except OSError as exc:
        return fail(f"cannot read: {exc.strerror or exc}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return fail("not UTF-8 text (is this a YAML file?)", line, 1)
    if "\x00" in text:
        return fail("binary data, not a YAML file")
    if not text.strip():
        return fail("file is empty", 1, 1)
    try:
        _count_nodes(text)
    except _YamlProblem as exc:
        return fail(exc.message, exc.line, exc.col)
    src = _fast(shown, text)
    if src is not None:
        return src, []
    # libyaml refused it: the pure-Python loader reads it again to say where and why.
    src = Source(shown, None)
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return fail("file has no content (only comments?)", 1, 1)
        src.data = _Walker(loader, src).walk(node, ())
    except _YamlProblem as exc:
        return fail(exc.message, exc.line, exc.col)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return fail(f"not valid YAML: unprintable character #x{exc.character:04x}", line, col)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return fail(f"not valid YAML: {_first_line(exc)}", line, col)
    except yaml.YAMLError as exc:
        return fail(f"not valid YAML: {_first_line(exc)}")
    except RecursionError:
        return fail("nesting too deep")
    finally:
        if loader is not None:
            loader.dispose()
    if not isinstance(src.data, dict):
        kind = type(src.data).__name__
        return fail(f"expected a mapping of fields at the top level, found {kind}", 1, 1)
    return src, []
