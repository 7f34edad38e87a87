"""Group drills for a sales meeting: one buyer, a room of reps, a leaderboard.

The manager plays the customer. Each round poses one moment (a scenario state's
line, one of the persona's moments, or a line the manager types); volunteers
answer in turn and each answer is scored like a one-turn session, with the same
scorer and the same habit maths as a session's scorecard
(`simulator.scorecard.habit_totals`). Pure core: no UI imports.

    drill = Drill(scenario, persona, ["Ana", "Ben", "Chen"], seed=1)
    drill.pose()                     # round 1: the scenario's first moment
    drill.answer("Our price is $8.50 because ...")   # Ana
    drill.skip()                     # Ben passes
    drill.answer("")                 # Chen says nothing: an answer worth 0
    drill.pose()                     # round 2: the next moment
    drill.leaderboard()              # standings, ties share a rank
    drill.summary()                  # best answer and one habit to work on, per person

Scoring rules, in one place:
- an answer's habit scores are the scorecard of that answer alone (0-100, None when
  the habit did not come up); its overall is their scenario-weighted mean;
- an empty answer counts as an attempt worth 0 on every scored habit;
- a skip is a pass: recorded, never scored, never averaged;
- an answer that gives below the walk-away (a cave, traded or not) scores 0 on holding
  the price, and its overall is capped at half of the least an answer that holds the
  price can score (`cave_ceiling`), so a cave never ranks above a hold and is never
  anyone's best answer;
- a round nobody has answered yet is replaced when the next moment is posed (no empty
  rounds), and exports list only rounds with answers;
- a person's overall (and each habit) is the mean over their attempts where it came
  up; values are compared at one decimal, equal values share a rank ("=1") and are
  listed in team order; people with nothing scored come last, unranked.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal

from simulator.errors import ShadowboxError
from simulator.export import render
from simulator.model import HABITS, Persona, Scenario
from simulator.scorecard import HABIT_TITLES, habit_totals, term_names, verdict_badges
from simulator.scoring import Score, score as default_score
from simulator.safetext import printable
from simulator.buyer import Deal
from simulator.session import Scorer, Setting, clean_reply

#: Limits on a team: a meeting room, not a stadium.
MAX_PARTICIPANTS = 40
MAX_NAME = 40
#: Longest buyer line a manager may type.
MAX_LINE = 1000

Status = Literal["answered", "empty", "skipped"]

#: Said when a volunteer stands up and says nothing.
EMPTY_COACHING = (
    "No answer counts as a zero. Even one sentence that restates the price and asks "
    "what is behind the request beats silence."
)
#: Used when the scorer gives no tip for the habit to work on.
FOCUS_FALLBACK = {
    "hold_price": "Restate the price and tie it to what the buyer gains before anything else.",
    "trade": "Never give without getting: 'if you can commit to X, we can look at Y'.",
    "open_questions": "Ask one question the buyer cannot answer in a word: 'what is behind…?'",
    "coaching": "Ask what the rep thinks the next step is before offering yours.",
}


class DrillError(ShadowboxError):
    """A drill request that cannot be done (bad team, unknown moment, no round yet...)."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _r1(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known), 1) if known else None


def parse_team(text: str, where: str = "team") -> list[str]:
    """Names from "Ana, Ben, Chen" or a file with one name per line (# comments allowed).

    Raises DrillError naming the problem: no names, a repeated name (case-insensitive),
    a name too long, or too many people.
    """
    names: list[str] = []
    for raw_line in text.splitlines():
        line = raw_line.split("#", 1)[0]
        names += [" ".join(n.split()) for n in line.split(",")]
    names = [n for n in names if n]
    return check_team(names, where)


def check_team(names: Sequence[str], where: str = "team") -> list[str]:
    """Validate a list of participant names (see `parse_team`)."""
    names = [printable(" ".join(str(n).split())) for n in names]
    names = [n for n in names if n]
    if not names:
        raise DrillError(f"{where}: no names given (write them like \"Ana, Ben, Chen\")")
    if len(names) > MAX_PARTICIPANTS:
        raise DrillError(f"{where}: {len(names)} names; a drill takes at most {MAX_PARTICIPANTS}")
    seen: dict[str, str] = {}
    for n in names:
        if len(n) > MAX_NAME:
            raise DrillError(f"{where}: the name {n[:20]!r}... is longer than {MAX_NAME} characters")
        if n.casefold() in seen:
            raise DrillError(f"{where}: {n!r} appears twice; give each person a distinct name")
        seen[n.casefold()] = n
    return names


# ------------------------------------------------------------------ moments


@dataclass(frozen=True)
class Moment:
    """Something the buyer throws at the room, with the variants of its line."""

    id: str
    source: Literal["state", "persona", "manager"]
    title: str
    variants: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"id": self.id, "source": self.source, "title": self.title,
                "variants": list(self.variants)}


def moments_of(scenario: Scenario, persona: Persona, fill=lambda line: line) -> list[Moment]:
    """The moments a drill can pose: every non-ending state of the scenario (start first),
    then the persona's own moments that no state uses. `fill` fills {placeholders}."""
    conv = scenario.conversation
    order = [conv.start] + [n for n in conv.states if n != conv.start]
    out: list[Moment] = []
    used: set[str] = set()
    for name in order:
        st = conv.states[name]
        if st.ending is not None:
            continue
        lines = list(st.say)
        if st.moment:
            used.add(st.moment)
            lines += persona.lines.get(st.moment, [])
        title = (st.moment or name).replace("_", " ")
        out.append(Moment(name, "state", title, tuple(dict.fromkeys(fill(ln) for ln in lines))))
    for key, lines in persona.lines.items():
        if key.startswith("on_") or key in used:
            continue
        out.append(Moment(key, "persona", key.replace("_", " "),
                          tuple(dict.fromkeys(fill(ln) for ln in lines))))
    return out


# ------------------------------------------------------------------ answers and rounds


@dataclass(frozen=True)
class Answer:
    """One volunteer's turn in a round: an answer, an empty answer, or a skip."""

    round: int
    participant: str
    status: Status
    text: str
    score: Score | None
    habits: dict[str, float | None]
    overall: float | None
    coaching: str
    seconds: float | None = None
    over_time: bool = False
    at: str = ""
    names: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def attempted(self) -> bool:
        """Answers and empty answers count; skips do not."""
        return self.status != "skipped"

    @property
    def caved(self) -> bool:
        """The answer gave (or accepted) a price below the walk-away."""
        return self.score is not None and self.score.below_walk_away

    def badges(self) -> list[tuple[str, str]]:
        """(label, tone) pairs for the room to see; tone is good, warn, bad or neutral."""
        if self.status == "skipped":
            return [("skipped", "neutral")]
        if self.status == "empty":
            return [("no answer", "bad")]
        assert self.score is not None
        return [(label, tone) for _icon, label, tone in verdict_badges(self.score, names=self.names)]

    def to_dict(self) -> dict:
        return {
            "round": self.round,
            "participant": self.participant,
            "status": self.status,
            "text": self.text,
            "habits": dict(self.habits),
            "overall": self.overall,
            "coaching": self.coaching,
            "badges": [b for b, _ in self.badges()],
            "seconds": self.seconds,
            "over_time": self.over_time,
            "at": self.at,
            "score": self.score.to_dict() if self.score is not None else None,
        }


@dataclass
class Round:
    """One moment posed to the room and the answers it got."""

    number: int
    moment: Moment
    variant: int
    answers: list[Answer] = field(default_factory=list)

    @property
    def line(self) -> str:
        return self.moment.variants[self.variant]

    def to_dict(self) -> dict:
        return {"number": self.number, "moment": self.moment.id, "source": self.moment.source,
                "title": self.moment.title, "line": self.line,
                "answers": [a.to_dict() for a in self.answers]}


# ------------------------------------------------------------------ standings


@dataclass(frozen=True)
class Standing:
    """One person on a leaderboard."""

    rank: int | None  # None: nothing scored yet
    tied: bool
    name: str
    value: float | None  # what this board ranks by
    overall: float | None
    habits: dict[str, float | None]
    attempts: int
    skipped: int

    @property
    def place(self) -> str:
        """The rank as shown: "1", "=2" for a shared place, "–" when unranked."""
        if self.rank is None:
            return "–"
        return f"={self.rank}" if self.tied else str(self.rank)

    def to_dict(self) -> dict:
        return {"rank": self.rank, "tied": self.tied, "place": self.place, "name": self.name,
                "value": self.value, "overall": self.overall, "habits": dict(self.habits),
                "attempts": self.attempts, "skipped": self.skipped}


@dataclass(frozen=True)
class PersonSummary:
    """The end-of-drill card for one person."""

    name: str
    overall: float | None
    attempts: int
    skipped: int
    best: Answer | None
    focus: str | None  # a habit to work on, or None when nothing needs work
    focus_tip: str

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "overall": self.overall,
            "attempts": self.attempts,
            "skipped": self.skipped,
            "best_answer": None if self.best is None else {
                "round": self.best.round, "text": self.best.text, "overall": self.best.overall},
            "focus": self.focus,
            "focus_title": HABIT_TITLES.get(self.focus, "") if self.focus else "",
            "focus_tip": self.focus_tip,
        }


def rank(rows: Sequence[tuple[str, float | None]]) -> list[tuple[int | None, bool]]:
    """Competition ranking ("1, =2, =2, 4") of (name, value) rows already in order.

    Values are compared at one decimal; None is unranked. Returns (rank, tied) per row.
    """
    keys = [_r1(v) for _, v in rows]
    out: list[tuple[int | None, bool]] = []
    for i, k in enumerate(keys):
        if k is None:
            out.append((None, False))
            continue
        first = keys.index(k)
        out.append((first + 1, keys.count(k) > 1))
    return out


# ------------------------------------------------------------------ the drill


class Drill:
    """A drill in progress: the team, the rounds so far, whose turn it is."""

    def __init__(
        self,
        scenario: Scenario,
        persona: Persona,
        team: Sequence[str],
        *,
        seed: int | None = None,
        timer: float | None = None,
        scorer: Scorer = default_score,
        drill_id: str | None = None,
        started_at: str | None = None,
    ) -> None:
        if timer is not None and not 5 <= timer <= 3600:
            raise DrillError(f"timer: {timer:g} seconds; give between 5 and 3600, or none")
        self.scenario = scenario
        self.persona = persona
        self.participants = check_team(team)
        self.seed = seed if seed is not None else random.SystemRandom().randrange(1, 2**31)
        self.rng = random.Random(self.seed)
        self.timer = timer
        self.scorer = scorer
        self.id = drill_id or uuid.uuid4().hex[:12]
        self.started_at = started_at or _now()
        self.finished_at: str | None = None
        # The session core's setting, at the deal a one-on-one conversation opens with: the
        # scorer's context and the moments' filled placeholders are a session's, not copies.
        self.setting = Setting.of(scenario, persona)
        self.deal = Deal.of(scenario)
        self.moments = moments_of(scenario, persona,
                                  lambda line: self.setting.fill(line, self.deal))
        self.rounds: list[Round] = []
        self.volunteer: str = self.participants[0]
        self._next_moment = 0

    # ---------------------------------------------------------------- state

    @property
    def current(self) -> Round | None:
        return self.rounds[-1] if self.rounds else None

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def answers(self) -> list[Answer]:
        return [a for r in self.rounds for a in r.answers]

    def waiting(self) -> list[str]:
        """Who has not yet had a turn in the current round, in team order."""
        done = {a.participant for a in self.current.answers} if self.current else set()
        return [p for p in self.participants if p not in done]

    @property
    def round_complete(self) -> bool:
        return self.current is not None and not self.waiting()

    def _check_open(self) -> None:
        if self.finished:
            raise DrillError("the drill has ended")

    # ---------------------------------------------------------------- the manager

    def moment(self, key: int | str) -> Moment:
        """A moment by position (0-based) or id."""
        if isinstance(key, int):
            if not 0 <= key < len(self.moments):
                raise DrillError(f"moment {key + 1}: there are {len(self.moments)} moments")
            return self.moments[key]
        for m in self.moments:
            if m.id == key:
                return m
        known = ", ".join(m.id for m in self.moments)
        raise DrillError(f"no moment {key!r} in {self.scenario.id} (known: {known})")

    def pose(self, key: int | str | None = None, *, line: str | None = None,
             variant: int | None = None) -> Round:
        """Start a new round with a moment (by position or id; the next one in order by
        default) or with a buyer line the manager types. `variant` picks the wording
        (drawn at random by default). A round nobody answered yet is replaced, not kept."""
        self._check_open()
        if line is not None:
            text = printable(" ".join(str(line).split()))
            if not text:
                raise DrillError("the buyer's line is empty")
            if len(text) > MAX_LINE:
                raise DrillError(f"the buyer's line is longer than {MAX_LINE} characters")
            moment = Moment("manager", "manager", "the manager's line", (text,))
        else:
            if key is None:
                key = self._next_moment % len(self.moments)
            moment = self.moment(key)
            self._next_moment = self.moments.index(moment) + 1
        if variant is None:
            variant = self.rng.randrange(len(moment.variants))
        elif not 0 <= variant < len(moment.variants):
            raise DrillError(f"moment {moment.id!r} has {len(moment.variants)} wordings")
        if self.current is not None and not self.current.answers:
            self.rounds.pop()  # posed but never answered: the new moment takes its place
        rnd = Round(len(self.rounds) + 1, moment, variant)
        self.rounds.append(rnd)
        return rnd

    @property
    def answered_rounds(self) -> list[Round]:
        """The rounds with at least one answer or pass: what exports and summaries count."""
        return [r for r in self.rounds if r.answers]

    def another_line(self) -> Round:
        """Swap the current round's line for the moment's next variant (before any answer)."""
        rnd = self._need_round()
        if rnd.answers:
            raise DrillError("this round already has answers; pose a new round instead")
        rnd.variant = (rnd.variant + 1) % len(rnd.moment.variants)
        return rnd

    def choose(self, name: str) -> str:
        """Make `name` the current volunteer (case-insensitive)."""
        for p in self.participants:
            if p.casefold() == " ".join(str(name).split()).casefold():
                self.volunteer = p
                return p
        raise DrillError(f"{name!r} is not in the team ({', '.join(self.participants)})")

    def _need_round(self) -> Round:
        self._check_open()
        if self.current is None:
            raise DrillError("no moment posed yet; pose one first")
        return self.current

    def _advance(self, after: str) -> None:
        """The next volunteer: the next person after `after` (team order, wrapping) who has
        not had a turn this round; once everyone has, simply the next person."""
        n = len(self.participants)
        start = self.participants.index(after)
        waiting = set(self.waiting())
        for step in range(1, n + 1):
            cand = self.participants[(start + step) % n]
            if not waiting or cand in waiting:
                self.volunteer = cand
                return

    # ---------------------------------------------------------------- the volunteers

    def answer(self, text: str, *, seconds: float | None = None) -> Answer:
        """Score the current volunteer's answer to the current moment. An empty answer
        is recorded and worth 0."""
        rnd = self._need_round()
        text = clean_reply(text)
        weights = self.scenario.habits
        scored = [h for h in HABITS if getattr(weights, h)]
        if not text:
            ans = Answer(rnd.number, self.volunteer, "empty", "", None,
                         {h: 0.0 for h in scored}, 0.0, EMPTY_COACHING, seconds,
                         self._over(seconds), _now())
        else:
            # The moment's line is what the volunteer answers ("I can do that" to "Can you
            # do $7.50?" is a concession).
            verdict = self.scorer(text, self.setting.context(self.deal, rnd.line))
            totals, overall = habit_totals([verdict], weights, questions_expected=False)
            habits = {t.habit: t.score for t in totals}
            if verdict.below_walk_away and overall is not None:
                overall = min(overall, cave_ceiling(weights))
            ans = Answer(rnd.number, self.volunteer, "answered", text, verdict, habits,
                         overall, coaching_line(verdict, habits, weights), seconds,
                         self._over(seconds), _now(), term_names(self.scenario))
        return self._record(rnd, ans)

    def skip(self) -> Answer:
        """The current volunteer passes: recorded, not scored."""
        rnd = self._need_round()
        ans = Answer(rnd.number, self.volunteer, "skipped", "", None, {}, None,
                     f"{self.volunteer} passed on this one.", None, False, _now())
        return self._record(rnd, ans)

    def _over(self, seconds: float | None) -> bool:
        return bool(self.timer and seconds is not None and seconds > self.timer)

    def _record(self, rnd: Round, ans: Answer) -> Answer:
        rnd.answers.append(ans)
        self._advance(ans.participant)
        return ans

    def undo(self) -> Answer:
        """Take back the last answer or skip of the current round (a slip of the keyboard);
        its volunteer is up again."""
        rnd = self._need_round()
        if not rnd.answers:
            raise DrillError("nothing to undo in this round")
        ans = rnd.answers.pop()
        self.volunteer = ans.participant
        return ans

    def finish(self) -> None:
        if self.finished_at is None:
            self.finished_at = _now()

    # ---------------------------------------------------------------- results

    def _person(self, name: str) -> tuple[list[Answer], int]:
        mine = [a for a in self.answers if a.participant == name]
        return [a for a in mine if a.attempted], sum(not a.attempted for a in mine)

    def scored_habits(self) -> list[str]:
        return [h for h in HABITS if getattr(self.scenario.habits, h)]

    def leaderboard(self, habit: str | None = None) -> list[Standing]:
        """Standings by overall score, or by one habit. Ties share a rank; within a tie,
        and among the unranked at the bottom, people stay in team order."""
        if habit is not None and habit not in self.scored_habits():
            raise DrillError(f"{habit!r} is not scored in {self.scenario.id} "
                             f"(scored: {', '.join(self.scored_habits())})")
        rows = []
        for pos, name in enumerate(self.participants):
            tried, skipped = self._person(name)
            habits = {h: _mean([a.habits.get(h) for a in tried]) for h in self.scored_habits()}
            overall = _mean([a.overall for a in tried])
            value = overall if habit is None else habits[habit]
            rows.append((name, value, overall, habits, len(tried), skipped, pos))
        rows.sort(key=lambda r: (r[1] is None, -(_r1(r[1]) or 0.0), r[6]))
        places = rank([(r[0], r[1]) for r in rows])
        return [Standing(rk, tied, name, value, overall, habits, n, sk)
                for (rk, tied), (name, value, overall, habits, n, sk, _) in zip(places, rows)]

    def summary(self) -> list[PersonSummary]:
        """Per person, in leaderboard order: the best answer and one habit to work on."""
        out = []
        weights = self.scenario.habits
        for st in self.leaderboard():
            tried, _ = self._person(st.name)
            real = [a for a in tried if a.status == "answered" and not a.caved]
            best = max(real, key=lambda a: (_r1(a.overall) or 0.0), default=None)
            focus, tip = None, ""
            if tried:
                gaps = [(st.habits[h], -getattr(weights, h), i, h)
                        for i, h in enumerate(self.scored_habits())
                        if st.habits[h] is not None and st.habits[h] < 100]
                if gaps:
                    focus = min(gaps)[3]
                    tip = _focus_tip(focus, tried)
                else:
                    tip = "Every scored habit at 100 in this drill: keep doing exactly that."
            elif st.skipped:
                tip = "Passed every turn in this drill; first up next time."
            else:
                tip = "Not called up in this drill yet."
            out.append(PersonSummary(st.name, st.overall, st.attempts, st.skipped, best,
                                     focus, tip))
        return out

    # ---------------------------------------------------------------- exports

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "scenario": self.scenario.id,
            "title": self.scenario.title,
            "persona": {"id": self.persona.id, "name": self.persona.name,
                        "role": self.persona.role, "company": self.persona.company},
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "seed": self.seed,
            "timer": self.timer,
            "participants": list(self.participants),
            "habits": {h: getattr(self.scenario.habits, h) for h in self.scored_habits()},
            "names": term_names(self.scenario),  # gets and gives as the room reads them
            "rounds": [r.to_dict() for r in self.answered_rounds],
            "leaderboard": [s.to_dict() for s in self.leaderboard()],
            "habit_leaderboards": {h: [s.to_dict() for s in self.leaderboard(h)]
                                   for h in self.scored_habits()},
            "summary": [p.to_dict() for p in self.summary()],
        }

    def export(self, fmt: str) -> str:
        """The drill as "md", "csv" or "json" text (the export registry's drill formats,
        rendered from `to_dict()` exactly as a drill stored in history is)."""
        try:
            return render("drill", fmt, self.to_dict())
        except ShadowboxError as exc:
            raise DrillError(exc.message) from None

    def to_json(self) -> str:
        return self.export("json")

    def to_csv(self) -> str:
        """One row per answer (see `simulator.drill_report.to_csv`)."""
        return self.export("csv")

    def to_markdown(self) -> str:
        return self.export("md")


def run_script(drill: Drill, text: str, where: str = "script") -> Drill:
    """Play a written drill: each line `NAME: answer` is that person's answer to the current
    moment (`NAME:` alone is an empty answer, worth 0); a line `---` poses the next moment.
    Blank lines and lines starting with # are skipped. The first moment is posed before the
    first line. Errors name the line: "script.txt:4: 'Zed' is not in the team (...)"."""
    if drill.current is None:
        drill.pose()
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            if line == "---":
                drill.pose()
                continue
            name, sep, said = line.partition(":")
            if not sep or not name.strip():
                shown = line if len(line) <= 40 else line[:40] + "…"
                raise DrillError(f"expected 'NAME: answer' or '---', found {shown!r}")
            drill.choose(name.strip())
            drill.answer(said)
        except DrillError as exc:
            raise DrillError(f"{where}:{n}: {exc.message}") from None
    return drill


def cave_ceiling(weights) -> float:
    """The most an answer that gives below the walk-away can score: half of the least an
    answer that holds the price can (holding at 100, every other scored habit at 0)."""
    total = sum(getattr(weights, h) for h in HABITS)
    if not total or not weights.hold_price:
        return 0.0
    return round(50.0 * weights.hold_price / total, 1)


def coaching_line(verdict: Score, habits: dict[str, float | None], weights) -> str:
    """The one line of coaching for an answer: a stall or telling first, then the weakest
    scored habit, else the praise for the habit that counts most."""
    tips = verdict.tips or {}
    if verdict.is_stall and tips.get("stall"):
        return tips["stall"]
    if verdict.is_telling and getattr(weights, "coaching") and tips.get("coaching"):
        return tips["coaching"]
    order = [h for h in HABITS if h in habits]
    weak = [(v, -getattr(weights, h), i, h) for i, h in enumerate(order)
            if (v := habits[h]) is not None and v < 100]
    if weak:
        h = min(weak)[3]
        return tips.get(h) or _reason(verdict, h) or FOCUS_FALLBACK[h]
    strong = sorted(((-getattr(weights, h), i, h) for i, h in enumerate(order)
                     if habits[h] is not None))
    for _, _, h in strong:
        if tips.get(h):
            return tips[h]
    return "Well answered."


def _reason(verdict: Score, habit: str) -> str:
    v = {"hold_price": verdict.price, "trade": verdict.exchange,
         "open_questions": verdict.question, "coaching": verdict.telling}[habit]
    return v.reason


def _focus_tip(habit: str, tried: Sequence[Answer]) -> str:
    """The coaching for `habit` from the answer where it scored lowest."""
    scored = [a for a in tried if a.score is not None and a.habits.get(habit) is not None]
    if scored:
        worst = min(scored, key=lambda a: a.habits[habit])
        tips = worst.score.tips or {}
        tip = tips.get("stall") if habit == "hold_price" and worst.score.is_stall else None
        tip = tip or tips.get(habit)
        if tip:
            return tip
    return FOCUS_FALLBACK[habit]
