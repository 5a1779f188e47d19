"""The roster as RFC 5545 calendars that follow its changes.

A calendar app keeps what it once imported: an event changes only when a
later file carries the same UID with a higher SEQUENCE, and goes only when
that file says STATUS:CANCELLED. So every event an export carries is kept in
`calendar_event`; each export first compares the roster with it, raising the
SEQUENCE of what changed and cancelling what is gone, and then writes the
live events and the cancelled ones of its range. `method="CANCEL"` writes
only the cancellations, as an iTIP CANCEL message for one-off imports.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from posko.core.clock import Clock
from posko.core.errors import InvalidInput
from posko.core.schedule import SchedulePolicy
from posko.services import roster, setup
from posko.store.models import CalendarEvent

Method = Literal["CANCEL"] | None
# iTIP wants an ORGANIZER on a CANCEL; .invalid is reserved, so it borrows no one's domain.
ORGANIZER = "mailto:jadwal-piket@posko.invalid"


def event_uid(day: date, desk: str, officer_id: str) -> str:
    """Stable per turn, so a re-imported calendar updates events, not duplicates them."""
    return f"{day.isoformat()}-{desk}-{officer_id}@posko".lower()


@dataclass(frozen=True)
class Turn:
    """One officer's turn as a calendar shows it."""

    uid: str
    day: date
    officer_id: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str
    description: str

    @property
    def fingerprint(self) -> str:
        shown = "\n".join(
            (
                self.starts_at.isoformat(),
                self.ends_at.isoformat(),
                self.summary,
                self.location,
                self.description,
            )
        )
        return hashlib.sha256(shown.encode("utf-8")).hexdigest()


def turns(
    session: Session, policy: SchedulePolicy, start: date, end: date, *, training: bool
) -> dict[str, Turn]:
    """Every officer's turn in the range, by UID."""
    names = roster.region_names(session)
    mark = "LATIHAN — " if training else ""
    found: dict[str, Turn] = {}
    for s in roster.sessions_between(session, policy, start, end):
        for o in roster.in_desk_order(policy, s.officers):
            uid = event_uid(s.day, o.desk, o.id)
            found[uid] = Turn(
                uid=uid,
                day=s.day,
                officer_id=o.id,
                starts_at=s.starts_at.astimezone(policy.zone),
                ends_at=s.ends_at.astimezone(policy.zone),
                summary=f"{mark}Piket {roster.desk_label(policy, o, names)}: {o.name}",
                location=policy.site_name,
                description=(
                    f"{mark}{o.name} ({o.id}), {o.title}. Wilayah: {names.get(o.region, o.region)}."
                ),
            )
    return found


def sync(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    start: date,
    end: date,
    wanted: Mapping[str, Turn],
) -> list[CalendarEvent]:
    """Record the range's events as they are now; every row of the range, after.

    Two exports at once may both insert a new event: the loser starts over
    and finds the winner's row.
    """
    for attempt in range(2):
        try:
            return _sync(session, clock, policy, start, end, wanted)
        except IntegrityError:
            session.rollback()
            if attempt:
                raise
    raise AssertionError("unreachable")


def _sync(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    start: date,
    end: date,
    wanted: Mapping[str, Turn],
) -> list[CalendarEvent]:
    now = clock.now()
    rows = {
        row.uid: row
        for row in session.exec(
            select(CalendarEvent).where(
                CalendarEvent.site_code == policy.site_code,
                CalendarEvent.day >= start,
                CalendarEvent.day <= end,
            )
        ).all()
    }
    for uid, gone in rows.items():
        if uid not in wanted and gone.cancelled_at is None:
            gone.cancelled_at, gone.changed_at = now, now
            gone.sequence += 1
            session.add(gone)
    for uid, turn in wanted.items():
        row = rows.get(uid)
        if row is None:
            row = CalendarEvent(
                uid=uid,
                site_code=policy.site_code,
                day=turn.day,
                officer_id=turn.officer_id,
                fingerprint=turn.fingerprint,
                summary=turn.summary,
                changed_at=now,
            )
            rows[uid] = row
        elif row.cancelled_at is not None or row.fingerprint != turn.fingerprint:
            row.sequence += 1
            row.fingerprint, row.summary = turn.fingerprint, turn.summary
            row.cancelled_at, row.changed_at = None, now
        else:
            continue
        session.add(row)
    session.commit()
    return sorted(rows.values(), key=lambda r: (r.day, r.uid))


def export(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    start: date,
    end: date,
    *,
    officer_id: str | None = None,
    method: Method = None,
) -> bytes:
    """The range as a calendar (all officers, or one); see the module's note."""
    training = setup.is_training(session)
    wanted = turns(session, policy, start, end, training=training)
    rows = sync(session, clock, policy, start, end, wanted)
    if officer_id is not None:
        rows = [r for r in rows if r.officer_id == officer_id]
    if method == "CANCEL":
        rows = [r for r in rows if r.cancelled_at is not None]
        if not rows:  # a calendar without a component is not a valid file
            raise InvalidInput(
                "no turn from {start} to {end} was cancelled after an export; nothing to cancel",
                start=start.isoformat(),
                end=end.isoformat(),
            )
    return _calendar(policy, rows, wanted, method=method, training=training)


def _calendar(
    policy: SchedulePolicy,
    rows: list[CalendarEvent],
    wanted: Mapping[str, Turn],
    *,
    method: Method,
    training: bool,
) -> bytes:
    import icalendar  # ~40 ms to import; only calendar exports need it

    from posko.core.schedule import session_window

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Posko Pengaduan//posko//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method is not None:
        calendar.add("method", method)
    mark = "LATIHAN — " if training else ""
    calendar.add("x-wr-calname", f"{mark}Piket {policy.site_name}")
    calendar.add("x-wr-timezone", policy.timezone)
    zone = policy.zone
    for row in rows:
        event = icalendar.Event()
        event.add("uid", row.uid)
        event.add("dtstamp", row.changed_at)
        event.add("last-modified", row.changed_at)
        event.add("sequence", row.sequence)
        turn = wanted.get(row.uid)
        if turn is None:  # cancelled: the policy's hours on its day are enough to name it
            window = session_window(policy, row.day)
            event.add("dtstart", window.starts_at.astimezone(zone))
            event.add("dtend", window.ends_at.astimezone(zone))
            event.add("summary", row.summary)
            event.add("status", "CANCELLED")
        else:
            event.add("dtstart", turn.starts_at)
            event.add("dtend", turn.ends_at)
            event.add("summary", turn.summary)
            event.add("location", turn.location)
            event.add("description", turn.description)
            event.add("status", "CONFIRMED")
        if method == "CANCEL":
            event.add("organizer", ORGANIZER, parameters={"CN": policy.site_name})
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
