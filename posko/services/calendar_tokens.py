"""Private calendar subscriptions: one officer's roster at a URL with a secret token.

Most officers subscribe rather than import, so `posko serve` answers
/kalender/TOKEN.ics with the officer's current calendar (roster_ics, so
changes and cancellations reach the app at its next refresh). The token is
shown once; only its SHA-256 is kept, so a copy of the database opens no
calendar. A coordinator or admin creates and revokes tokens, audited.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from posko.core.clock import Clock
from posko.core.errors import InvalidInput, NotFound
from posko.core.schedule import SchedulePolicy, local_date
from posko.services import audit, roster, roster_edit, roster_ics
from posko.store.db import new_session
from posko.store.models import CalendarToken, Officer

PATH = "/kalender/{token}.ics"
# A subscribed calendar shows the last weeks too, so a swap just before today is seen.
HISTORY_DAYS = 31


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TokenView:
    id: int
    officer_id: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    last_used_at: datetime | None


def _view(row: CalendarToken) -> TokenView:
    return TokenView(
        row.id or 0,
        row.officer_id,
        row.created_at,
        row.created_by,
        row.revoked_at,
        row.last_used_at,
    )


def create(session: Session, clock: Clock, *, actor: str, officer_id: str) -> tuple[int, str]:
    """A new token for the officer's calendar: its id and the token (shown only now)."""
    roster_edit.require_coordinator(session, actor)
    officer = session.get(Officer, officer_id)
    if officer is None or not officer.active:
        raise NotFound("no active officer {officer}", officer=officer_id)
    token = secrets.token_urlsafe(24)
    row = CalendarToken(
        officer_id=officer_id, token_hash=_hash(token), created_at=clock.now(), created_by=actor
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        clock,
        actor=actor,
        action="calendar.token.create",
        subject=officer_id,
        detail={"token_id": row.id},
    )
    session.commit()
    return row.id or 0, token


def revoke(session: Session, clock: Clock, *, actor: str, token_id: int) -> TokenView:
    roster_edit.require_coordinator(session, actor)
    row = session.get(CalendarToken, token_id)
    if row is None:
        raise NotFound("no calendar subscription {id}", id=token_id)
    if row.revoked_at is not None:
        raise InvalidInput("calendar subscription {id} is already revoked", id=token_id)
    row.revoked_at, row.revoked_by = clock.now(), actor
    session.add(row)
    audit.record(
        session,
        clock,
        actor=actor,
        action="calendar.token.revoke",
        subject=row.officer_id,
        detail={"token_id": token_id},
    )
    session.commit()
    return _view(row)


def listing(session: Session, officer_id: str | None = None) -> list[TokenView]:
    query = select(CalendarToken).order_by(col(CalendarToken.id))
    if officer_id is not None:
        query = query.where(CalendarToken.officer_id == officer_id)
    return [_view(row) for row in session.exec(query).all()]


def calendar(session: Session, clock: Clock, policy: SchedulePolicy, token: str) -> bytes | None:
    """The officer's current calendar for a live token; None for an unknown or revoked one."""
    row = session.exec(
        select(CalendarToken).where(CalendarToken.token_hash == _hash(token))
    ).first()
    if row is None or row.revoked_at is not None:
        return None
    officer = session.get(Officer, row.officer_id)
    if officer is None or not officer.active:
        return None
    row.last_used_at = clock.now()
    session.add(row)
    session.commit()
    today = local_date(policy, clock.now())
    start = today - timedelta(days=HISTORY_DAYS)
    published = roster.published_range(session, policy)
    end: date = max(published[1], today) if published else today
    return roster_ics.export(session, clock, policy, start, end, officer_id=row.officer_id)


def calendar_at(engine: Engine, clock: Clock, policy: SchedulePolicy, token: str) -> bytes | None:
    """`calendar` in a session of its own: the web server's way in."""
    with new_session(engine) as session:
        return calendar(session, clock, policy, token)
