"""The input a rep answers in: each Enter submits exactly what was typed before it."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class ReplyInput(Input):
    """An Input that takes its value and empties itself the moment Enter reaches it.

    A plain Input submits from the app's key bindings, after the key has travelled back up
    from the widget; characters typed right after Enter (under 50 ms apart, or arriving in
    one burst over a laggy `serve` link) are already in the box by then, so every Enter
    submitted all the lines joined. Here Enter is handled in the input's own queue, in
    order with the keys around it: the next line starts in an empty box.
    """

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            self._restart_blink()  # as Input does for every key: the cursor shows at once
            event.stop()
            event.prevent_default()
            value, self.value = self.value, ""
            self.post_message(self.Submitted(self, value, None))
            return
        await super()._on_key(event)
