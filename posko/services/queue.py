"""Queue numbers: one per citizen, restarting every session; called by desk.

A call records the desk and the officer; calling the same number again (a
citizen who did not hear it) counts the call and re-announces it on the
board; a number that never answers is marked a no-show.
"""

from __future__ import annotations

from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, col, select

from posko.core.clock import Clock, to_wib
from posko.core.errors import DutyRefused, FieldRefused, InvalidInput
from posko.core.schedule import SchedulePolicy
from posko.services import audit, duty
from posko.services.views import DutyOfficer, SessionView, VisitView
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
        visit.calls,
        visit.announced_at,
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
        .order_by(col(Visit.priority).desc(), col(Visit.number))
    ).all()
    return [_view(v) for v in rows]


def ahead_of(session: Session, visit: Visit) -> int:
    """How many numbers not yet called will be called before this one."""
    earlier = col(Visit.number) < visit.number
    # A priority number waits only for earlier priority numbers; any other
    # number waits for every priority number too.
    before = (
        and_(col(Visit.priority), earlier) if visit.priority else or_(col(Visit.priority), earlier)
    )
    query = select(func.count()).select_from(Visit)
    return session.exec(
        query.where(Visit.session_id == visit.session_id, Visit.state == "issued", before)
    ).one()


def _caller(
    session: Session, clock: Clock, policy: SchedulePolicy, officer_id: str
) -> tuple[SessionView, DutyOfficer]:
    """Today's session, while numbers are served, and the officer on duty in it."""
    state = duty.desk_state(session, clock, policy, when_open_next=False)
    duty_session = duty.require_open(state, holds_queue_number=True)
    return duty_session, duty.require_on_duty(session, duty_session, officer_id)


def _called_visit(session: Session, duty_session: SessionView, number: int) -> Visit:
    visit = find_visit(session, duty_session, number)
    if visit.state != "called":
        raise InvalidInput(
            "queue number {number} has not been called yet; call the next number first",
            number=number,
        )
    return visit


def _desk(policy: SchedulePolicy, officer: DutyOfficer) -> str | None:
    """The officer's desk; one admitted by a coordinator's override calls to their kota's."""
    if officer.desk:
        return officer.desk
    return next((desk.code for desk in policy.desks if desk.region == officer.region), None)


def _announce(
    session: Session, clock: Clock, policy: SchedulePolicy, visit: Visit, officer: DutyOfficer
) -> None:
    visit.desk, visit.called_by = _desk(policy, officer), officer.id
    visit.calls += 1
    visit.announced_at = clock.now()
    session.add(visit)


def call_next(
    session: Session, clock: Clock, policy: SchedulePolicy, *, officer_id: str
) -> VisitView | None:
    """Call the next number (the priority lane first) to this officer's desk; None: nobody waits.

    Claimed by a conditional UPDATE, so two desks calling at the same instant
    never get the same number: the loser takes the one after it.
    """
    duty_session, officer = _caller(session, clock, policy, officer_id)
    while True:
        candidate = next((v for v in waiting(session, duty_session) if v.state == "issued"), None)
        if candidate is None:
            session.commit()
            return None
        now = clock.now()
        claimed = session.execute(
            update(Visit)
            .where(col(Visit.id) == candidate.id, Visit.state == "issued")
            .values(state="called", called_at=now)
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            break
        session.rollback()
    visit = session.get(Visit, candidate.id)
    assert visit is not None
    session.refresh(visit)
    _announce(session, clock, policy, visit, officer)
    _record(session, clock, officer, "queue.call", duty_session, visit)
    session.commit()
    return _view(visit)


def recall(
    session: Session, clock: Clock, policy: SchedulePolicy, *, officer_id: str, number: int
) -> VisitView:
    """Call a called number again: the board shows it anew, at this officer's desk."""
    duty_session, officer = _caller(session, clock, policy, officer_id)
    visit = _called_visit(session, duty_session, number)
    _announce(session, clock, policy, visit, officer)
    _record(session, clock, officer, "queue.recall", duty_session, visit)
    session.commit()
    return _view(visit)


def no_show(
    session: Session, clock: Clock, policy: SchedulePolicy, *, officer_id: str, number: int
) -> VisitView:
    """A called number that did not come to the desk."""
    duty_session, officer = _caller(session, clock, policy, officer_id)
    visit = _called_visit(session, duty_session, number)
    visit.state, visit.finished_at = "no_show", clock.now()
    session.add(visit)
    _record(session, clock, officer, "queue.no_show", duty_session, visit)
    session.commit()
    return _view(visit)


def _record(
    session: Session,
    clock: Clock,
    officer: DutyOfficer,
    action: str,
    duty_session: SessionView,
    visit: Visit,
) -> None:
    audit.record(
        session,
        clock,
        actor=officer.id,
        action=action,
        subject=f"{duty_session.day}#{visit.number}",
        detail={"desk": visit.desk, "calls": visit.calls},
    )
