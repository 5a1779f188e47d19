"""Is the desk's clock right? Duty rules and every timestamp depend on it.

On PostgreSQL the database server's clock is the authority (every desk shares
it); on SQLite the machine's own clock is, and a clock set back behind the
last recorded event is caught instead. Simulated clocks of training databases
are deliberate and exempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, col, select

from posko.core.clock import Clock, to_wib
from posko.core.errors import DutyRefused
from posko.services import setup
from posko.store.models import AuditEvent

TOLERANCE = timedelta(minutes=2)
SKEW_MESSAGES = {
    "database server": "this desk's clock shows {desk} but the database server's shows "
    "{reference}; fix the clock before taking complaints",
    "this computer": "this desk's clock shows {desk} but this computer's shows "
    "{reference}; fix the clock before taking complaints",
}


@dataclass(frozen=True)
class ClockCheck:
    desk_time: datetime
    reference_time: datetime | None  # None when exempt
    authority: str  # "database server", "this computer", "simulated"
    ok: bool
    problem: str | None  # msgid saying what is wrong, with `params`
    params: dict[str, object]

    @property
    def skew_seconds(self) -> float:
        if self.reference_time is None:
            return 0.0
        return (self.desk_time - self.reference_time).total_seconds()


def _last_event_time(session: Session) -> datetime | None:
    return session.exec(select(AuditEvent.at).order_by(col(AuditEvent.id).desc()).limit(1)).first()


def check(session: Session, clock: Clock) -> ClockCheck:
    """Compare the desk's clock with the authority's; for the kiosk's status line too."""
    if clock.simulated:
        return judge(clock, None, None)
    server = None
    if session.get_bind().dialect.name == "postgresql":
        # clock_timestamp(), not now(): now() is frozen at the transaction's start.
        server = session.execute(text("SELECT clock_timestamp()")).scalar_one()
    # SQLite has no second clock: a clock set back shows as time running backwards.
    # Training databases are exempt: their events come from simulated clocks.
    last = None
    if server is None and not setup.is_training(session):
        last = _last_event_time(session)
    return judge(clock, server, last)


def judge(clock: Clock, server_time: datetime | None, last_event: datetime | None) -> ClockCheck:
    """The verdict from what was read: the database server's clock (PostgreSQL,
    else None) and the last audit event's time (SQLite on a real database)."""
    desk = clock.now()
    if clock.simulated:
        return ClockCheck(desk, None, "simulated", True, None, {})
    if server_time is not None:
        reference, authority = server_time.astimezone(UTC), "database server"
    else:
        reference, authority = datetime.now(UTC), "this computer"
    if abs(desk - reference) > TOLERANCE:
        return ClockCheck(
            desk,
            reference,
            authority,
            False,
            SKEW_MESSAGES[authority],
            {
                "desk": to_wib(desk).strftime("%Y-%m-%d %H:%M:%S WIB"),
                "reference": to_wib(reference).strftime("%Y-%m-%d %H:%M:%S WIB"),
            },
        )
    last = last_event if authority == "this computer" else None
    if last is not None and desk < last - TOLERANCE:
        return ClockCheck(
            desk,
            reference,
            authority,
            False,
            "this computer's clock shows {desk}, earlier than the last recorded event "
            "({last}); it was set back; fix the clock before taking complaints",
            {
                "desk": to_wib(desk).strftime("%Y-%m-%d %H:%M:%S WIB"),
                "last": to_wib(last).strftime("%Y-%m-%d %H:%M:%S WIB"),
            },
        )
    return ClockCheck(desk, reference, authority, True, None, {})


def require(result: ClockCheck) -> None:
    """Refuse intake (DutyRefused) while the desk's clock is wrong."""
    if not result.ok and result.problem is not None:
        raise DutyRefused(result.problem, **result.params)


def require_clock_ok(session: Session, clock: Clock) -> None:
    """Refuse intake (DutyRefused) while the desk's clock is wrong."""
    require(check(session, clock))
