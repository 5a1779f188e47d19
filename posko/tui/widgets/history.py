"""The side panel of the intake form: a citizen's earlier complaints, found by NIK or phone."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.widgets import Static

from posko.core.clock import to_wib
from posko.i18n import _, safe
from posko.tui.format import status_text
from posko.tui.jobs import run_job

if TYPE_CHECKING:
    from posko.services.views import ComplaintView
    from posko.tui.kiosk import Kiosk


class ReporterHistory(Static):
    """Shows up to five earlier complaints; each look-up replaces the one still running."""

    def on_mount(self) -> None:
        # Short enough to show whole in the panel's border at 60 and 80 columns.
        self.border_title = _("Earlier complaints")
        self.update(_("Type a NIK or phone number to see them."))

    def look_up(self, nik: str | None, phone: str | None) -> None:
        """Look the reporter up (valid NIK and/or phone, as typed) in a worker of this panel."""
        if nik is None and phone is None:
            return
        kiosk = cast("Kiosk", self.app)
        if kiosk.officer is None:
            return
        runtime, officer_id = kiosk.runtime, kiosk.officer.id

        def job() -> list[ComplaintView]:
            from posko.core.identity import normalize_phone
            from posko.tui import data

            return data.reporter_history(
                runtime,
                officer_id,  # the look-up is audited as this officer's
                "".join(nik.split()) if nik else None,
                normalize_phone(phone) if phone else None,
            )

        run_job(self, job, self.show, group="reporter", exclusive=True)

    def show(self, found: list[ComplaintView]) -> None:
        from posko.core.text import summarize

        if not found:
            self.update(_("No earlier complaints."))
            return
        text = Text()
        for view in found:
            text.append(f"{view.code}  {to_wib(view.created_at):%d-%m-%Y}\n", style="bold")
            text.append(f"{status_text(view.status)}\n{summarize(safe(view.description), 60)}\n")
        self.update(text)
