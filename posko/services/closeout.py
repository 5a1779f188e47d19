"""Closing a session at the desk: no more intake today, the day's work handed on.

Closing also hands the session's complaints to their regional offices: one
handoff batch per office (`handoff.create_batches`, the same code path as
`posko handoff close`); the lists are printed from the batches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from posko.core.clock import Clock
from posko.core.errors import DutyRefused
from posko.core.schedule import Phase, SchedulePolicy
from posko.services import audit, duty, handoff
from posko.store.models import Complaint, DutySession, Visit


@dataclass(frozen=True)
class CloseResult:
    session_id: int
    closed_at: datetime
    closed_by: str
    complaints: int  # taken in the session
    still_waiting: int  # queue numbers neither served nor marked no-show
    batches: tuple[handoff.BatchView, ...] = ()  # handoff batches made by this close
    anchor: str = ""  # the audit trail's head after the close, to note on paper


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
        row.closed_at,
        row.closed_by or officer_id,
        complaints,
        waiting,
        tuple(batches),
        audit.head(session),
    )
