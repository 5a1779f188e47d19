"""The command palette (Ctrl+P) in the desk's language, finding commands by what they do.

Textual's own palette searches titles only and speaks English; the desk types
what it wants done ("cetak", "antrean", "slip"), so titles and descriptions
are both searched, and the palette's own texts go through the catalogue.
"""

from __future__ import annotations

from typing import Any

from rich.align import Align
from rich.text import Text
from textual.app import ComposeResult
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

from posko.i18n import _
from posko.tui.widgets.keybar import KeyBar

# Textual's texts in the palette, as msgids (the catalogue holds their Indonesian).
PLACEHOLDER = "Search for commands…"
NO_MATCHES = "No matches found"


class DeskCommands(Provider):
    """The kiosk's commands (PoskoApp.get_system_commands), matched on title and description."""

    async def discover(self) -> Hits:
        for title, help_text, callback, discover in self.app.get_system_commands(self.screen):
            if discover:
                yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback, *_rest in self.app.get_system_commands(self.screen):
            # A match in the title counts more than one only in the description.
            score = max(matcher.match(title), matcher.match(help_text) * 0.8)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


class DeskPalette(CommandPalette):
    """Textual's palette with its placeholder and 'no matches' line translated."""

    DEFAULT_CSS = "DeskPalette KeyBar { min-height: 3; }"

    def __init__(self) -> None:
        super().__init__(id="--command-palette", placeholder=_(PLACEHOLDER))

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield KeyBar()  # its own keys (Escape), over those of the screen underneath

    def on_mount(self) -> None:
        # Textual builds its "No matches found" line inside the palette; translate
        # that one option as it is added, rather than copy the palette's code.
        commands = self.query_one(CommandList)
        add = commands.add_option

        def add_option(option: Any = None) -> Any:
            if isinstance(option, Option) and option.id == self._NO_MATCHES:
                option = Option(
                    Align.center(Text(_(NO_MATCHES), style="not bold")),
                    disabled=True,
                    id=self._NO_MATCHES,
                )
            return add(option)

        commands.add_option = add_option  # type: ignore[method-assign]
