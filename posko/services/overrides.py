"""A coordinator lets an officer who is not on the roster take complaints for one session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from posko.core.clock import Clock
from posko.core.errors import InvalidInput, NotFound
from posko.core.text import clean_text
from posko.services import audit
from posko.services.accounts import require_role
from posko.services.views import OfficerView
from posko.store.models import DutyOverride, DutySession, Officer

REASON_MIN = 10
REASON_MAX = 500
GRANTING_ROLES = ("coordinator", "admin")


@dataclass(frozen=True)
class OverrideView:
    session_id: int
    officer_id: str
    granted_by: str
    reason: str
    granted_at: datetime


def grant(
    session: Session,
    clock: Clock,
    *,
    coordinator: OfficerView,
    session_id: int,
    officer_id: str,
    reason: str,
) -> OverrideView:
    """Admit `officer_id` in one session; the reason goes to the audit log.

    `coordinator` must already be authenticated (access.sign_in). Granting
    again for the same officer and session keeps the first grant.
    """
    require_role(coordinator, *GRANTING_ROLES)
    reason = clean_text(reason)
    if len(reason) < REASON_MIN:
        raise InvalidInput(
            "write the reason for the override (at least {minimum} characters)",
            minimum=REASON_MIN,
        )
    if len(reason) > REASON_MAX:
        raise InvalidInput("the reason must be at most {limit} characters", limit=REASON_MAX)
    officer = session.get(Officer, officer_id)
    if officer is None or not officer.active:
        raise NotFound("no active officer with id {officer}", officer=officer_id[:40])
    if session.get(DutySession, session_id) is None:
        raise NotFound("no duty session {session}", session=session_id)
    row = session.exec(
        select(DutyOverride).where(
            DutyOverride.session_id == session_id, DutyOverride.officer_id == officer_id
        )
    ).first()
    if row is None:
        row = DutyOverride(
            session_id=session_id,
            officer_id=officer_id,
            granted_by=coordinator.id,
            reason=reason,
            granted_at=clock.now(),
        )
        session.add(row)
        audit.record(
            session,
            clock,
            actor=coordinator.id,
            action="duty.override",
            subject=officer_id,
            detail={"session_id": session_id, "reason": reason},
        )
        session.commit()
    return OverrideView(row.session_id, row.officer_id, row.granted_by, row.reason, row.granted_at)
