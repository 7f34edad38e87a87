"""Exports of one stored session: Markdown, HTML and JSON.

All three read the record `Store.load(sid)` returns (the session row, its
scorecard and its turns), so an export works even when the scenario file has
changed or gone since the session was played.
"""

from __future__ import annotations

import html
import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.errors import ShadowboxError, display_path
from simulator.money import format_money
from simulator.scorecard import HABIT_TITLES, build, shown_name

if TYPE_CHECKING:
    from simulator.session import Session

FORMATS = ("md", "html", "json")

#: Set by `shadowbox serve` for the apps it runs: every export goes into this folder, and a
#: path typed in a browser cannot leave it.
EXPORT_DIR_ENV = "SHADOWBOX_EXPORT_DIR"


def export_folder() -> Path | None:
    """The one folder exports are confined to (a served app), or None (anywhere)."""
    value = os.environ.get(EXPORT_DIR_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else None


def export_target(typed: str | Path, default_dir: Path | None = None) -> Path:
    """Where an export typed as `typed` goes: relative to `default_dir` (or the export
    folder of a served app, or here); in a served app, a path that leaves the export folder
    (an absolute path elsewhere, `..`, a symlink out) is a one-line ShadowboxError."""
    jail = export_folder()
    base = jail or (default_dir if default_dir is not None else Path.cwd())
    path = Path(typed).expanduser() if jail is None else Path(typed)
    if not path.is_absolute():
        path = base / path
    if jail is not None:
        try:
            inside = path.resolve().is_relative_to(jail)
        except (OSError, RuntimeError):  # a symlink loop
            inside = False
        if not inside:
            raise ShadowboxError(f"{typed}: exports from this app go only into {jail}; "
                                 "give a file name there")
    return path


def export(record: dict[str, Any], fmt: str) -> str:
    """The session as text in `fmt` (md, html or json)."""
    if fmt == "json":
        return to_json(record)
    if fmt == "md":
        return to_markdown(record)
    if fmt == "html":
        return to_html(record)
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")


def export_dir() -> Path:
    """Where the app writes exports unless told otherwise: Shadowbox's data folder when
    SHADOWBOX_HOME is set (a team's or a test's own place), else the user's documents folder
    (Documents/Shadowbox), else the exports folder in Shadowbox's data folder. Never the
    directory the app happened to be started from."""
    import os

    from simulator.store import data_dir

    if os.environ.get("SHADOWBOX_HOME", "").strip():
        return data_dir() / "exports"
    import platformdirs

    docs = Path(platformdirs.user_documents_dir())
    if docs.is_dir() and docs != Path.home():
        return docs / "Shadowbox"
    return data_dir() / "exports"


def where(path: Path) -> str:
    """A written file's full location as a toast shows it ("~/Documents/Shadowbox/x.md")."""
    full = Path(path).expanduser().resolve()
    try:
        return "~/" + str(full.relative_to(Path.home().resolve()))
    except (ValueError, RuntimeError):
        return str(full)


def default_filename(record: dict[str, Any], fmt: str) -> str:
    return f"shadowbox-{record['id']}-{record['scenario']}.{fmt}"


class ExportExists(ShadowboxError):
    """The export would replace a file that is already there (and overwriting was not
    asked for)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{display_path(path)} already exists; add --force to overwrite it")
        self.path = path


def write_file(path: Path, text: str, *, force: bool = False, make_folder: bool = False) -> None:
    """Write `text` to `path`, never over an existing file unless `force` (the check and
    the create are one step: no window for another writer in between). With `make_folder`,
    a missing folder is created (the app's export folder)."""
    try:
        if make_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w" if force else "x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError:
        raise ExportExists(path) from None
    except OSError as exc:
        raise ShadowboxError(f"{display_path(path)}: cannot write: {exc.strerror or exc}") \
            from None


def write(record: dict[str, Any], fmt: str, path: Path | str, *, force: bool = False,
          make_folder: bool = False) -> Path:
    """Write the export to a file; a one-line ShadowboxError on any failure, ExportExists
    when the file is there already and `force` is not given. With `make_folder`, a missing
    folder is created (the app's export folder)."""
    path = export_target(path)
    text = export(record, fmt)
    if path.is_dir():
        path = export_target(path / default_filename(record, fmt))
    write_file(path, text, force=force, make_folder=make_folder)
    return path


def session_record(session: Session, sid: int | None = None,
                   started: float | None = None) -> dict[str, Any]:
    """The record an export reads (what `Store.load` returns), made from a session in
    memory: a session whose history could not be saved still exports."""
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
        "turns": [t.to_dict() for t in session.turns],
    }


def to_json(record: dict[str, Any]) -> str:
    out = {
        "id": record["id"],
        "scenario": record["scenario"],
        "title": record["title"],
        "persona": record["persona"],
        "seed": record["seed"],
        "plan": record["plan"],
        "started": _iso(record["started"]),
        "updated": _iso(record["updated"]),
        "status": record["status"],
        "scorecard": record["scorecard"],
        "turns": record["turns"],
    }
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds")


# ------------------------------------------------------------ shared facts


def _card(record: dict[str, Any]) -> dict[str, Any]:
    return record.get("scorecard") or {}


def _money(record: dict[str, Any], amount: float | None) -> str:
    return format_money(amount, (_card(record).get("deal") or {}).get("currency", "USD"))


def summary_lines(record: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) rows of the debrief head, shared by Markdown and HTML."""
    card = _card(record)
    o = card.get("outcome") or {}
    d = card.get("deal") or {}
    p = record["persona"] or {}
    rows = [
        ("Scenario", f"{record['title']} ({record['scenario']})"),
        ("Buyer", f"{p.get('name', '?')}, {p.get('role', '?')}, {p.get('company', '?')}"),
        ("Played", f"{_iso(record['started'])} (seed {record['seed']})"),
        ("Outcome", f"{o.get('label', 'Not finished')}"
                    f" [{o.get('status', record['status'])}{', won' if o.get('won') else ''}]"),
    ]
    if d.get("price_in_play"):
        price = _money(record, d.get("price")) if d.get("price") is not None else "no price agreed"
        vs = f" ({d['vs_list_pct']:+.1f}% vs list)" if d.get("vs_list_pct") is not None else ""
        rows.append(("Price", price + vs))
        rows.append(("Deal", f"list {_money(record, d.get('list_price'))}, "
                             f"target {_money(record, d.get('target'))}, "
                             f"walk-away {_money(record, d.get('walk_away'))}, "
                             f"buyer's number {_money(record, d.get('buyer_number'))}"))
    plan = record.get("plan") or {}
    rows.append(("Plan", f"target {_money(record, plan.get('target'))}, walk-away "
                         f"{_money(record, plan.get('walk_away'))}, trade for "
                         f"{', '.join(plan.get('trades') or []) or 'nothing named'}"))
    overall = card.get("overall")
    rows.append(("Overall", f"{overall:.0f}/100" if overall is not None else "–"))
    return rows


def habit_rows(record: dict[str, Any]) -> list[tuple[str, str, str]]:
    out = []
    for h in (_card(record).get("habits") or {}).values():
        score = h.get("score")
        out.append((HABIT_TITLES.get(h["habit"], h["habit"]),
                    f"{score:.0f}" if score is not None else "–", h.get("detail", "")))
    return out


def _stronger(card: dict[str, Any]) -> dict[int, str]:
    """Rep turn number -> the stronger answer the debrief shows under it."""
    return {r["turn"]: r["stronger"] for r in card.get("turns") or [] if r.get("stronger")}


def verdict_text(scores: dict[str, Any], names: dict[str, str] | None = None) -> str:
    parts = [f"question: {scores['question']}", f"price: {scores['price']}",
             f"exchange: {'yes' if scores['exchange'] else 'no'}"]
    if scores.get("gets"):
        parts[-1] += f" ({', '.join(shown_name(g, names) for g in scores['gets'])})"
    if scores.get("stall"):
        parts.append("stall")
    if scores.get("telling"):
        parts.append("telling")
    return " · ".join(parts)


def speaker_name(record: dict[str, Any], turn: dict[str, Any]) -> str:
    return (record["persona"] or {}).get("name", "Buyer") if turn["speaker"] == "buyer" else "You"


# ------------------------------------------------------------ Markdown


def _md_escape(text: str) -> str:
    return "".join("\\" + c if c in "\\`*[]<>|" else c for c in text)


def _md_highlight(text: str, scores: dict[str, Any]) -> str:
    spans = evidence_spans(text, scores)
    out, pos = [], 0
    for start, end in spans:
        out.append(_md_escape(text[pos:start]))
        out.append("**" + _md_escape(text[start:end]) + "**")
        pos = end
    out.append(_md_escape(text[pos:]))
    return "".join(out)


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


def to_markdown(record: dict[str, Any]) -> str:
    card = _card(record)
    lines = [f"# {_md_escape(record['title'])}", "", f"Shadowbox session {record['id']}", ""]
    lines += [f"- **{k}:** {_md_escape(v)}" for k, v in summary_lines(record)]
    habits = habit_rows(record)
    if habits:
        lines += ["", "## Habits", "", "| Habit | Score | Detail |", "|---|---:|---|"]
        lines += [f"| {t} | {s} | {_md_escape(d)} |" for t, s, d in habits]
    notes = list(card.get("plan_notes") or [])
    if card.get("revealed"):
        notes.append("Hidden needs uncovered: "
                     + ", ".join(shown_name(r) for r in card["revealed"]))
    if notes:
        lines += ["", "## Against your plan", ""] + [f"- {_md_escape(n)}" for n in notes]
    lines += ["", "## Conversation", ""]
    stronger = _stronger(card)
    for t in record["turns"]:
        who = speaker_name(record, t)
        if t["speaker"] == "rep":
            lines.append(f"**{who}:** {_md_highlight(t['text'], t.get('scores'))}  ")
            lines.append(f"*{verdict_text(t['scores'], card.get('names'))}*" if t.get("scores") else "")
            if t["index"] // 2 + 1 in stronger:
                lines += ["", f"> A strong rep might say: "
                              f"“{_md_escape(stronger[t['index'] // 2 + 1])}”"]
        else:
            lines.append(f"**{_md_escape(who)}:** {_md_escape(t['text'])}")
        lines.append("")
    if card.get("lesson"):
        lines += ["## Lesson", "", _md_escape(" ".join(card["lesson"].split())), ""]
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
.who{font-weight:600}.verdicts{font-size:.85rem;color:#444}.stronger{margin-top:.3rem;font-style:italic;color:#1b5e20}mark{background:#ffe27a}
@media (prefers-color-scheme: dark){body{background:#16181d;color:#e4e6eb}
.buyer{background:#23283a}.rep{background:#1f3324}.verdicts{color:#b9bcc4}.stronger{color:#9fdca6}
mark{background:#7a6412;color:#fff}td,th{border-color:#444}}
"""


def _html_highlight(text: str, scores: dict[str, Any] | None) -> str:
    out, pos = [], 0
    for start, end in evidence_spans(text, scores):
        out.append(html.escape(text[pos:start]))
        out.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def to_html(record: dict[str, Any]) -> str:
    e = html.escape
    card = _card(record)
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(record['title'])} · Shadowbox session {record['id']}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{e(record['title'])}</h1>",
        "<dl>" + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in summary_lines(record))
        + "</dl>",
    ]
    habits = habit_rows(record)
    if habits:
        parts.append("<h2>Habits</h2><table><tr><th>Habit</th><th>Score</th><th>Detail</th></tr>"
                     + "".join(f"<tr><td>{e(t)}</td><td>{e(s)}</td><td>{e(d)}</td></tr>"
                               for t, s, d in habits) + "</table>")
    notes = list(card.get("plan_notes") or [])
    if card.get("revealed"):
        notes.append("Hidden needs uncovered: "
                     + ", ".join(shown_name(r) for r in card["revealed"]))
    if notes:
        parts.append("<h2>Against your plan</h2><ul>"
                     + "".join(f"<li>{e(n)}</li>" for n in notes) + "</ul>")
    parts.append("<h2>Conversation</h2>")
    stronger = _stronger(card)
    for t in record["turns"]:
        who = e(speaker_name(record, t))
        if t["speaker"] == "rep":
            said = verdict_text(t["scores"], card.get("names")) if t.get("scores") else ""
            verdicts = f'<div class="verdicts">{e(said)}</div>' if said else ""
            better = stronger.get(t["index"] // 2 + 1)
            if better:
                verdicts += (f'<div class="stronger">A strong rep might say: '
                             f"“{e(better)}”</div>")
            parts.append(f'<div class="turn rep"><span class="who">{who}:</span> '
                         f"{_html_highlight(t['text'], t.get('scores'))}{verdicts}</div>")
        else:
            parts.append(f'<div class="turn buyer"><span class="who">{who}:</span> '
                         f"{e(t['text'])}</div>")
    if card.get("lesson"):
        parts.append(f"<h2>Lesson</h2><p>{e(' '.join(card['lesson'].split()))}</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
