"""A complaint's slip: what it shows, rendered as PDF or ESC/POS, written to a file.

`slip_data` is the one place that turns a stored complaint into the SlipData
every layout draws (the citizen's slip, the office copy in a handoff batch,
the status page's masking). Printing it, and the reprint queue, are in
`print_queue`; checking a scanned slip is in `slip_verification`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from sqlmodel import Session

from posko.config import Settings
from posko.core.clock import Clock
from posko.core.deadlines import deadline, status_deadline
from posko.core.errors import InvalidInput, NotFound
from posko.core.lifecycle import CLOSED, Status
from posko.core.schedule import SchedulePolicy
from posko.core.signing import build_payload, signature
from posko.files import write_private
from posko.printing.printers import check_name, job_name
from posko.printing.slip_data import Copy, SlipData
from posko.services import access, complaints, followup, reference, setup
from posko.services.views import OfficerView
from posko.store.models import Complaint, Officer

Format = Literal["pdf", "escpos"]

# What happens next, by status, on paper (always Bahasa Indonesia), naming
# the office in charge. A deadline date follows the sentence when the
# lifecycle gives one. At intake nothing has been handed on yet: future tense.
NEXT_STEP: Mapping[Status, str] = {
    Status.DITERIMA: "Akan diteruskan ke {office}; penerimaan dikonfirmasi paling lambat",
    Status.DISERAHKAN: "Menunggu konfirmasi penerimaan oleh {office} paling lambat",
    Status.DIALIHKAN: "Dialihkan ke {office}; penerimaan dikonfirmasi paling lambat",
    Status.DITERIMA_WILAYAH: "Ditanggapi oleh {office} paling lambat",
    Status.DIPROSES: "Diselesaikan oleh {office} paling lambat",
    Status.SELESAI: "Pengaduan telah selesai ditindaklanjuti",
    Status.DITOLAK: "Pengaduan ditolak; alasannya tercantum di halaman status",
    Status.DUPLIKAT: "Digabung dengan pengaduan yang sama; pantau di halaman status",
}


def _complaint(session: Session, complaint: Complaint | int) -> Complaint:
    if isinstance(complaint, Complaint):
        return complaint
    row = session.get(Complaint, complaint)
    if row is None:
        raise NotFound("no complaint with id {id}", id=complaint)
    return row


def _location(session: Session, complaint: Complaint) -> str:
    """`Kel. X, Kec. Y, Kota Administrasi Z — address`."""
    regions = reference.regions(session)
    places = [
        regions.get(code or "")
        for code in (complaint.kelurahan_code, complaint.kecamatan_code, complaint.kota_code)
    ]
    text = ", ".join(
        f"{prefix}{place.name}"
        for prefix, place in zip(("Kel. ", "Kec. ", ""), places, strict=True)
        if place is not None
    )
    if complaint.location_address:
        text += f" — {complaint.location_address}"
    return text


def next_step(
    session: Session,
    settings: Settings,
    policy: SchedulePolicy,
    complaint: Complaint,
    entered: Mapping[Status, datetime] | None = None,
) -> tuple[str, date | None]:
    """The next step of the lifecycle and the last working day it may take."""
    rules = followup.rules_for(settings, policy)
    status = Status(complaint.status)
    office = reference.regions(session).office_of(complaint.destination_region)
    text = NEXT_STEP[status].format(office=office)
    if status is Status.DITERIMA:
        # Handed off when the session closes, the same day: acknowledgement is
        # due by the end of the next working day(s) after it.
        return text, deadline(rules, complaint.created_at, rules.days[Status.DISERAHKAN]).last_day
    if status in CLOSED:
        return text, None
    if entered is None:
        entered = followup.last_entered(session, [complaint.id or 0])[complaint.id or 0]
    due = status_deadline(rules, status, entered)
    return text, (due.last_day if due is not None else None)


def slip_data(
    session: Session,
    settings: Settings,
    policy: SchedulePolicy,
    complaint: Complaint | int,
    *,
    entered: Mapping[Status, datetime] | None = None,
) -> SlipData:
    """What a slip of this complaint shows, as of now (status and deadline included).

    `entered` (status -> when the complaint last entered it) may be passed by
    a caller that loaded it for many complaints at once.
    """
    row = _complaint(session, complaint)
    regions = reference.regions(session)
    category = reference.categories(session).get(row.category_code)
    officer = session.get(Officer, row.officer_id)
    desk = policy.desk(row.desk or "")
    step, deadline = next_step(session, settings, policy, row, entered)
    identity = not row.anonymous
    secret = setup.qr_secret(session)
    # No address, no QR code: an operational database that has not been told
    # where its status page is gets an empty payload, which no paper accepts
    # (see paper_ready); the status page and exports need no QR code.
    template = setup.qr_template(session, settings.qr_url_template)
    return SlipData(
        code=row.code,
        queue_number=row.queue_number,
        taken_at=row.created_at,
        site_name=policy.site_name,
        desk_name=desk.name if desk else policy.site_name,
        category_name=category.name_id if category else row.category_code,
        description=row.description,
        location_text=_location(session, row),
        destination_name=regions.office_of(row.destination_region),
        officer_name=officer.name if officer else row.officer_id,
        officer_title=officer.title if officer else "",
        next_step=step,
        next_deadline=deadline,
        reporter_name=row.reporter_name if identity else None,
        reporter_nik=row.reporter_nik if identity else None,
        reporter_phone=row.reporter_phone if identity else None,
        reporter_email=row.reporter_email if identity else None,
        anonymous=row.anonymous,
        confidential=row.confidential,
        qr_payload=build_payload(template, row.code, secret) if template else "",
        verification=signature(row.code, secret),
        training=setup.is_training(session),
        contact_channel=row.contact_channel if identity else None,
        consent_withdrawn=row.consent_withdrawn_at is not None,
    )


# --- rendering and writing -------------------------------------------------


def paper_ready(slip: SlipData) -> None:
    """A slip goes on paper only with a QR code that leads to this installation."""
    if not slip.qr_payload:
        raise setup.StatusUrlMissing()


def render(
    slip: SlipData,
    settings: Settings,
    copy: Copy,
    fmt: Format = "pdf",
    width_mm: int | None = None,
) -> bytes:
    """One copy as PDF (the configured roll width and office paper) or ESC/POS bytes."""
    paper_ready(slip)
    width = int(width_mm or settings.paper_width_mm)
    if width not in (80, 58):
        raise InvalidInput("paper width must be 80 or 58 mm, not {width}", width=width)
    if fmt == "escpos":
        from posko.printing.escpos import escpos_bytes

        return escpos_bytes(slip, copy=copy, width_mm=width)
    # reportlab and the fonts cost ~150 ms to load: only when a slip is drawn.
    from posko.printing.fonts import load_fonts
    from posko.printing.layout import citizen_slip_pdf, office_copy_pdf

    fonts = load_fonts(settings.font_path or None)
    if copy == "citizen":
        return citizen_slip_pdf(slip, width, fonts=fonts)
    if settings.office_paper not in ("a5", "roll80"):
        raise InvalidInput(
            "office paper must be a5 or roll80, not {paper}", paper=settings.office_paper
        )
    return office_copy_pdf(slip, settings.office_paper, fonts=fonts)  # type: ignore[arg-type]


def file_name(slip: SlipData, copy: Copy, fmt: Format = "pdf") -> str:
    """`PKB-7K3Q-X9MD-warga.pdf`: the name of a slip saved into a folder."""
    return check_name(job_name(slip, copy) + (".pdf" if fmt == "pdf" else ".escpos"))


def save_file(path: Path, data: bytes, *, default_name: str, replace: bool = False) -> Path:
    """Write a slip as a private file (`posko.files`); into a folder as `default_name`.

    A path the user gave is their choice; a name derived from data (the
    tracking code) is checked so it can never leave the folder.
    """
    target = path / check_name(default_name) if path.is_dir() else path
    return write_private(target, data, replace=replace)


def allow_office_copy(
    session: Session, clock: Clock, officer: OfficerView, code: str, where: str
) -> None:
    """The office copy carries the reporter's full identity: the access gate's
    reveal rule (role, region, confidentiality), audited before it is made."""
    view = complaints.get(session, code)
    access.allow_reveal(session, clock, officer, access.OFFICE_COPY, view)
    access.record(session, clock, officer, access.OFFICE_COPY, view.code, {"to": where})
    session.commit()
