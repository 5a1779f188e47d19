"""Printing slips and queue tickets, and the reprint queue they share.

Printing happens after the complaint (or the queue number) is committed and
outside any transaction (a printer may take seconds; on SQLite an open
transaction holds the write lock of every desk). Each copy is a PrintJob row
written *before* it is printed, so a failure or a crash leaves a pending job
that `drain` (the kiosk's Ctrl+R, `posko receipt --drain`) prints later:
a printer problem never loses a complaint or a number.

What to tell people about an outcome is the business of the UI showing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func
from sqlmodel import Session, col, select

from posko.config import Settings
from posko.core.clock import Clock
from posko.core.errors import NotFound
from posko.core.schedule import SchedulePolicy
from posko.printing.printers import (
    EscposPrinter,
    Printer,
    PrinterError,
    job_name,
    printer_from_config,
)
from posko.printing.slip_data import Copy, SlipData
from posko.printing.ticket import TicketData
from posko.services import audit, setup, slips, tickets
from posko.store.models import Complaint, PrintJob

Kind = Literal["citizen", "office", "ticket"]
SYSTEM = "sistem"  # the actor of a reprint nobody signed in for (CLI, drain)
ERROR_LIMIT = 500  # PrintJob.last_error
Document = SlipData | TicketData


def printer_for(settings: Settings) -> Printer:
    """The printer the settings name; PrinterError if they cannot make one."""
    return printer_from_config(
        settings.printer,
        folder=settings.slips_dir,
        printer_name=settings.printer_name,
        paper_width_mm=settings.paper_width_mm,
        office_paper=settings.office_paper,
    )


def to_folder(settings: Settings) -> bool:
    return (settings.printer or "folder").strip().lower() == "folder"


def where(settings: Settings) -> str:
    """The folder the copies go to, or the printer's name."""
    return str(settings.slips_dir) if to_folder(settings) else settings.printer_name


def _send(settings: Settings, document: Document, kind: Kind) -> None:
    """Print one copy on the configured printer; every failure is a PrinterError."""
    if not isinstance(document, TicketData):
        try:
            slips.paper_ready(document)
        except setup.StatusUrlMissing as missing:
            raise PrinterError(missing.message) from None
    printer = printer_for(settings)
    if isinstance(printer, EscposPrinter):
        # Native text and QR, not a PDF.
        if isinstance(document, TicketData):
            printer.print_ticket(document)
        else:
            printer.print_slip(document, "office" if kind == "office" else "citizen")
        return
    try:
        if isinstance(document, TicketData):
            name, pdf = document.name, tickets.render(document, settings)
        else:
            copy: Copy = "office" if kind == "office" else "citizen"
            name, pdf = job_name(document, copy), slips.render(document, settings, copy)
    except Exception as error:
        # A layout bug must read as "not printed", never as a lost complaint.
        raise PrinterError(
            "the slip could not be laid out: {error}", error=str(error)[:200]
        ) from error
    printer.print_pdf(name, pdf)


def error_text(error: PrinterError) -> str:
    """Why a printer failed, in the desk's language."""
    from posko.i18n import _

    return _(error.message, **error.params)


@dataclass(frozen=True)
class JobResult:
    job_id: int
    code: str  # the tracking code, or the ticket's name (antrean-20261201-012)
    copy: Kind
    printed: bool
    error: str | None  # why not, in the desk's language


@dataclass(frozen=True)
class PrintOutcome:
    """What happened to a new complaint's slips."""

    code: str
    printer: str  # folder / cups / escpos
    where: str  # the folder, or the printer's name
    citizen: JobResult
    office: JobResult | None  # None: the office copy travels in the handoff batch only

    @property
    def ok(self) -> bool:
        return self.citizen.printed and (self.office is None or self.office.printed)


@dataclass(frozen=True)
class TicketOutcome:
    """What happened to a new queue number's ticket (the number is issued either way)."""

    ticket: TicketData
    printer: str
    where: str
    result: JobResult


def _new_job(
    session: Session,
    clock: Clock,
    kind: Kind,
    *,
    complaint_id: int | None = None,
    visit_id: int | None = None,
) -> PrintJob:
    job = PrintJob(
        complaint_id=complaint_id, visit_id=visit_id, copy_kind=kind, created_at=clock.now()
    )
    session.add(job)
    return job


def _attempt(
    session: Session,
    clock: Clock,
    settings: Settings,
    document: Document,
    job: PrintJob,
    *,
    actor: str,
    reprint: bool,
) -> JobResult:
    """Print one pending job (no transaction open meanwhile), then record the result."""
    kind: Kind = job.copy_kind if job.copy_kind in ("office", "ticket") else "citizen"  # type: ignore[assignment]
    error: str | None = None
    try:
        _send(settings, document, kind)
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
    if isinstance(document, TicketData):
        what, code = "ticket", document.name
        subject = f"{document.day}#{document.number}"  # as queue.issue records it
    else:
        what, code = "slip", document.code
        subject = document.code
    outcome = "failed" if error else ("reprinted" if reprint else "printed")
    audit.record(
        session,
        clock,
        actor=actor,
        action=f"{what}.{outcome}",
        subject=subject,
        detail={"copy": kind, "printer": settings.printer, "job": row.id, "error": error},
    )
    session.commit()
    return JobResult(row.id or 0, code, kind, error is None, error)


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
    row = session.get(Complaint, complaint_id)
    if row is None:
        raise NotFound("no complaint with id {id}", id=complaint_id)
    slip = slips.slip_data(session, settings, policy, row)
    citizen = _new_job(session, clock, "citizen", complaint_id=complaint_id)
    office = _new_job(session, clock, "office", complaint_id=complaint_id)
    folder = to_folder(settings)
    if not folder:
        # Nothing to print now: the handoff batch carries it.
        office.state, office.done_at = "done", clock.now()
    session.commit()  # the jobs exist before anything reaches a printer
    actor = row.officer_id
    citizen_result = _attempt(session, clock, settings, slip, citizen, actor=actor, reprint=False)
    office_result = None
    if folder:
        office_result = _attempt(session, clock, settings, slip, office, actor=actor, reprint=False)
    return PrintOutcome(slip.code, settings.printer, where(settings), citizen_result, office_result)


def print_ticket(
    session: Session,
    clock: Clock,
    settings: Settings,
    policy: SchedulePolicy,
    visit_id: int,
    *,
    actor: str = SYSTEM,
) -> TicketOutcome:
    """Print a just-issued number's ticket; never raises for a printer problem."""
    ticket = tickets.ticket_data(session, settings, policy, visit_id)
    job = _new_job(session, clock, "ticket", visit_id=visit_id)
    session.commit()  # the job exists before anything reaches a printer
    result = _attempt(session, clock, settings, ticket, job, actor=actor, reprint=False)
    return TicketOutcome(ticket, settings.printer, where(settings), result)


def pending_jobs(
    session: Session, complaint_id: int | None = None, *, visit_id: int | None = None
) -> list[PrintJob]:
    """The reprint queue, oldest first (one complaint's or one ticket's jobs when given).

    An office copy that only travels in the handoff batch (a CUPS or ESC/POS
    desk) is recorded done at once with no attempt: it is never in the queue.
    """
    query = select(PrintJob).where(PrintJob.state == "pending")
    if complaint_id is not None:
        query = query.where(PrintJob.complaint_id == complaint_id)
    if visit_id is not None:
        query = query.where(PrintJob.visit_id == visit_id)
    return list(session.exec(query.order_by(col(PrintJob.created_at), col(PrintJob.id))).all())


def pending_count(session: Session) -> int:
    """How many slips and tickets wait for a reprint: the kiosk's home screen shows it."""
    query = select(func.count()).select_from(PrintJob).where(PrintJob.state == "pending")
    return session.exec(query).one()


def _document(
    session: Session, settings: Settings, policy: SchedulePolicy, job: PrintJob
) -> Document:
    if job.visit_id is not None:
        return tickets.ticket_data(session, settings, policy, job.visit_id)
    assert job.complaint_id is not None
    return slips.slip_data(session, settings, policy, job.complaint_id)


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
        document = _document(session, settings, policy, job)
        session.commit()
        result = _attempt(session, clock, settings, document, job, actor=actor, reprint=True)
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
    slip = slips.slip_data(session, settings, policy, complaint_id)
    job = _new_job(session, clock, copy, complaint_id=complaint_id)
    session.commit()
    return _attempt(session, clock, settings, slip, job, actor=actor, reprint=True)
