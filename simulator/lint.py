"""Warnings a validator cannot see: the shape of a scenario's conversation.

`validate` checks each file against its format and its references; `lint` checks
what the conversation can actually do once it runs. Every finding is a `Problem`
with severity "warning", located in the file when its `Source` is known.

What is checked (and how "reachable" is decided):

* The conversation is a graph: each transition is an edge from each of its
  sources to its destination, whatever its condition, except edges that can
  never fire: a condition that cannot hold (e.g. `at_most: {hold: -1}`, or
  `turns_at_least` above `turns_at_most`), or a move already taken by an earlier
  transition from the same state with no condition (transitions are tried in
  the order written, so the later one is shadowed).
* unreachable states, and endings no path reaches;
* states that are not endings and have no way out, or from which no ending can
  be reached;
* moves a state never handles: only when neither a transition that always
  fires on it, the state's `react` nor the persona has a line for it (the buyer
  would fall back to `on_other`); in practice this is `tell`, flagged only in
  scenarios that practise coaching (audience manager, or a coaching weight);
* `react` lines a state can never say (every transition on that move leaves);
* states a rep can be in (reachable, not endings) with no `model_answer`, the
  stronger answer the debrief shows under a weak response;
* persona moments no scenario using the persona ever says (library-wide);
* gets the scenario never rewards. A get counts when a condition names it
  (`gets_asked`) or counts gets (`gets_asked_at_least`), or when some reachable
  state has a transition naming `trade` with no `gets_asked` condition (any get
  asked for in return makes that trade; `move: any` does not count). So a
  scenario whose trades all ask for specific gets must name each get it lists;
* a scenario where the good path and the bad path end the same: no reachable
  ending is won, or every reachable ending is won;
* a won ending at a fixed price under the walk-away (never counted as won);
* ids across the library folders that differ only by '-' and '_', and scenarios
  sharing a title (exact duplicate ids are already errors when loading).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from simulator.errors import Problem, display_path
from simulator.loading import Library
from simulator.buyer import BUILTIN_MOMENTS
from simulator.checker import check
from simulator.model import MOVES, Condition, Persona, Scenario
from simulator.moves import BY_NAME
from simulator.yamlsrc import Loc, Source

_EMPTY = Condition()


@dataclass(frozen=True)
class Edge:
    """One source -> destination step of one transition, with the moves that can take it."""

    index: int  # position of the transition in `conversation.transitions`
    source: str
    dest: str
    moves: tuple[str, ...]  # the moves that can still fire it (not shadowed)
    shadowed: tuple[str, ...]  # moves an earlier unconditional transition always takes first
    when: Condition
    impossible: str | None  # why the condition can never hold, if it cannot

    @property
    def live(self) -> bool:
        return bool(self.moves) and self.impossible is None


def condition_text(when: Condition) -> str:
    """A condition in a few words, for diagrams and messages (empty when unconditional)."""
    parts: list[str] = []
    parts += [f"{m}>={n}" for m, n in when.at_least.items()]
    parts += [f"{m}<={n}" for m, n in when.at_most.items()]
    if when.turns_at_least is not None:
        parts.append(f"turns>={when.turns_at_least}")
    if when.turns_at_most is not None:
        parts.append(f"turns<={when.turns_at_most}")
    if when.offer_at_least is not None:
        parts.append(f"offer>={when.offer_at_least:g}")
    if when.offer_below is not None:
        parts.append(f"offer<{when.offer_below:g}")
    if when.offer_below_walk_away is not None:
        parts.append("offer<walk_away" if when.offer_below_walk_away else "offer>=walk_away")
    if when.offer_at_or_below_buyer is not None:
        parts.append("offer<=buyer" if when.offer_at_or_below_buyer else "offer>buyer")
    if when.revealed_at_least is not None:
        parts.append(f"revealed>={when.revealed_at_least}")
    parts += [f"asked {g}" for g in when.gets_asked]
    if when.gets_asked_at_least is not None:
        parts.append(f"gets>={when.gets_asked_at_least}")
    if when.patience_spent is not None:
        parts.append("patience spent" if when.patience_spent else "patience left")
    if when.chance is not None:
        parts.append(f"chance {when.chance:.0%}")
    return ", ".join(parts)


def impossible_reason(
    when: Condition, scenario: Scenario, persona: Persona | None = None
) -> str | None:
    """Why a condition can never hold, or None when it might."""
    money = scenario.money
    for m, n in when.at_most.items():
        if n < 0:
            return f"at_most.{m} is {n}, but counts start at 0"
        if m in when.at_least and when.at_least[m] > n:
            return f"at_least.{m} ({when.at_least[m]}) is above at_most.{m} ({n})"
    lo, hi = when.turns_at_least, when.turns_at_most
    if lo is not None and hi is not None and lo > hi:
        return f"turns_at_least ({lo}) is above turns_at_most ({hi})"
    if hi is not None:
        for m, n in when.at_least.items():
            if n > hi:
                return (f"at_least.{m} ({n}) needs more turns than turns_at_most ({hi}) allows "
                        "(a response counts each move once)")
    if when.offer_at_least is not None and when.offer_at_least > money.list_price:
        return (f"offer_at_least ({when.offer_at_least:g}) is above list_price "
                f"({money.list_price:g}); the offer only ever comes down")
    if when.offer_below is not None and when.offer_below <= 0:
        return "offer_below is not above 0"
    if (when.offer_below is not None and when.offer_at_least is not None
            and when.offer_at_least >= when.offer_below):
        return (f"offer_at_least ({when.offer_at_least:g}) is not below offer_below "
                f"({when.offer_below:g})")
    if not money.price_in_play:
        fixed = "with price_in_play: false the offer stays at list_price"
        if when.offer_below is not None and when.offer_below <= money.list_price:
            return f"offer_below ({when.offer_below:g}) can never hold: {fixed}"
        if when.offer_below_walk_away:
            return f"offer_below_walk_away: true can never hold: {fixed}"
        if when.offer_at_or_below_buyer and money.buyer_target < money.list_price:
            return f"offer_at_or_below_buyer: true can never hold: {fixed}"
    reveals = scenario.reveals if scenario.reveals is not None else (
        persona.reveals if persona is not None else None)
    if (when.revealed_at_least is not None and reveals is not None
            and when.revealed_at_least > len(reveals)):
        return (f"revealed_at_least ({when.revealed_at_least}) is more than the "
                f"{len(reveals)} reveal(s) there are")
    if persona is not None and when.patience_spent and hi is not None:
        patience = persona.temperament.patience
        if hi < patience:
            return (f"patience_spent needs {patience} idle turns (the persona's patience) "
                    f"but turns_at_most is {hi}")
    return None


def edges(scenario: Scenario, persona: Persona | None = None) -> list[Edge]:
    """Every edge of the conversation, in the order the buyer tries them."""
    out: list[Edge] = []
    open_moves: dict[str, set[str]] = defaultdict(lambda: set(MOVES))
    conv = scenario.conversation
    for i, spec in enumerate(conv.transitions):
        reason = impossible_reason(spec.when, scenario, persona)
        for src in conv.sources_of(spec):
            free = open_moves[src]
            moves = tuple(m for m in spec.moves if m in free)
            shadowed = tuple(m for m in spec.moves if m not in free)
            out.append(Edge(i, src, spec.to, moves, shadowed, spec.when, reason))
            if spec.when == _EMPTY and reason is None:
                free.difference_update(spec.moves)
    return out


def _closure(starts: Iterable[str], links: dict[str, set[str]]) -> set[str]:
    """Every state reachable from `starts` along `links` (breadth first)."""
    seen = set(starts)
    todo = deque(seen)
    while todo:
        for d in links[todo.popleft()]:
            if d not in seen:
                seen.add(d)
                todo.append(d)
    return seen


def reachable(scenario: Scenario, graph: Iterable[Edge]) -> set[str]:
    """States a conversation can get to from the start along edges that can fire."""
    nxt: dict[str, set[str]] = defaultdict(set)
    for e in graph:
        if e.live:
            nxt[e.source].add(e.dest)
    return _closure([scenario.conversation.start], nxt)


def _can_end(scenario: Scenario, graph: list[Edge]) -> set[str]:
    """States from which some ending can be reached."""
    prev: dict[str, set[str]] = defaultdict(set)
    for e in graph:
        if e.live:
            prev[e.dest].add(e.source)
    return _closure(scenario.endings(), prev)


class _Reporter:
    """Builds warnings located in the file when it is known."""

    def __init__(self, source: Source | None, fallback: str) -> None:
        self.source = source
        self.fallback = fallback
        self.found: list[Problem] = []

    def warn(self, loc: Loc, message: str, *, key: bool = False) -> None:
        if self.source is not None:
            p = self.source.problem(loc, message, key=key, severity="warning")
        else:
            p = Problem(self.fallback, 0, 0, message, "warning")
        self.found.append(p)


def _state_loc(name: str) -> Loc:
    return ("conversation", "states", name)


def _tr_loc(index: int) -> Loc:
    return ("conversation", "transitions", index)


def lint_scenario(
    scenario: Scenario, persona: Persona | None, source: Source | None = None
) -> list[Problem]:
    """Warnings about one scenario's conversation (see the module docstring)."""
    r = _Reporter(source, f"scenario '{scenario.id}'")
    conv = scenario.conversation
    states = conv.states
    endings = scenario.endings()
    graph = edges(scenario, persona)

    # Edges that can never fire.
    reported: set[int] = set()
    for e in graph:
        if e.impossible and e.index not in reported:
            reported.add(e.index)
            r.warn(_tr_loc(e.index) + ("when",),
                   f"this transition can never fire: {e.impossible}")
    by_index: dict[int, list[Edge]] = defaultdict(list)
    for e in graph:
        by_index[e.index].append(e)
    for i, group in by_index.items():
        if i in reported:
            continue
        if all(not e.moves for e in group):
            srcs = ", ".join(f"'{e.source}'" for e in group)
            r.warn(_tr_loc(i), f"this transition never fires: earlier transitions with no "
                   f"condition already take its move(s) from {srcs}")

    live = reachable(scenario, graph)
    incoming = {e.dest for e in graph}
    for name in states:
        if name in live:
            continue
        why = ("no transition leads to it" if name not in incoming
               else f"no path from the start state '{conv.start}' leads to it")
        kind = "ending" if name in endings else "state"
        r.warn(_state_loc(name), f"{kind} '{name}' is never reached: {why}", key=True)

    out_edges: dict[str, list[Edge]] = defaultdict(list)
    for e in graph:
        if e.live:
            out_edges[e.source].append(e)
    can_end = _can_end(scenario, graph)
    for name in states:
        if name not in live or name in endings:
            continue
        if not out_edges[name]:
            r.warn(_state_loc(name), f"state '{name}' is not an ending and has no way out: "
                   "a conversation that gets here can never finish", key=True)
        elif name not in can_end:
            r.warn(_state_loc(name), f"no ending can be reached from state '{name}': a "
                   "conversation that gets here can never finish", key=True)

    # States a rep can be in with no model answer: the debrief has nothing stronger to show.
    for name, st in states.items():
        if name in live and name not in endings and not st.exemplar:
            r.warn(_state_loc(name), f"state '{name}' has no model_answer: the debrief cannot "
                   "show how a strong rep might answer here", key=True)

    # React lines that can never be said (the move always leaves the state).
    for name, st in states.items():
        if name not in live or name in endings:
            continue
        leaves_always = {m for e in graph if e.source == name and e.live
                         and e.when == _EMPTY for m in e.moves}
        for move in st.react:
            if move in leaves_always:
                r.warn(_state_loc(name) + ("react", move), f"these lines are never said: "
                       f"'{move}' always leaves state '{name}'", key=True)

    _variants(scenario, persona, graph, live, r)
    _agreeing_lines(scenario, live, r)

    # Gets the scenario never rewards: no condition names or counts it, and no reachable
    # transition that names `trade` takes any get (one without a `gets_asked` condition).
    named = {g for t in conv.transitions for g in t.when.gets_asked}
    counted = any(t.when.gets_asked_at_least for t in conv.transitions)
    open_trade = {i for i, spec in enumerate(conv.transitions) if not spec.when.gets_asked
                  and "trade" in (spec.move if isinstance(spec.move, list) else [spec.move])}
    trades = any(e.live and e.index in open_trade and "trade" in e.moves and e.source in live
                 for e in graph)
    if not counted and not trades:
        for j, get in enumerate(scenario.gets):
            if get.id not in named:
                r.warn(("gets", j, "id"), f"get '{get.id}' is never rewarded: no condition "
                       "names it, and every reachable transition on `trade` asks for "
                       "other gets (or there is none)")

    # The good path and the bad path must end differently.
    reached = {n: e for n, e in endings.items() if n in live}
    if reached:
        if not any(e.won for e in reached.values()):
            r.warn(("conversation", "states"), "no reachable ending is won: the good path "
                   "ends the same as the bad one", key=True)
        elif all(e.won for e in reached.values()):
            r.warn(("conversation", "states"), "every reachable ending is won: the bad path "
                   "ends the same as the good one", key=True)
    for name, ending in endings.items():
        if ending.price not in ("offer", "none"):
            shown = ending.price if isinstance(ending.price, str) else f"{ending.price:g}"
            r.warn(_state_loc(name) + ("ending", "price"),
                   f"`price: {shown}` is read as `price: offer`: a deal closes at the rep's "
                   "standing offer (the lowest the rep offered, or a number the rep "
                   "accepted), never at a number the rep did not offer; write `price: offer`")

    # The model checker: what every sequence of moves can do within the turn budget.
    for f in check(scenario, persona):
        where = _state_loc(f.state) if f.state in states else ("conversation",)
        path = " -> ".join(f.path) if f.path else "(at the start)"
        r.warn(where, f"{f.message}; shortest path: {path}", key=True)
    return r.found


#: How many times a conversation is likely to hear one reaction in one state: a move that
#: makes no progress can be made until patience runs out; a productive one that keeps the
#: state, a few times before the rep tries something else.
LIKELY_PRODUCTIVE_VISITS = 3


def _variants(scenario: Scenario, persona: Persona | None, graph: list[Edge],
              live: set[str], r: _Reporter) -> None:
    """Warn where a state or a reaction has fewer lines than it is likely to be said.

    The buyer never says a line twice while a variant is unused; once every variant has
    been said, it repeats. A reaction draws on the state's `react`, the persona's
    `on_<move>` and the move's default (simulator/moves.py); a state's entry line on its
    `say` and `moment` lines, and is said again each time a transition without its own
    `say` enters the state again.
    """
    conv = scenario.conversation
    states = conv.states
    endings = scenario.endings()
    patience = persona.temperament.patience if persona is not None else 5
    for name, st in states.items():
        if name not in live or name in endings:
            continue
        leaves_always = {m for e in graph if e.source == name and e.live
                         and e.when == _EMPTY for m in e.moves}
        for move in MOVES:
            if move in leaves_always:
                continue
            lines = set(st.react.get(move, ())) | set(BY_NAME[move].reaction)
            if persona is not None:
                lines |= set(persona.lines.get(f"on_{move}", ()))
            likely = min(conv.turn_budget,
                         LIKELY_PRODUCTIVE_VISITS if BY_NAME[move].productive else patience)
            if len(lines) < likely:
                loc = (_state_loc(name) + ("react", move)) if move in st.react else \
                    _state_loc(name)
                r.warn(loc, f"the reaction to '{move}' in state '{name}' has {len(lines)} "
                       f"line(s) for about {likely} likely visits: add variants "
                       f"(`react: {{{move}: [...]}}` or the persona's on_{move})", key=True)
    # Entry lines of states a conversation can come back to.
    links = _links(graph)
    for name in live:
        if name in endings:
            continue
        again = any(e.live and e.dest == name and not conv.transitions[e.index].say
                    and e.source in _closure([name], links) for e in graph)
        st = states[name]
        lines = set(st.say) | (set(persona.lines.get(st.moment, ())) if persona and st.moment
                               else set())
        if again and len(lines) < 2:
            r.warn(_state_loc(name), f"state '{name}' can be entered again, but has "
                   f"{len(lines)} line to say on entering it: add a variant", key=True)


def _links(graph: list[Edge]) -> dict[str, set[str]]:
    nxt: dict[str, set[str]] = defaultdict(set)
    for e in graph:
        if e.live:
            nxt[e.source].add(e.dest)
    return nxt


#: A sentence that reads as closing a deal ("Deal.", "Agreed.", "It's a deal", "we have a
#: deal"); a question ("Do we have a deal?") asks rather than agrees.
_AGREES = re.compile(r"^\W*(?:deal|agreed|done)\b(?!-breaker)"
                     r"|\b(?:it'?s|that'?s) a deal\b|\bwe have a deal\b|\bwe'?re agreed\b"
                     r"|\bdeal\W*$|^\W*yes\W*$", re.I)
_SENTENCE = re.compile(r"[^.?!]+[.?!]*")


def _agrees(line: str) -> bool:
    return any(_AGREES.search(x.strip()) and not x.rstrip().endswith("?")
               for x in _SENTENCE.findall(line))


def _agreeing_lines(scenario: Scenario, live: set[str], r: _Reporter) -> None:
    """Warn where a line that agrees to a deal is said where the outcome records none:
    in a state that is not a deal ending, or in an ending without a price."""
    conv = scenario.conversation
    for name, st in conv.states.items():
        if name not in live:
            continue
        e = st.ending
        if e is not None and e.status in ("deal", "retained") and e.price != "none":
            continue
        if e is None and not scenario.money.price_in_play:
            continue  # no deal to agree to: "done" is just done
        pools: list[tuple[Loc, list[str]]] = [(_state_loc(name) + ("say",), list(st.say))]
        pools += [(_state_loc(name) + ("react", m), list(v)) for m, v in st.react.items()]
        for loc, lines in pools:
            for i, line in enumerate(lines):
                if _agrees(line):
                    what = "an ending with no deal" if e is not None else "a state that is " \
                        "not a deal ending"
                    r.warn(loc + (i,), f"this line reads as agreeing to a deal, but is said "
                           f"in {what} ('{name}'): the outcome would not record it")


def _normal(identifier: str) -> str:
    return identifier.replace("_", "").replace("-", "")


def _source(library: Library, key: str) -> Source | None:
    """A file's source again (from the cache when unchanged): only for a warning's location."""
    from simulator.cache import SourceCache

    path = library.files.get(key)
    return SourceCache.default().read(path)[0] if path is not None else None


class LintCache:
    """Each scenario's warnings kept between runs, so an unchanged library is not model
    checked again (about a quarter of a second a scenario). One JSON entry in the cache
    folder (`simulator.catalog.cache_dir`; none when the cache is off) maps each scenario
    file's absolute path to its warnings under a key of the file's content hash, its
    persona as loaded and the working folder (warnings name files relative to it); the
    entry as a whole is keyed by Shadowbox's version and the size and modification time
    of every file of its code. Any difference, and that scenario is linted again. As
    every cache entry: JSON, never pickle; one of any other shape is ignored."""

    FORMAT = 1

    def __init__(self, folder: Path | None) -> None:
        self.file = folder / "lint.json" if folder is not None else None
        self.entries: dict[str, list] | None = None  # read on first use
        self.changed = False
        self._personas: dict[int, str] = {}

    @classmethod
    def default(cls) -> LintCache:
        from simulator.catalog import cache_dir

        return cls(cache_dir())

    @staticmethod
    def stamp() -> list:
        """Shadowbox's version, this format, and the size and mtime of every file of the
        package (lint reads the buyer, the moves, the scorer's lexicon...)."""
        import simulator

        root = Path(simulator.__file__).parent
        stamp: list = [simulator.__version__, LintCache.FORMAT]
        for folder, subdirs, names in sorted(os.walk(root)):
            subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
            for name in sorted(names):
                st = os.stat(os.path.join(folder, name))
                stamp.append([os.path.relpath(os.path.join(folder, name), root),
                              st.st_size, st.st_mtime_ns])
        return stamp

    def _read(self) -> dict[str, list]:
        if self.entries is None:
            self.entries = {}
            try:
                stored = json.loads(self.file.read_bytes())
                if isinstance(stored, dict) and stored.get("stamp") == self.stamp() \
                        and isinstance(stored.get("entries"), dict):
                    self.entries = stored["entries"]
            except (OSError, ValueError, RecursionError, TypeError):
                pass
        return self.entries

    def key(self, path: Path, persona: Persona | None) -> list | None:
        """The key of a scenario file's warnings; None when it cannot be read."""
        try:
            digest = hashlib.blake2b(Path(path).read_bytes()).hexdigest()
        except OSError:
            return None
        if persona is None:
            who = ""
        elif id(persona) in self._personas:
            who = self._personas[id(persona)]
        else:
            who = self._personas[id(persona)] = hashlib.blake2b(
                persona.model_dump_json().encode()).hexdigest()
        return [digest, who, os.getcwd()]

    def get(self, path: Path, key: list) -> list[Problem] | None:
        entry = self._read().get(os.path.abspath(path))
        try:
            if isinstance(entry, list) and len(entry) == 2 and entry[0] == key:
                return [Problem.from_dict(p) for p in entry[1]]
        except (ValueError, TypeError):
            pass
        return None

    def put(self, path: Path, key: list, problems: list[Problem]) -> None:
        self._read()[os.path.abspath(path)] = [key, [p.to_dict() for p in problems]]
        self.changed = True

    def save(self) -> None:
        """Write the entry when anything changed (files gone since are left out)."""
        if self.file is None or not self.changed:
            return
        from simulator.catalog import write_entry

        entries = {path: e for path, e in self._read().items() if os.path.exists(path)}
        write_entry(self.file, json.dumps({"stamp": self.stamp(), "entries": entries},
                                          ensure_ascii=False, separators=(",", ":")))
        self.changed = False


def lint_visit(found: dict[str, list[Problem]],
               cache: LintCache | None = None) -> Callable[..., None]:
    """A `load_library(visit=...)` that lints each scenario from the source it loaded from
    (or takes its warnings from `cache`, when the file and its persona are unchanged)."""

    def visit(library: Library, item: Persona | Scenario, source: Source) -> None:
        if not isinstance(item, Scenario):
            return
        persona = library.personas.get(item.persona)
        path = library.files[f"scenario:{item.id}"]
        key = cache.key(path, persona) if cache is not None and cache.file else None
        if key is not None and (kept := cache.get(path, key)) is not None:
            found[item.id] = kept
            return
        found[item.id] = lint_scenario(item, persona, source)
        if key is not None:
            cache.put(path, key, found[item.id])

    return visit


def lint_library(library: Library,
                 linted: Mapping[str, list[Problem]] | None = None) -> list[Problem]:
    """Every lint warning of every scenario and persona that loaded, sorted by file.

    `linted` holds scenarios already linted while loading (see `lint_visit`); the others
    are linted here, reading their source again.
    """
    found: list[Problem] = []
    for sc in library.scenarios.values():
        if linted is not None and sc.id in linted:
            found += linted[sc.id]
            continue
        persona = library.personas.get(sc.persona)
        found += lint_scenario(sc, persona, _source(library, f"scenario:{sc.id}"))

    # Persona moments that no scenario using the persona ever says.
    users: dict[str, list[Scenario]] = defaultdict(list)
    for sc in library.scenarios.values():
        users[sc.persona].append(sc)
    for pid, persona in library.personas.items():
        if pid not in users:
            continue
        said = {st.moment for sc in users[pid] for st in sc.conversation.states.values()}
        unused = [m for m in persona.lines if not m.startswith("on_") and m not in said
                  and m not in BUILTIN_MOMENTS]
        if unused:
            r = _Reporter(_source(library, f"persona:{pid}"), f"persona '{pid}'")
            for m in unused:
                r.warn(("lines", m), f"lines '{m}' are never said: no state of "
                       f"{', '.join(sorted(s.id for s in users[pid]))} uses "
                       f"`moment: {m}`", key=True)
            found += r.found

    # Persona reactions that read as agreeing to a deal, in scenarios with a price: said
    # after "Do we have a deal?" where no transition closes it, the outcome records none.
    for pid, persona in library.personas.items():
        if not any(sc.money.price_in_play for sc in users.get(pid, ())):
            continue
        r = _Reporter(_source(library, f"persona:{pid}"), f"persona '{pid}'")
        for key, lines in persona.lines.items():
            if not key.startswith("on_"):
                continue
            for i, line in enumerate(lines):
                if _agrees(line):
                    r.warn(("lines", key, i), "this reaction reads as agreeing to a deal "
                           "(\"Do we have a deal?\" \"Yes.\"), but a reaction keeps the "
                           "conversation going: the outcome would not record a deal")
        found += r.found

    # Ids that differ only by '-' and '_', and scenarios sharing a title.
    for kind, table in (("scenario", library.scenarios), ("persona", library.personas)):
        groups: dict[str, list[str]] = defaultdict(list)
        for i in table:
            groups[_normal(i)].append(i)
        for ids in groups.values():
            for other in ids[1:]:
                r = _Reporter(_source(library, f"{kind}:{other}"), f"{kind} '{other}'")
                r.warn(("id",), f"{kind} id '{other}' is easy to confuse with '{ids[0]}' "
                       f"({display_path(library.files[f'{kind}:{ids[0]}'])})")
                found += r.found
    titles: dict[str, str] = {}
    for sc in library.scenarios.values():
        first = titles.setdefault(sc.title.casefold(), sc.id)
        if first != sc.id:
            r = _Reporter(_source(library, f"scenario:{sc.id}"), f"scenario '{sc.id}'")
            r.warn(("title",), f"scenario '{sc.id}' has the same title as '{first}'")
            found += r.found
    return sorted(found, key=lambda p: (p.path, p.line, p.col, p.message))


__all__ = ["Edge", "LintCache", "condition_text", "edges", "impossible_reason", "lint_library",
           "lint_scenario", "lint_visit", "reachable"]
