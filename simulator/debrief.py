"""The debrief of one session as one model, and its renderers (text, Markdown, HTML, JSON).

    debrief = Debrief.from_session(session, sid)     # a session in memory
    debrief = Debrief.from_record(store.load(sid))   # a stored session
    render_text(debrief); to_markdown(debrief); to_html(debrief); to_json(debrief)

Both come from the one shape the history stores (`session_record` makes it from a live
session), so the debrief shown at the end of a session, the one reviewed from history and
every export of it read the same facts in the same words. The app (`tui/screens/debrief.py`)
is one more renderer of this model. A stored session renders even when its scenario file
has changed or gone. Every piece of rep text stays plain text: escaped for Markdown and
HTML, never read as markup.
"""

from __future__ import annotations

import html
import json
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from typing import TYPE_CHECKING, Any

from simulator.coaching import TurningPoint, points_in
from simulator.habits import TITLES as HABIT_TITLES
from simulator.money import format_money
from simulator.scorecard import STILL_TALKING, build, shown_name, turn_record
from simulator.wording import counted

if TYPE_CHECKING:
    from simulator.session import Session

def session_record(session: Session, sid: int | None = None,
                   started: float | None = None) -> dict[str, Any]:
    """The record the history stores of a session (what `Store.load` returns), made from a
    session in memory: a session whose history could not be saved still has a debrief."""
    p, card, out = session.persona, build(session), session.outcome
    now = time.time()
    return {
        "id": sid if sid is not None else "unsaved", "scenario": session.scenario.id,
        "title": session.scenario.title,
        "persona": {"id": p.id, "name": p.name, "role": p.role, "company": p.company},
        "seed": session.seed, "plan": session.plan.to_dict(),
        "started": started if started is not None else now, "updated": now,
        "status": out.status if out else "in_progress", "won": bool(out and out.won),
        "label": out.label if out else "", "price": out.price if out else None,
        "overall": card.overall, "rep_turns": len(card.turns), "scorecard": card.to_dict(),
        "turns": [turn_record(session, t) for t in session.turns],
    }


def evidence_spans(text: str, scores: dict[str, Any] | None) -> list[tuple[int, int]]:
    """The evidence spans of every verdict of a rep turn, merged and in order."""
    if not scores:
        return []
    raw = sorted(
        (max(0, s["start"]), min(len(text), s["end"]))
        for v in (scores.get("verdicts") or {}).values()
        for s in v.get("evidence", [])
        if s["end"] > s["start"]
    )
    merged: list[tuple[int, int]] = []
    for start, end in raw:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def verdict_text(scores: dict[str, Any], names: dict[str, str] | None = None) -> str:
    """One rep turn's verdicts in a line: "question: open · price: hold · exchange: no"."""
    parts = [f"question: {scores.get('question', 'none')}",
             f"price: {scores.get('price', 'none')}",
             f"exchange: {'yes' if scores.get('exchange') else 'no'}"]
    if scores.get("gets"):
        parts[-1] += f" ({', '.join(shown_name(g, names) for g in scores['gets'])})"
    if scores.get("stall"):
        parts.append("stall")
    if scores.get("telling"):
        parts.append("telling")
    return " · ".join(parts)


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Habit:
    """One habit over the session, as the debrief shows it."""

    habit: str
    title: str
    score: float | None
    detail: str

    @property
    def score_text(self) -> str:
        return f"{self.score:.0f}" if self.score is not None else "–"


@dataclass(frozen=True)
class Line:
    """One line of the conversation; a rep line carries its verdicts and, when it was weak,
    how a strong rep might have said it."""

    index: int
    speaker: str  # "buyer" or "rep"
    who: str  # the buyer's name, or "You"
    text: str
    scores: dict[str, Any] | None
    verdicts: str  # verdict_text, "" for a buyer line or an unscored one
    stronger: str | None

    @property
    def turn(self) -> int:
        """The rep's turn number (1-based) this line belongs to."""
        return self.index // 2 + 1

    @property
    def spans(self) -> list[tuple[int, int]]:
        return evidence_spans(self.text, self.scores)


@dataclass(frozen=True)
class Debrief:
    """Everything the debrief of one session shows, as data, with its wording; renderers
    only lay it out. Built from the stored record of a session (`from_record`) or from a
    session in memory (`from_session`, through the same record)."""

    record: dict[str, Any]

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Debrief:
        return cls(record)

    @classmethod
    def from_session(cls, session: Session, sid: int | None = None,
                     started: float | None = None) -> Debrief:
        return cls(session_record(session, sid, started))

    # ------------------------------------------------------------ facts

    @property
    def card(self) -> dict[str, Any]:
        return self.record.get("scorecard") or {}

    @property
    def id(self) -> int | str:
        return self.record["id"]

    @property
    def title(self) -> str:
        return self.record["title"]

    @property
    def seed(self) -> int:
        return self.record["seed"]

    @property
    def persona(self) -> dict[str, Any]:
        return self.record.get("persona") or {}

    @property
    def buyer(self) -> str:
        return self.persona.get("name", "Buyer")

    @property
    def outcome(self) -> dict[str, Any]:
        return self.card.get("outcome") or {}

    @property
    def won(self) -> bool:
        return bool(self.outcome.get("won"))

    @property
    def deal(self) -> dict[str, Any]:
        return self.card.get("deal") or {}

    @property
    def currency(self) -> str:
        return self.deal.get("currency", "USD")

    @property
    def names(self) -> dict[str, str]:
        return self.card.get("names") or {}

    @property
    def overall(self) -> float | None:
        return self.card.get("overall")

    @property
    def lesson(self) -> str:
        return " ".join((self.card.get("lesson") or "").split())

    @property
    def turns(self) -> list[dict[str, Any]]:
        """The rep turns as the scorecard lists them (`scorecard.turn_row`)."""
        return list(self.card.get("turns") or [])

    @property
    def plan_notes(self) -> list[str]:
        """What the session says against the rep's plan ("You went below your own...")."""
        return list(self.card.get("plan_notes") or [])

    @cached_property
    def habits(self) -> list[Habit]:
        return [Habit(h["habit"], HABIT_TITLES.get(h["habit"], h["habit"]), h.get("score"),
                      h.get("detail", "")) for h in (self.card.get("habits") or {}).values()]

    def money(self, amount: float | None) -> str:
        return format_money(amount, self.currency)

    # ------------------------------------------------------------ wording

    @property
    def status(self) -> str:
        return self.outcome.get("status") or self.record.get("status") or "in_progress"

    @property
    def label(self) -> str:
        """How it ended ("Renewed at your price"), or that it has not."""
        if self.status == "in_progress":
            return NOT_FINISHED
        return self.outcome.get("label") or STILL_TALKING

    @property
    def outcome_text(self) -> str:
        """"Renewed at your price [deal, won]"."""
        return f"{self.label} [{self.status}{', won' if self.won else ''}]"

    @property
    def price_text(self) -> str | None:
        """The agreed price against the list ("$11.50 (-4.2% vs list)"), or None when the
        scenario is not about price."""
        d = self.deal
        if not d.get("price_in_play"):
            return None
        if d.get("price") is None:
            return f"no price agreed (your last offer {self.money(d.get('final_offer'))})"
        vs = d.get("vs_list_pct")
        return self.money(d["price"]) + (f" ({vs:+.1f}% vs list)" if vs is not None else "")

    def deal_marks(self) -> list[tuple[str, float | None]]:
        """The deal's reference prices, in order: (name, amount)."""
        d = self.deal
        return [("list", d.get("list_price")), ("target", d.get("target")),
                ("walk-away", d.get("walk_away")), ("buyer's number", d.get("buyer_number"))]

    def deal_text(self, sep: str = ", ") -> str:
        return sep.join(f"{name} {self.money(v)}" for name, v in self.deal_marks())

    @property
    def overall_text(self) -> str:
        return f"{self.overall:.0f}/100" if self.overall is not None else "–"

    @property
    def exchange_text(self) -> str:
        """"1 given; 2 responses asked for something back (a longer term)"."""
        gets = self.card.get("gets") or []
        return (f"{self.card.get('concessions', 0)} given; "
                f"{counted(self.card.get('gets_asked', 0), 'response')} asked for something back"
                + (f" ({', '.join(shown_name(g, self.names) for g in gets)})" if gets else ""))

    def summary(self, *, dated: bool = True) -> list[tuple[str, str]]:
        """(label, value) rows of the debrief head, for every renderer; without `dated`,
        the seed alone where the date it was played would be (the same script and seed
        then print the same debrief)."""
        p, r = self.persona, self.record
        rows = [
            ("Scenario", f"{self.title} ({r['scenario']})"),
            ("Buyer", f"{p.get('name', '?')}, {p.get('role', '?')}, {p.get('company', '?')}"),
            ("Played", f"{_iso(r['started'])} (seed {self.seed})") if dated
            else ("Seed", str(self.seed)),
            ("Outcome", self.outcome_text),
        ]
        if self.price_text is not None:
            rows += [("Price", self.price_text), ("Deal", self.deal_text())]
        plan = r.get("plan") or {}
        trades = ", ".join(shown_name(g, self.names) for g in plan.get("trades") or [])
        rows.append(("Plan", f"target {self.money(plan.get('target'))}, walk-away "
                             f"{self.money(plan.get('walk_away'))}, trade for "
                             f"{trades or 'nothing named'}"))
        rows.append(("Overall", self.overall_text))
        if self.card:
            rows.append(("Concessions", self.exchange_text))
        return rows

    @property
    def notes(self) -> list[str]:
        """What the session says against the rep's plan, and the hidden needs uncovered."""
        out = self.plan_notes
        if self.card.get("revealed"):
            out.append("Hidden needs uncovered: "
                       + ", ".join(shown_name(r) for r in self.card["revealed"]) + ".")
        return out

    @cached_property
    def lines(self) -> list[Line]:
        """The conversation, line by line."""
        stronger = {r["turn"]: r["stronger"] for r in self.turns if r.get("stronger")}
        out = []
        for t in self.record.get("turns") or []:
            rep = t["speaker"] == "rep"
            scores = t.get("scores") if rep else None
            out.append(Line(t["index"], t["speaker"], "You" if rep else self.buyer, t["text"],
                            scores, verdict_text(scores, self.names) if scores else "",
                            stronger.get(t["index"] // 2 + 1) if rep else None))
        return out

    @cached_property
    def points(self) -> list[TurningPoint]:
        """Where the conversation changed course (`coaching.points_in`), from the turns as
        recorded; none when a stored turn is damaged (its offer or state unreadable)."""
        from simulator.session import Turn

        turns = []
        for t in self.record.get("turns") or []:
            try:
                turns.append(Turn(t["index"], t["speaker"], t["text"], t["state"],
                                  float(t["offer"]), float(t["buyer_number"]),
                                  moves=tuple(t.get("moves") or ()),
                                  revealed=t.get("revealed")))
            except (KeyError, TypeError, ValueError):
                return []
        return points_in(turns, self.currency)

    @property
    def stronger(self) -> list[dict[str, Any]]:
        """The weak rep turns that have a stronger answer (scorecard rows)."""
        return [r for r in self.turns if r.get("stronger")]


STRONGER = "A strong rep might say"
#: The outcome of a session that stopped before it ended (resumable from history).
NOT_FINISHED = "Not finished yet"


# ------------------------------------------------------------ text


def render_text(d: Debrief) -> str:
    """A plain-text debrief for the terminal (after the transcript `shadowbox play` prints)."""
    lines = [f"{k}: {v}" for k, v in d.summary(dated=False)]
    for h in d.habits:
        value = f"{h.score:5.1f}" if h.score is not None else "    –"
        lines.append(f"  {h.title:<22} {value}  {h.detail}")
    lines += d.notes
    if d.points:
        lines.append("Turning points:")
        lines += [f"  {'▲' if p.good else '▼'} {p.text}" for p in d.points]
    if d.turns:
        lines.append("Turns:")
        for r in d.turns:
            lines.append(f"  {r['turn']:>2}. {verdict_text(r, d.names)}")
            if r.get("stronger"):
                lines.append(f"      {STRONGER}: “{r['stronger']}”")
    lines.append("Lesson: " + d.lesson)
    return "\n".join(lines)


# ------------------------------------------------------------ JSON


def to_json(d: Debrief) -> str:
    """The whole record: the session, its scorecard and every turn with its verdicts."""
    r = d.record
    out = {key: r[key] for key in ("id", "scenario", "title", "persona", "seed", "plan")}
    out |= {"started": _iso(r["started"]), "updated": _iso(r["updated"]),
            "status": r["status"], "scorecard": r["scorecard"], "turns": r["turns"]}
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


# ------------------------------------------------------------ Markdown


def _md_escape(text: str) -> str:
    return "".join("\\" + c if c in "\\`*[]<>|" else c for c in text)


def _marked(text: str, spans: list[tuple[int, int]], mark, escape) -> str:
    out, pos = [], 0
    for start, end in spans:
        out.append(escape(text[pos:start]))
        out.append(mark(escape(text[start:end])))
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def to_markdown(d: Debrief) -> str:
    lines = [f"# {_md_escape(d.title)}", "", f"Shadowbox session {d.id}", ""]
    lines += [f"- **{k}:** {_md_escape(v)}" for k, v in d.summary()]
    if d.habits:
        lines += ["", "## Habits", "", "| Habit | Score | Detail |", "|---|---:|---|"]
        lines += [f"| {h.title} | {h.score_text} | {_md_escape(h.detail)} |" for h in d.habits]
    if d.notes:
        lines += ["", "## Against your plan", ""] + [f"- {_md_escape(n)}" for n in d.notes]
    if d.points:
        lines += ["", "## Turning points", ""] + [
            f"- {'▲' if p.good else '▼'} {_md_escape(p.text)}" for p in d.points]
    lines += ["", "## Conversation", ""]
    for ln in d.lines:
        if ln.speaker == "rep":
            said = _marked(ln.text, ln.spans, lambda s: f"**{s}**", _md_escape)
            lines.append(f"**{ln.who}:** {said}  ")
            lines.append(f"*{ln.verdicts}*" if ln.verdicts else "")
            if ln.stronger:
                lines += ["", f"> {STRONGER}: “{_md_escape(ln.stronger)}”"]
        else:
            lines.append(f"**{_md_escape(ln.who)}:** {_md_escape(ln.text)}")
        lines.append("")
    if d.lesson:
        lines += ["## Lesson", "", _md_escape(d.lesson), ""]
    return "\n".join(lines).rstrip() + "\n"


# ------------------------------------------------------------ HTML

CSS = """
body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;
line-height:1.45;color:#1d1f24;background:#fafafa}
h1{font-size:1.5rem}dt{font-weight:600}dl{display:grid;grid-template-columns:8rem 1fr;gap:.2rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
.turn{margin:.6rem 0;padding:.5rem .8rem;border-radius:.4rem}
.buyer{background:#eef1f7;border-left:4px solid #5b6b8c}
.rep{background:#eef7ee;border-left:4px solid #3d8b47;margin-left:2rem}
.good{color:#1b5e20}.bad{color:#b3261e}.who{font-weight:600}.verdicts{font-size:.85rem;color:#444}.stronger{margin-top:.3rem;font-style:italic;color:#1b5e20}mark{background:#ffe27a}
@media (prefers-color-scheme: dark){body{background:#16181d;color:#e4e6eb}
.buyer{background:#23283a}.rep{background:#1f3324}.verdicts{color:#b9bcc4}.stronger{color:#9fdca6}
mark{background:#7a6412;color:#fff}td,th{border-color:#444}}
"""


def to_html(d: Debrief) -> str:
    e = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(d.title)} · Shadowbox session {e(str(d.id))}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{e(d.title)}</h1>",
        "<dl>" + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in d.summary()) + "</dl>",
    ]
    if d.habits:
        parts.append("<h2>Habits</h2><table><tr><th>Habit</th><th>Score</th><th>Detail</th></tr>"
                     + "".join(f"<tr><td>{e(h.title)}</td><td>{e(h.score_text)}</td>"
                               f"<td>{e(h.detail)}</td></tr>" for h in d.habits) + "</table>")
    if d.notes:
        parts.append("<h2>Against your plan</h2><ul>"
                     + "".join(f"<li>{e(n)}</li>" for n in d.notes) + "</ul>")
    if d.points:
        parts.append("<h2>Turning points</h2><ul>" + "".join(
            f'<li class="{"good" if p.good else "bad"}">{"▲" if p.good else "▼"} {e(p.text)}'
            "</li>" for p in d.points) + "</ul>")
    parts.append("<h2>Conversation</h2>")
    for ln in d.lines:
        who = e(ln.who)
        if ln.speaker == "rep":
            verdicts = f'<div class="verdicts">{e(ln.verdicts)}</div>' if ln.verdicts else ""
            if ln.stronger:
                verdicts += f'<div class="stronger">{STRONGER}: “{e(ln.stronger)}”</div>'
            said = _marked(ln.text, ln.spans, lambda s: f"<mark>{s}</mark>", e)
            parts.append(f'<div class="turn rep"><span class="who">{who}:</span> '
                         f"{said}{verdicts}</div>")
        else:
            parts.append(f'<div class="turn buyer"><span class="who">{who}:</span> '
                         f"{e(ln.text)}</div>")
    if d.lesson:
        parts.append(f"<h2>Lesson</h2><p>{e(d.lesson)}</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
