"""The conversation as one scrolling widget that draws only the lines on screen.

A widget per turn costs layout time for every turn on every frame (a 500-turn
session made each scroll step take most of a second); this widget keeps the
rendered lines of each turn and hands Textual just the visible ones (the line
API, as Textual's own Log does). Lines are rendered again only when the width or
the theme changes, and then from the end backwards: the turns on screen first, the
older ones in batches of a few milliseconds between frames (each batch added above the view without
moving it), so a long transcript opens at once and stays responsive while it fills in.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections.abc import Callable

from rich.segment import Segment
from textual.content import Content
from textual.events import MouseMove, Resize
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from simulator.scoring import Score
from simulator.tui.widgets.turn import badges, highlighted, reasons


class Item:
    """One block of the transcript: a buyer line, a rep line or the outcome.

    Content and tooltip may be given as functions, called the first time they are needed,
    so a long transcript only builds the turns it draws."""

    def __init__(self, kind: str, content: Content | Callable[[], Content],
                 tooltip: str | Callable[[], str] = "", score: Score | None = None,
                 names: dict[str, str] | None = None, moves: tuple[str, ...] = ()) -> None:
        self.kind = kind  # "buyer", "revealed", "rep", "outcome-won", "outcome-lost"
        self._content = content
        self._tooltip = tooltip
        self.score = score  # a rep turn's verdicts, drawn as badges under the content
        self.moves = moves  # the moves the buyer read from it
        self.lines: list[Strip] = []
        self.names = names or {}  # gets and gives in words, by id (for the badges)

    @property
    def content(self) -> Content:
        if callable(self._content):
            self._content = self._content()
        return self._content

    @property
    def tooltip(self) -> str:
        if callable(self._tooltip):
            self._tooltip = self._tooltip()
        return self._tooltip


#: Per kind: (left indent, bar character, bar style, right margin).
LOOK = {
    "buyer": (0, "▌ ", "$accent", 6),
    "revealed": (0, "▌ ", "$warning", 6),
    "rep": (6, "▌ ", "$success", 0),
    "outcome-won": (0, "█ ", "$success", 0),
    "outcome-lost": (0, "█ ", "$error", 0),
}


def turn_item(speaker: str, name: str, text: str, score: Score | None = None,
              revealed: str | None = None, number: int | None = None,
              names: dict[str, str] | None = None, moves: tuple[str, ...] = ()) -> Item:
    """A turn of the conversation as a transcript item; rep turns carry their badges."""
    def content() -> Content:
        head = Content.styled(name, "bold $accent" if score is None else "bold $success")
        if number is not None:
            head = Content.assemble(head, (f"  turn {number}", "dim"))
        if revealed:
            head = Content.assemble(head, ("  ★ hidden need uncovered", "$text-warning"))
        return Content("\n").join([head, highlighted(text, score)])

    kind = "revealed" if revealed else speaker
    return Item(kind, content, (lambda: reasons(score)) if score is not None else "",
                score=score, names=names, moves=moves)


class Transcript(ScrollView, can_focus=True):
    """Turns, newest at the bottom; follows the end unless the rep scrolled up."""

    DEFAULT_CSS = """
    Transcript { height: 1fr; padding: 1 1 0 1; scrollbar-gutter: stable; }
    """

    #: Seconds of rendering per batch of older items while filling in (well under a frame).
    BATCH_SECONDS = 0.006
    #: A whole conversation added at once is filled in by batches above this many items.
    BATCH = 12

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[Item] = []
        self._first = 0  # items before this one are not rendered yet (filled in later)
        self._starts: list[int] = []  # first line of each rendered item (items[_first:])
        self._height = 0
        self._width = 0
        self._tip = ""  # the tooltip's text
        self._generation = 0  # bumped on every re-render: stale fill-in batches stop

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._rerender())

    # ------------------------------------------------------------ content

    def clear(self) -> None:
        self.items.clear()
        self._first = 0
        self._generation += 1
        self._starts.clear()
        self._height = 0
        self._update_size()

    def add(self, *items: Item) -> None:
        """Append items and keep the end in view if it was in view."""
        follow = self.is_vertical_scroll_end or not self.items
        if self._width and not self.items and len(items) > self.BATCH:
            self.items.extend(items)  # a whole conversation: the end now, the rest in batches
            self._rerender()
            items = ()
        for item in items:
            self.items.append(item)
            self._starts.append(self._height)
            if self._width:
                self._render_item(item)
                self._height += len(item.lines) + 1
        self._update_size()
        if follow:
            self.call_after_refresh(self.scroll_end, animate=False, immediate=True)

    def _render_item(self, item: Item) -> None:
        indent, bar, bar_style, right = LOOK[item.kind]
        width = max(10, self._width - indent - len(bar) - right)
        style = self.visual_style
        content = item.content
        if item.score is not None:  # badges flowed to the width, never split
            content = Content("\n").join([content, badges(item.score, width, item.moves, item.names)])
        body = Visual.to_strips(self, content, width, None, style)
        bar_rich = Visual.to_strips(self, Content.styled(bar, bar_style), len(bar), 1, style)[0]
        pad = Strip([Segment(" " * indent)]) if indent else None
        item.lines = [Strip.join([s for s in (pad, bar_rich, line) if s is not None])
                      for line in body]

    def _rerender(self) -> None:
        """Render again from the end: enough for the screen now, the rest in batches."""
        self._generation += 1
        self._first = len(self.items)
        self._height = 0
        self._starts = []
        if self._width:
            self._render_before(max(self.size.height, 1) * 2, 1.0)
        else:
            self._first = 0
            self._starts = [0] * len(self.items)
        self._update_size()
        self.refresh()
        if self._first:
            self.call_later(self._fill_in, self._generation)

    def _render_before(self, lines: int, seconds: float) -> int:
        """Render the items just above those rendered, until `lines` lines or `seconds` of
        work (at least one item); returns the lines added (they go above the rendered ones)."""
        added: list[int] = []
        total = 0
        stop = time.perf_counter() + seconds
        while self._first and total < lines and (not added or time.perf_counter() < stop):
            self._first -= 1
            item = self.items[self._first]
            self._render_item(item)
            added.append(len(item.lines) + 1)
            total += added[-1]
        starts, y = [], 0
        for h in reversed(added):
            starts.append(y)
            y += h
        self._starts = starts + [s + total for s in self._starts]
        self._height += total
        return total

    def _fill_in(self, generation: int) -> None:
        """One batch of older items, above the view; then the next, after this frame."""
        if generation != self._generation or not self._first:
            return
        added = self._render_before(1 << 30, self.BATCH_SECONDS)
        self._update_size()  # the same lines stay in view (the end, if it was in view):
        self.scroll_to(y=self.scroll_y + added, animate=False, immediate=True)
        if self._first:
            self.set_timer(0.001, lambda: self._fill_in(generation))

    def _update_size(self) -> None:
        self.virtual_size = Size(self._width, self._height)
        self.refresh()

    def on_resize(self, event: Resize) -> None:
        width = self.scrollable_content_region.width
        if width != self._width:
            at_end = self.is_vertical_scroll_end
            self._width = width
            self._rerender()
            if at_end:
                self.call_after_refresh(self.scroll_end, animate=False, immediate=True)

    # ------------------------------------------------------------ drawing

    def _locate(self, y: int) -> tuple[Item | None, int]:
        """The item at virtual line y and the line within it (-1 for the gap after it)."""
        i = bisect_right(self._starts, y) - 1
        if i < 0 or not self.items:
            return None, -1
        item = self.items[self._first + i]
        row = y - self._starts[i]
        return item, (row if row < len(item.lines) else -1)

    @property
    def filled(self) -> bool:
        """Whether every item is rendered (older ones fill in after a re-render)."""
        return self._first == 0

    def render_lines(self, crop: Region) -> list[Strip]:
        # Drawn before its first Resize (a screen's first frame): lay the turns out now, so
        # that frame shows the conversation rather than the next one.
        width = self.scrollable_content_region.width
        if width and not self._width:
            self._width = width
            self._rerender()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        item, row = self._locate(scroll_y + y)
        if item is None or row < 0:
            return Strip.blank(width, self.rich_style)
        return item.lines[row].crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def on_mouse_move(self, event: MouseMove) -> None:
        """Hovering a response shows why each verdict was given."""
        item, _ = self._locate(self.scroll_offset.y + event.y - self.styles.padding.top)
        tip = item.tooltip if item is not None else ""
        if tip != self._tip:
            self._tip = tip
            self.tooltip = Content(tip) if tip else None  # never markup: it quotes the rep

    @property
    def line_count(self) -> int:
        return self._height

