"""How the kiosk words times, phases and sessions; one place for every screen."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from posko.core.clock import to_wib
from posko.i18n import _

if TYPE_CHECKING:
    from posko.services.views import SessionView

DAYS = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
PHASES = {
    "before": "Not yet open",
    "open": "Open",
    "grace": "Closed to new arrivals; queue holders still served",
    "after": "Closed",
}
STATUSES = {
    "diterima": "received at the desk",
    "diserahkan": "handed to the regional office",
    "diterima_wilayah": "received by the regional office",
    "diproses": "being handled",
    "selesai": "done",
    "dialihkan": "rerouted",
    "ditolak": "rejected",
}


def day_name(instant: datetime) -> str:
    from posko import i18n

    return DAYS[i18n.language()][to_wib(instant).weekday()]


def clock_text(instant: datetime) -> str:
    local = to_wib(instant)
    return f"{day_name(instant)} {local:%d-%m-%Y %H:%M:%S} WIB"


def hm(instant: datetime | None) -> str:
    return f"{to_wib(instant):%H:%M}" if instant else "-"


def when(instant: datetime | None) -> str:
    return f"{day_name(instant)} {to_wib(instant):%d-%m-%Y %H:%M} WIB" if instant else "-"


def day_text(day: date) -> str:
    """A deadline's last day as every screen shows it: `Rabu 02-12-2026`."""
    from posko import i18n

    return f"{DAYS[i18n.language()][day.weekday()]} {day:%d-%m-%Y}"


def next_session_text(session: SessionView | None) -> str:
    return when(session.starts_at) if session is not None else _("none planned")


def phase_text(phase: str) -> str:
    return _(PHASES.get(phase, phase))


def status_text(status: str) -> str:
    return f"{status} ({_(STATUSES[status])})" if status in STATUSES else status
