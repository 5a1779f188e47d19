"""Queue numbers: one per citizen, restarting every session."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from posko.core.clock import Clock, to_wib
from posko.core.errors import DutyRefused, FieldRefused, InvalidInput
from posko.core.schedule import SchedulePolicy
from posko.services import audit, duty
from posko.services.views import SessionView, VisitView
from posko.store.models import DutySession, Visit


def _view(visit: Visit) -> VisitView:
    return VisitView(
        visit.id or 0,
        visit.session_id,
        visit.number,
        visit.priority,
        visit.state,
        visit.issued_at,
        visit.desk,
    )


def next_number(session: Session, session_id: int) -> int:
    """Counter by UPDATE ... RETURNING: a row lock, never max()+1, so desks can't collide."""
    return session.execute(
        update(DutySession)
        .where(col(DutySession.id) == session_id)
        .values(queue_counter=DutySession.queue_counter + 1)
        .returning(DutySession.queue_counter)
    ).scalar_one()


def issue(session: Session, clock: Clock, duty_session: SessionView, *, priority: bool) -> Visit:
    """Add a visit in the caller's transaction."""
    visit = Visit(
        session_id=duty_session.id,
        number=next_number(session, duty_session.id),
        priority=priority,
        issued_at=clock.now(),
    )
    session.add(visit)
    session.flush()
    return visit


def take_number(
    session: Session, clock: Clock, policy: SchedulePolicy, *, priority: bool = False
) -> VisitView:
    """A queue number for an arriving citizen; none after the session's end."""
    state = duty.desk_state(session, clock, policy)
    if state.session is None or state.session.closed_at is not None:
        duty.require_open(state, holds_queue_number=False)
    assert state.session is not None
    opens = state.session.starts_at - policy.queue_opens_before
    if state.now < opens:
        raise DutyRefused(
            "queue numbers are handed out from {time}", time=to_wib(opens).strftime("%H:%M WIB")
        )
    if state.now >= state.session.ends_at:
        raise DutyRefused(
            "no new queue numbers after {time}; those waiting are still served",
            time=to_wib(state.session.ends_at).strftime("%H:%M WIB"),
        )
    visit = issue(session, clock, state.session, priority=priority)
    audit.record(
        session,
        clock,
        actor="sistem",
        action="queue.issue",
        subject=f"{state.session.day}#{visit.number}",
        detail={"priority": priority},
    )
    session.commit()
    return _view(visit)


def find_visit(session: Session, duty_session: SessionView, number: int) -> Visit:
    visit = session.exec(
        select(Visit).where(Visit.session_id == duty_session.id, Visit.number == number)
    ).first()
    if visit is None:
        raise FieldRefused(
            "queue number {number} was not issued in this session",
            field="queue_number",
            number=number,
        )
    if visit.state == "served":
        raise FieldRefused(
            "queue number {number} has already been served", field="queue_number", number=number
        )
    if visit.state == "no_show":
        raise FieldRefused(
            "queue number {number} was marked a no-show", field="queue_number", number=number
        )
    return visit


def waiting(session: Session, duty_session: SessionView) -> list[VisitView]:
    """Visits not yet served: the priority lane first, then by number."""
    rows = session.exec(
        select(Visit)
        .where(Visit.session_id == duty_session.id, col(Visit.state).in_(("issued", "called")))
        .order_by(col(Visit.priority).desc(), Visit.number)
    ).all()
    return [_view(v) for v in rows]


def call_next(
    session: Session, clock: Clock, duty_session: SessionView, *, desk: str | None = None
) -> VisitView | None:
    rows = waiting(session, duty_session)
    candidate = next((v for v in rows if v.state == "issued"), None)
    if candidate is None:
        return None
    visit = session.get(Visit, candidate.id)
    assert visit is not None
    visit.state, visit.called_at, visit.desk = "called", clock.now(), desk
    session.add(visit)
    session.commit()
    return _view(visit)


def mark(session: Session, clock: Clock, visit_id: int, state: str) -> VisitView:
    if state not in ("served", "no_show"):
        raise InvalidInput("unknown visit state {state}", state=state)
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise InvalidInput("no such queue number")
    visit.state, visit.finished_at = state, clock.now()
    session.add(visit)
    session.commit()
    return _view(visit)
