"""Practice: the conversation, the verdicts on every response, the deal and a hint key."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from simulator.errors import Problem, ShadowboxError, display_path
from simulator.money import format_money
from simulator.scorecard import SHORT_HABITS, build, term_names
from simulator.session import Session, Turn
from simulator.wording import counted
from simulator.store import Recording
from simulator.tui.widgets.deal import DealMeter, Mark
from simulator.tui.widgets.header import Header
from simulator.tui.widgets.reply import ReplyInput
from simulator.tui.widgets.score import score_bar
from simulator.tui.widgets.transcript import Item, Transcript, turn_item


def live_score(total, finished: bool) -> float | None:
    """A habit's score as the side panel shows it mid-conversation: open questions stay
    blank ("–") until a question has been asked, as everywhere else a habit that has not
    come up is blank; the debrief, once the conversation is over, counts no question as 0."""
    if (total.habit == "open_questions" and not finished
            and not total.counts.get("open") and not total.counts.get("closed")):
        return None
    return total.score


def deal_marks(session: Session) -> list[Mark]:
    """The standing offer, the buyer's number and the walk-away, as meter marks."""
    d = session.deal
    return [
        Mark("O", "Your offer", d.offer, "$success"),
        Mark("B", "Buyer wants", d.buyer_number, "$accent"),
        Mark("W", "Walk-away", d.walk_away, "$error"),
    ]


class PracticeScreen(Screen):
    """Talk to the buyer; every response is scored as you go."""

    CSS_PATH = "practice.tcss"
    AUTO_FOCUS = "#reply"
    BINDINGS = [
        Binding("f2,ctrl+g", "hint", "Hint"),
        Binding("ctrl+e", "end", "End & debrief", priority=True),
        Binding("escape", "leave", "Leave (saved)"),
        Binding("pageup", "scroll(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll(1)", "Scroll down", show=False),
    ]

    def __init__(self, session: Session, recording: Recording | None = None, *,
                 watch: bool = False) -> None:
        super().__init__()
        self.session = session
        self.recording = recording
        self.watch = watch
        self._mtimes: dict[Path, float] = {}
        self._outcome_shown = False

    @property
    def sid(self) -> int | None:
        """The session's id in the history (None until the database has taken it)."""
        return self.recording.sid if self.recording is not None else None

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        s = self.session
        p = s.persona
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield Transcript(id="transcript")
                yield Static(id="hint", classes="panel")
            with Vertical(id="side"):
                yield Static(Content.assemble((p.name, "bold $accent"), "\n",
                                              (f"{p.role}, {p.company}", "dim")), id="who")
                m = s.scenario.money
                meter = DealMeter(m.currency, s.deal.walk_away, m.unit, id="deal", classes="panel")
                meter.display = m.price_in_play
                yield meter
                yield Static(id="totals", classes="panel")
        yield Static(id="watch-problems")
        yield ReplyInput(placeholder="Your response to the buyer (Enter sends)", id="reply",
                    max_length=2000)
        yield Footer()

    def on_mount(self) -> None:
        s = self.session
        self.title = s.scenario.title
        self.show_saving()
        self.query_one("#deal").border_title = "Deal"
        self.query_one("#totals").border_title = "So far"
        hint = self.query_one("#hint")
        hint.border_title = "Hint (F2)"
        hint.display = False
        self.query_one("#watch-problems").display = False
        self.render_all()
        if self.watch:
            self._watch_paths()
            self.set_interval(self.app.watch_interval, self.check_files)

    def show_saving(self) -> None:
        """The seed, and whether history is being saved (under the header)."""
        rec = self.recording
        failing = rec is not None and rec.error is not None
        self.sub_title = f"seed {self.session.seed}" + (
            " · history not being saved (kept; retrying)" if failing else "")

    def turn_item(self, turn: Turn) -> Item:
        s = self.session
        if turn.speaker == "buyer":
            return turn_item("buyer", s.persona.name, turn.text, revealed=turn.revealed)
        return turn_item("rep", "You", turn.text, turn.score, number=turn.index // 2 + 1,
                         names=term_names(s.scenario), moves=turn.moves)

    def render_all(self) -> None:
        """Show the whole conversation (on open, resume or reload)."""
        transcript = self.query_one("#transcript", Transcript)
        transcript.clear()
        self._outcome_shown = False
        transcript.add(*[self.turn_item(t) for t in self.session.turns])
        self.after_turn()

    def after_turn(self) -> None:
        """Refresh the side panel and the input after the conversation moved."""
        s = self.session
        self.query_one("#deal", DealMeter).set_marks(*deal_marks(s))
        card = build(s)
        rows = [Content.assemble((f"{SHORT_HABITS.get(h.habit, h.habit):<11}", "bold"),
                                 score_bar(live_score(h, s.finished), 8)) for h in card.habits]
        revealed = len(s.buyer.progress.revealed)
        total_reveals = len(s.buyer.reveals)
        rows.append(Content(
            f"Turns {len(card.turns)} · gave {card.concessions} · asked {card.gets_asked}"
            + (f"\nHidden needs found {revealed}/{total_reveals}" if total_reveals else "")))
        self.query_one("#totals", Static).update(Content("\n").join(rows))
        self.update_hint()
        if s.finished:
            self.show_outcome()

    def scroll_to_end(self) -> None:
        """Keep the newest line in view (after the layout has changed)."""
        transcript = self.query_one("#transcript", Transcript)
        self.call_after_refresh(transcript.scroll_end, animate=False, immediate=True)

    def update_hint(self) -> None:
        hint = self.query_one("#hint", Static)
        if not hint.display:
            return
        from simulator.coaching import hint_for  # (F2 alone needs it)

        h = hint_for(self.session)
        parts = [Content.styled(h.title, "bold $accent"), Content(h.advice)]
        if h.tip:
            parts.append(Content.styled("Last time: " + h.tip, "$text-warning"))
        hint.update(Content("\n").join(parts))

    def show_outcome(self) -> None:
        s = self.session
        o = s.outcome
        reply = self.query_one("#reply", Input)
        if self._outcome_shown:
            return
        self._outcome_shown = True
        price = (f" · {format_money(o.price, s.scenario.money.currency)}"
                 if o.price is not None else "")
        self.query_one("#transcript", Transcript).add(Item(
            "outcome-won" if o.won else "outcome-lost",
            Content.assemble(("✓ " if o.won else "✗ ", "bold"), (o.label + price, "bold"), "\n",
                             ("Press Enter or ctrl+e for the debrief.", "dim"))))
        reply.placeholder = "The conversation has ended: Enter opens the debrief"
        reply.value = ""

    # ------------------------------------------------------------ talking

    @on(Input.Submitted, "#reply")
    def send(self, event: Input.Submitted) -> None:
        event.stop()
        s = self.session
        if s.finished:
            self.action_end()
            return
        text = event.value.strip()
        if not text:
            self.notify("Type what you would say to the buyer, then Enter.", timeout=3)
            return
        rep, buyer = s.respond(text)  # the ReplyInput emptied itself on Enter
        self.query_one("#transcript", Transcript).add(self.turn_item(rep), self.turn_item(buyer))
        if s.finished:
            self.app.finish(self.recording, s)
        else:
            self.app.tell(self.recording)
        self.show_saving()
        self.after_turn()

    # ------------------------------------------------------------ actions

    def action_hint(self) -> None:
        """Show or hide the playbook habit that fits this moment."""
        hint = self.query_one("#hint", Static)
        hint.display = not hint.display
        self.update_hint()
        self.scroll_to_end()

    def action_end(self) -> None:
        """End the conversation here (if it has not ended) and open the debrief."""
        from simulator.tui.screens.debrief import DebriefScreen

        s = self.session
        if not s.finished:
            s.end()
            self.app.finish(self.recording, s)
        self.app.switch_screen(DebriefScreen(s, self.sid))

    def action_leave(self) -> None:
        """Back to the library; the session is saved and can be resumed from History."""
        rec = self.recording
        if self.forget_if_untouched():
            rec = None
        elif rec is not None and rec.error is not None:
            rec.save(final=True)  # one more try before the screen goes
            self.app.tell(rec)
        if rec is not None and not self.session.finished and rec.sid is not None \
                and rec.error is None:
            self.notify(f"Session {rec.sid} saved. Resume it from History (h).", timeout=4)
        self.app.pop_screen()

    def on_unmount(self) -> None:
        self.forget_if_untouched()

    def forget_if_untouched(self) -> bool:
        """A practice left before the rep said a word is not a session: drop its history
        row (the buyer's opening line is all it holds). True when it was dropped."""
        rec = self.recording
        if rec is None or self.session.finished or self.session.rep_turns():
            return False
        try:
            rec.forget()
        except ShadowboxError:
            return False
        self.recording = None
        return True

    def action_scroll(self, pages: int) -> None:
        transcript = self.query_one("#transcript", Transcript)
        if pages < 0:
            transcript.scroll_page_up()
        else:
            transcript.scroll_page_down()

    # ------------------------------------------------------------ --watch

    def _watch_paths(self) -> None:
        lib = self.app.library
        s = self.session
        for key in (f"scenario:{s.scenario.id}", f"persona:{s.persona.id}"):
            path = lib.files.get(key)
            if path is not None:
                self._mtimes[path] = _mtime(path)

    def check_files(self) -> None:
        """Reload the scenario when its file (or its persona's) changes on disk."""
        changed = [p for p, t in self._mtimes.items() if _mtime(p) != t]
        if not changed:
            return
        for p in changed:
            self._mtimes[p] = _mtime(p)
        self.reload()

    def reload(self) -> None:
        """Load the library again and replay this conversation on the new scenario."""
        lib = self.app.reload_library()
        watched = {display_path(p) for p in self._mtimes}
        problems = [p for p in lib.problems if p.path in watched]
        box = self.query_one("#watch-problems", Static)
        old = self.session
        if old.scenario.id not in lib.scenarios or any(p.severity == "error" for p in problems):
            self.show_problems(box, problems or [Problem(
                ", ".join(sorted(watched)), 0, 0,
                f"scenario '{old.scenario.id}' is not in the library any more")])
            return
        box.display = False
        scenario = lib.scenarios[old.scenario.id]
        new = Session(scenario, lib.persona_of(scenario), seed=old.seed, plan=old.plan,
                      scorer=old.scorer)
        for t in old.rep_turns():
            if new.finished:
                break
            new.respond(t.text)
        self.session = new
        # The same practice, replayed: it takes the old row's place in the history, so
        # reloading five times still leaves one session.
        was, self.recording = self.recording, self.app._record(new)
        if was is not None and was.sid is not None and self.sid is not None:
            try:
                was.forget()
            except ShadowboxError as exc:
                self.app.show_error(exc.message)
        if new.finished:
            self.app.finish(self.recording, new)
        self.render_all()
        replayed = counted(len(new.rep_turns()), "response")
        self.notify(f"Reloaded {scenario.id}; replayed {replayed}.", timeout=3)

    def show_problems(self, box: Static, problems: list[Problem]) -> None:
        box.update(Content("\n").join(
            [Content.styled("The scenario file has problems (still playing the last good "
                            "version):", "bold")]
            + [Content(str(p)) for p in problems[:6]]))
        box.display = True  # the box is the message: no toast on top of it


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1.0
