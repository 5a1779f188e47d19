"""The queue: numbers for arrivals (a priority lane), call the next, mark no-shows."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Static

from posko.i18n import _
from posko.tui.format import hm
from posko.tui.screens.base import KioskScreen
from posko.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from posko.services.views import VisitView
    from posko.tui.data import DeskStatus


class QueueScreen(KioskScreen[None]):
    """N, P, C and X each wait for their number before the next key, as when pressed slowly."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "take(False)", "Number", id="queue_take", tooltip="A queue number"),
        Binding(
            "p",
            "take(True)",
            "Priority number",
            id="queue_priority",
            tooltip="Priority lane: the elderly, people with disabilities, pregnant women",
        ),
        Binding("c", "call_next", "Call next", id="queue_call", tooltip="Call the next number"),
        Binding(
            "r",
            "recall",
            "Call again",
            id="queue_recall",
            tooltip="Announce the called number again on the board",
        ),
        Binding(
            "x", "no_show", "No-show", id="queue_no_show", tooltip="The called number did not come"
        ),
        Binding(
            "f4", "app.intake", "Take complaint", id="intake", tooltip="Record the called citizen"
        ),
        Binding("f5", "app.lookup", "Look up", id="lookup", tooltip="Find a complaint"),
        Binding("escape", "app.pop_screen", "Back", id="back", tooltip="Back to the home screen"),
    ]

    def __init__(self) -> None:
        super().__init__(id="queue-screen")

    def compose(self) -> ComposeResult:
        yield Static(_("Queue"), id="intake-title")
        with Horizontal(id="queue-body"):
            with Vertical(id="last-number"):
                yield Static(_("Last number issued"), classes="hint")
                yield Digits("-", id="issued")
                yield Static(_("Now serving"), classes="hint")
                yield Digits("-", id="serving")
            yield Static(id="queue-list", classes="panel")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#queue-list").border_title = _("Waiting")
        self.kiosk.status_changed.subscribe(self, self.show_status)
        if self.kiosk.status is not None:
            self.show_status(self.kiosk.status)
        self.show_numbers()

    def show_numbers(self) -> None:
        """The last number issued and the one being served, as the kiosk knows them now."""
        last, serving = self.kiosk.last_issued, self.kiosk.called_number
        self.query_one("#issued", Digits).update(str(last) if last else "-")
        self.query_one("#serving", Digits).update(str(serving) if serving else "-")

    def show_status(self, status: DeskStatus) -> None:
        self.show_numbers()
        if not status.waiting:
            self.query_one("#queue-list", Static).update(Text(_("Nobody is waiting.")))
            return
        table = Table(box=None, expand=True, header_style="bold")
        table.add_column(_("Number"))
        table.add_column(_("Lane"))
        table.add_column(_("Issued"))
        table.add_column(_("State"))
        for visit in status.waiting:
            table.add_row(
                str(visit.number),
                _("priority") if visit.priority else "",
                hm(visit.issued_at),
                _("called") if visit.state == "called" else _("waiting"),
            )
        self.query_one("#queue-list", Static).update(table)

    def action_take(self, priority: bool) -> None:
        # The number shows first; its ticket prints in a second job, so a slow
        # or dead printer never holds the number back.
        def take() -> VisitView:
            from posko.tui import data

            return data.take_number(self.kiosk.runtime, priority=priority)

        def done(visit: VisitView) -> None:
            self.kiosk.last_issued = visit.number
            self.show_numbers()
            self.kiosk.refresh_status()

            def print_ticket() -> str:
                from posko.tui import data

                return data.print_ticket(self.kiosk.runtime, visit.id)

            told = self.kiosk.notify
            # The app's work: the ticket prints even if the screen is closed meanwhile.
            self.kiosk.run_job(print_ticket, lambda text: told(text, timeout=10), group="print")

        self.run_job(take, done, holding_keys=True)  # the next key sees this number

    def _officer_id(self) -> str | None:
        """Calls are made by a desk: the signed-in officer's."""
        if self.kiosk.officer is None:
            self.kiosk.notify(_("Sign in first (F2): a number is called to your desk."))
            return None
        return self.kiosk.officer.id

    def _called(self) -> tuple[str, int] | None:
        """The desk's officer and the number it is calling; None (and why) without either."""
        number, officer_id = self.kiosk.called_number, self._officer_id()
        if officer_id is None:
            return None
        if number is None:
            self.kiosk.notify(_("No number is being called."), severity="warning")
            return None
        return officer_id, number

    def action_call_next(self) -> None:
        officer_id = self._officer_id()
        if officer_id is None:
            return

        def job() -> VisitView | None:
            from posko.tui import data

            return data.call_next(self.kiosk.runtime, officer_id)

        def done(visit: VisitView | None) -> None:
            if visit is None:
                self.kiosk.notify(_("Nobody is waiting."))
                return
            self.kiosk.called_number = visit.number
            self.show_numbers()
            self.kiosk.notify(_("Calling number {number}", number=visit.number))
            self.kiosk.refresh_status()

        self.run_job(job, done, holding_keys=True)  # the next key sees this number

    def action_recall(self) -> None:
        called = self._called()
        if called is None:
            return
        officer_id, number = called

        def job() -> VisitView:
            from posko.tui import data

            return data.recall(self.kiosk.runtime, officer_id, number)

        def done(visit: VisitView) -> None:
            self.kiosk.notify(_("Calling number {number} again", number=visit.number))

        self.run_job(job, done, holding_keys=True)

    def action_no_show(self) -> None:
        called = self._called()
        if called is None:
            return
        officer_id, number = called

        def job() -> VisitView:
            from posko.tui import data

            return data.no_show(self.kiosk.runtime, officer_id, number)

        def done(_visit: VisitView) -> None:
            self.kiosk.called_number = None
            self.show_numbers()
            self.kiosk.notify(_("Number {number} marked as a no-show", number=number))
            self.kiosk.refresh_status()

        self.run_job(job, done, holding_keys=True)  # the next key sees this number
