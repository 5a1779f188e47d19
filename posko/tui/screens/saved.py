"""After saving: the tracking code large, where it goes, and where the slip went."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from posko.i18n import _
from posko.tui.screens.base import KioskScreen
from posko.tui.widgets.block_code import BlockCode
from posko.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from posko.core.errors import PoskoError
    from posko.tui.data import Saved


class SavedScreen(KioskScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "home", "Done", id="saved_done", tooltip="Back home"),
        Binding("f3", "queue", "Queue", id="queue", tooltip="Call the next citizen"),
    ]

    def __init__(self, saved: Saved) -> None:
        super().__init__(id="saved")
        self.saved = saved

    def compose(self) -> ComposeResult:
        complaint = self.saved.complaint
        with Vertical(id="saved-box"):
            yield Static(_("Complaint saved. Tracking code:"), classes="hint")
            # Three rows tall, for the citizen across the desk; plain below to copy.
            yield BlockCode(complaint.code, id="saved-code")
            yield Static(complaint.code, id="saved-code-plain", classes="hint")
            yield Static(
                _("Queue number {number}", number=complaint.queue_number or "-")
                + "\n"
                + _("Will be forwarded to: {office}", office=self.saved.destination_name)
                + (
                    "\n" + _("Confidential: identity hidden from the office copy")
                    if complaint.confidential
                    else ""
                )
                + ("\n" + _("Anonymous: no identity recorded") if complaint.anonymous else ""),
                id="saved-detail",
            )
            yield Static(_("Printing the slip…"), id="saved-slip")
        yield KeyBar()

    def on_mount(self) -> None:
        app = self.kiosk
        complaint_id = self.saved.complaint.id

        def job() -> str:
            from posko.core.errors import PoskoError
            from posko.i18n import safe
            from posko.tui import data

            try:
                return data.print_slips(app.runtime, complaint_id)
            except PoskoError:
                raise
            except Exception as error:  # the complaint is saved; say so, never a traceback
                return _(
                    "The slip was not printed ({error}); it waits in the reprint queue.",
                    error=f"{type(error).__name__}: {safe(error)[:120]}",
                )

        def done(text: str) -> None:
            self.query_one("#saved-slip", Static).update(text)
            app.refresh_status()

        def failed(error: PoskoError) -> None:
            from posko.i18n import error_text

            self.query_one("#saved-slip", Static).update(error_text(error))
            app.refresh_status()

        self.run_job(job, done, failed=failed, group="print")

    def action_home(self) -> None:
        while len(self.app.screen_stack) > 2:  # the default screen, then home
            self.app.pop_screen()

    def action_queue(self) -> None:
        """F3: straight to the queue, to call the next citizen."""
        self.action_home()
        self.app.call_later(self.app.run_action, "app.queue")
