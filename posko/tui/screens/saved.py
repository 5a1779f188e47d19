"""After saving: the tracking code large, where it goes, and where the slip went."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from posko.i18n import _
from posko.tui.app import translate_bindings

if TYPE_CHECKING:
    from posko.tui.data import Saved


def spaced(code: str) -> str:
    """`PKB-7K3Q-X9MD` as `P K B - 7 K 3 Q - X 9 M D`: easy to read aloud and copy."""
    return " ".join(code)


class SavedScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "home", "Done", id="saved_done", tooltip="Back home"),
        Binding("f3", "queue", "Queue", id="queue", tooltip="Call the next citizen"),
    ]

    def __init__(self, saved: Saved) -> None:
        super().__init__(id="saved")
        translate_bindings(self)
        self.saved = saved

    def compose(self) -> ComposeResult:
        complaint = self.saved.complaint
        with Vertical(id="saved-box"):
            yield Static(_("Complaint saved. Tracking code:"), classes="hint")
            yield Static(spaced(complaint.code), id="saved-code")
            yield Static(complaint.code, id="saved-code-plain", classes="hint")
            yield Static(
                _("Queue number {number}", number=complaint.queue_number or "-")
                + "\n"
                + _("Goes to: {office}", office=self.saved.destination_name)
                + (
                    "\n" + _("Confidential: identity hidden from the office copy")
                    if complaint.confidential
                    else ""
                )
                + ("\n" + _("Anonymous: no identity recorded") if complaint.anonymous else "")
                + "\n"
                + _("Slip: {where}", where=self.saved.printed),
                id="saved-detail",
            )
        yield Footer(compact=True)

    def action_home(self) -> None:
        while len(self.app.screen_stack) > 2:  # the default screen, then home
            self.app.pop_screen()

    def action_queue(self) -> None:
        self.action_home()
        self.app.run_action("app.queue")
