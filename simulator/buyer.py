"""The scripted buyer: a `transitions` state machine built from a validated scenario.

The triggers are the rep's moves. Conditions are closures built here from the
scenario's `when:` data (a fixed set of checks), never names resolved by
`transitions`, so nothing in a YAML file can name code to run. The deal (the
rep's standing offer and the buyer's number) moves by the rules in
`Deal.apply`, driven by the persona's temperament.
"""

from __future__ import annotations

import logging
import math
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from transitions import EventData, Machine

from simulator.money import format_money
from simulator.moves import BY_NAME, PRODUCTIVE, moves_of
from simulator.scoring import Score
from simulator.shapes import PLACEHOLDER_RE

if TYPE_CHECKING:  # (validated models or their records: simulator.shapes)
    from simulator.model import Condition, Ending, Persona, Reveal, Scenario, TransitionSpec

# transitions logs at INFO on every event; a buyer is not worth a log line per turn.
logging.getLogger("transitions").setLevel(logging.WARNING)

__all__ = ["PRODUCTIVE", "Buyer", "Deal", "Progress", "Reply", "moves_of"]

#: The persona's moment said first when the turn budget or patience closes the conversation.
OUT_OF_TIME_MOMENT = "out_of_time"
#: What a buyer says first when the turn budget or its patience closes the conversation
#: (a persona's own `out_of_time` lines come first).
OUT_OF_TIME = (
    "We've been at this long enough. Let me tell you where I've landed.",
    "I have to stop here. This is where I am.",
    "Let's call it. Here's where we've got to.",
)

#: The persona's moment for an open question asked once every need has been said.
ALL_TOLD_MOMENT = "all_told"
#: What a buyer says to an open question once every need has been said (a persona's own
#: `all_told` lines come first): nothing is left to uncover, so it hands the turn back.
ALL_TOLD = (
    "I think you've heard the whole story now. What would you suggest?",
    "That's really everything on my side. So what do you propose?",
    "I've told you what I know. Where do we go from here?",
    "There isn't more to it than what I've said. What would you do with that?",
    "You've got the picture. The question is what you can do about it.",
)
#: The persona's moment said before a need that the rep had already put forward as an offer.
YOUR_IDEA_MOMENT = "your_idea"
#: What a buyer says before a need that names what the rep offered earlier ("just the loans
#: team" after the rep proposed a loans-team start): it credits the idea, never claims it.
YOUR_IDEA = (
    "You said it yourself a minute ago.",
    "That's close to what you put to me earlier.",
    "You were on to something before.",
)
#: Persona moments the buyer says by itself, whatever the scenario's states name.
BUILTIN_MOMENTS = (OUT_OF_TIME_MOMENT, ALL_TOLD_MOMENT, YOUR_IDEA_MOMENT)
#: What a buyer says to small talk: a polite word, and back to business.
NOTHING_NEW = (
    "Ha, yes. Anyway.",
    "Fine, thanks. So, where were we?",
    "Mm. Shall we get on with it?",
    "Sure. Anyway, you called about the deal.",
    "Right. Let's keep going, shall we?",
)


@dataclass
class Deal:
    """The money on the table, per unit."""

    currency: str
    list_price: float
    walk_away: float
    target: float
    offer: float
    buyer_number: float
    floor: float
    in_play: bool = True

    @classmethod
    def of(cls, scenario: Scenario, target: float | None = None,
           walk_away: float | None = None) -> Deal:
        """The opening deal; the rep's plan (target, walk-away) overrides the scenario's."""
        m = scenario.money
        return cls(
            currency=m.currency,
            list_price=m.list_price,
            walk_away=walk_away if walk_away is not None else m.walk_away,
            target=target if target is not None else m.rep_target,
            offer=m.list_price,
            buyer_number=m.buyer_target,
            floor=max(0.0, m.buyer_target - (m.list_price - m.buyer_target)),
            in_play=m.price_in_play,
        )

    def apply(self, score: Score, moves: tuple[str, ...], push: float, give: float) -> float:
        """Move the deal for one response; returns the size of the rep's concession."""
        if not self.in_play:
            return 0.0
        conceded = 0.0
        named = score.named_price
        if "withdraw" in moves and "concede" not in moves and "trade" not in moves:
            # "Forget the price", "version five was a mistake": the proposal is off the table,
            # so the standing offer is the list price again until the rep names another.
            self.offer = self.list_price
        if named is not None and ("concede" in moves or "trade" in moves):
            if 0 < named < self.offer:
                conceded = self.offer - named
                self.offer = named
        step = 0.02 * self.list_price
        before = self.buyer_number
        if conceded and self.offer <= before + 1e-9 and "stall" not in moves:
            # The rep came down to the number the buyer asked for (or below): the buyer
            # takes it there, rather than asking for more ("$7.80 or you're out." "OK,
            # $7.80." is a deal at $7.80, never "what's the real number?"). A number only
            # floated past someone else ("let me take $7.80 to my boss") is not agreed yet.
            self.buyer_number = self.offer
            self.offer = round(self.offer, 2)
            return conceded
        if "concede" in moves:
            self.buyer_number -= push * max(conceded, step)
        elif "stall" in moves:
            self.buyer_number -= push * step
        elif "hold" in moves or "trade" in moves:
            self.buyer_number += give * (self.offer - self.buyer_number)
        # A buyer names round numbers: $7.90 or $8.05 on $8.50 (never $8.01), $42.50 on $46,
        # $2,350 on $2,400, $54,500 on $60,000.
        step = 5 * 10.0 ** (math.floor(math.log10(self.list_price / 2)) - 2)
        # Rounded the way it moved, so a buyer who hardens asks for less, however little.
        to_step = math.floor if self.buyer_number < before - 1e-9 else round
        number = round(to_step(self.buyer_number / step + 1e-9) * step, 2)
        self.buyer_number = min(max(number, round(self.floor, 2)), self.offer)
        self.offer = round(self.offer, 2)
        return conceded

    def close(self) -> float:
        """A deal is struck: at the rep's standing offer, the lowest the rep offered since the
        last proposal was withdrawn (a number the rep accepted became the offer). The
        buyer's number meets it, so the closing line says the price the outcome records."""
        self.buyer_number = self.offer
        return self.offer

    def snapshot(self) -> dict:
        return {"offer": self.offer, "buyer_number": self.buyer_number}


@dataclass
class Progress:
    """What has happened so far, for conditions and the scorecard."""

    counts: Counter = field(default_factory=Counter)
    turns: int = 0
    idle: int = 0
    here: Counter = field(default_factory=Counter)  # move counts since entering the state
    here_turns: int = 0
    productive_turns: int = 0
    revealed: list[str] = field(default_factory=list)
    gets: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Reply:
    """The buyer's answer to one rep response."""

    text: str
    state: str
    moves: tuple[str, ...]
    fired: str | None  # the move whose transition fired, or None when the state stayed
    revealed: Reveal | None
    ending: Ending | None
    cause: str | None = None  # "budget" or "patience" when the buyer closed it for that


class _Model:
    """The object `transitions` decorates; only `state` and the move triggers live here."""

    state: str



def fill_line(line: str, scenario: Scenario, persona: Persona, deal: Deal) -> str:
    """Fill a line's {placeholders} from a deal (an allow-list, never format()): the
    buyer's lines in a conversation, a drill's moments (simulator.session.Setting)."""
    m = scenario.money
    cur = m.currency
    values = {
        "list_price": format_money(m.list_price, cur),
        "offer": format_money(deal.offer, cur),
        "buyer_number": format_money(deal.buyer_number, cur),
        "competitor_price": format_money(m.competitor_price, cur),
        "walk_away": format_money(deal.walk_away, cur),
        "target": format_money(deal.target, cur),
        "unit": m.unit,
        "name": persona.name,
        "company": persona.company,
        "rep_company": scenario.rep_company,
    }
    return PLACEHOLDER_RE.sub(lambda mt: values.get(mt.group(1), mt.group(0)), line)


class Buyer:
    """One buyer in one conversation."""

    def __init__(self, scenario: Scenario, persona: Persona, rng: random.Random, *,
                 deal: Deal | None = None) -> None:
        self.scenario = scenario
        self.persona = persona
        self.rng = rng
        self.deal = deal or Deal.of(scenario)
        self.progress = Progress()
        self.reveals: list[Reveal] = list(
            scenario.reveals if scenario.reveals is not None else persona.reveals
        )
        self._fired: TransitionSpec | None = None
        self._said: dict[str, int] = {}  # line template -> the buyer line it was last said in
        self._lines = 0
        self._rep: list[str] = []  # the rep's responses so far
        self.last_line = ""
        self._requested = tuple(tuple(g.phrases) + (g.name,) for g in scenario.gives
                                if g.requested)
        conv = scenario.conversation
        self.model = _Model()
        self.machine = Machine(
            model=self.model,
            states=list(conv.states),
            initial=conv.start,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=True,
        )
        for spec in conv.transitions:
            check = self._condition(spec.when)
            mark = self._marker(spec)
            for move in spec.moves:
                self.machine.add_transition(
                    trigger=move,
                    source=list(conv.sources_of(spec)),
                    dest=spec.to,
                    conditions=[check],
                    after=[mark],
                )
        self._to_end = _distances_to_endings(scenario)

    # ---------------------------------------------------------------- conditions

    def _condition(self, when: Condition) -> Callable[[EventData], bool]:
        """A closure over the condition's data; the only code a condition can run."""
        p, d = self.progress, self.deal
        here = when.since == "state"

        def check(_event: EventData) -> bool:
            counts = p.here if here else p.counts
            turns = p.here_turns if here else p.turns
            if any(counts[m] < n for m, n in when.at_least.items()):
                return False
            if any(counts[m] > n for m, n in when.at_most.items()):
                return False
            if when.turns_at_least is not None and turns < when.turns_at_least:
                return False
            if when.turns_at_most is not None and turns > when.turns_at_most:
                return False
            if when.offer_at_least is not None and d.offer < when.offer_at_least:
                return False
            if when.offer_below is not None and not d.offer < when.offer_below:
                return False
            if when.offer_below_walk_away is not None and (
                (d.offer < d.walk_away) != when.offer_below_walk_away
            ):
                return False
            if when.offer_at_or_below_buyer is not None and (
                (d.offer <= d.buyer_number) != when.offer_at_or_below_buyer
            ):
                return False
            if when.revealed_at_least is not None and len(p.revealed) < when.revealed_at_least:
                return False
            if any(g not in p.gets for g in when.gets_asked):
                return False
            if when.gets_asked_at_least is not None and len(p.gets) < when.gets_asked_at_least:
                return False
            if when.patience_spent is not None and (
                (p.idle >= self.persona.temperament.patience) != when.patience_spent
            ):
                return False
            if when.chance is not None and self.rng.random() >= when.chance:
                return False
            return True

        return check

    def _marker(self, spec: TransitionSpec) -> Callable[[EventData], None]:
        def mark(_event: EventData) -> None:
            self._fired = spec

        return mark

    # ---------------------------------------------------------------- lines

    @property
    def state(self) -> str:
        return self.model.state

    @property
    def ending(self) -> Ending | None:
        return self.scenario.conversation.states[self.state].ending

    def fill(self, line: str) -> str:
        """Fill a line's {placeholders} from the deal as it stands."""
        return fill_line(line, self.scenario, self.persona, self.deal)

    def _pick(self, *tiers: list[str]) -> str:
        """One line from the first tier that has a line not yet said in this conversation.

        No line is said twice while a variant is unused; once every line of every tier has
        been said, the one said longest ago in the first non-empty tier comes back.
        """
        self._lines += 1
        tiers = tuple(t for t in tiers if t)
        line = None
        for tier in tiers:
            fresh = [ln for ln in dict.fromkeys(tier) if ln not in self._said]
            if fresh:
                line = self.rng.choice(fresh)
                break
        if line is None:
            pool = list(dict.fromkeys(tiers[0]))
            line = min(pool, key=lambda ln: self._said[ln])
        self._said[line] = self._lines
        return self.fill(line)

    def _state_lines(self, name: str) -> list[str]:
        st = self.scenario.conversation.states[name]
        lines = list(st.say)
        if st.moment:
            lines += self.persona.lines[st.moment]
        return lines

    def state_line(self, name: str) -> str:
        return self._pick(self._state_lines(name))

    def opening(self) -> str:
        self.last_line = self.state_line(self.state)
        return self.last_line

    def reaction_tiers(self, state: str, move: str) -> list[list[str]]:
        """Where a reaction to `move` in `state` comes from, first choice first: the
        state's `react`, the persona's `on_<move>`, then the default of simulator/moves.py."""
        st = self.scenario.conversation.states[state]
        return [list(st.react.get(move, ())), list(self.persona.lines.get(f"on_{move}", ())),
                list(BY_NAME[move].reaction)]

    def _reaction(self, move: str) -> str:
        return self._pick(*self.reaction_tiers(self.state, move))

    def _reveal(self, text: str) -> Reveal | None:
        hidden = [r for r in self.reveals if r.id not in self.progress.revealed]
        if not hidden:
            return None
        lowered = text.lower()
        words = topic_words(text)
        for r in hidden:
            if any(on_topic(k, lowered, words) for k in r.keywords):
                return r
        if words & SMALL_TALK:
            return None  # small talk ("how was the drive in?") uncovers nothing
        # Else the need the question shares most words with ("what did operations say it
        # would fix?" hears "...that's why operations wanted you"), and failing any, the
        # next in the order written: asked "what's on your mind?", a buyer says what is.
        asked = words - _QUESTION_WORDS
        best, shared = max(((r, len(asked & topic_words(r.text))) for r in hidden), key=lambda x: x[1])
        return best if shared else hidden[0]

    def _offered_before(self, reveal: Reveal) -> bool:
        """Does this need name one of the scenario's gives that the rep already put forward in
        an earlier response ("how about just the loans team first?")?"""
        said = " ".join(r.lower() for r in self._rep[:-1])
        text = reveal.text.lower()
        for g in self.scenario.gives:
            phrases = [ph.lower() for ph in g.phrases if ph]
            if any(ph in text for ph in phrases) and any(ph in said for ph in phrases):
                return True
        return False

    # ---------------------------------------------------------------- a turn

    def _proposal(self) -> bool:
        """Did the buyer's last line propose a deal at the rep's standing offer?"""
        st = self.scenario.conversation.states[self.state]
        if st.proposal:
            return True
        if not self.deal.in_play:
            return False
        line = self.last_line
        return "?" in line and format_money(self.deal.offer, self.deal.currency) in line

    def moves(self, score: Score) -> tuple[str, ...]:
        """The moves a scored response makes here (see simulator/moves.py)."""
        proposal = self._proposal()
        moves = moves_of(score, earlier=self._rep, proposal=proposal,
                         requested=self._requested,
                         offer=self.deal.offer if self.deal.in_play else None)
        if "ask" in moves and "trade" not in moves and proposal and self.progress.counts["trade"]:
            # With the rep's package on the table, asking for one more get adds to it ("Only
            # one more thing: a meeting with your engineers"): a trade, not an ask with
            # nothing given ("What's in it for me?").
            moves = tuple("trade" if m == "ask" else m for m in moves)
        return moves

    def _earned(self, good: bool, *, deal_ok: bool, with_deal: bool = False) -> str | None:
        """The ending to close on: the nearest one from here of the kind the rep has
        earned (won for good play, lost otherwise). A lost ending that records a deal is
        taken only if `deal_ok` (the rep has offered a lower price); else the buyer walks
        to a lost ending without one, if any can be reached, and failing all those to the
        nearest ending of any kind."""
        reach = self._to_end.get(self.state, {})
        if not reach:
            return None
        endings = self.scenario.endings()

        def deal(n: str) -> bool:
            return endings[n].price != "none" and endings[n].status in ("deal", "retained")

        if with_deal:  # only an ending that records the deal, of the kind earned, will do
            reach = {n: k for n, k in reach.items() if deal(n) and endings[n].won == good}
            if not reach:
                return None
        if good:
            pools = [[n for n in reach if endings[n].won]]
        else:
            lost = [n for n in reach if not endings[n].won]
            pools = [lost if deal_ok else [n for n in lost if not deal(n)], lost]
        pool = next((p for p in pools if p), list(reach))
        return min(pool, key=lambda n: (reach[n], list(endings).index(n)))

    def earned_good(self) -> bool:
        """Has the play so far earned a good ending? Most turns made progress and
        nothing was given away."""
        p = self.progress
        return p.productive_turns * 2 >= p.turns and p.counts["concede"] == 0 \
            and p.counts["stall"] == 0 and p.counts["tell"] == 0

    def respond(self, score: Score) -> Reply:
        """React to one scored rep response: move the deal, the counts and the state."""
        if self.ending is not None:
            raise RuntimeError("the conversation has ended")
        moves = self.moves(score)
        self._rep.append(score.text)
        t = self.persona.temperament
        if "repeat" not in moves:
            self.deal.apply(score, moves, t.push, t.give)
        p = self.progress
        p.turns += 1
        p.here_turns += 1
        p.counts.update(moves)
        p.here.update(moves)
        revealed = self._reveal(score.text) if "open_question" in moves else None
        # An open question that uncovers nothing (small talk, or asked once every need has
        # been said) is not progress by itself: the buyer has asked for a proposal.
        hollow = revealed is None and bool(self.reveals)
        productive = any(m in PRODUCTIVE and not (hollow and m == "open_question") for m in moves)
        p.idle = 0 if productive else p.idle + 1
        p.productive_turns += productive
        if "repeat" not in moves:
            for g in (*score.gets, *score.asks):
                if g not in p.gets:
                    p.gets.append(g)
        if revealed is not None:
            p.revealed.append(revealed.id)  # so `revealed_at_least` counts this answer

        self._fired = None
        fired_move = None
        events = self.machine.events
        tried = list(moves) + [BY_NAME[m].legacy for m in moves if BY_NAME[m].legacy]
        for move in dict.fromkeys(tried):
            if move in events and self.model.trigger(move):
                fired_move = move
                break
        cause = None
        if self._fired is not None:
            p.here.clear()
            p.here_turns = 0
        if self.ending is None:
            causes = []
            if (self.deal.in_play and ("concede" in moves or "trade" in moves)
                    and self.deal.offer <= self.deal.buyer_number + 1e-9):
                causes.append("taken")  # the rep offered the buyer's own number: it takes it
            if p.turns >= self.scenario.conversation.turn_budget:
                causes.append("budget")
            elif self._fired is None and p.idle >= t.patience:
                causes.append("patience")
            # The first that closes: an offer the buyer would take but play has not earned
            # still leaves the turn budget to close the conversation.
            for c in causes:
                if c == "taken":
                    dest = self._earned(self.earned_good() and self.deal.offer >= self.deal.walk_away,
                                        deal_ok=True, with_deal=True)
                else:
                    dest = self._earned(
                        c == "budget" and self.earned_good(),
                        deal_ok=c == "budget" and self.deal.offer < self.deal.list_price)
                if dest is not None:
                    self.machine.set_state(dest, model=self.model)
                    cause = c
                    break

        ending = self.ending
        if ending is not None and ending.price != "none" and self.deal.in_play:
            self.deal.close()
        if ending is not None and revealed is not None:
            p.revealed.remove(revealed.id)  # never said: the conversation closed first
            revealed = None
        if cause == "taken":
            text = self.state_line(self.state)
        elif cause is not None:
            opener = self._pick(list(self.persona.lines.get(OUT_OF_TIME_MOMENT, ())),
                                list(OUT_OF_TIME))
            text = f"{opener} {self.state_line(self.state)}"
        elif self._fired is not None:
            # A transition's own lines, else the state's; once all are said, a reaction to
            # the move rather than a line said before.
            first = list(self._fired.say) or self._state_lines(self.state)
            text = self._pick(first, *([] if self.ending else self.reaction_tiers(self.state, fired_move)))
        elif revealed is not None:
            text = self._reaction("open_question")
        elif moves[0] == "open_question" and len(moves) > 1:
            # The question uncovers nothing, but the response does something else too (holds,
            # asks for a get: "$60,000, two years, billed from April. What would your board
            # need?"): the buyer answers that, never "there isn't more to it" to a proposal.
            text = self._reaction(moves[1])
        elif moves[0] == "open_question":
            st = self.scenario.conversation.states[self.state]
            told = len(self.progress.revealed) >= len(self.reveals)
            react = list(st.react.get("open_question", ()))
            # Once every need has been said, nothing is left to ask about: the buyer hands the
            # turn back before any state line that invites more questions ("Ask away").
            tiers = ([list(self.persona.lines.get(ALL_TOLD_MOMENT, ())), list(ALL_TOLD), react]
                     if told else [react, list(NOTHING_NEW)])
            text = self._pick(*tiers)
        else:
            text = self._reaction(moves[0])
        if revealed is not None:
            answer = self.fill(revealed.text)
            if self._offered_before(revealed):
                opener = self._pick(list(self.persona.lines.get(YOUR_IDEA_MOMENT, ())),
                                    list(YOUR_IDEA))
                answer = f"{opener} {answer}"
            # The answer to the question comes last, so nothing said after it dismisses it;
            # but a line that ends on a question of the buyer's own follows the answer
            # ("...the loans team might get through. What would you need from me?").
            text = f"{answer} {text}" if text.rstrip().endswith("?") else f"{text} {answer}"
        self.last_line = text
        return Reply(text, self.state, moves, fired_move, revealed, ending, cause)


_TOKEN = re.compile(r"[a-z0-9']+")
_STOP = frozenset("a an the it its this that these those to of for on in at by with from us "
                  "me you your my our we i is are be do does did so and or".split())


def _stem(word: str) -> str:
    """A crude stem, enough to hear "launch" in "launching" and "vendors" in "vendor"."""
    word = word.replace("'", "")
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def topic_words(text: str) -> frozenset[str]:
    """The stems of the words of a question that can name a topic."""
    return frozenset(_stem(w) for w in _TOKEN.findall(text.lower()) if w not in _STOP)


#: Words of asking that name no topic: shared with a need's text, they say nothing.
_QUESTION_WORDS = frozenset(_stem(w) for w in (
    "what how why when where who which would could should can will think need want like "
    "tell walk help understand mean make get going look thing things really right now "
    "there here about more most much very just also well").split())
#: Stems of the topics of small talk: an open question about them uncovers no need.
SMALL_TALK = frozenset(_stem(w) for w in (
    "weather rain sun snow drive traffic commute weekend holiday vacation trip flight match "
    "game football golf cricket kid children family lunch dinner coffee run gym hobby "
    "birthday christmas summer").split())


def on_topic(keyword: str, lowered: str, words: frozenset[str]) -> bool:
    """Is a reveal's keyword in the question: as written, or every word of it that names a
    topic, in any order and form ("put it right" is heard in "put one thing right", "ramp"
    in "ramping")?"""
    if keyword.lower() in lowered:
        return True
    mine = topic_words(keyword)
    return bool(mine) and mine <= words


def _distances_to_endings(scenario: Scenario) -> dict[str, dict[str, int]]:
    """For each state, the fewest transitions to each ending it can reach (conditions
    aside): what the buyer closes on when time or patience runs out."""
    conv = scenario.conversation
    nxt: dict[str, set[str]] = {n: set() for n in conv.states}
    for spec in conv.transitions:
        for src in conv.sources_of(spec):
            if src in nxt:
                nxt[src].add(spec.to)
    endings = scenario.endings()
    out: dict[str, dict[str, int]] = {}
    for start in conv.states:
        dist = {start: 0}
        order = [start]
        for node in order:
            for d in sorted(nxt[node]):
                if d not in dist and node not in endings:
                    dist[d] = dist[node] + 1
                    order.append(d)
        out[start] = {n: k for n, k in dist.items() if n in endings}
    return out
