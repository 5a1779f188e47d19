"""Creating or upgrading a database: schema, reference data, training data."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from posko.core.clock import Clock
from posko.core.errors import InvalidInput, PoskoError
from posko.core.schedule import SchedulePolicy, local_date
from posko.core.signing import DEFAULT_TEMPLATE
from posko.core.text import clean_text
from posko.printing.content import LATIHAN
from posko.services import audit, reference, roster
from posko.services.accounts import OFFICER_ID
from posko.services.officers import hash_pin
from posko.store import migrate
from posko.store.db import new_session
from posko.store.models import Category, Meta, Officer, Region

TRAINING_PIN = "123456"
TRAINING_KEY = "training"
SECRET_KEY = "qr_secret"
STATUS_URL_KEY = "status_url"
STATUS_PATH = "/lacak/{code}?s={sig}"  # the status page's route (posko/web/app.py)
# Where a training database's QR codes point: .invalid (RFC 2606) can never
# resolve, so a training slip cannot lead anyone to a real-looking domain.
TRAINING_STATUS_URL = DEFAULT_TEMPLATE.removesuffix(STATUS_PATH)


class NotInitialized(PoskoError):
    exit_code = 1


class StatusUrlMissing(NotInitialized):
    """An operational database without the address its slips' QR codes point to."""

    def __init__(self) -> None:
        super().__init__(
            "the address of the status page is not set, so a slip's QR code would point "
            "nowhere; set it once with `posko init --status-url https://HOST` (the address "
            "where `posko serve` answers citizens)"
        )


def is_training(session: Session) -> bool:
    row = session.get(Meta, TRAINING_KEY)
    return row is not None and row.value == "1"


def training_path(path: Path, training: bool) -> Path:
    """A training database's export says so in its file name, so nobody forwards it
    as real: `laporan.pdf` -> `laporan-LATIHAN.pdf` (a name that says latihan stays)."""
    if not training or "latihan" in path.name.lower():
        return path
    return path.with_name(f"{path.stem}-{LATIHAN}{path.suffix}")


def normalize_status_url(raw: str) -> str:
    """`pengaduan.example.go.id` -> `https://pengaduan.example.go.id`; refuses what
    cannot be the start of the status page's address."""
    value = raw.strip()
    if "://" not in value:
        value = "https://" + value
    value = value.rstrip("/")
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        host = None
    if (
        host is None
        or not (host == "localhost" or ("." in host and host.strip(".-") == host))
        or not all(c.isalnum() or c in ".-" for c in host)
        or parts.scheme not in ("https", "http")
        or parts.query
        or parts.fragment
        or parts.username
        or any(c.isspace() or c in "{}" for c in value)
    ):
        raise InvalidInput(
            "the status page address must look like https://pengaduan.example.go.id, not {value}",
            value=raw.strip()[:80],
        )
    return value


def status_url(session: Session) -> str | None:
    """The status page's address for this installation; a training database falls
    back to a clearly fake one, an operational database has none until it is set."""
    row = session.get(Meta, STATUS_URL_KEY)
    if row is not None and row.value:
        return row.value
    return TRAINING_STATUS_URL if is_training(session) else None


def qr_template(session: Session, configured: str = "") -> str | None:
    """What the slips' QR codes carry: `https://HOST/lacak/{code}?s={sig}`.

    `configured` (the `qr_url_template` setting) overrides the database's
    address; None when an operational database has neither.
    """
    if configured:
        return configured
    base = status_url(session)
    return base + STATUS_PATH if base else None


def require_qr_template(session: Session, configured: str = "") -> str:
    template = qr_template(session, configured)
    if template is None:
        raise StatusUrlMissing()
    return template


def set_status_url(session: Session, clock: Clock, url: str) -> str:
    """Record the status page's address (every desk of the database shares it)."""
    value = normalize_status_url(url)
    row = session.get(Meta, STATUS_URL_KEY) or Meta(key=STATUS_URL_KEY, value="")
    if row.value != value:
        audit.record(
            session,
            clock,
            actor="sistem",
            action="database.status_url",
            detail={"from": row.value or None, "to": value},
        )
    row.value = value
    session.add(row)
    return value


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


def training_database(engine: Engine) -> bool:
    """Whether the installation's database is a training one (fixed at `posko init`)."""
    with new_session(engine) as session:
        return is_training(session)


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
    status_url_value: str | None = None,
    first_admin: FirstAdmin | None = None,
    progress: Callable[[str], None] = lambda step: None,
) -> dict[str, object]:
    """Create or upgrade the schema and load what every desk needs. Safe to repeat.

    `status_url_value` is where the slips' QR codes point (kept when None). A
    real database without an admin gets `first_admin` (asked by `posko init`),
    recorded before anything else. `progress` hears each step as it starts:
    schema, reference, roster.
    """
    if status_url_value is not None:
        normalize_status_url(status_url_value)  # refuse a bad address before any change
    progress("schema")
    migrate.upgrade(engine)
    progress("reference")
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
        if status_url_value is not None:
            set_status_url(session, clock, status_url_value)
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
        address = status_url(session)
    reference.forget(engine)  # the training flag may have been set just now
    return {
        "training": training,
        "status_url": address,
        "officers_added": officers,
        "sessions_generated": sessions,
        "revision": migrate.current_revision(engine),
        "admin": first_admin.officer_id.strip().upper() if first_admin else None,
    }
