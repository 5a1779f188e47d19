"""Officer accounts: roles checked in the services, and what admins do to accounts.

The UIs may hide what a role cannot do, but the rule lives in the services:
the access gate (`services/access.py`) signs the admin in, and every function
here checks the role again itself, so a script or a modified UI gets the same
answer.
"""

from __future__ import annotations

import re

from sqlmodel import Session

from posko.core.clock import Clock
from posko.core.errors import InvalidInput, NotFound
from posko.core.text import clean_text
from posko.services import audit, officers
from posko.services.access import ADMIN, require_role
from posko.services.views import OfficerView
from posko.store.models import Officer, Region

OFFICER_ID = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")


def _row(session: Session, officer_id: str) -> Officer:
    row = session.get(Officer, officer_id)
    if row is None:
        raise NotFound("no officer with id {officer}", officer=officer_id[:40])
    return row


def add_officer(
    session: Session,
    clock: Clock,
    admin: OfficerView,
    *,
    officer_id: str,
    name: str,
    title: str,
    region: str,
    role: str,
    pin: str,
    rank: str = "",
) -> OfficerView:
    require_role(admin, ADMIN)
    officer_id = officer_id.strip().upper()
    if not OFFICER_ID.match(officer_id):
        raise InvalidInput(
            "an officer id has 2 to 32 letters, digits or dashes, e.g. JP-AS4; not {value}",
            value=officer_id[:40],
        )
    if role not in officers.ROLES:
        raise InvalidInput(
            "unknown role {role}; one of: {roles}", role=role[:20], roles=", ".join(officers.ROLES)
        )
    name, title = clean_text(name)[:120], clean_text(title)[:200]
    if not name:
        raise InvalidInput("the officer's name is empty")
    if session.get(Region, region) is None:
        raise InvalidInput("unknown region code {code}", code=region[:20])
    if session.get(Officer, officer_id) is not None:
        raise InvalidInput("officer {officer} already exists", officer=officer_id)
    row = Officer(
        id=officer_id,
        name=name,
        title=title,
        region_code=region,
        role=role,
        rank=clean_text(rank)[:16],
        pin_hash=officers.hash_pin(pin),
        created_at=clock.now(),
    )
    session.add(row)
    audit.record(
        session,
        clock,
        actor=admin.id,
        action="officer.add",
        subject=officer_id,
        detail={"role": role, "region": region},
    )
    session.commit()
    return officers.to_view(row)


def set_pin(session: Session, clock: Clock, admin: OfficerView, officer_id: str, pin: str) -> None:
    """A new PIN; it also lifts a lockout (the admin has checked who is asking)."""
    require_role(admin, ADMIN)
    row = _row(session, officer_id)
    row.pin_hash = officers.hash_pin(pin)
    row.failed_pins, row.locked_until = 0, None
    session.add(row)
    audit.record(session, clock, actor=admin.id, action="officer.set_pin", subject=row.id)
    session.commit()


def deactivate(
    session: Session, clock: Clock, admin: OfficerView, officer_id: str, reason: str
) -> None:
    """The officer can no longer sign in; their past work keeps their name."""
    require_role(admin, ADMIN)
    row = _row(session, officer_id)
    if row.id == admin.id:
        raise InvalidInput("an admin cannot deactivate their own account")
    row.active = False
    session.add(row)
    audit.record(
        session,
        clock,
        actor=admin.id,
        action="officer.deactivate",
        subject=row.id,
        detail={"reason": clean_text(reason)[:300]},
    )
    session.commit()
