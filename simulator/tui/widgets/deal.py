"""The deal meter: prices on one scale, with the zone under the walk-away marked."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from simulator.money import format_money


@dataclass(frozen=True)
class Mark:
    """One price on the meter: a one-letter key, a label and a style."""

    key: str
    label: str
    value: float
    style: str


class DealMeter(Widget):
    """Rows of labelled prices, then a bar from the lowest to the highest of them.

    The bar is red under the walk-away and green from it up; each mark's key
    letter sits under its position.
    """

    DEFAULT_CSS = """
    DealMeter { height: auto; }
    """

    marks: reactive[tuple[Mark, ...]] = reactive((), layout=True)

    def __init__(self, currency: str, walk_away: float, unit: str = "unit", *,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.currency = currency
        self.walk_away = walk_away
        self.unit = unit

    def set_marks(self, *marks: Mark) -> None:
        self.marks = tuple(m for m in marks if m.value is not None)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.marks) + 3 if self.marks else 1

    def render(self) -> Content:
        if not self.marks:
            return Content("")
        width = max(10, self.size.width)
        # The unit on a line of its own: in the panel title it was cut ("per trailer a mont…").
        rows: list[Content] = [Content.styled(f"Prices per {self.unit}", "dim")]
        label_w = max(len(m.label) for m in self.marks)
        for m in self.marks:
            rows.append(Content.assemble(
                (f"{m.key} ", f"bold {m.style}"),
                f"{m.label:<{label_w}} ",
                (format_money(m.value, self.currency), "bold" if m.key == "O" else ""),
            ))
        values = [m.value for m in self.marks] + [self.walk_away]
        lo, hi = min(values), max(values)
        span = (hi - lo) or 1.0

        def col(v: float) -> int:
            return min(width - 1, max(0, round((v - lo) / span * (width - 1))))

        wa = col(self.walk_away)
        bar = Content.assemble(("━" * wa, "$error"), ("━" * (width - wa), "$success"))
        keys = [" "] * width
        styles: dict[int, str] = {}
        for m in self.marks:
            want = col(m.value)
            free = [c for c in range(width) if keys[c] == " "]
            if not free:
                break
            c = min(free, key=lambda c: (abs(c - want), -c))
            keys[c] = m.key
            styles[c] = f"bold {m.style}"
        under = Content("".join(keys))
        for c, style in styles.items():
            under = under.stylize(style, c, c + 1)
        rows += [bar, under]
        return Content("\n").join(rows)
