"""The waiting room's board: which number is called to which desk, who waits.

Read by the TV board (`posko board`), the `/antrean` page and the phone page
a ticket's QR code opens. Numbers and desks only: nothing here touches a
complaint or a name.

A board in another process learns of a call by polling `fingerprint`, one
indexed aggregate over today's visits (well under a millisecond on SQLite
and PostgreSQL alike), and reloads the whole board only when it changes.
Polling works the same on both backends and across machines; PostgreSQL's
LISTEN/NOTIFY has no SQLite counterpart, and a board that misses a
notification during a reconnect would stay wrong until the next call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from posko.core.clock import Clock
from posko.core.schedule import SchedulePolicy
from posko.services import duty, queue, roster, setup
from posko.store.db import new_session
from posko.store.models import Visit

RECENT = 6  # the last calls the board lists


@dataclass(frozen=True)
class Call:
    number: int
    priority: bool
    desk: str | None
    state: str  # called / served / no_show
    announced_at: datetime
    calls: int  # 2 and more: re-announced


@dataclass(frozen=True)
class Position:
    """One ticket's place in the queue, for the phone page."""

    number: int
    priority: bool
    state: str  # issued / called / served / no_show
    desk: str | None
    ahead: int


@dataclass(frozen=True)
class Board:
    site_name: str
    now: datetime
    phase: str  # before / open / grace / after (core.schedule.Phase)
    day: date | None  # today's session, if any
    opens_at: datetime | None
    ends_at: datetime | None
    next_opens_at: datetime | None  # the next session, when today's is over or absent
    closed_reason: str | None
    desks: tuple[str, ...]  # the desks staffed today, in the policy's order
    serving: dict[str, Call]  # desk -> the number called there now
    recent: tuple[Call, ...]  # the last calls, newest first
    waiting: int
    waiting_priority: int
    training: bool
    session_id: int | None


def _call(visit: Visit) -> Call:
    assert visit.announced_at is not None
    return Call(
        visit.number, visit.priority, visit.desk, visit.state, visit.announced_at, visit.calls
    )


def fingerprint(session: Session, session_id: int | None) -> tuple[object, ...]:
    """Changes whenever a number is issued, called, called again, served or missed."""
    if session_id is None:
        return ()
    row = session.exec(
        select(
            func.count(),
            func.coalesce(func.sum(Visit.calls), 0),
            func.count(col(Visit.finished_at)),
            func.max(Visit.announced_at),
        ).where(Visit.session_id == session_id)
    ).one()
    return tuple(row)


def board(session: Session, clock: Clock, policy: SchedulePolicy) -> Board:
    state = duty.desk_state(session, clock, policy)
    today = state.session
    serving: dict[str, Call] = {}
    recent: list[Call] = []
    waiting = waiting_priority = 0
    desks: tuple[str, ...] = ()
    if today is not None:
        staffed = {officer.desk for officer in today.officers}
        desks = tuple(d.code for d in policy.desks if d.code in staffed)
        announced = session.exec(
            select(Visit)
            .where(Visit.session_id == today.id, col(Visit.announced_at).is_not(None))
            .order_by(col(Visit.announced_at).desc(), col(Visit.id).desc())
        ).all()
        for visit in announced:
            if visit.state == "called" and visit.desk and visit.desk not in serving:
                serving[visit.desk] = _call(visit)
        recent = [_call(visit) for visit in announced[:RECENT]]
        counts = session.exec(
            select(Visit.priority, func.count())
            .where(Visit.session_id == today.id, Visit.state == "issued")
            .group_by(col(Visit.priority))
        ).all()
        for priority, count in counts:
            waiting += count
            waiting_priority += count if priority else 0
    upcoming = state.next_session if state.phase.value == "after" else None
    return Board(
        site_name=policy.site_name,
        now=state.now,
        phase=state.phase.value,
        day=today.day if today else None,
        opens_at=today.starts_at if today else None,
        ends_at=today.ends_at if today else None,
        next_opens_at=upcoming.starts_at if upcoming is not None else None,
        closed_reason=state.closed_reason,
        desks=desks,
        serving=serving,
        recent=tuple(recent),
        waiting=waiting,
        waiting_priority=waiting_priority,
        training=setup.is_training(session),
        session_id=today.id if today else None,
    )


def position(session: Session, policy: SchedulePolicy, day: date, number: int) -> Position | None:
    """Where one ticket stands (None: no such number on that day)."""
    duty_session = roster.session_on(session, policy, day)
    if duty_session is None:
        return None
    visit = session.exec(
        select(Visit).where(Visit.session_id == duty_session.id, Visit.number == number)
    ).first()
    if visit is None:
        return None
    ahead = queue.ahead_of(session, visit) if visit.state == "issued" else 0
    return Position(visit.number, visit.priority, visit.state, visit.desk, ahead)


def for_page(
    engine: Engine, clock: Clock, policy: SchedulePolicy, day: date | None, number: int | None
) -> tuple[Board, Position | None]:
    """The board and one ticket's place, in one session: the web page's way in
    (posko/web opens no session of its own)."""
    with new_session(engine) as session:
        shown = board(session, clock, policy)
        if day is None or number is None:
            return shown, None
        return shown, position(session, policy, day, number)
