"""Is the desk open, and may this officer take complaints now?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from posko.core.clock import Clock, to_wib
from posko.core.errors import DutyRefused
from posko.core.schedule import (
    Phase,
    SchedulePolicy,
    local_date,
    phase_at,
    session_window,
    why_no_session,
)
from posko.services import roster
from posko.services.views import DutyOfficer, SessionView
from posko.store.models import DutyOverride, Officer


@dataclass(frozen=True)
class DeskState:
    now: datetime
    phase: Phase
    session: SessionView | None  # today's session, if any
    next_session: SessionView | None
    closed_reason: str | None  # why there is no session today (holiday name, weekday)


def desk_state(
    session: Session, clock: Clock, policy: SchedulePolicy, *, when_open_next: bool = True
) -> DeskState:
    """Where the desk stands now. `when_open_next=False` leaves out the next
    session while intake is open (next_session is None then): intake only needs
    it to explain a refusal, and reading it is a third of an intake's queries."""
    now = clock.now()
    today = local_date(policy, now)
    todays = roster.session_on(session, policy, today)
    if todays is None:
        reason = why_no_session(policy, today, roster.db_closures(session, policy, today, today))
        return DeskState(
            now,
            Phase.AFTER,
            None,
            roster.next_session_after(session, policy, today),
            reason or "no session on the roster",
        )
    window = session_window(policy, today)
    phase = phase_at(window, now, closed=todays.closed_at is not None)
    if phase is Phase.BEFORE:
        upcoming: SessionView | None = todays
    elif phase in (Phase.OPEN, Phase.GRACE) and not when_open_next:
        upcoming = None
    else:
        upcoming = roster.next_session_after(session, policy, today)
    return DeskState(now, phase, todays, upcoming, None)


def _when(view: SessionView | None) -> str:
    if view is None:
        return "none planned"
    return to_wib(view.starts_at).strftime("%Y-%m-%d %H:%M WIB")


def require_open(state: DeskState, *, holds_queue_number: bool) -> SessionView:
    """The session in which intake may happen now, or DutyRefused saying why not."""
    if state.session is None:
        raise DutyRefused(
            "the Posko is closed today ({reason}); next session: {next}",
            reason=state.closed_reason or "",
            next=_when(state.next_session),
        )
    if state.phase is Phase.BEFORE:
        raise DutyRefused(
            "intake has not opened yet; it opens at {next}", next=_when(state.session)
        )
    if state.phase is Phase.GRACE and not holds_queue_number:
        raise DutyRefused(
            "intake closed at {end} to new arrivals; only citizens holding a "
            "queue number are still served",
            end=to_wib(state.session.ends_at).strftime("%H:%M WIB"),
        )
    if state.phase is Phase.AFTER:
        raise DutyRefused(
            "today's session is over; next session: {next}", next=_when(state.next_session)
        )
    return state.session


def on_duty(session: Session, duty_session: SessionView, officer_id: str) -> DutyOfficer | None:
    """The officer's duty in this session: rostered, or by a coordinator's override."""
    for officer in duty_session.officers:
        if officer.id == officer_id:
            return officer
    override = session.exec(
        select(DutyOverride).where(
            DutyOverride.session_id == duty_session.id, DutyOverride.officer_id == officer_id
        )
    ).first()
    if override is not None:
        row = session.get(Officer, officer_id)
        if row is not None and row.active:
            return DutyOfficer(row.id, row.name, row.title, row.region_code, "")
    return None


def require_on_duty(session: Session, duty_session: SessionView, officer_id: str) -> DutyOfficer:
    officer = session.get(Officer, officer_id)
    if officer is None or not officer.active:
        raise DutyRefused("officer {officer} is not known or not active", officer=officer_id)
    found = on_duty(session, duty_session, officer_id)
    if found is None:
        names = ", ".join(f"{o.name} ({o.id})" for o in duty_session.officers) or "-"
        raise DutyRefused(
            "officer {officer} is not on duty in the session of {day}; on duty: {names}",
            officer=officer_id,
            day=duty_session.day.isoformat(),
            names=names,
        )
    return found


@dataclass(frozen=True)
class SessionCounts:
    complaints: int  # taken in the session
    issued: int  # queue numbers issued
    no_shows: int
    last_issued: int | None = None  # the highest queue number handed out


def session_counts(session: Session, session_id: int) -> SessionCounts:
    """What the desk's dashboard counts for one session."""
    from sqlalchemy import func

    from posko.store.models import Complaint, Visit

    def one(what: Any, model: type, *where: Any) -> Any:
        return session.exec(select(what).select_from(model).where(*where)).one()

    in_session = Visit.session_id == session_id
    return SessionCounts(
        complaints=one(func.count(), Complaint, Complaint.session_id == session_id),
        issued=one(func.count(), Visit, in_session),
        no_shows=one(func.count(), Visit, in_session, Visit.state == "no_show"),
        last_issued=one(func.max(Visit.number), Visit, in_session),
    )
