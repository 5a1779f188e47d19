"""Closing the session at the end of the morning."""

from __future__ import annotations

from typing import TYPE_CHECKING

from posko.i18n import _

if TYPE_CHECKING:
    from posko.services.closeout import CloseResult
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

        def job() -> CloseResult:
            from posko.tui import data

            return data.close_session(app.runtime, officer_id)

        def done(result: CloseResult) -> None:
            app.notify(
                _(
                    "Session closed: {complaints} complaints handed to the regional offices.",
                    complaints=result.complaints,
                ),
                timeout=10,
            )
            app.refresh_status()

        app.run_job(job, done)

    app.push_screen(ConfirmScreen(question, yes=_("Close session"), no=_("Not yet")), answer)
