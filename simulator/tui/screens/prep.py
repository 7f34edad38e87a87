"""Prep: the rep's plan (target, walk-away, what to trade for), prefilled and skippable."""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, SelectionList, Static

from simulator.model import Scenario
from simulator.money import amount_text, format_money
from simulator.session import Plan
from simulator.tui.widgets.header import Header

NUMBER = re.compile(r"^\s*[^\d.-]{0,4}\s*(-?\d[\d,]*(?:\.\d+)?|-?\.\d+)\s*$")


def parse_amount(text: str) -> float | None:
    """"$8.20", "8.2", "8,200" -> a number; None when it is not one."""
    m = NUMBER.match(text)
    if not m:
        return None
    return float(m.group(1).replace(",", ""))


def check_plan(target_text: str, walk_text: str, trades: list[str]) -> tuple[Plan | None, str]:
    """The plan from the form, or None and what is wrong with it."""
    target, walk = parse_amount(target_text), parse_amount(walk_text)
    if target is None:
        return None, f"Target: '{target_text}' is not a price (e.g. 8.50)."
    if walk is None:
        return None, f"Walk-away: '{walk_text}' is not a price (e.g. 8.20)."
    if target <= 0 or walk <= 0:
        return None, "Prices must be above zero."
    if walk > target:
        return None, "Your walk-away is above your target: the walk-away is your floor."
    return Plan(target, walk, tuple(trades)), ""


class PrepScreen(Screen):
    """Plan before the meeting: the playbook says set your walk-away before you start."""

    CSS_PATH = "prep.tcss"
    BINDINGS = [
        Binding("ctrl+s", "start", "Start with this plan"),
        Binding("ctrl+n", "skip", "No plan: start"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        sc = self.scenario
        m = sc.money
        default = Plan.default(sc)
        yield Header()
        with VerticalScroll(id="prep"):
            yield Static(Content.assemble(("Plan: ", "bold"), (sc.title, "bold $accent")),
                         id="heading")
            yield Static(Content(
                "Set your target and the price you will walk away at before you start, and "
                "decide what you will ask for in return for any move. The debrief checks you "
                "against this plan." if m.price_in_play else
                "This conversation is not about price: decide what you will ask for before "
                "you start. The debrief checks you against this plan."), classes="muted")
            if m.price_in_play:
                yield Static(Content(
                    f"List {format_money(m.list_price, m.currency)} · buyer's number "
                    f"{format_money(m.buyer_target, m.currency)}"
                    + (f" · competitor {format_money(m.competitor_price, m.currency)}"
                       if m.competitor_price else "")
                    + f" · per {m.unit}"), id="numbers")
                with Horizontal(id="prices"):
                    with Vertical(classes="field"):
                        yield Label("Target")
                        yield Input(amount_text(default.target), id="target", compact=True)
                    with Vertical(classes="field"):
                        yield Label("Walk-away")
                        yield Input(amount_text(default.walk_away), id="walk_away",
                                    compact=True)
            yield Label("What you will ask for in return (space toggles)")
            yield SelectionList[str](
                *[(Content(g.name + (f" — {g.worth}" if g.worth else "")), g.id,
                   g.id in default.trades)
                  for g in sc.gets],
                id="trades",
            )
            yield Static(id="error", classes="error-text")
            with Horizontal(id="buttons"):
                yield Button("Start", variant="primary", id="start")
                yield Button("Skip plan", id="skip")
                yield Button("Back", id="back")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Prep"
        self.query_one("#target" if self.scenario.money.price_in_play else "#trades").focus()

    def plan(self) -> Plan | None:
        trades = list(self.query_one("#trades", SelectionList).selected)
        if not self.scenario.money.price_in_play:
            return Plan(None, None, tuple(trades))
        plan, error = check_plan(
            self.query_one("#target", Input).value,
            self.query_one("#walk_away", Input).value,
            trades)
        self.query_one("#error", Static).update(Content(error))
        return plan

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "target":
            self.query_one("#walk_away").focus()
        else:
            self.action_start()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        {"start": self.action_start, "skip": self.action_skip,
         "back": self.action_back}[event.button.id]()

    def action_start(self) -> None:
        """Start practising with the plan on the form."""
        plan = self.plan()
        if plan is not None:
            self.app.begin(self.scenario, plan, replace=True)

    def action_skip(self) -> None:
        """Start with the scenario's default plan."""
        self.app.begin(self.scenario, replace=True)

    def action_back(self) -> None:
        """Back to the library."""
        self.app.pop_screen()
