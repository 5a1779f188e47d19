"""A type-to-search field over a fixed list: categories, regions, today's roster.

Typing filters; the best match is the field's value at every keystroke (no
overlay to open, and the greyed-in completion is computed as the key is
handled, not in a worker), so a fast typist or a scanner gets the same result
as a slow one. Enter (or leaving the field) writes the match out in full.
Text that matches nothing stays as typed: `unmatched` says so.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.events import Blur, Focus
from textual.message import Message
from textual.widgets import Input


def best_match(options: list[tuple[str, str]], text: str) -> str | None:
    """The value whose label or value equals, starts with, or contains `text` (in that order)."""
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    for test in (
        lambda label, value: wanted in (label.casefold(), value.casefold()),
        lambda label, value: label.casefold().startswith(wanted),
        lambda label, value: wanted in label.casefold(),
    ):
        for label, value in options:
            if test(label, value):
                return value
    return None


class Picker(Input):
    """An Input whose `code` is the best match among `options` (label, value)."""

    class Picked(Message):
        """The match was taken (Enter, or the field was left): `code` is the choice."""

        def __init__(self, picker: Picker, code: str) -> None:
            super().__init__()
            self.picker = picker
            self.code = code

    def __init__(self, options: Iterable[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(**kwargs)
        self.options: list[tuple[str, str]] = list(options)
        self._value_at_focus = ""

    @property
    def code(self) -> str | None:
        return best_match(self.options, self.value)

    @property
    def unmatched(self) -> bool:
        """Something is typed, and it matches no option."""
        return bool(self.value.strip()) and self.code is None

    def watch_value(self, value: str) -> None:
        """Grey in the rest of the first label that starts with what was typed."""
        typed = value.casefold()
        self._suggestion = next(
            (
                value + label[len(value) :]  # keep the typed case: Input shows the rest
                for label, _value in self.options
                if typed and label.casefold().startswith(typed)
            ),
            "",
        )

    def set_options(self, options: Iterable[tuple[str, str]]) -> None:
        self.options = list(options)
        if not self.has_focus and self.code is not None:
            self.set_code(self.code)  # typed before its options came: write it out in full

    def set_code(self, code: str | None) -> None:
        """Show the option `code` (or nothing)."""
        self.value = next((label for label, value in self.options if value == code), "")

    def accept(self) -> bool:
        """Write the matched option out in full; if it was typed here, say it was picked.

        Passing through the field (Tab) picks nothing: only typing chooses.
        Returns True if something was picked.
        """
        code = self.code
        if code is None:
            return False
        typed = self.value != self._value_at_focus
        self.set_code(code)
        if typed:
            self._value_at_focus = self.value
            self.post_message(self.Picked(self, code))
        return typed

    def _on_focus(self, event: Focus) -> None:
        self._value_at_focus = self.value
        super()._on_focus(event)

    def _on_blur(self, event: Blur) -> None:
        self.accept()
        super()._on_blur(event)
