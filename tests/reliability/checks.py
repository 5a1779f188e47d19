"""What every fault test checks afterwards: nothing acknowledged missing, nothing half-saved."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from posko.services import audit, roster
from posko.store.db import new_session
from posko.store.models import AuditEvent, Complaint, StatusEvent
from tests.conftest import SESSION_INSTANT, policy_from_repo

WORKER = Path(__file__).with_name("intake_worker.py")


def on_duty(engine: Engine) -> list[str]:
    """The officers on duty in the fixtures' session (Tuesday 1 December 2026)."""
    with new_session(engine) as session:
        found = roster.session_on(session, policy_from_repo(), date(2026, 12, 1))
    assert found is not None
    return [o.id for o in found.officers]


def start_worker(url: str, officer: str, count: int, tag: str, start_file: str = ""):  # type: ignore[no-untyped-def]
    args = [sys.executable, str(WORKER), url, officer, SESSION_INSTANT.isoformat(), str(count), tag]
    return subprocess.Popen(
        [*args, start_file] if start_file else args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def complaint_count(engine: Engine) -> int:
    with new_session(engine) as session:
        return session.exec(select(func.count()).select_from(Complaint)).one()


@dataclass
class Consistency:
    complaints: int
    missing: list[str]  # acknowledged but not in the database
    without_status: list[str]  # saved without their first status event
    without_audit: list[str]  # saved without their audit event
    duplicate_codes: int
    duplicate_queue_numbers: int
    audit_ok: bool


def consistency(engine: Engine, acknowledged: list[str]) -> Consistency:
    with new_session(engine) as session:
        rows = session.exec(select(Complaint.id, Complaint.code, Complaint.queue_number)).all()
        with_status = set(session.exec(select(StatusEvent.complaint_id)).all())
        audited = set(
            session.exec(
                select(AuditEvent.subject).where(col(AuditEvent.action) == "complaint.create")
            ).all()
        )
        chain = audit.verify(session)
    codes = Counter(code for _, code, _ in rows)
    numbers = Counter(number for _, _, number in rows)
    return Consistency(
        complaints=len(rows),
        missing=[code for code in acknowledged if code not in codes],
        without_status=[code for id_, code, _ in rows if id_ not in with_status],
        without_audit=[code for _, code, _ in rows if code not in audited],
        duplicate_codes=sum(n - 1 for n in codes.values() if n > 1),
        duplicate_queue_numbers=sum(n - 1 for n in numbers.values() if n > 1),
        audit_ok=chain.ok,
    )


def cheap_pins(engine: Engine, pin: str = "123456") -> None:
    """Rehash every officer's PIN with tiny Argon2 costs, so CLI tests that sign in
    hundreds of times stay fast; the hash carries its own parameters."""
    from argon2 import PasswordHasher

    from posko.store.models import Officer

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(pin)
    with new_session(engine) as session:
        for officer in session.exec(select(Officer)).all():
            officer.pin_hash = cheap
            session.add(officer)
        session.commit()


@pytest.fixture
def fast_pins(db) -> None:  # type: ignore[no-untyped-def]
    """The sample officers' PIN with cheap hashes: sign-in rules are tested, not hash cost."""
    cheap_pins(db.engine)
