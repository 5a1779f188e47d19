"""Every key of the screen, in the desk's language, on as many lines as it takes.

Textual's Footer is one line: at 80 columns the home screen's keys were cut
(F7, F9, Ctrl+R, F11 gone, "palettea" left). The key bar wraps instead, keeps
each key with its label, and translates every description through the
catalogue, Textual's own included ("Dismiss menu", "palette").
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.widgets import Static

from posko.i18n import _

SEPARATOR = "  "


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: auto;
        max-height: 3;
        background: $footer-background;
        color: $footer-foreground;
        padding: 0 1;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.show_keys())
        self.show_keys()

    def on_resize(self) -> None:
        self.show_keys()

    def keys(self) -> list[tuple[str, str]]:
        """(key as shown, label) of every key the screen offers now."""
        found: dict[str, tuple[str, str]] = {}
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not active.enabled or binding.action in found:
                continue
            key_text = self.app.get_key_display(binding)
            if re.fullmatch(r"f\d+", key_text):
                key_text = key_text.upper()
            found[binding.action] = (key_text, _(binding.description))
        return list(found.values())

    def show_keys(self) -> None:
        """The keys, a line broken only between two keys (never inside a label)."""
        width = (self.size.width or self.app.size.width) - 2
        text = Text()
        used = 0
        for key_text, label in self.keys():
            item = len(key_text) + 1 + len(label)
            if used and used + len(SEPARATOR) + item > width:
                text.append("\n")
                used = 0
            elif used:
                text.append(SEPARATOR)
                used += len(SEPARATOR)
            text.append(key_text, style="bold")
            text.append(" " + label)
            used += item
        self.update(text)
