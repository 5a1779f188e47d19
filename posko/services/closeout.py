"""Closing a session: no more intake, the day's work handed on, on paper.

`hand_off` is what both F8 at the kiosk and `posko handoff close` do: close
the session, put its complaints into one handoff batch per destination office
(`handoff.create_batches`), write each batch's list as PDF (with the office
copies) and CSV into the handoff folder, and send the new lists to the
printer when one is configured. It says where each list went and what is
still pending, so the morning ends with the regional offices' paper in hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, select

from posko.config import Settings
from posko.core.clock import Clock
from posko.core.errors import DutyRefused
from posko.core.schedule import Phase, SchedulePolicy
from posko.services import audit, duty, handoff, handoff_lists, print_queue
from posko.services.views import OfficerView
from posko.store.models import Complaint, DutySession, Visit


@dataclass(frozen=True)
class CloseResult:
    session_id: int
    day: date
    closed_at: datetime
    closed_by: str
    complaints: int  # taken in the session
    still_waiting: int  # queue numbers neither served nor marked no-show
    batches: tuple[handoff.BatchView, ...] = ()  # handoff batches made by this close


def close_session(
    session: Session, clock: Clock, policy: SchedulePolicy, officer_id: str
) -> CloseResult:
    """Close today's session; only an officer on duty in it may, once it has opened."""
    state = duty.desk_state(session, clock, policy)
    if state.session is None:
        duty.require_open(state, holds_queue_number=True)  # raises: closed today
    assert state.session is not None
    if state.phase is Phase.BEFORE:
        raise DutyRefused("the session has not opened yet; nothing to close")
    duty.require_on_duty(session, state.session, officer_id)
    row = session.get(DutySession, state.session.id)
    assert row is not None
    now = clock.now()
    complaints = session.exec(
        select(func.count()).select_from(Complaint).where(Complaint.session_id == row.id)
    ).one()
    waiting = session.exec(
        select(func.count())
        .select_from(Visit)
        .where(Visit.session_id == row.id, col(Visit.state).in_(("issued", "called")))
    ).one()
    if row.closed_at is None:  # closing again keeps the first close
        row.closed_at, row.closed_by = now, officer_id
        session.add(row)
    batches = handoff.create_batches(session, clock, row, officer_id)
    audit.record(
        session,
        clock,
        actor=officer_id,
        action="session.close",
        subject=str(row.day),
        detail={"session_id": row.id, "complaints": complaints, "still_waiting": waiting},
    )
    session.commit()
    return CloseResult(
        row.id or 0,
        row.day,
        row.closed_at,
        row.closed_by or officer_id,
        complaints,
        waiting,
        tuple(batches),
    )


@dataclass(frozen=True)
class ListOutcome:
    """One office's handoff list: where it was written and whether it printed."""

    batch: handoff.BatchView
    new: bool  # made by this close (else an earlier close's list, written again)
    pdf: Path
    xlsx: Path  # the same rows for the office's Excel
    csv: Path
    printed: bool | None  # None: not sent (no printer configured, or not new)
    error: str | None  # why it did not print, in the desk's language


@dataclass(frozen=True)
class Closeout:
    day: date
    folder: Path
    printer: str  # folder (no printer) / cups / escpos
    lists: tuple[ListOutcome, ...]
    complaints: int | None  # taken in the session (the desk's close)
    still_waiting: int | None  # queue numbers not served (the desk's close)
    reprints: int  # slips waiting in the reprint queue
    # The audit anchor once the lists are out (the lists' sealed event), to note on paper:
    # `posko audit verify --anchor` checks a later trail still holds it.
    anchor: str

    @property
    def unprinted(self) -> tuple[ListOutcome, ...]:
        return tuple(item for item in self.lists if item.new and item.printed is False)


def hand_off(
    session: Session,
    clock: Clock,
    settings: Settings,
    policy: SchedulePolicy,
    *,
    officer: OfficerView,
    day: date | None = None,
    folder: Path | None = None,
    replace: bool = True,
) -> Closeout:
    """Close a session and hand its complaints on, on paper.

    `day=None` is the desk's close (F8): today's session, by an officer on
    duty in it. A named day is `posko handoff close --session DAY`. The lists
    go to `folder`, else the configured handoff folder; they hold the office
    copies, so they are written through the access gate (`officer`, signed in
    with the PIN; audited as `handoff.lists`). `replace`: list files already
    in the folder are written again (Posko's own folder), else refused.
    """
    if day is None:
        result = close_session(session, clock, policy, officer.id)
        made = {b.id for b in result.batches}
        day = result.day
        batches = handoff.session_batches(session, result.session_id)
        counts: tuple[int | None, int | None] = (result.complaints, result.still_waiting)
    else:
        new, batches = handoff.close(session, clock, policy, day=day, officer=officer)
        made = {b.id for b in new}
        counts = (None, None)
    target = folder or settings.handoff_folder
    # Private files in a private folder (posko.files), the identities inside.
    files = handoff_lists.write_for(
        session, clock, settings, policy, officer, batches, target, replace=replace
    )
    lists = []
    for batch, written in zip(batches, files, strict=True):
        printed, error = None, None
        if batch.id in made and (settings.printer or "folder").strip().lower() != "folder":
            printed, error = _print_list(session, clock, settings, batch, written.pdf, officer.id)
        lists.append(
            ListOutcome(
                batch, batch.id in made, written.pdf, written.xlsx, written.csv, printed, error
            )
        )
    return Closeout(
        day,
        target,
        settings.printer,
        tuple(lists),
        *counts,
        print_queue.pending_count(session),
        audit.anchor(session),
    )


def _print_list(
    session: Session,
    clock: Clock,
    settings: Settings,
    batch: handoff.BatchView,
    pdf: Path,
    officer_id: str | None,
) -> tuple[bool, str | None]:
    """Send one list to the configured printer; a failure is reported, never raised:
    the batch is made and its files are on disk whatever the printer does."""
    from posko.printing.printers import PrinterError

    error = None
    try:
        print_queue.printer_for(settings).print_pdf(pdf.stem, pdf.read_bytes())
    except PrinterError as failure:
        error = print_queue.error_text(failure)
    except OSError as failure:
        error = failure.strerror or str(failure)
    audit.record(
        session,
        clock,
        actor=officer_id or "sistem",
        action="handoff.print_failed" if error else "handoff.printed",
        subject=batch.label,
        detail={"printer": settings.printer, "error": error},
    )
    session.commit()
    return error is None, error
