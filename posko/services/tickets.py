"""A queue number's ticket: what it shows, rendered as PDF or ESC/POS.

Printing it goes through the slips' print queue (`print_queue.print_ticket`),
so a failing printer leaves a pending job, never a lost number.
"""

from __future__ import annotations

from datetime import date
from typing import Literal
from urllib.parse import urlsplit

from sqlmodel import Session

from posko.config import Settings
from posko.core.errors import InvalidInput, NotFound
from posko.core.schedule import SchedulePolicy
from posko.printing.ticket import TicketData
from posko.services import queue, setup
from posko.store.models import DutySession, Visit

Format = Literal["pdf", "escpos"]
STATUS_PATH = "/lacak"  # where the slips' QR codes point, on the same server


def queue_url(template: str, day: date, number: int) -> str:
    """The queue page of one number, on the server the slips' QR codes point to.

    `https://host/lacak/{code}?s={sig}` gives `https://host/antrean/2026-12-01/12`;
    a status page mounted under a prefix (`https://host/posko/lacak/…`) keeps it.
    """
    parts = urlsplit(template)
    path = parts.path
    prefix = path[: path.index(STATUS_PATH)] if STATUS_PATH in path else ""
    return f"{parts.scheme}://{parts.netloc}{prefix}/antrean/{day.isoformat()}/{number}"


def ticket_data(
    session: Session, settings: Settings, policy: SchedulePolicy, visit: Visit | int
) -> TicketData:
    row = visit if isinstance(visit, Visit) else session.get(Visit, visit)
    if row is None:
        raise NotFound("no queue number with id {id}", id=visit)
    duty_session = session.get(DutySession, row.session_id)
    assert duty_session is not None  # a foreign key
    # Before `posko init --status-url` an operational ticket has no QR code.
    template = setup.qr_template(session, settings.qr_url_template)
    return TicketData(
        number=row.number,
        priority=row.priority,
        day=duty_session.day,
        issued_at=row.issued_at,
        site_name=policy.site_name,
        ahead=queue.ahead_of(session, row),
        opens_at=duty_session.starts_at,
        ends_at=duty_session.ends_at,
        queue_url=queue_url(template, duty_session.day, row.number) if template else "",
        training=setup.is_training(session),
    )


def render(
    ticket: TicketData, settings: Settings, fmt: Format = "pdf", width_mm: int | None = None
) -> bytes:
    """The ticket as PDF (the configured roll width) or ESC/POS bytes."""
    width = int(width_mm or settings.paper_width_mm)
    if width not in (80, 58):
        raise InvalidInput("paper width must be 80 or 58 mm, not {width}", width=width)
    if fmt == "escpos":
        from posko.printing.escpos import ticket_escpos_bytes

        return ticket_escpos_bytes(ticket, width_mm=width)
    # reportlab and the fonts cost ~150 ms to load: only when a ticket is drawn.
    from posko.printing.fonts import load_fonts
    from posko.printing.layout import ticket_pdf

    return ticket_pdf(ticket, width, fonts=load_fonts(settings.font_path or None))


def file_name(ticket: TicketData, fmt: Format = "pdf") -> str:
    return ticket.name + (".pdf" if fmt == "pdf" else ".escpos")
