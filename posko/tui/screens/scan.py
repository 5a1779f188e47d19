"""The regional office receives the desk's work: sign in, then scan slip after slip."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Static

from posko.i18n import _, error_text
from posko.tui.screens.base import KioskScreen
from posko.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from posko.core.errors import PoskoError
    from posko.services.views import OfficerView


class ScanScreen(KioskScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="back", tooltip="Back to the home screen"),
    ]

    def __init__(self) -> None:
        super().__init__(id="scan")
        self.officer: OfficerView | None = None
        self.results = Text()  # one line per scan, newest first

    def compose(self) -> ComposeResult:
        yield Static(_("Receive slips at the regional office"), id="intake-title")
        yield Static(_("Regional officer or coordinator: id, then PIN"), id="scan-who")
        yield Input(placeholder=_("Officer id"), id="scan-officer", max_length=20)
        yield Input(placeholder=_("PIN"), password=True, id="scan-pin", max_length=12)
        yield Input(placeholder=_("Scan a slip's QR code"), id="scan-input")
        yield Static("", id="scan-results")
        yield Static("", id="scan-pending")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#scan-input").display = False
        self.query_one("#scan-officer").focus()

    @on(Input.Submitted, "#scan-officer")
    def officer_given(self) -> None:
        self.query_one("#scan-pin").focus()

    @on(Input.Submitted, "#scan-pin")
    def pin_given(self) -> None:
        officer_id = self.query_one("#scan-officer", Input).value
        pin_input = self.query_one("#scan-pin", Input)
        pin, pin_input.value = pin_input.value, ""

        def job() -> OfficerView:
            from posko.tui import data

            return data.sign_in_office(self.kiosk.runtime, officer_id, pin)

        self.run_job(job, self.signed_in, failed=self.refused, group="scan")

    def refused(self, error: PoskoError) -> None:
        self.kiosk.show_error(error)
        self.query_one("#scan-officer").focus()

    def signed_in(self, officer: OfficerView) -> None:
        from posko.i18n import safe

        self.officer = officer
        self.query_one("#scan-who", Static).update(
            _("Signed in: {name}", name=safe(officer.name)) + f" ({officer.id})"
        )
        for field in ("#scan-officer", "#scan-pin"):
            self.query_one(field).display = False
        scan = self.query_one("#scan-input", Input)
        scan.display = True
        scan.focus()
        self.load_pending()

    @on(Input.Submitted, "#scan-input")
    def scanned(self, event: Input.Submitted) -> None:
        text, officer = event.value, self.officer
        event.input.clear()
        event.input.focus()
        if officer is None or not text.strip():
            return

        def job() -> Any:
            from posko.tui import data

            return data.acknowledge(self.kiosk.runtime, officer.id, text)

        self.run_job(job, self.received, failed=self.not_received, group="scan")

    def received(self, ack: Any) -> None:
        if ack.already:
            self.add_line(_("✓ {code} was already received", code=ack.code), "green")
        else:
            self.add_line(_("✓ {code} received", code=ack.code), "bold green")
        self.load_pending()

    def not_received(self, error: PoskoError) -> None:
        self.add_line(f"✗ {error_text(error)}", "bold red")
        self.load_pending()

    def add_line(self, line: str, style: str) -> None:
        self.results = Text(line + "\n", style=style) + self.results
        self.query_one("#scan-results", Static).update(self.results)
        self.query_one("#scan-input").focus()

    def load_pending(self) -> None:
        officer = self.officer
        if officer is None:
            return

        def job() -> list[Any]:
            from posko.tui import data

            return data.unacknowledged(self.kiosk.runtime, officer)

        self.run_job(job, self.show_pending, group="scan-pending")

    def show_pending(self, batches: list[Any]) -> None:
        from posko.tui.format import day_text

        lines = Text(_("Still to receive:") + "\n", style="bold")
        for pending in batches:
            due = _("due {due}", due=day_text(pending.due.last_day))
            lines.append(f"{pending.batch.label}  {due}\n")
            if pending.late:
                lines.append("  " + _("LATE: not acknowledged within one working day") + "\n")
            lines.append("  " + " ".join(pending.batch.waiting) + "\n")
        if not batches:
            lines.append(_("nothing: every slip handed to you has been received"))
        self.query_one("#scan-pending", Static).update(lines)
