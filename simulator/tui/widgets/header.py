"""The title bar every screen shows: Textual's Header, with an icon every font has."""

from __future__ import annotations

from textual.widgets import Header as TextualHeader

#: The title bar's icon (a click opens the command palette). Textual's own, "⭘" (U+2B58),
#: is in none of the usual monospace fonts, nor in Roboto Mono, the font of
#: `shadowbox serve`'s page, so a browser drew it as a box; the bullet is in all of them.
ICON = "•"


class Header(TextualHeader):
    """The app's title bar."""

    def __init__(self, *, icon: str | None = None, **kw) -> None:
        super().__init__(icon=ICON if icon is None else icon, **kw)
