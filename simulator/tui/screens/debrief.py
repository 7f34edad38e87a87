"""Debrief: the outcome, the price against the plan, the habits, each turn and the lesson."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from simulator.coaching import turning_points
from simulator.money import format_money
from simulator.scorecard import HABIT_TITLES, Scorecard, build, shown_name
from simulator.session import Session
from simulator.tui.widgets.deal import DealMeter, Mark
from simulator.tui.widgets.header import Header
from simulator.tui.widgets.score import score_bar

PRICE_WORDS = {"hold": "held", "trade": "traded", "concede": "conceded", "none": "–"}


class DebriefScreen(Screen):
    """How it went and what to practise next."""

    CSS_PATH = "debrief.tcss"
    BINDINGS = [
        Binding("r", "retry(False)", "Retry same seed"),
        Binding("n", "retry(True)", "New seed"),
        Binding("x", "export", "Export"),
        Binding("h", "history", "History"),
        Binding("escape", "home", "Library"),
    ]

    def __init__(self, session: Session, sid: int | None) -> None:
        super().__init__()
        self.session = session
        self.sid = sid
        self.card: Scorecard = build(session)

    def compose(self) -> ComposeResult:
        s, card = self.session, self.card
        o = card.outcome
        d = card.deal
        cur = d["currency"]
        yield Header()
        with VerticalScroll(id="debrief"):
            price = (f" at {format_money(d['price'], cur)}" if d["price"] is not None else "")
            yield Static(Content.assemble(
                ("✓ " if o["won"] else "✗ ", "bold"), (o["label"] + price, "bold"), "\n",
                (f"{s.persona.name}, {s.persona.role} · {len(card.turns)} response(s) · "
                 f"seed {card.seed}"
                 + (f" · session {self.sid}" if self.sid is not None else ""), "dim")),
                id="outcome", classes="won" if o["won"] else "lost")
            if d["price_in_play"]:
                yield Static(self._price_text(), id="price")
                meter = DealMeter(cur, d["walk_away"], s.scenario.money.unit, id="meter")
                marks = [Mark("L", "List", d["list_price"], "$text-muted"),
                         Mark("T", "Target", d["target"], "$success"),
                         Mark("W", "Walk-away", d["walk_away"], "$error")]
                if d["price"] is not None:
                    marks.insert(0, Mark("P", "Deal price", d["price"], "$accent"))
                else:
                    marks.insert(0, Mark("O", "Last offer", d["final_offer"], "$accent"))
                meter.set_marks(*marks)
                yield meter
            yield Static("Habits", classes="section-title")
            overall = f"{card.overall:.0f}/100" if card.overall is not None else "–"
            rows = [Content.assemble(("Overall ", "bold"), overall)]
            for h in card.habits:
                rows.append(Content.assemble((f"{HABIT_TITLES[h.habit]:<22}", "bold"),
                                             score_bar(h.score), "  ", (h.detail, "dim")))
            yield Static(Content("\n").join(rows), id="habits")
            notes = list(card.plan_notes)
            if card.revealed:
                notes.append("Hidden needs uncovered: "
                             + ", ".join(shown_name(r) for r in card.revealed) + ".")
            if notes:
                yield Static("Against your plan", classes="section-title")
                yield Static(Content("\n").join(Content("• " + n) for n in notes), id="plan")
            points = turning_points(s)
            yield Static("Turning points", classes="section-title")
            yield Static(Content("\n").join(
                Content.assemble(("▲ " if p.good else "▼ ",
                                  "$success" if p.good else "$error"), p.text)
                for p in points) if points else Content("The buyer never changed course."),
                id="points")
            stronger = [r for r in card.turns if r.get("stronger")]
            if stronger:
                yield Static("A stronger answer", classes="section-title")
                yield Static(Content("\n\n").join(
                    Content.assemble((f"Turn {r['turn']} ", "bold"), ("you said ", "dim"),
                                     f"“{r['text']}”", "\n",
                                     ("A strong rep might say ", "bold $success"),
                                     f"“{r['stronger']}”")
                    for r in stronger), id="stronger")
            yield Static("Turn by turn", classes="section-title")
            yield DataTable(id="turns", cursor_type="row", zebra_stripes=True)
            yield Static("Lesson", classes="section-title")
            yield Static(Content(" ".join(card.lesson.split())), id="lesson")
        yield Footer()

    def _price_text(self) -> Content:
        d = self.card.deal
        cur = d["currency"]
        if d["price"] is None:
            head = Content.assemble(("No price agreed", "bold"),
                                    f"; your last offer was {format_money(d['final_offer'], cur)}")
        else:
            vs = d["vs_list_pct"]
            head = Content.assemble(("Price ", "bold"), format_money(d["price"], cur),
                                    (f" ({vs:+.1f}% vs list)" if vs is not None else "", "dim"))
        return Content.assemble(
            head, "\n",
            f"list {format_money(d['list_price'], cur)} · target {format_money(d['target'], cur)}"
            f" · walk-away {format_money(d['walk_away'], cur)} · buyer's number "
            f"{format_money(d['buyer_number'], cur)}")

    def on_mount(self) -> None:
        self.title = self.session.scenario.title
        self.sub_title = "Debrief"
        table = self.query_one("#turns", DataTable)
        cur = self.card.deal["currency"]
        table.add_columns("#", "You said", "Question", "Price", "Asked back", "Offer", "Buyer")
        for r in self.card.turns:
            text = r["text"] if len(r["text"]) <= 40 else r["text"][:39] + "…"
            flags = ("stall " if r["stall"] else "") + ("telling" if r["telling"] else "")
            table.add_row(*map(Text, (  # Text: never markup, and measured right
                str(r["turn"]), text + (f" [{flags.strip()}]" if flags else ""),
                r["question"], PRICE_WORDS.get(r["price"], r["price"]),
                ", ".join(shown_name(g, self.card.names) for g in r["gets"]) if r["gets"]
                else ("yes" if r["exchange"] else "–"),
                format_money(r["offer"], cur), format_money(r["buyer_number"], cur))))
        self.query_one("#debrief").focus()

    def action_retry(self, new_seed: bool) -> None:
        """Play it again with the same plan: the same buyer lines, or a new seed."""
        self.app.retry(self.session, new_seed)

    def action_export(self) -> None:
        """Save this session as Markdown, HTML or JSON."""
        self.app.export_session(self.sid, self.session)

    def action_history(self) -> None:
        """Past sessions and progress per habit."""
        self.app.open_history()

    def action_home(self) -> None:
        """Back to the library."""
        self.app.go_home()
