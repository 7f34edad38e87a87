"""A model checker for a scenario's conversation: what every sequence of moves can do.

`lint` asks it three questions, each answered with the shortest sequence of moves that
shows the problem:

* a livelock: a moment the conversation can reach (within the turn budget) from which no
  sequence of good moves leaves the state: productive play goes round in it, changing
  nothing that matters, until patience or the turn budget ends the conversation;
* a state from which the playbook's good moves cannot reach a won ending (and the start,
  if good moves need more turns than the budget to win from it);
* a sequence of the playbook's bad moves alone that reaches a won ending within the budget.

It explores the buyer as `simulator.buyer.Buyer` runs it, over abstract turns: each rep
turn makes one move (the good, bad and neutral moves of `simulator.moves`); a trade or
an ask asks for one of the scenario's gets (each is tried); an open question uncovers the
next hidden need (once all are said, it is not progress); a concession brings the offer down to the
walk-away (the most a bad move can keep); a `chance` condition may go either way. A node
is (state, the counts conditions read, capped where conditions stop telling them apart,
counts since entering the state, needs uncovered, gets asked, idle turns), and a
breadth-first search with memoisation visits each node once, at the fewest turns it
can be reached in; nodes the budget would close first are not reported.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from simulator.model import Condition, Persona, Scenario
from simulator.moves import BAD, BY_NAME, GOOD, MOVES, PRODUCTIVE

#: Stop exploring past this many nodes (a scenario this large is reported as too big).
MAX_NODES = 400_000


class Node(NamedTuple):
    """One moment of the abstract conversation (a tuple: fast to hash)."""

    state: str
    counts: tuple[int, ...]  # per tracked move, capped
    here: tuple[int, ...]  # per tracked move since entering the state, capped
    here_turns: int
    revealed: int
    gets: frozenset[str]
    idle: int
    conceded: bool
    turns: int  # capped; 0 unless a condition reads turns since the start


@dataclass(frozen=True)
class Finding:
    """One problem the checker found, with the shortest sequence of moves to it."""

    kind: str  # "livelock", "good_cannot_win", "bad_wins", "too_big"
    state: str
    path: tuple[str, ...]
    message: str


def _step_label(move: str, get: str | None) -> str:
    return f"{move}({get})" if get else move


class Checker:
    """The abstract buyer of one scenario."""

    def __init__(self, scenario: Scenario, persona: Persona | None) -> None:
        self.sc = scenario
        conv = scenario.conversation
        self.conv = conv
        self.budget = conv.turn_budget
        self.patience = persona.temperament.patience if persona is not None else 5
        reveals = scenario.reveals if scenario.reveals is not None else (
            persona.reveals if persona is not None else [])
        self.n_reveals = len(reveals)
        # Gets a condition names are told apart; the rest only add to the count of gets.
        named = {g for t in conv.transitions for g in t.when.gets_asked}
        self.named_gets = tuple(g.id for g in scenario.gets if g.id in named)
        self.other_gets = tuple(g.id for g in scenario.gets if g.id not in named)
        # The others count only up to the most any condition asks for (none: not at all).
        self.gets_cap = max((t.when.gets_asked_at_least or 0 for t in conv.transitions), default=0)
        self.endings = scenario.endings()
        caps: dict[str, int] = {}
        here_caps: dict[str, int] = {}
        self.here_turn_cap = 0
        self.turn_cap = 0
        for t in conv.transitions:
            w = t.when
            table = here_caps if w.since == "state" else caps
            for m, n in w.at_least.items():
                table[m] = max(table.get(m, 0), n)
            for m, n in w.at_most.items():
                table[m] = max(table.get(m, 0), n + 1)
            for n in (w.turns_at_least, w.turns_at_most):
                if n is not None:
                    if w.since == "state":
                        self.here_turn_cap = max(self.here_turn_cap, n + 1)
                    else:
                        self.turn_cap = max(self.turn_cap, n + 1)
        # Concessions and stalls are always counted: the earned ending reads them.
        self.tracked = tuple(m for m in MOVES if m in caps)
        self.caps = tuple(caps[m] for m in self.tracked)
        self.here_tracked = tuple(m for m in MOVES if m in here_caps)
        self.here_caps = tuple(here_caps[m] for m in self.here_tracked)
        self.track_idx = {m: i for i, m in enumerate(self.tracked)}
        self.here_idx = {m: i for i, m in enumerate(self.here_tracked)}
        self.no_here = (0,) * len(self.here_tracked)
        self.tried = {m: (m,) + ((BY_NAME[m].legacy,) if BY_NAME[m].legacy else ())
                      for m in MOVES}
        money = scenario.money
        self.list_price = money.list_price
        self.walk_away = money.walk_away
        self.buyer_target = money.buyer_target
        # For each (state, move), the transitions that may take it, in the order tried.
        # Transitions that fire only once patience is spent: the buyer closing, never a way
        # out that play earned.
        self.by_patience = {j for j, t in enumerate(conv.transitions) if t.when.patience_spent}
        self.cands: dict[tuple[str, str], list[tuple[int, Callable, str]]] = {}
        for j, t in enumerate(conv.transitions):
            holds = self._compile(t.when)
            for src in conv.sources_of(t):
                for m in t.moves:
                    self.cands.setdefault((src, m), []).append((j, holds, t.to))

    # ------------------------------------------------------------ one turn

    def start(self) -> Node:
        return Node(self.conv.start, (0,) * len(self.tracked), (0,) * len(self.here_tracked),
                    0, 0, frozenset(), 0, False, 0)

    def _compile(self, w: Condition) -> Callable[..., bool | None]:
        """A condition as a closure over the node's parts; None means chance decides."""
        table = self.here_tracked if w.since == "state" else self.tracked
        lows = tuple((table.index(m), k) for m, k in w.at_least.items())
        highs = tuple((table.index(m), k) for m, k in w.at_most.items())
        here = w.since == "state"
        offer_ok = {}
        for conceded in (False, True):
            offer = self.walk_away if conceded else self.list_price
            offer_ok[conceded] = not (
                (w.offer_at_least is not None and offer < w.offer_at_least)
                or (w.offer_below is not None and not offer < w.offer_below)
                or (w.offer_below_walk_away is not None
                    and (offer < self.walk_away) != w.offer_below_walk_away)
                or (w.offer_at_or_below_buyer is not None
                    and (offer <= self.buyer_target) != w.offer_at_or_below_buyer))
        t_lo, t_hi, rev = w.turns_at_least, w.turns_at_most, w.revealed_at_least
        named, n_gets, spent = frozenset(w.gets_asked), w.gets_asked_at_least, w.patience_spent
        chance = None if w.chance is not None else True
        patience = self.patience

        def holds(counts, here_counts, here_turns, turns, revealed, gets, idle, conceded):
            c = here_counts if here else counts
            t = here_turns if here else turns
            for i, k in lows:
                if c[i] < k:
                    return False
            for i, k in highs:
                if c[i] > k:
                    return False
            if (t_lo is not None and t < t_lo) or (t_hi is not None and t > t_hi):
                return False
            if not offer_ok[conceded]:
                return False
            if rev is not None and revealed < rev:
                return False
            if named and not named <= gets:
                return False
            if n_gets is not None and len(gets) < n_gets:
                return False
            if spent is not None and (idle >= patience) != spent:
                return False
            return chance

        return holds

    def successors(self, n: Node, move: str, get: str | None) -> list[str | Node]:
        """The nodes one rep turn can lead to (a str is an ending closed by patience:
        never a win)."""
        counts, here = n.counts, n.here
        i = self.track_idx.get(move)
        if i is not None:
            counts = counts[:i] + (counts[i] + 1,) + counts[i + 1:]
        i = self.here_idx.get(move)
        if i is not None:
            here = here[:i] + (here[i] + 1,) + here[i + 1:]
        revealed = n.revealed + (1 if move == "open_question" and n.revealed < self.n_reveals
                                 else 0)
        gets = n.gets | {get} if get and (get in self.named_gets or len(n.gets) < self.gets_cap) \
            else n.gets
        # An open question once every need is said is not progress (Buyer.respond).
        hollow = move == "open_question" and self.n_reveals > 0 and n.revealed >= self.n_reveals
        idle = 0 if move in PRODUCTIVE and not hollow else min(n.idle + 1, self.patience)
        conceded = n.conceded or move == "concede"
        turns = min(n.turns + 1, self.turn_cap)
        here_turns = min(n.here_turns + 1, self.here_turn_cap)
        args = (counts, here, here_turns, turns, revealed, gets, idle, conceded)
        capped = tuple(min(v, c) for v, c in zip(counts, self.caps, strict=True))
        out: list[str | Node] = []

        def finish(dest: str | None) -> None:
            if dest is not None:
                out.append(Node(dest, capped, self.no_here, 0, revealed, gets, idle,
                                conceded, turns))
            elif idle >= self.patience:
                out.append("patience")  # the buyer closes, on a lost ending
            else:
                h = tuple(min(v, c) for v, c in zip(here, self.here_caps, strict=True))
                out.append(Node(n.state, capped, h, here_turns, revealed, gets, idle,
                                conceded, turns))

        def walk(start: int, options: tuple[str, ...]) -> None:
            while options:
                for j, holds, to in self.cands.get((n.state, options[0]), ()):
                    if j < start:
                        continue
                    ok = holds(*args)
                    if ok is False:
                        continue
                    if j in self.by_patience:
                        out.append("patience")  # the buyer closes, on a lost ending
                    else:
                        finish(to)
                    if ok is None:  # chance: it may also not fire
                        walk(j + 1, options)
                    return
                options = options[1:]
                start = 0
            finish(None)

        walk(0, self.tried[move])
        return out

    def choices(self, n: Node, moves: tuple[str, ...]) -> Iterator[tuple[str, str | None]]:
        """Each move, and for a trade or an ask each get it may ask for: every named get,
        the next of the others while their count can still matter to a condition (they are
        alike to every condition), or one that changes nothing (already asked, or past
        counting)."""
        for m in moves:
            if m in ("trade", "ask") and (self.named_gets or self.other_gets):
                for g in self.named_gets:
                    yield m, g
                fresh = [g for g in self.other_gets if g not in n.gets]
                if fresh and len(n.gets) < self.gets_cap:
                    yield m, fresh[0]
                elif self.other_gets or n.gets:
                    yield m, None
            else:
                yield m, None

    # ------------------------------------------------------------ the search

    def explore(self, moves: tuple[str, ...]) -> tuple[dict, dict, bool]:
        """Breadth-first over `moves` from the start. Every count is capped, so the nodes
        are finitely many and the search visits them all (depth is the fewest turns to
        reach one; the budget decides which matter). Returns each node's (parent, step,
        depth) for paths, its edges per step, and whether the search was cut."""
        start = self.start()
        # Good moves first, so of equally short paths the one shown plays well; a move the
        # scenario never names (it acts as its legacy move) after the moves it does name.
        rank = {"good": 0, "neutral": 1, "bad": 2}
        named = {m for t in self.conv.transitions
                 for m in ([t.move] if isinstance(t.move, str) else t.move) if m != "any"}
        moves = tuple(sorted(moves, key=lambda m: (rank[BY_NAME[m].kind],
                                                   m not in named and BY_NAME[m].legacy is not None)))
        parent: dict[Node, tuple[Node | None, str | None, int]] = {start: (None, None, 0)}
        edges: dict[Node, list[tuple[str, str | Node]]] = {}
        todo = deque([start])
        cut = False
        while todo:
            n = todo.popleft()
            depth = parent[n][2]
            if n.state in self.endings:
                continue
            out = []
            for m, g in self.choices(n, moves):
                label = _step_label(m, g)
                for nxt in self.successors(n, m, g):
                    out.append((label, nxt))
                    if isinstance(nxt, Node) and nxt not in parent:
                        parent[nxt] = (n, label, depth + 1)
                        todo.append(nxt)
                        if len(parent) > MAX_NODES:
                            cut = True
                            todo.clear()
                            break
            edges[n] = out
        return parent, edges, cut

    @staticmethod
    def path(parent: dict, n: Node) -> tuple[str, ...]:
        steps = []
        while parent[n][0] is not None:
            prev, label, _ = parent[n]
            steps.append(label)
            n = prev
        return tuple(reversed(steps))

    def check(self) -> list[Finding]:
        found: list[Finding] = []
        parent, edges, cut = self.explore(MOVES)
        if cut:
            return [Finding("too_big", self.conv.start, (), f"the conversation has more than "
                            f"{MAX_NODES:,} distinct moments within the turn budget; the model "
                            "checker stopped (fewer counted moves or lower thresholds help)")]
        good = set(GOOD)
        # Fewest good moves to a won ending, from every node (backwards from the wins).
        back: dict[Node, list[Node]] = {}
        wins: list[Node] = []
        for n, out in edges.items():
            for label, nxt in out:
                if label.split("(")[0] in good and isinstance(nxt, Node):
                    back.setdefault(nxt, []).append(n)
        for n in parent:
            e = self.endings.get(n.state)
            if e is not None and e.won:
                wins.append(n)
        dist = _backwards(wins, back)
        # Nodes from which good moves can leave their state; the others are livelocked:
        # good play goes round in the one state (an open question asked once all is said
        # only runs the buyer's patience down, which is no way out).
        exits = [n for n, out in edges.items()
                 if any(lbl.split("(")[0] in good and isinstance(x, Node) and x.state != n.state
                        for lbl, x in out)]
        can_leave = _backwards(exits, back)
        reported: set[tuple[str, str]] = set()
        start = self.start()
        if dist.get(start, self.budget + 1) > self.budget:
            reported.add(("good_cannot_win", start.state))
            far = "cannot reach a won ending" if start not in dist else \
                f"need {dist[start]} turns to reach a won ending"
            found.append(Finding("good_cannot_win", start.state, (),
                                 f"from the start, good moves {far}, and the turn budget "
                                 f"is {self.budget}"))
        for n in sorted(parent, key=lambda n: parent[n][2]):
            if n.state in self.endings:
                continue
            depth = parent[n][2]
            if depth >= self.budget:
                continue  # the budget closes the conversation before it gets here
            # Livelock: whatever good moves are made, the conversation stays in this state.
            if n not in can_leave:
                if ("livelock", n.state) not in reported:
                    reported.add(("livelock", n.state))
                    found.append(Finding(
                        "livelock", n.state, self.path(parent, n),
                        f"livelock in state '{n.state}': no sequence of good moves ("
                        + ", ".join(GOOD) + ") leaves it; only patience or the turn budget "
                        "ends the conversation"))
                continue
            if n not in dist and ("good_cannot_win", n.state) not in reported:
                reported.add(("good_cannot_win", n.state))
                found.append(Finding(
                    "good_cannot_win", n.state, self.path(parent, n),
                    f"from state '{n.state}' good moves ({', '.join(GOOD)}) cannot reach "
                    "a won ending"))
        # Bad moves alone that win.
        bparent, _, _ = self.explore(BAD)
        for n in sorted(bparent, key=lambda n: bparent[n][2]):
            e = self.endings.get(n.state)
            if e is not None and e.won and bparent[n][2] <= self.budget:
                found.append(Finding("bad_wins", n.state, self.path(bparent, n),
                                     f"bad moves alone ({', '.join(BAD)}) reach the won "
                                     f"ending '{n.state}'"))
                break
        return found


def _backwards(targets: list[Node], back: dict[Node, list[Node]]) -> dict[Node, int]:
    """Fewest good moves from each node to one of `targets` (breadth first, backwards)."""
    dist = {n: 0 for n in targets}
    todo = deque(targets)
    while todo:
        n = todo.popleft()
        for p in back.get(n, ()):
            if p not in dist:
                dist[p] = dist[n] + 1
                todo.append(p)
    return dist


def check(scenario: Scenario, persona: Persona | None) -> list[Finding]:
    """Every finding of the model checker for one scenario (see the module docstring)."""
    return Checker(scenario, persona).check()


__all__ = ["Checker", "Finding", "check"]
