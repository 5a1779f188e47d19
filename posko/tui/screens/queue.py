"""The queue: numbers for arrivals (a priority lane), call the next, mark no-shows."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Digits, Footer, Static

from posko.i18n import _
from posko.tui.app import translate_bindings
from posko.tui.format import hm

if TYPE_CHECKING:
    from posko.services.views import VisitView
    from posko.tui.app import PoskoApp
    from posko.tui.data import DeskStatus


class QueueScreen(Screen[None]):
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
        Binding("escape", "app.pop_screen", "Back", id="back", tooltip="Back to the home screen"),
    ]

    def __init__(self) -> None:
        super().__init__(id="queue-screen")
        translate_bindings(self)

    @property
    def kiosk(self) -> PoskoApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(_("Queue"), id="intake-title")
        with Horizontal(id="queue-body"):
            with Vertical(id="last-number"):
                yield Static(_("Last number issued"), classes="hint")
                yield Digits("-", id="issued")
                yield Static(_("Now serving"), classes="hint")
                yield Digits("-", id="serving")
            yield Static(id="queue-list", classes="panel")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#queue-list").border_title = _("Waiting")
        if self.kiosk.status is not None:
            self.show_status(self.kiosk.status)
        if self.kiosk.called_number is not None:
            self.query_one("#serving", Digits).update(str(self.kiosk.called_number))

    def show_status(self, status: DeskStatus) -> None:
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
            self.query_one("#issued", Digits).update(str(visit.number))
            self.kiosk.refresh_status()

            def print_ticket() -> str:
                from posko.tui import data

                return data.print_ticket(self.kiosk.runtime, visit.id)

            told = self.kiosk.notify
            self.kiosk.run_job(print_ticket, lambda text: told(text, timeout=10), group="print")

        self.kiosk.run_job(take, done)

    def _officer_id(self) -> str | None:
        """Calls are made by a desk: the signed-in officer's."""
        if self.kiosk.officer is None:
            self.kiosk.notify(_("Sign in first (F2): a number is called to your desk."))
            return None
        return self.kiosk.officer.id

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
            self.query_one("#serving", Digits).update(str(visit.number))
            self.kiosk.notify(_("Calling number {number}", number=visit.number))
            self.kiosk.refresh_status()

        self.kiosk.run_job(job, done)

    def action_recall(self) -> None:
        number, officer_id = self.kiosk.called_number, self._officer_id()
        if officer_id is None:
            return
        if number is None:
            self.kiosk.notify(_("No number is being called."), severity="warning")
            return

        def job() -> VisitView:
            from posko.tui import data

            return data.recall(self.kiosk.runtime, officer_id, number)

        def done(visit: VisitView) -> None:
            self.kiosk.notify(_("Calling number {number} again", number=visit.number))

        self.kiosk.run_job(job, done)

    def action_no_show(self) -> None:
        number, officer_id = self.kiosk.called_number, self._officer_id()
        if officer_id is None:
            return
        if number is None:
            self.kiosk.notify(_("No number is being called."), severity="warning")
            return

        def job() -> VisitView:
            from posko.tui import data

            return data.no_show(self.kiosk.runtime, officer_id, number)

        def done(_visit: VisitView) -> None:
            self.kiosk.called_number = None
            self.query_one("#serving", Digits).update("-")
            self.kiosk.notify(_("Number {number} marked as a no-show", number=number))
            self.kiosk.refresh_status()

        self.kiosk.run_job(job, done)
