"""The exports of a drill (Markdown, CSV, JSON), rendered from its data (`Drill.to_dict()`).

The history stores a drill's data, never a rendered document, so a drill is exported the
same way live and from history: `simulator.export.render("drill", fmt, data)`.
Every cell of the CSV that a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from simulator.habits import HABITS, TITLES as HABIT_TITLES
from simulator.scorecard import shown_name

#: What makes a spreadsheet read a cell as a formula (or, after a tab or CR, another cell).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_FIELDS = ("drill", "date", "scenario", "round", "moment", "buyer_line", "participant",
              "status", "answer", "price", "question", "exchange", "gets", "stall",
              "telling", *HABITS, "overall", "seconds", "advice")


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: a name or answer such as
    "=HYPERLINK(...)" gets a leading apostrophe, the OWASP-recommended neutraliser."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _yes(value: Any) -> str:
    return "yes" if value else "no"


def to_csv(data: dict[str, Any]) -> str:
    """One row per answer, skips and empty answers included; one column per habit
    (empty when not scored), "advice" holds the line of coaching."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
    w.writeheader()
    for r in data["rounds"]:
        for a in r["answers"]:
            s = a.get("score")
            row = {
                "drill": data["id"], "date": data["started_at"][:10],
                "scenario": data["scenario"], "round": r["number"], "moment": r["moment"],
                "buyer_line": r["line"], "participant": a["participant"],
                "status": a["status"], "answer": a["text"],
                "price": s["price"] if s else "", "question": s["question"] if s else "",
                "exchange": _yes(s["exchange"]) if s else "",
                "gets": ";".join(shown_name(g, data.get("names")) for g in s["gets"]) if s else "",
                "stall": _yes(s["stall"]) if s else "",
                "telling": _yes(s["telling"]) if s else "",
                "overall": "" if a["overall"] is None else a["overall"],
                "seconds": "" if a.get("seconds") is None else round(a["seconds"], 1),
                "advice": a["coaching"],
            }
            for h in HABITS:
                v = (a.get("habits") or {}).get(h)
                row[h] = "" if v is None else v
            w.writerow({k: csv_cell(v) for k, v in row.items()})
    return buf.getvalue()


def _cell(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.0f}"
    return str(v).replace("|", "\\|").replace("\n", " ")


def to_markdown(data: dict[str, Any]) -> str:
    cell = _cell
    habits = list(data.get("habits") or {})
    p = data.get("persona") or {}
    timer = data.get("timer")
    out = [f"# Drill: {data['title']}", "",
           f"- Buyer: {p.get('name', '?')}, {p.get('role', '?')}, {p.get('company', '?')}",
           f"- Date: {data['started_at'][:16].replace('T', ' ')} UTC",
           f"- Team: {', '.join(data['participants'])}",
           f"- Rounds: {len(data['rounds'])}" + (f" · timer {timer:g}s" if timer else ""),
           "", "## Leaderboard", "",
           "| Place | Name | Overall | " + " | ".join(HABIT_TITLES[h] for h in habits)
           + " | Answers | Passes |",
           "|---|---|---:|" + "---:|" * len(habits) + "---:|---:|"]
    for s in data["leaderboard"]:
        out.append(f"| {s['place']} | {cell(s['name'])} | {cell(s['overall'])} | "
                   + " | ".join(cell(s["habits"].get(h)) for h in habits)
                   + f" | {s['attempts']} | {s['skipped']} |")
    out += ["", "## Summary", ""]
    for ps in data["summary"]:
        out.append(f"### {ps['name']}")
        best = ps.get("best_answer")
        if best is not None:
            out.append(f"- Best answer (round {best['round']}, {cell(best['overall'])}): "
                       f"\"{cell(best['text'])}\"")
        else:
            out.append("- Best answer: none that held the price")
        if ps.get("focus"):
            out.append(f"- Work on: **{HABIT_TITLES[ps['focus']]}**. {ps['focus_tip']}")
        else:
            out.append(f"- {ps['focus_tip']}")
        out.append("")
    out += ["## Rounds", ""]
    for r in data["rounds"]:
        # the line is the moment as the room heard it; a title only for the manager's own
        # (a scenario's moment is titled by its state or persona id, an author's word)
        heading = f": {r['title']}" if r.get("source") == "manager" else ""
        out += [f"### Round {r['number']}{heading}", "", f"> {cell(r['line'])}", ""]
        for a in r["answers"]:
            if a["status"] == "skipped":
                out.append(f"- **{cell(a['participant'])}** passed.")
                continue
            said = f"\"{cell(a['text'])}\"" if a["text"] else "(no answer)"
            out.append(f"- **{cell(a['participant'])}** ({cell(a['overall'])}): {said}  ")
            out.append(f"  {', '.join(a['badges'])}. *{cell(a['coaching'])}*")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
