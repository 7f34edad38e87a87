"""Prefiltered regular expressions: skip a pattern when text lacks every literal it needs.

Python's `re` tries a big case-insensitive alternation at every position, which costs about
a microsecond per character per pattern. Most sentences cannot match most rules, so each
pattern gets a set of literal words extracted from its own syntax tree: at least one of
them must occur in any match. A plain substring test on the lower-cased text (fast, in C)
decides whether the regex runs at all. Extraction is conservative: if some branch has no
required literal, the pattern always runs.
"""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

try:  # Python 3.11+
    from re import _constants as _sre_c  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_MIN = 2
# Words so common that a literal made of them filters nothing.
_COMMON = frozenset(
    "a an the to of on in at by for and or no not is it if i we you can do so be as up my our your "
    "with that this will would could me us go get".split()
)


def _weight(lit: str) -> int:
    core = lit.strip()
    if core in _COMMON:
        return 1
    return len(core) + (3 if " " in core else 0)


def _best(options: list[frozenset[str]]) -> frozenset[str] | None:
    """Of several sufficient literal sets, the most selective (rarest weakest literal)."""
    if not options:
        return None
    return max(options, key=lambda s: (min(_weight(x) for x in s), -len(s)))


def _seq(items) -> frozenset[str] | None:
    """Required-literal disjunction for a sequence of parsed items."""
    options: list[frozenset[str]] = []
    run = ""
    for op, av in items:
        if op is _sre_c.LITERAL:
            run += chr(av).lower()
            continue
        if len(run) >= _MIN:
            options.append(frozenset([run]))
        run = ""
        sub = _node(op, av)
        if sub is not None:
            options.append(sub)
    if len(run) >= _MIN:
        options.append(frozenset([run]))
    return _best(options)


def _node(op, av) -> frozenset[str] | None:
    if op is _sre_c.SUBPATTERN:
        return _seq(av[-1])
    if op is _sre_c.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            b = _seq(branch)
            if b is None:
                return None
            out |= b
        return frozenset(out)
    if op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT, getattr(_sre_c, "POSSESSIVE_REPEAT", None)):
        lo, _hi, item = av
        if lo >= 1:
            return _seq(item)
        return None
    return None


def _has_upper(items) -> bool:
    """Does the parsed pattern contain an upper-case literal (so it needs re.I)?"""
    for op, av in items:
        if op is _sre_c.LITERAL and chr(av) != chr(av).lower():
            return True
        if op is _sre_c.IN:
            for iop, iav in av:
                if iop is _sre_c.LITERAL and chr(iav) != chr(iav).lower():
                    return True
                if iop is _sre_c.RANGE and any(chr(c) != chr(c).lower() for c in range(iav[0], iav[1] + 1)):
                    return True
        elif op is _sre_c.BRANCH:
            if any(_has_upper(b) for b in av[1]):
                return True
        elif op is _sre_c.SUBPATTERN:
            if _has_upper(av[-1]):
                return True
        elif op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT, _sre_c.ASSERT, _sre_c.ASSERT_NOT):
            if _has_upper(av[-1] if op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT) else av[1]):
                return True
    return False


def required_literals(pattern: str) -> frozenset[str] | None:
    """Literals (lower case) of which every match contains at least one; None if unknown."""
    try:
        parsed = _sre_parse.parse(pattern, re.I)
    except Exception:  # pragma: no cover - only our own patterns come here
        return None
    return _seq(list(parsed))


def _trie_regex(words: set[str]) -> str:
    """One regex matching any of `words`, shaped as a trie (each position tries a few
    first characters instead of every word), longest alternative first."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        end = "" in node
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if end else body

    return emit(trie)


class _Literals:
    """Every literal of every prefilter, found in one pass over a response."""

    def __init__(self) -> None:
        self.words: set[str] = set()
        self.ids: frozenset[int] = frozenset()
        self.rx: re.Pattern[str] | None = None
        self.prefixes: dict[str, tuple[str, ...]] = {}

    def add(self, pid: int, lits: frozenset[str]) -> None:
        self.ids = self.ids | {pid}  # a new set: scopes keep the one they started with
        if not lits <= self.words:
            self.words = self.words | lits
            self.rx = None

    def present(self, low: str) -> set[str]:
        """Every literal occurring in `low`: the longest at each position in one pass of
        a trie-shaped regex, plus the literals that are prefixes of it."""
        rx, pre = self.rx, self.prefixes
        if rx is None:
            with _LOCK:
                if self.rx is None:
                    ws = self.words
                    self.prefixes = {w: tuple(w[:i] for i in range(1, len(w)) if w[:i] in ws) for w in ws}
                    self.rx = re.compile("(?=(" + _trie_regex(ws) + "))")
                rx, pre = self.rx, self.prefixes
        longest = set(rx.findall(low))
        out = set(longest)
        for w in longest:
            out.update(pre[w])
        return out


_LITERALS = _Literals()
_PENDING: list["Rx"] = []  # patterns made but not compiled yet
# First use may come from two threads at once (the app warms the scorer in a worker while
# another scores): compiling, and building the literal prefilter, happen under one lock.
_LOCK = threading.RLock()


def compile_all() -> None:
    """Compile every pattern made so far (the first scope does this, so that the literal
    prefilter knows every pattern's literals before the first response is read). A pattern
    leaves the pending list only once compiled, so another thread that finds the list
    empty finds every pattern ready."""
    with _LOCK:
        while _PENDING:
            _PENDING[-1].compile()
            _PENDING.pop()


class Lazy:
    """`re.compile(pattern, flags)` on first use. After that its methods are the compiled
    pattern's own, so a call costs what a compiled pattern's does."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern  # readable without compiling (patterns are built from others)
        self.flags_given = flags

    def __getattr__(self, name: str):
        rx = re.compile(self.__dict__["pattern"], self.__dict__["flags_given"])
        for n in ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "flags", "groups", "groupindex"):
            setattr(self, n, getattr(rx, n))
        return getattr(rx, name)


def lazy(pattern: str, flags: int = 0) -> Lazy:
    """A pattern compiled when first used, not when its module is imported."""
    return Lazy(pattern, flags)


class _Scope:
    """The response being scored: which prefilter literals occur in it.

    Rules run a pattern on many pieces of one response (sentences, clauses, windows). A
    literal absent from the whole response is absent from every piece, so the literals
    are found once per response and each pattern's check is narrowed to its literals
    that are really there (often none, so the regex is skipped at once).

    Narrowing further to each sentence and its neighbours (done until round five) cost
    more than it saved once the checks were inlined: about 5% slower at 2,000 characters.
    """

    __slots__ = ("ids", "found", "present")

    def __init__(self, ids: frozenset[int], found: frozenset[str]) -> None:
        self.ids = ids
        self.found = found
        self.present: dict[Rx, frozenset[str]] = {}


_SCOPE: ContextVar[_Scope | None] = ContextVar("shadowbox_scoring_scope", default=None)


@contextmanager
def scope(text: str, *variants: str) -> Iterator[None]:
    """Narrow every pattern's prefilter to `text` (and rewritten `variants` of it, such as
    the text with stutters removed) while scoring it. Pieces passed to the patterns inside
    must be taken from these strings."""
    if _PENDING:
        compile_all()
    low = text.lower()
    found = _LITERALS.present(low)
    for v in variants:
        v = v.lower()
        if v != low and v not in low:
            found |= _LITERALS.present(v)
    token = _SCOPE.set(_Scope(_LITERALS.ids, frozenset(found)))
    try:
        yield
    finally:
        _SCOPE.reset(token)


def lower_exact(text: str) -> str | None:
    """`text.lower()` when matching it without re.I finds exactly what matching `text`
    with re.I finds (same offsets; an ASCII-lower-case pattern), else None. That holds
    unless lower-casing changes the length ("İ") or the text has one of the two letters
    that re.I equates with an ASCII letter but that lower-case to themselves ("ı", "ſ");
    checked over every code point."""
    low = text.lower()
    if len(low) != len(text) or "\u0131" in text or "\u017f" in text:
        return None
    return low


class Rx:
    """A compiled pattern with a literal prefilter. Pass the lower-cased text as `low`."""

    __slots__ = ("rx", "rx_low", "lits", "pattern", "flags", "ready")

    def __init__(self, pattern: str, flags: int = re.I) -> None:
        # Compiled on first use (or when the first response is scored, for every pattern
        # at once): importing the scorer compiles nothing.
        self.pattern = pattern
        self.flags = flags
        self.ready = False
        _PENDING.append(self)

    def compile(self) -> None:
        """Compile the pattern, its lower-case twin and its literal prefilter."""
        with _LOCK:
            if not self.ready:
                self._compile()

    def _compile(self) -> None:
        pattern, flags = self.pattern, self.flags
        self.rx = re.compile(pattern, flags)
        self.lits = required_literals(pattern)
        if self.lits:
            _LITERALS.add(id(self), self.lits)
        # Matching lower-cased text without re.I is about twice as fast in `re`.
        try:
            upper = _has_upper(list(_sre_parse.parse(pattern, flags)))
        except Exception:  # pragma: no cover
            upper = True
        self.rx_low = re.compile(pattern, flags & ~re.I) if (flags & re.I and not upper) else None
        self.ready = True

    def _subject(self, text: str, low: str) -> tuple[re.Pattern[str], str] | None:
        """The compiled pattern and the string to run it on, or None when the literal
        prefilter (narrowed to the literals present in the current scope) rules it out.
        Matching the lower-cased copy without re.I is about twice as fast in `re`."""
        if not self.ready:
            self.compile()
        lits = self.lits
        if lits is not None:
            sc = _SCOPE.get()
            if sc is not None:
                present = sc.present.get(self)
                if present is None:
                    present = sc.present[self] = (lits & sc.found) if id(self) in sc.ids else lits
                if not present:
                    return None
                lits = present
            for lit in lits:
                if lit in low:
                    break
            else:
                return None
        if self.rx_low is not None and len(low) == len(text) and "\u0131" not in text and "\u017f" not in text:
            return self.rx_low, low  # the lower_exact() conditions
        return self.rx, text

    def ruled_out(self) -> bool:
        """Does no literal of the pattern occur in the response being scored (the current
        scope)? Then every call on any piece of it finds nothing, and a rule that loops
        over many patterns (the gets) can leave this one out for the whole response."""
        if not self.ready:
            self.compile()
        if self.lits is None:
            return False
        sc = _SCOPE.get()
        if sc is None:
            return False
        present = sc.present.get(self)
        if present is None:
            present = sc.present[self] = (self.lits & sc.found) if id(self) in sc.ids else self.lits
        return not present

    def may(self, low: str) -> bool:
        """Can the pattern match `low` (lower-cased text inside the current scope)?"""
        return self._subject(low, low) is not None

    # Matches from the lower-cased copy have the same offsets; their group() text is lower
    # case, so callers slice the original text for evidence.
    def finditer_low(self, text: str, low: str) -> Iterator[re.Match[str]]:
        """finditer for a caller that already holds `low = text.lower()`."""
        subject = self._subject(text, low)
        return _NONE if subject is None else subject[0].finditer(subject[1])

    def search_low(self, text: str, low: str) -> re.Match[str] | None:
        """search for a caller that already holds `low = text.lower()`."""
        subject = self._subject(text, low)
        return None if subject is None else subject[0].search(subject[1])

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.finditer_low(text, text.lower())

    def search(self, text: str) -> re.Match[str] | None:
        subject = self._subject(text, text.lower())
        return None if subject is None else subject[0].search(subject[1])

    def match(self, text: str) -> re.Match[str] | None:
        subject = self._subject(text, text.lower())
        return None if subject is None else subject[0].match(subject[1])


_NONE: Iterator[re.Match[str]] = iter(())  # an exhausted iterator: shared, never yields
