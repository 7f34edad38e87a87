"""Debrief: the outcome, the price against the plan, the habits, each turn and the lesson.

One renderer of `simulator.debrief.Debrief`, like the text, Markdown and HTML ones: a
session just played and a session reviewed from history show the same model.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from simulator.debrief import STRONGER, Debrief
from simulator.scorecard import shown_name
from simulator.session import Session
from simulator.tui.widgets.deal import DealMeter, Mark
from simulator.tui.widgets.header import Header
from simulator.tui.widgets.score import score_bar
from simulator.wording import counted

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

    def __init__(self, session: Session | None, sid: int | None,
                 record: dict | None = None) -> None:
        """The debrief of `session` as it stands, or of a stored `record` (`Store.load`):
        then `session` is its replay, or None when its scenario has gone (no retry)."""
        super().__init__()
        self.session = session
        self.sid = sid
        if record is None and session is None:
            raise ValueError("a debrief needs a session or a stored record")
        self.card = (Debrief.from_record(record) if record is not None
                     else Debrief.from_session(session, sid))

    def compose(self) -> ComposeResult:
        card = self.card
        d, p = card.deal, card.persona
        yield Header()
        with VerticalScroll(id="debrief"):
            price = f" · {card.money(d['price'])}" if d.get("price") is not None else ""
            yield Static(Content.assemble(
                ("✓ " if card.won else "✗ ", "bold"), (card.label + price, "bold"),
                "\n",
                (f"{p.get('name', '?')}, {p.get('role', '?')} · "
                 f"{counted(len(card.turns), 'response')} · seed {card.seed}"
                 + (f" · session {self.sid}" if self.sid is not None else ""), "dim")),
                id="outcome", classes="won" if card.won else "lost")
            if d.get("price_in_play"):
                yield Static(self._price_text(), id="price")
                meter = DealMeter(card.currency, d["walk_away"], d["unit"], id="meter")
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
            rows = [Content.assemble(("Overall ", "bold"), card.overall_text)]
            for h in card.habits:
                rows.append(Content.assemble((f"{h.title:<22}", "bold"),
                                             score_bar(h.score), "  ", (h.detail, "dim")))
            yield Static(Content("\n").join(rows), id="habits")
            if card.notes:
                yield Static("Against your plan", classes="section-title")
                yield Static(Content("\n").join(Content("• " + n) for n in card.notes),
                             id="plan")
            points = card.points
            yield Static("Turning points", classes="section-title")
            yield Static(Content("\n").join(
                Content.assemble(("▲ " if pt.good else "▼ ",
                                  "$success" if pt.good else "$error"), pt.text)
                for pt in points) if points else Content("The buyer never changed course."),
                id="points")
            if card.stronger:
                yield Static("A stronger answer", classes="section-title")
                yield Static(Content("\n\n").join(
                    Content.assemble((f"Turn {r['turn']} ", "bold"), ("you said ", "dim"),
                                     f"“{r['text']}”", "\n",
                                     (STRONGER + " ", "bold $success"),
                                     f"“{r['stronger']}”")
                    for r in card.stronger), id="stronger")
            yield Static("Turn by turn", classes="section-title")
            yield DataTable(id="turns", cursor_type="row", zebra_stripes=True)
            yield Static("Lesson", classes="section-title")
            yield Static(Content(card.lesson), id="lesson")
        yield Footer()

    def _price_text(self) -> Content:
        card = self.card
        d = card.deal
        if d["price"] is None:
            head = Content.assemble(("No price agreed", "bold"),
                                    f"; your last offer was {card.money(d['final_offer'])}")
        else:
            vs = d["vs_list_pct"]
            head = Content.assemble(("Price ", "bold"), card.money(d["price"]),
                                    (f" ({vs:+.1f}% vs list)" if vs is not None else "", "dim"))
        return Content.assemble(head, "\n", card.deal_text(" · "))

    def on_mount(self) -> None:
        self.title = self.card.title
        self.sub_title = "Debrief"
        table = self.query_one("#turns", DataTable)
        money = self.card.money
        table.add_columns("#", "You said", "Question", "Price", "Asked back", "Offer", "Buyer")
        for r in self.card.turns:
            text = r["text"] if len(r["text"]) <= 40 else r["text"][:39] + "…"
            flags = ("stall " if r["stall"] else "") + ("telling" if r["telling"] else "")
            table.add_row(*map(Text, (  # Text: never markup, and measured right
                str(r["turn"]), text + (f" [{flags.strip()}]" if flags else ""),
                r["question"], PRICE_WORDS.get(r["price"], r["price"]),
                ", ".join(shown_name(g, self.card.names) for g in r["gets"]) if r["gets"]
                else ("yes" if r["exchange"] else "–"),
                money(r["offer"]), money(r["buyer_number"]))))
        self.query_one("#debrief").focus()

    def action_retry(self, new_seed: bool) -> None:
        """Play it again with the same plan: the same buyer lines, or a new seed."""
        if self.session is None:
            self.app.notify(f"Scenario '{self.card.record['scenario']}' is not in the library "
                            "any more, so this session cannot be played again.", timeout=6)
            return
        self.app.save_pending()
        self.app.retry(self.session, new_seed)

    def action_export(self) -> None:
        """Save this session as Markdown, HTML or JSON."""
        self.app.export_session(self.sid, self.session)

    def action_history(self) -> None:
        """Past sessions and progress per habit."""
        self.app.save_pending()
        self.app.open_history()

    def action_home(self) -> None:
        """Back to the library."""
        self.app.save_pending()
        self.app.go_home()
