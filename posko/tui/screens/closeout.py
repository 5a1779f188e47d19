"""Closing the session at the end of the morning: the handoff lists, on screen and on paper."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from posko.i18n import _
from posko.tui.screens.base import KioskScreen
from posko.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from posko.services.closeout import Closeout
    from posko.tui.kiosk import Kiosk


def start_closeout(app: Kiosk) -> None:
    """Ask, then close today's session as the signed-in officer."""
    from posko.tui.widgets.confirm import ConfirmScreen

    if app.officer is None:
        app.notify(_("Sign in first (F2): only an officer on duty closes the session."))
        return
    status = app.status
    waiting = len(status.waiting) if status else 0
    question = _("Close today's session? No more complaints can be taken in it.")
    if waiting:
        question += "\n" + _("{count} queue numbers are still waiting.", count=waiting)
    officer_id = app.officer.id

    def answer(close: bool | None) -> None:
        if not close:
            return

        def job() -> Closeout:
            from posko.tui import data

            return data.close_session(app.runtime, officer_id)

        def done(result: Closeout) -> None:
            app.push_screen(CloseoutScreen(result))
            app.refresh_status()

        app.notify(_("Closing the session and writing the handoff lists…"), timeout=4)
        app.run_job(job, done, group="closeout")

    app.push_screen(ConfirmScreen(question, yes=_("Close session"), no=_("Not yet")), answer)


def describe(result: Closeout) -> Text:
    """Where each office's list went, and what is still pending."""
    text = Text()
    handed = sum(len(item.batch.codes) for item in result.lists if item.new)
    text.append(
        _(
            "Session closed: {complaints} complaints handed to the regional offices.",
            complaints=handed,
        )
        + "\n\n",
        style="bold",
    )
    if not result.lists:
        text.append(_("No complaints to hand off on {day}.", day=result.day) + "\n")
    for item in result.lists:
        batch = item.batch
        text.append(f"{batch.office}", style="bold")
        text.append(
            "  "
            + _("{count} complaints", count=len(batch.codes))
            + ("" if item.new else "  " + _("(already handed off)"))
            + "\n"
        )
        # One name, its three kinds: fits a line at 80 columns.
        text.append(f"  {item.pdf.name} · .xlsx · .csv\n")
        if item.printed:
            text.append("  " + _("Printed.") + "\n", style="green")
        elif item.printed is False:
            text.append("  " + _("NOT printed: {error}", error=item.error) + "\n", style="bold red")
    text.append("\n" + _("Files: {folder}", folder=str(result.folder)) + "\n")
    text.append(_("Audit anchor (note it): {anchor}", anchor=result.anchor) + "\n")
    pending = []
    if result.lists and result.printer.strip().lower() == "folder":
        pending.append(_("No printer is configured: print the PDF lists from the folder."))
    if result.unprinted:
        pending.append(
            _(
                "{count} lists did not print: print them from the folder when the printer works.",
                count=len(result.unprinted),
            )
        )
    if result.still_waiting:
        pending.append(_("{count} queue numbers are still waiting.", count=result.still_waiting))
    if result.reprints:
        pending.append(
            _("{count} slips wait in the reprint queue (Ctrl+R).", count=result.reprints)
        )
    if pending:
        text.append("\n" + _("Still pending:") + "\n", style="bold")
        for line in pending:
            text.append(f"  • {line}\n")
    else:
        text.append("\n" + _("Nothing is pending.") + "\n")
    return text


class CloseoutScreen(KioskScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "home", "Done", id="closeout_done", tooltip="Back home"),
    ]

    def __init__(self, result: Closeout) -> None:
        super().__init__(id="closeout")
        self.result = result

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="closeout-box"):
            yield Static(describe(self.result), id="closeout-lists")
        yield KeyBar()

    def action_home(self) -> None:
        self.dismiss()
