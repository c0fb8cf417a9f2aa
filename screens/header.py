"""The header of the officer's screens: the app's title and the center's name, or
the center's name alone when both do not fit (the English ones are longer: "One-stop
desk — Le Chan Ward Public Administrative Service Center" was cut at 80 columns)."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widgets import Header, Static

SEPARATOR = " — "


class DeskHeader(Header):
    def _room(self) -> int:
        """The columns the title has between the icon and the clock's space."""
        beside = self.query("HeaderIcon, HeaderClockSpace, HeaderClock")
        return self.size.width - sum(widget.outer_size.width for widget in beside)

    def format_title(self) -> Content:
        title, center = self.screen_title, self.screen_sub_title
        room = self._room()
        if center and room > 0 and len(title) + len(SEPARATOR) + len(center) > room:
            return Content(center)  # the center's name is what the header is for
        return super().format_title()

    def on_resize(self, event: events.Resize) -> None:
        self.query_one("HeaderTitle", Static).update(self.format_title())
