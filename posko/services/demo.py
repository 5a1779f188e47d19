"""Preparing `posko demo`: a training database, and a clock inside a session.

The demo's clock is simulated so that the desk is open whenever someone
tries it: 15 minutes into today's session, or the next one. It continues
from the database's last event, never before it: a history that ran
backwards across launches (diserahkan 08:18 before diterima 08:19) would
teach the wrong thing about the desk's one rule on time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from posko.core.clock import Clock, SimulatedClock
from posko.core.errors import InvalidInput
from posko.core.schedule import Phase, SchedulePolicy
from posko.services import duty, setup
from posko.store import migrate
from posko.store.db import new_session
from posko.store.models import AuditEvent, StatusEvent

INTO_SESSION = timedelta(minutes=15)
# The steps `prepare` reports, in order; the kiosk says each in words.
STEPS = ("check", "schema", "reference", "roster", "clock")


def last_event_at(session: Session) -> datetime | None:
    """The latest instant the database recorded anything at."""
    times = [
        session.exec(select(func.max(AuditEvent.at))).one(),
        session.exec(select(func.max(StatusEvent.at))).one(),
    ]
    found = [t for t in times if t is not None]
    return max(found) if found else None


def clock_start(session: Session, policy: SchedulePolicy, now: datetime) -> datetime:
    """15 minutes into the session that is open or next at `now`; never before
    the last event (then the clock continues from it, in its session or the next)."""
    last = last_event_at(session)
    at = max(now, last) if last is not None else now
    state = duty.desk_state(session, SimulatedClock(at), policy)
    target = state.session if state.phase in (Phase.BEFORE, Phase.OPEN) else None
    target = target or state.next_session
    start = target.starts_at + INTO_SESSION if target is not None else at
    return max(start, last) if last is not None else start


def prepare(
    engine: Engine,
    clock: Clock,
    policy: SchedulePolicy,
    progress: Callable[[str], None] = lambda step: None,
) -> Clock:
    """Make the demo database ready; the clock the demo runs on.

    `clock` is the command line's: a simulated one (--now) is kept, unless it
    lies before the database's last event.
    """
    progress("check")
    last = None
    if migrate.current_revision(engine) is not None:
        with new_session(engine) as session:
            if not setup.is_training(session):
                raise InvalidInput("posko demo runs only on a training database")
            last = last_event_at(session)
    now = clock.now()
    if clock.simulated and last is not None and now < last:
        raise InvalidInput(
            "--now is before the demo database's last event ({last}); a demo never runs "
            "backwards: choose a later time, or start again with `posko demo --fresh`",
            last=last.isoformat(timespec="minutes"),
        )
    # Its own events are recorded no earlier than the last one either.
    setup.init_database(
        engine,
        clock if clock.simulated else SimulatedClock(max(now, last or now)),
        policy,
        training=True,
        progress=progress,
    )
    if clock.simulated:
        return clock
    progress("clock")
    with new_session(engine) as session:
        return SimulatedClock(clock_start(session, policy, now))
