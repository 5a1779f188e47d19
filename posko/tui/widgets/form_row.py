"""One form row: the label, the compact widget, and its error line (shown when set)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label, Static


def field_row(name: str, label: str, widget: Widget) -> ComposeResult:
    """The row of field `name`; its error line is `#e-<name>`."""
    if isinstance(widget, Input):
        widget.compact = True  # one line a field: the whole form fits 80x24 with a scroll
    with Horizontal(classes="row"):
        yield Label(label, classes="field")
        yield widget
    error = Static("", id=f"e-{name}", classes="field-error")
    error.display = False
    yield error
