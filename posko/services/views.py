"""Plain objects the UIs see instead of database rows (so no lazy loads leak)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class OfficerView:
    id: str
    name: str
    title: str
    region: str
    role: str
    rank: str
    active: bool


@dataclass(frozen=True)
class DutyOfficer:
    id: str
    name: str
    title: str
    region: str
    desk: str


@dataclass(frozen=True)
class SessionView:
    id: int
    day: date
    starts_at: datetime
    ends_at: datetime
    serve_until: datetime
    kind: str
    closed_at: datetime | None
    officers: tuple[DutyOfficer, ...]


@dataclass(frozen=True)
class VisitView:
    id: int
    session_id: int
    number: int
    priority: bool
    state: str
    issued_at: datetime
    desk: str | None = None  # the desk that called it
    calls: int = 0  # the first call and each re-announcement
    announced_at: datetime | None = None


@dataclass(frozen=True)
class StatusEventView:
    status: str
    at: datetime
    actor: str
    note: str
    region: str | None


@dataclass(frozen=True)
class ComplaintView:
    id: int
    code: str
    site_code: str
    session_id: int | None
    queue_number: int | None
    desk: str | None
    officer_id: str
    created_at: datetime
    updated_at: datetime
    status: str
    category: str
    description: str
    reporter_name: str | None
    reporter_nik: str | None
    reporter_phone: str | None
    reporter_email: str | None
    reporter_address: str | None
    anonymous: bool
    confidential: bool
    kota: str
    kecamatan: str | None
    kelurahan: str | None
    location_address: str | None
    lat: float | None
    lon: float | None
    priority: bool
    destination_region: str
    duplicate_of: str | None = None
    contact_channel: str | None = None  # consent to status messages: sms / whatsapp / email
    consent_at: datetime | None = None
    consent_withdrawn_at: datetime | None = None
    channel: str | None = None  # an Open311 partner's channel; None: the site's own desk


def to_json(value: Any) -> Any:
    """A view (or a list of them) as JSON-ready data, with ISO-8601 instants."""
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if hasattr(value, "__dataclass_fields__"):
        return {key: to_json(item) for key, item in asdict(value).items()}
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
