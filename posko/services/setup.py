"""Creating or upgrading a database: schema, reference data, training data."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from posko.core.clock import Clock
from posko.core.errors import InvalidInput, PoskoError
from posko.core.schedule import SchedulePolicy, local_date
from posko.core.text import clean_text
from posko.services import audit, reference, roster
from posko.services.accounts import OFFICER_ID
from posko.services.officers import hash_pin
from posko.store import migrate
from posko.store.db import new_session
from posko.store.models import Category, Meta, Officer, Region

TRAINING_PIN = "123456"
TRAINING_KEY = "training"
SECRET_KEY = "qr_secret"


class NotInitialized(PoskoError):
    exit_code = 1


def is_training(session: Session) -> bool:
    row = session.get(Meta, TRAINING_KEY)
    return row is not None and row.value == "1"


def qr_secret(session: Session) -> bytes:
    row = session.get(Meta, SECRET_KEY)
    if row is None:
        raise NotInitialized("the database has no signing secret; run `posko init`")
    return bytes.fromhex(row.value)


def require_database_file(url: str) -> None:
    """Refuse a SQLite database that does not exist yet, before anything creates
    it empty: a first command on a fresh machine says how to start instead."""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return
    if not Path(parsed.database).exists():
        raise NotInitialized(
            "there is no database at {path} yet: create it with `posko init` "
            "(or `posko init --training` to practise), or try Posko with `posko demo`",
            path=parsed.database,
        )


def check_ready(engine: Engine) -> None:
    """Refuse to work on a database whose schema is missing or behind."""
    current, head = migrate.current_revision(engine), migrate.head_revision()
    if current is None:
        raise NotInitialized("the database is empty; run `posko init` first")
    if current != head:
        raise NotInitialized(
            "the database schema is at {current}, this Posko needs {head}; "
            "run `posko init` to upgrade",
            current=current,
            head=head,
        )


def _load_reference(session: Session) -> None:
    existing = {r.code for r in session.exec(select(Region)).all()}
    # Parents before children: the CSV lists the tree top-down.
    for region in reference.read_regions():
        if region.code not in existing:
            session.add(
                Region(
                    code=region.code,
                    level=region.level,
                    name=region.name,
                    parent_code=region.parent_code,
                )
            )
            session.flush()
    for category in reference.read_categories():
        row = session.get(Category, category.code) or Category(
            code=category.code, name_id="", name_en="", open311_code=""
        )
        row.name_id, row.name_en = category.name_id, category.name_en
        row.open311_code = category.open311_code
        session.add(row)


def _load_sample_officers(session: Session, clock: Clock) -> int:
    # One hash for all: the training PIN is the same for everyone and hashing
    # forty officers one by one would cost seconds.
    pin_hash = hash_pin(TRAINING_PIN)
    added = 0
    for row in reference.read_sample_officers():
        if session.get(Officer, row["id"]) is None:
            session.add(
                Officer(
                    id=row["id"],
                    name=row["name"],
                    title=row["title"],
                    region_code=row["region"],
                    role=row["role"],
                    rank=row["rank"],
                    pin_hash=pin_hash,
                    created_at=clock.now(),
                )
            )
            added += 1
    return added


@dataclass(frozen=True)
class FirstAdmin:
    """The first admin of a real database, given at `posko init`."""

    officer_id: str
    name: str
    pin: str
    region: str = "31"  # the province


def needs_first_admin(engine: Engine) -> bool:
    """A real database (or none yet) without an active admin: nobody could manage it."""
    if migrate.current_revision(engine) is None:
        return True
    with new_session(engine) as session:
        if is_training(session):
            return False
        return (
            session.exec(select(Officer).where(Officer.role == "admin", Officer.active)).first()
            is None
        )


def _add_first_admin(session: Session, clock: Clock, admin: FirstAdmin) -> None:
    officer_id = admin.officer_id.strip().upper()
    name = clean_text(admin.name)[:120]
    if not OFFICER_ID.match(officer_id):
        raise InvalidInput(
            "an officer id has 2 to 32 letters, digits or dashes, e.g. JP-AS4; not {value}",
            value=officer_id[:40],
        )
    if not name:
        raise InvalidInput("the officer's name is empty")
    if session.get(Officer, officer_id) is not None:
        raise InvalidInput("officer {officer} already exists", officer=officer_id)
    session.add(
        Officer(
            id=officer_id,
            name=name,
            title="Administrator Posko",
            region_code=admin.region,
            role="admin",
            rank="",
            pin_hash=hash_pin(admin.pin),
            created_at=clock.now(),
        )
    )
    # The trail's first event on a new database: who holds the keys, from the start.
    audit.record(
        session,
        clock,
        actor="sistem",
        action="officer.bootstrap",
        subject=officer_id,
        detail={"role": "admin", "region": admin.region},
    )


def init_database(
    engine: Engine,
    clock: Clock,
    policy: SchedulePolicy,
    *,
    training: bool,
    first_admin: FirstAdmin | None = None,
    progress: Callable[[str], None] = lambda step: None,
) -> dict[str, object]:
    """Create or upgrade the schema and load what every desk needs. Safe to repeat.

    A real database without an admin gets `first_admin` (asked by `posko
    init`), recorded before anything else. `progress` hears each step as it
    starts: schema, reference, roster.
    """
    progress("schema")
    migrate.upgrade(engine)
    progress("reference")
    reference.forget(engine)
    with new_session(engine) as session:
        was_training = is_training(session)
        if session.get(Meta, TRAINING_KEY) is None:
            session.add(Meta(key=TRAINING_KEY, value="1" if training else "0"))
        elif training and not was_training:
            raise PoskoError("this is a real database; a training database must be a new one")
        if session.get(Meta, SECRET_KEY) is None:
            session.add(Meta(key=SECRET_KEY, value=secrets.token_hex(32)))
        _load_reference(session)
        session.flush()  # the admin's region must exist
        if first_admin is not None and not is_training(session):
            _add_first_admin(session, clock, first_admin)
        roster.ensure_site(session, policy)
        officers = _load_sample_officers(session, clock) if training else 0
        audit.adopt_existing(session, clock)
        audit.record(
            session,
            clock,
            actor="sistem",
            action="database.init",
            detail={"training": training, "officers_added": officers},
        )
        session.commit()
        sessions = 0
        if training:
            progress("roster")
            today = local_date(policy, clock.now())
            sessions = len(
                roster.generate(session, clock, policy, start=today, end=today + timedelta(days=92))
            )
        training = is_training(session)
    reference.forget(engine)  # the training flag may have been set just now
    return {
        "training": training,
        "officers_added": officers,
        "sessions_generated": sessions,
        "revision": migrate.current_revision(engine),
        "admin": first_admin.officer_id.strip().upper() if first_admin else None,
    }
