"""Officers and their PINs."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from posko.core.clock import Clock
from posko.core.errors import InvalidInput, PermissionDenied
from posko.services import audit
from posko.services.views import OfficerView
from posko.store.models import Officer

MAX_FAILED_PINS = 5
LOCKOUT = timedelta(minutes=5)
ROLES = ("duty", "coordinator", "regional", "admin")


def _hasher():  # type: ignore[no-untyped-def]
    # argon2 costs ~15 ms to import; only sign-in and officer admin need it.
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_pin(pin: str) -> str:
    if not pin.isdigit() or len(pin) < 6:
        raise InvalidInput("a PIN must have at least 6 digits")
    return _hasher().hash(pin)


def to_view(officer: Officer) -> OfficerView:
    return OfficerView(
        officer.id,
        officer.name,
        officer.title,
        officer.region_code,
        officer.role,
        officer.rank,
        officer.active,
    )


def list_officers(session: Session, *, include_inactive: bool = True) -> list[OfficerView]:
    query = select(Officer).order_by(Officer.id)
    if not include_inactive:
        query = query.where(Officer.active)
    return [to_view(o) for o in session.exec(query).all()]


def get(session: Session, officer_id: str) -> OfficerView | None:
    officer = session.get(Officer, officer_id)
    return to_view(officer) if officer is not None else None


def verify_pin(session: Session, clock: Clock, officer_id: str, pin: str) -> OfficerView:
    """Check an officer's PIN; five wrong ones lock the account for five minutes.

    The count and the lock live in the database, so restarting the kiosk does
    not reset them.
    """
    from argon2.exceptions import InvalidHashError, VerificationError

    # The row lock serializes attempts on one account, so concurrent wrong PINs
    # on PostgreSQL all count (SQLite's BEGIN IMMEDIATE already serializes).
    officer = session.get(Officer, officer_id, with_for_update=True)
    now = clock.now()
    if officer is None or not officer.active or officer.pin_hash is None:
        audit.record(
            session,
            clock,
            actor=officer_id[:64],
            action="signin.failed",
            subject=officer_id[:120],
            detail={"reason": "unknown or inactive"},
        )
        session.commit()
        raise PermissionDenied("unknown officer or wrong PIN")
    if officer.locked_until is not None and officer.locked_until > now:
        session.rollback()  # release the row lock
        minutes = int((officer.locked_until - now).total_seconds() // 60) + 1
        raise PermissionDenied(
            "too many wrong PINs; try again in {minutes} minutes", minutes=minutes
        )
    try:
        _hasher().verify(officer.pin_hash, pin)
    except (VerificationError, InvalidHashError):
        officer.failed_pins += 1
        locked = officer.failed_pins >= MAX_FAILED_PINS
        if locked:
            officer.locked_until, officer.failed_pins = now + LOCKOUT, 0
        session.add(officer)
        audit.record(
            session,
            clock,
            actor=officer.id,
            action="signin.failed",
            subject=officer.id,
            detail={"locked": locked},
        )
        session.commit()
        if locked:
            raise PermissionDenied(
                "too many wrong PINs; try again in {minutes} minutes",
                minutes=int(LOCKOUT.total_seconds() // 60),
            ) from None
        raise PermissionDenied("unknown officer or wrong PIN") from None
    officer.failed_pins, officer.locked_until = 0, None
    session.add(officer)
    audit.record(session, clock, actor=officer.id, action="signin", subject=officer.id)
    session.commit()
    return to_view(officer)
