"""The tables. Every timestamp is timezone-aware UTC (SQLModel's UTCDateTime).

The schema is built by the Alembic migrations in `migrations/`, never by
`create_all`, so SQLite and PostgreSQL get the same history.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Integer, MetaData, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# Stable constraint names, so batch migrations on SQLite can find them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


class Meta(SQLModel, table=True):
    """Installation facts: whether this is a training database, the QR secret."""

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_column=Column(Text, nullable=False))


class Site(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=8)
    name: str = Field(max_length=200)
    channel: str = Field(default="", max_length=100)
    policy_name: str = Field(default="", max_length=100)


class Region(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=16)
    level: str = Field(max_length=16)
    name: str = Field(max_length=120)
    parent_code: str | None = Field(default=None, foreign_key="region.code", index=True)


class Category(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=32)
    name_id: str = Field(max_length=120)
    name_en: str = Field(max_length=120)
    open311_code: str = Field(max_length=16)


class Officer(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=120)
    title: str = Field(max_length=200)
    region_code: str = Field(foreign_key="region.code", index=True)
    role: str = Field(max_length=16)  # duty / coordinator / regional / admin
    rank: str = Field(default="", max_length=16)  # asisten / kepala_bagian / ""
    pin_hash: str | None = Field(default=None, max_length=255)
    active: bool = Field(default=True)
    failed_pins: int = Field(default=0)
    locked_until: datetime | None = Field(default=None)
    created_at: datetime


class DutySession(SQLModel, table=True):
    __tablename__ = "duty_session"
    __table_args__ = (UniqueConstraint("site_code", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    site_code: str = Field(foreign_key="site.code")
    day: date = Field(index=True)
    starts_at: datetime
    ends_at: datetime
    serve_until: datetime
    kind: str = Field(default="regular", max_length=16)  # regular / extra
    queue_counter: int = Field(default=0)
    closed_at: datetime | None = Field(default=None)
    closed_by: str | None = Field(default=None, foreign_key="officer.id")


class DutyAssignment(SQLModel, table=True):
    __tablename__ = "duty_assignment"
    __table_args__ = (UniqueConstraint("session_id", "officer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="duty_session.id", index=True)
    desk: str = Field(max_length=16)
    region_code: str = Field(foreign_key="region.code")
    officer_id: str = Field(foreign_key="officer.id", index=True)


class Absence(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    officer_id: str = Field(foreign_key="officer.id", index=True)
    start: date
    end: date
    reason: str = Field(default="", max_length=300)
    created_at: datetime
    created_by: str | None = Field(default=None, foreign_key="officer.id")


class Closure(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("site_code", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    site_code: str = Field(foreign_key="site.code")
    day: date
    reason: str = Field(max_length=300)
    created_at: datetime
    created_by: str | None = Field(default=None, foreign_key="officer.id")


class DutyOverride(SQLModel, table=True):
    """A coordinator lets an officer take complaints in one session, with a reason."""

    __tablename__ = "duty_override"
    __table_args__ = (UniqueConstraint("session_id", "officer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="duty_session.id")
    officer_id: str = Field(foreign_key="officer.id")
    granted_by: str = Field(foreign_key="officer.id")
    reason: str = Field(max_length=500)
    granted_at: datetime


class Visit(SQLModel, table=True):
    """A citizen's queue number in a session: issued, called, served or no-show."""

    __table_args__ = (UniqueConstraint("session_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="duty_session.id", index=True)
    number: int
    priority: bool = Field(default=False)
    state: str = Field(default="issued", max_length=16)  # issued/called/served/no_show
    issued_at: datetime
    called_at: datetime | None = Field(default=None)
    finished_at: datetime | None = Field(default=None)
    desk: str | None = Field(default=None, max_length=16)  # the desk that called it
    called_by: str | None = Field(default=None, foreign_key="officer.id")
    calls: int = Field(default=0)  # times called: the first call and each re-announcement
    announced_at: datetime | None = Field(default=None)  # the last call or re-announcement


class Complaint(SQLModel, table=True):
    __table_args__ = (
        Index("ix_complaint_destination_status", "destination_region", "status"),
        Index("ix_complaint_created_at", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    site_code: str = Field(foreign_key="site.code")
    session_id: int | None = Field(default=None, foreign_key="duty_session.id", index=True)
    visit_id: int | None = Field(default=None, foreign_key="visit.id")
    queue_number: int | None = Field(default=None)
    desk: str | None = Field(default=None, max_length=16)
    officer_id: str = Field(foreign_key="officer.id")
    created_at: datetime
    updated_at: datetime
    status: str = Field(max_length=20)
    category_code: str = Field(foreign_key="category.code")
    description: str = Field(sa_column=Column(Text, nullable=False))
    reporter_name: str | None = Field(default=None, max_length=120)
    reporter_nik: str | None = Field(default=None, max_length=16, index=True)
    reporter_phone: str | None = Field(default=None, max_length=20, index=True)
    reporter_email: str | None = Field(default=None, max_length=254)
    reporter_address: str | None = Field(default=None, max_length=300)
    anonymous: bool = Field(default=False)
    confidential: bool = Field(default=False)
    kota_code: str = Field(foreign_key="region.code")
    kecamatan_code: str | None = Field(default=None, foreign_key="region.code")
    kelurahan_code: str | None = Field(default=None, foreign_key="region.code")
    location_address: str | None = Field(default=None, max_length=300)
    lat: float | None = Field(default=None)
    lon: float | None = Field(default=None)
    priority: bool = Field(default=False)
    destination_region: str = Field(foreign_key="region.code")
    duplicate_of_id: int | None = Field(default=None, foreign_key="complaint.id")
    identity_erased_at: datetime | None = Field(default=None)
    # The citizen's consent to status messages: the channel (sms / whatsapp /
    # email) when given, when it was given and when it was withdrawn.
    contact_channel: str | None = Field(default=None, max_length=16)
    consent_at: datetime | None = Field(default=None)
    consent_withdrawn_at: datetime | None = Field(default=None)
    # The channel a complaint came through when it was not a walk-in at the
    # site (an Open311 partner's channel name); None for the site's own desk.
    channel: str | None = Field(default=None, max_length=100)


class StatusEvent(SQLModel, table=True):
    __tablename__ = "status_event"

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    status: str = Field(max_length=20)
    at: datetime
    officer_id: str | None = Field(default=None, foreign_key="officer.id")
    actor: str = Field(max_length=64)  # officer id, "warga" for the citizen, "sistem"
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    region_code: str | None = Field(default=None, foreign_key="region.code")


class AuditEvent(SQLModel, table=True):
    """Append-only; each row carries the hash of the one before it and the
    digests of the rows it wrote (`posko.services.audit`)."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64, index=True)
    subject: str = Field(default="", max_length=120)
    detail: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    # The digests of the record rows the event's transaction wrote (JSON; "" for none).
    rows: str = Field(
        default="", sa_column=Column(Text, nullable=False, default="", server_default="")
    )
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    # The chain (lane) the event was appended to; events from before lanes are lane 0.
    lane: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    # An anchor's event: the other lanes' heads when it was written (JSON; "" for none).
    seal: str = Field(
        default="", sa_column=Column(Text, nullable=False, default="", server_default="")
    )


class AuditLane(SQLModel, table=True):
    """The head (last event's hash) of each lane of the audit trail."""

    __tablename__ = "audit_lane"

    lane: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    head: str = Field(max_length=64)


class PrintJob(SQLModel, table=True):
    """A slip or a queue ticket to print; failed ones stay pending for a reprint.

    Exactly one of complaint_id (a slip) and visit_id (a ticket) is set.
    """

    __tablename__ = "print_job"

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int | None = Field(default=None, foreign_key="complaint.id", index=True)
    visit_id: int | None = Field(default=None, foreign_key="visit.id", index=True)
    copy_kind: str = Field(max_length=16)  # citizen / office / ticket
    state: str = Field(default="pending", max_length=16, index=True)  # pending / done
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime
    done_at: datetime | None = Field(default=None)


class HandoffBatch(SQLModel, table=True):
    """One handoff list: the complaints of a session for one regional office.

    A session closed twice adds a batch only for complaints taken since the
    first close (number 2, 3, ...); complaints are never in two batches.
    """

    __tablename__ = "handoff_batch"
    __table_args__ = (UniqueConstraint("session_id", "region_code", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="duty_session.id", index=True)
    region_code: str = Field(foreign_key="region.code")
    number: int = Field(default=1)
    created_at: datetime
    created_by: str | None = Field(default=None, foreign_key="officer.id")


class HandoffItem(SQLModel, table=True):
    __tablename__ = "handoff_item"

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="handoff_batch.id", index=True)
    complaint_id: int = Field(foreign_key="complaint.id", unique=True)
    acknowledged_at: datetime | None = Field(default=None)
    acknowledged_by: str | None = Field(default=None, foreign_key="officer.id")


class CalendarEvent(SQLModel, table=True):
    """Every calendar event an export has ever carried, so a change can be told.

    A calendar app keeps an event it once imported until a later file tells
    it otherwise: SEQUENCE grows with each change, and an assignment that is
    gone stays here, cancelled, so exports carry its STATUS:CANCELLED.
    """

    __tablename__ = "calendar_event"

    uid: str = Field(primary_key=True, max_length=120)
    site_code: str = Field(foreign_key="site.code")
    day: date = Field(index=True)
    officer_id: str = Field(foreign_key="officer.id", index=True)
    sequence: int = Field(default=0)
    fingerprint: str = Field(max_length=64)  # sha256 of what a calendar shows
    summary: str = Field(max_length=300)
    changed_at: datetime
    cancelled_at: datetime | None = Field(default=None)


class CalendarToken(SQLModel, table=True):
    """A private calendar subscription of one officer; only the hash is kept."""

    __tablename__ = "calendar_token"

    id: int | None = Field(default=None, primary_key=True)
    officer_id: str = Field(foreign_key="officer.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime
    created_by: str = Field(foreign_key="officer.id")
    revoked_at: datetime | None = Field(default=None)
    revoked_by: str | None = Field(default=None, foreign_key="officer.id")
    last_used_at: datetime | None = Field(default=None)


class OutboxMessage(SQLModel, table=True):
    """A message to send, written in the transaction of the change it tells of.

    `key` (complaint code, status event, destination) makes each one unique, so
    a change is queued once and a receiver can drop a repeated delivery.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_state_due_at", "state", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=120, unique=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    event_id: int | None = Field(default=None, foreign_key="status_event.id")
    destination: str = Field(max_length=16)  # sms / whatsapp / email / crm
    kind: str = Field(max_length=16)  # status (to the citizen) / create / update (to the CRM)
    status: str = Field(max_length=20)  # the complaint's status the message tells of
    body: str = Field(sa_column=Column(Text, nullable=False))
    state: str = Field(default="pending", max_length=16)  # pending / sent / failed / cancelled
    attempts: int = Field(default=0)
    created_at: datetime
    due_at: datetime
    sent_at: datetime | None = Field(default=None)
    last_error: str | None = Field(default=None, max_length=500)
    remote_id: str | None = Field(default=None, max_length=120)  # the CRM's request id or token


class Open311Partner(SQLModel, table=True):
    """A system allowed to post requests to our Open311 server; the key is stored hashed."""

    __tablename__ = "open311_partner"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    channel: str = Field(max_length=100)
    key_hash: str = Field(max_length=64, unique=True)
    officer_id: str = Field(foreign_key="officer.id")  # on whose account its requests are taken
    created_at: datetime
    created_by: str = Field(foreign_key="officer.id")
    revoked_at: datetime | None = Field(default=None)


class Open311Receipt(SQLModel, table=True):
    """What a partner delivered, by its idempotency key: a repeat changes nothing."""

    __tablename__ = "open311_receipt"
    __table_args__ = (UniqueConstraint("partner_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    partner_id: int = Field(foreign_key="open311_partner.id")
    key: str = Field(max_length=120)
    complaint_id: int = Field(foreign_key="complaint.id")
    at: datetime
