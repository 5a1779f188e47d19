"""A complaint's slips: what they show, printing them, and the reprint queue.

`slip_data` is the one place that turns a stored complaint into the SlipData
every layout draws (the citizen's slip, the office copy in a handoff batch,
the status page's masking). Printing happens after the complaint is
committed and outside any transaction (a printer may take seconds; on SQLite
an open transaction holds the write lock of every desk). Each copy is a
PrintJob row written *before* it is printed, so a failure or a crash leaves a
pending job that `drain` (the kiosk, `posko receipt --drain`) prints later.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import func
from sqlmodel import Session, col, select

from posko.config import Settings
from posko.core.clock import Clock
from posko.core.deadlines import deadline, status_deadline
from posko.core.errors import InvalidInput, NotFound, PoskoError, cannot_write
from posko.core.lifecycle import CLOSED, Status
from posko.core.schedule import SchedulePolicy
from posko.core.signing import build_payload, signature
from posko.i18n import _
from posko.printing.printers import (
    EscposPrinter,
    Printer,
    PrinterError,
    check_name,
    job_name,
    printer_from_config,
)
from posko.printing.slip_data import Copy, SlipData
from posko.services import audit, followup, reference, setup
from posko.store.models import Complaint, Officer, PrintJob

Format = Literal["pdf", "escpos"]
SYSTEM = "sistem"  # the actor of a reprint nobody signed in for (CLI, drain)
ERROR_LIMIT = 500  # PrintJob.last_error

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
    # (see _paper_ready); the status page and exports need no QR code.
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
    )


# --- rendering and writing -------------------------------------------------


def _paper_ready(slip: SlipData) -> None:
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
    _paper_ready(slip)
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


def save_file(path: Path, data: bytes, *, default_name: str) -> Path:
    """Write a slip readable by its owner only (0600); into a folder as `default_name`.

    A path the user gave is their choice; a name derived from data (the
    tracking code) is checked so it can never leave the folder.
    """
    target = path / check_name(default_name) if path.is_dir() else path
    if target.is_dir():
        raise InvalidInput("{path} is a folder; it is not overwritten", path=str(target))
    folder = target.parent if str(target.parent) else Path(".")
    temp_name = None
    try:
        handle, temp_name = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), 0o600)
            out.write(data)
        os.replace(temp_name, target)
        temp_name = None
    except OSError as error:
        raise cannot_write(str(target), error) from None
    finally:
        if temp_name is not None:
            os.unlink(temp_name)
    return target


# --- printers and the reprint queue -----------------------------------------


def printer_for(settings: Settings) -> Printer:
    """The printer the settings name; PrinterError if they cannot make one."""
    return printer_from_config(
        settings.printer,
        folder=settings.slips_dir,
        printer_name=settings.printer_name,
        paper_width_mm=settings.paper_width_mm,
        office_paper=settings.office_paper,
    )


def _send(settings: Settings, slip: SlipData, copy: Copy) -> None:
    """Print one copy on the configured printer; every failure is a PrinterError."""
    try:
        _paper_ready(slip)
    except setup.StatusUrlMissing as missing:
        raise PrinterError(missing.message) from None
    printer = printer_for(settings)
    if isinstance(printer, EscposPrinter):
        printer.print_slip(slip, copy)  # native text and QR, not a PDF
        return
    try:
        pdf = render(slip, settings, copy)
    except Exception as error:
        # A layout bug must read as "not printed", never as a lost complaint.
        raise PrinterError(
            "the slip could not be laid out: {error}", error=str(error)[:200]
        ) from error
    printer.print_pdf(job_name(slip, copy), pdf)


def error_text(error: PrinterError) -> str:
    """Why a printer failed, in the desk's language."""
    return _(error.message, **error.params)


@dataclass(frozen=True)
class JobResult:
    job_id: int
    code: str
    copy: Copy
    printed: bool
    error: str | None  # why not, in the desk's language

    def __str__(self) -> str:
        what = _("citizen's slip") if self.copy == "citizen" else _("office copy")
        if self.printed:
            return _("{code}: {what} printed.", code=self.code, what=what)
        return _("{code}: {what} not printed: {error}", code=self.code, what=what, error=self.error)


@dataclass(frozen=True)
class PrintOutcome:
    """What happened to a new complaint's slips; `str()` is what the kiosk shows."""

    code: str
    printer: str  # folder / cups / escpos
    where: str  # the folder, or the printer's name
    citizen: JobResult
    office: JobResult | None  # None: the office copy travels in the handoff batch only

    @property
    def ok(self) -> bool:
        return self.citizen.printed and (self.office is None or self.office.printed)

    def __str__(self) -> str:
        lines = []
        if self.citizen.printed and self.printer == "folder":
            lines.append(
                _("The slip of {code} is saved in {folder}.", code=self.code, folder=self.where)
            )
        elif self.citizen.printed:
            lines.append(_("The citizen's slip of {code} is printed.", code=self.code))
        else:
            lines.append(
                _(
                    "The complaint {code} is saved, but its slip was not printed: {error}",
                    code=self.code,
                    error=self.citizen.error,
                )
            )
        if self.office is not None and not self.office.printed:
            lines.append(
                _("The office copy was not saved either: {error}", error=self.office.error)
            )
        if self.ok:
            lines.append(_("The office copy goes with the handoff list."))
        else:
            lines.append(
                _(
                    "It waits in the reprint queue: fix the printer, then run "
                    "`posko receipt {code} --print` (or `posko receipt --drain` for all).",
                    code=self.code,
                )
            )
        return " ".join(lines)


def _new_job(session: Session, clock: Clock, complaint_id: int, copy: Copy) -> PrintJob:
    job = PrintJob(complaint_id=complaint_id, copy_kind=copy, created_at=clock.now())
    session.add(job)
    return job


def _attempt(
    session: Session,
    clock: Clock,
    settings: Settings,
    slip: SlipData,
    job: PrintJob,
    *,
    actor: str,
    reprint: bool,
) -> JobResult:
    """Print one pending job (no transaction open meanwhile), then record the result."""
    copy: Copy = "office" if job.copy_kind == "office" else "citizen"
    error: str | None = None
    try:
        _send(settings, slip, copy)
    except PrinterError as failure:
        error = error_text(failure)[:ERROR_LIMIT]
    row = session.get(PrintJob, job.id)
    assert row is not None
    row.attempts += 1
    if error is None:
        row.state, row.done_at, row.last_error = "done", clock.now(), None
    else:
        row.last_error = error
    session.add(row)
    audit.record(
        session,
        clock,
        actor=actor,
        action="slip.failed" if error else ("slip.reprinted" if reprint else "slip.printed"),
        subject=slip.code,
        detail={"copy": copy, "printer": settings.printer, "job": row.id, "error": error},
    )
    session.commit()
    return JobResult(row.id or 0, slip.code, copy, error is None, error)


def print_for_complaint(
    session: Session,
    clock: Clock,
    settings: Settings,
    policy: SchedulePolicy,
    complaint_id: int,
) -> PrintOutcome:
    """Print a just-saved complaint's slip; never raises for a printer problem.

    The citizen's slip is printed now. The office copy travels in the handoff
    batch (its PDF is attached to the list); with the folder printer it is
    also saved to the folder now. A job that fails stays pending with its
    error, for the reprint queue.
    """
    row = _complaint(session, complaint_id)
    slip = slip_data(session, settings, policy, row)
    citizen = _new_job(session, clock, row.id or 0, "citizen")
    office = _new_job(session, clock, row.id or 0, "office")
    to_folder = (settings.printer or "folder").strip().lower() == "folder"
    if not to_folder:
        # Nothing to print now: the handoff batch carries it.
        office.state, office.done_at = "done", clock.now()
    session.commit()  # the jobs exist before anything reaches a printer
    actor = row.officer_id
    citizen_result = _attempt(session, clock, settings, slip, citizen, actor=actor, reprint=False)
    office_result = None
    if to_folder:
        office_result = _attempt(session, clock, settings, slip, office, actor=actor, reprint=False)
    where = str(settings.slips_dir) if to_folder else settings.printer_name
    return PrintOutcome(slip.code, settings.printer, where, citizen_result, office_result)


def pending_jobs(session: Session, complaint_id: int | None = None) -> list[PrintJob]:
    """The reprint queue, oldest first (one complaint's jobs when given).

    An office copy that only travels in the handoff batch (a CUPS or ESC/POS
    desk) is recorded done at once with no attempt: it is never in the queue.
    """
    query = select(PrintJob).where(PrintJob.state == "pending")
    if complaint_id is not None:
        query = query.where(PrintJob.complaint_id == complaint_id)
    return list(session.exec(query.order_by(col(PrintJob.created_at), col(PrintJob.id))).all())


def pending_count(session: Session) -> int:
    """How many slips wait for a reprint: the kiosk's home screen shows it."""
    query = select(func.count()).select_from(PrintJob).where(PrintJob.state == "pending")
    return session.exec(query).one()


def drain(
    session: Session,
    clock: Clock,
    settings: Settings,
    policy: SchedulePolicy,
    *,
    complaint_id: int | None = None,
    actor: str = SYSTEM,
) -> list[JobResult]:
    """Retry the pending jobs (or one complaint's), oldest first, until one fails.

    Stopping at the first failure: the next jobs would wait for the same dead
    printer (up to its timeout each) and stay pending anyway.
    """
    jobs = pending_jobs(session, complaint_id)
    session.commit()  # release the read before the first printer call
    results = []
    for job in jobs:
        slip = slip_data(session, settings, policy, job.complaint_id)
        session.commit()
        result = _attempt(session, clock, settings, slip, job, actor=actor, reprint=True)
        results.append(result)
        if not result.printed:
            break
    return results


def reprint(
    session: Session,
    clock: Clock,
    settings: Settings,
    policy: SchedulePolicy,
    complaint_id: int,
    copy: Copy = "citizen",
    *,
    actor: str = SYSTEM,
) -> JobResult:
    """Print one more copy on request (a citizen who lost the slip)."""
    slip = slip_data(session, settings, policy, complaint_id)
    job = _new_job(session, clock, complaint_id, copy)
    session.commit()
    return _attempt(session, clock, settings, slip, job, actor=actor, reprint=True)


# --- checking a scanned slip ------------------------------------------------


class NotGenuine(PoskoError):
    """A scanned payload that is not a genuine slip of this installation."""

    exit_code = 1


@dataclass(frozen=True)
class Verified:
    code: str
    status: str
    status_label: str
    destination: str  # kota code
    destination_name: str  # the regional office
    training: bool


def typed_payload(session: Session, settings: Settings, code: str, verification: str) -> str:
    """The payload a slip's QR code carries, rebuilt from its two codes typed by hand."""
    from posko.core.tracking import normalize_code
    from posko.services.public_status import normalize_verification

    canonical = normalize_code(code) or "".join(code.split()).upper()
    sig = normalize_verification(verification)
    template = setup.require_qr_template(session, settings.qr_url_template)
    return template.replace("{code}", canonical).replace("{sig}", sig)


def verify(session: Session, settings: Settings, payload: str) -> Verified:
    """Which complaint a scanned payload names; NotGenuine when forged or foreign."""
    from posko.core.lifecycle import LABELS_ID
    from posko.core.signing import parse_payload

    template = setup.require_qr_template(session, settings.qr_url_template)
    parsed = parse_payload(payload, setup.qr_secret(session), template)
    if parsed is None:
        raise NotGenuine(
            "this is not the QR code of a Posko slip (expected an address like {example})",
            example=template.replace("{code}", "KODE").replace("{sig}", "…"),
        )
    if not parsed.genuine:
        raise NotGenuine(
            "FORGED OR ALTERED: the signature does not match the code {code}; "
            "this slip was not printed by this Posko",
            code=parsed.code,
        )
    row = session.exec(select(Complaint).where(Complaint.code == parsed.code)).first()
    if row is None:
        raise NotGenuine(
            "the signature of {code} is genuine, but no such complaint is in this database",
            code=parsed.code,
        )
    office = reference.regions(session).get(row.destination_region)
    return Verified(
        code=row.code,
        status=row.status,
        status_label=LABELS_ID[Status(row.status)],
        destination=row.destination_region,
        destination_name=office.office_name if office else row.destination_region,
        training=setup.is_training(session),
    )
