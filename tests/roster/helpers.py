"""What the roster tests share: reading the roster back from the database."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import col, select

from posko.store.db import new_session
from posko.store.models import AuditEvent, DutyAssignment, DutySession

COORDINATOR = "PV-KO2"
PIN = {"POSKO_PIN": "123456"}
SESSION_NOW = "2026-12-01T08:15:00+07:00"


def on_duty(db, day: date) -> dict[str, list[str]]:
    """Desk -> officers on the roster of a day, straight from the tables."""
    with new_session(db.engine) as s:
        rows = s.exec(
            select(DutyAssignment.desk, DutyAssignment.officer_id)
            .join(DutySession, col(DutySession.id) == col(DutyAssignment.session_id))
            .where(DutySession.day == day)
            .order_by(DutyAssignment.desk, DutyAssignment.officer_id)
        ).all()
    found: dict[str, list[str]] = {}
    for desk, officer in rows:
        found.setdefault(desk, []).append(officer)
    return found


def roster_snapshot(db) -> list[tuple]:
    with new_session(db.engine) as s:
        return list(
            s.exec(
                select(DutySession.day, DutyAssignment.desk, DutyAssignment.officer_id)
                .join(DutyAssignment, col(DutyAssignment.session_id) == col(DutySession.id))
                .order_by(DutySession.day, DutyAssignment.desk)
            ).all()
        )


def audit_events(db, prefix: str = "roster.") -> list[AuditEvent]:
    with new_session(db.engine) as s:
        return list(
            s.exec(
                select(AuditEvent)
                .where(col(AuditEvent.action).startswith(prefix))
                .order_by(col(AuditEvent.id))
            ).all()
        )


def audit_count(db) -> int:
    with new_session(db.engine) as s:
        return s.exec(select(func.count()).select_from(AuditEvent)).one()
