"""The conversation as one scrolling widget that draws only the lines on screen.

A widget per turn costs layout time for every turn on every frame (a 500-turn
session made each scroll step take most of a second); this widget keeps the
rendered lines of each turn and hands Textual just the visible ones (the line
API, as Textual's own Log does). Lines are rendered again only when the width or
the theme changes.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from rich.segment import Segment
from textual.content import Content
from textual.events import MouseMove, Resize
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from simulator.scoring import Score
from simulator.tui.widgets.turn import badges, highlighted, reasons


@dataclass
class Item:
    """One block of the transcript: a buyer line, a rep line or the outcome."""

    kind: str  # "buyer", "rep", "outcome-won", "outcome-lost"
    content: Content
    tooltip: str = ""
    lines: list[Strip] = field(default_factory=list)
    score: Score | None = None  # a rep turn's verdicts, drawn as badges under the content
    names: dict[str, str] = field(default_factory=dict)  # gets and gives in words, by id


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
              names: dict[str, str] | None = None) -> Item:
    """A turn of the conversation as a transcript item; rep turns carry their badges."""
    head = Content.styled(name, "bold $accent" if score is None else "bold $success")
    if number is not None:
        head = Content.assemble(head, (f"  turn {number}", "dim"))
    if revealed:
        head = Content.assemble(head, ("  ★ hidden need uncovered", "$text-warning"))
    kind = "revealed" if revealed else speaker
    return Item(kind, Content("\n").join([head, highlighted(text, score)]),
                reasons(score) if score is not None else "", score=score, names=names or {})


class Transcript(ScrollView, can_focus=True):
    """Turns, newest at the bottom; follows the end unless the rep scrolled up."""

    DEFAULT_CSS = """
    Transcript { height: 1fr; padding: 1 1 0 1; scrollbar-gutter: stable; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[Item] = []
        self._starts: list[int] = []  # first line of each item
        self._height = 0
        self._width = 0

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._rerender())

    # ------------------------------------------------------------ content

    def clear(self) -> None:
        self.items.clear()
        self._starts.clear()
        self._height = 0
        self._update_size()

    def add(self, *items: Item) -> None:
        """Append items and keep the end in view if it was in view."""
        follow = self.is_vertical_scroll_end or not self.items
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
            content = Content("\n").join([content, badges(item.score, width, item.names)])
        body = Visual.to_strips(self, content, width, None, style)
        bar_rich = Visual.to_strips(self, Content.styled(bar, bar_style), len(bar), 1, style)[0]
        pad = Strip([Segment(" " * indent)]) if indent else None
        item.lines = [Strip.join([s for s in (pad, bar_rich, line) if s is not None])
                      for line in body]

    def _rerender(self) -> None:
        self._height = 0
        self._starts = []
        for item in self.items:
            self._starts.append(self._height)
            if self._width:
                self._render_item(item)
                self._height += len(item.lines) + 1
        self._update_size()
        self.refresh()

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
        item = self.items[i]
        row = y - self._starts[i]
        return item, (row if row < len(item.lines) else -1)

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
        if tip != (self.tooltip or ""):
            self.tooltip = tip or None

    @property
    def line_count(self) -> int:
        return self._height

