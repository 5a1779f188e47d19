"""Creating or upgrading a database: schema, reference data, training data."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from posko.core.clock import Clock
from posko.core.errors import PoskoError
from posko.core.schedule import SchedulePolicy, local_date
from posko.printing.content import LATIHAN
from posko.services import audit, reference, roster
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


def training_path(path: Path, training: bool) -> Path:
    """A training database's export says so in its file name, so nobody forwards it
    as real: `laporan.pdf` -> `laporan-LATIHAN.pdf` (a name that says latihan stays)."""
    if not training or "latihan" in path.name.lower():
        return path
    return path.with_name(f"{path.stem}-{LATIHAN}{path.suffix}")


def qr_secret(session: Session) -> bytes:
    row = session.get(Meta, SECRET_KEY)
    if row is None:
        raise NotInitialized("the database has no signing secret; run `posko init`")
    return bytes.fromhex(row.value)


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


def init_database(
    engine: Engine, clock: Clock, policy: SchedulePolicy, *, training: bool
) -> dict[str, object]:
    """Create or upgrade the schema and load what every desk needs. Safe to repeat."""
    migrate.upgrade(engine)
    reference.forget(engine)
    with new_session(engine) as session:
        was_training = is_training(session)
        if session.get(Meta, TRAINING_KEY) is None:
            session.add(Meta(key=TRAINING_KEY, value="1" if training else "0"))
        elif training and not was_training:
            raise PoskoError(
                "this is an operational database; a training database must be a new one"
            )
        if session.get(Meta, SECRET_KEY) is None:
            session.add(Meta(key=SECRET_KEY, value=secrets.token_hex(32)))
        _load_reference(session)
        roster.ensure_site(session, policy)
        officers = _load_sample_officers(session, clock) if training else 0
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
            today = local_date(policy, clock.now())
            sessions = len(
                roster.generate(session, clock, policy, start=today, end=today + timedelta(days=92))
            )
        training = is_training(session)
    return {
        "training": training,
        "officers_added": officers,
        "sessions_generated": sessions,
        "revision": migrate.current_revision(engine),
    }
