"""What the Open311 GeoReport v2 server answers, and its partners' keys.

Read calls answer with the one mapping of `open311.requests_of` (no identity;
a confidential complaint's description withheld). A partner, registered with
`posko partner add`, posts requests with its `api_key`; the key is shown once
and stored as a SHA-256 hash (it is 256 random bits, so a slow hash adds
nothing). A posted request goes through intake's validation and routing and
is marked with the partner's channel. A partner may also post updates of the
requests it delivered (`servicerequestupdates`, the Open311 extension
FixMyStreet defined): each is kept as a dated note in the complaint's history.
A request or update sent again with the same Idempotency-Key (or update_id)
changes nothing and gets the same answer.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from posko.config import Settings
from posko.core.clock import Clock
from posko.core.errors import InvalidInput, NotFound
from posko.core.schedule import SchedulePolicy
from posko.core.text import clean_text
from posko.core.tracking import normalize_code
from posko.services import access, audit, followup, intake, open311, reference
from posko.services.views import OfficerView
from posko.store.db import new_session
from posko.store.models import Complaint, Open311Partner, Open311Receipt, StatusEvent

MAX_SPAN = timedelta(days=90)  # GeoReport v2: a call covers at most 90 days
PAGE_SIZE, MAX_PAGE_SIZE = 50, 200
NAME_MAX = 64


class Refused(Exception):
    """An Open311 error: the HTTP code and the description the spec's error list carries."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


# --- partners -------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerView:
    name: str
    channel: str
    officer_id: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _view(row: Open311Partner) -> PartnerView:
    return PartnerView(
        row.name, row.channel, row.officer_id, row.created_at, row.created_by, row.revoked_at
    )


def add_partner(
    session: Session,
    clock: Clock,
    admin: OfficerView,
    *,
    name: str,
    channel: str,
    officer_id: str,
) -> tuple[PartnerView, str]:
    """Register a partner; returns it and its api_key, which is shown only now."""
    access.require_role(admin, access.ADMIN)
    name, channel = clean_text(name).strip(), clean_text(channel).strip()
    if not name or len(name) > NAME_MAX or not channel or len(channel) > 100:
        raise InvalidInput("a partner needs a name (at most 64 characters) and a channel")
    if session.exec(select(Open311Partner).where(Open311Partner.name == name)).first():
        raise InvalidInput("a partner named {name} already exists", name=name)
    followup.officer_row(session, officer_id)
    key = secrets.token_urlsafe(32)
    try:
        row = Open311Partner(
            name=name,
            channel=channel,
            key_hash=_hash(key),
            officer_id=officer_id,
            created_at=clock.now(),
            created_by=admin.id,
        )
        session.add(row)
        audit.record(
            session,
            clock,
            actor=admin.id,
            action="partner.add",
            subject=name,
            detail={"channel": channel, "officer": officer_id},
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return _view(row), key


def partners(session: Session) -> list[PartnerView]:
    return [_view(r) for r in session.exec(select(Open311Partner).order_by(Open311Partner.name))]


def revoke_partner(session: Session, clock: Clock, admin: OfficerView, *, name: str) -> PartnerView:
    access.require_role(admin, access.ADMIN)
    row = session.exec(select(Open311Partner).where(Open311Partner.name == name)).first()
    if row is None:
        raise NotFound("no partner named {name}", name=name[:NAME_MAX])
    try:
        if row.revoked_at is None:
            row.revoked_at = clock.now()
            session.add(row)
            audit.record(session, clock, actor=admin.id, action="partner.revoke", subject=name)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return _view(row)


def partner_for(session: Session, api_key: str | None) -> Open311Partner:
    row = (
        session.exec(
            select(Open311Partner).where(Open311Partner.key_hash == _hash(api_key))
        ).first()
        if api_key
        else None
    )
    if row is None or row.revoked_at is not None:
        raise Refused(403, "Invalid api_key")
    return row


# --- reading --------------------------------------------------------------------------


def services(session: Session) -> list[dict[str, object]]:
    return [
        {
            "service_code": c.open311_code,
            "service_name": c.name_id,
            "description": c.name_en,
            "metadata": False,
            "type": "realtime",
            "keywords": c.code,
            "group": "Pengaduan",
        }
        for c in reference.categories(session).values()
    ]


def service_definition(session: Session, code: str) -> dict[str, object]:
    if code not in {c.open311_code for c in reference.categories(session).values()}:
        raise Refused(404, f"No service with service_code {code[:40]}")
    # Our services ask for no extra attributes (metadata false).
    return {"service_code": code, "attributes": []}


def _instant(text: str | None, name: str) -> datetime | None:
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise Refused(400, f"{name} must be a W3C date-time with offset, e.g. 2026-12-01T00:00:00Z")
    return parsed.astimezone(UTC)


def _window(
    start: datetime | None, end: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    if start is None and end is None:
        return now - MAX_SPAN, now
    if start is None:
        assert end is not None
        return end - MAX_SPAN, end
    if end is None:
        return start, start + MAX_SPAN
    if end < start:
        raise Refused(400, "end_date is before start_date")
    if end - start > MAX_SPAN:
        raise Refused(400, "start_date and end_date may not span more than 90 days")
    return start, end


def _page(value: str | None, name: str, default: int, highest: int) -> int:
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= highest:
        raise Refused(400, f"{name} must be a whole number from 1 to {highest}")
    return int(value)


def _codes(text: str) -> list[str]:
    return [normalize_code(part) or part.strip()[:30] for part in text.split(",") if part.strip()]


def requests(
    session: Session,
    settings: Settings,
    policy: SchedulePolicy,
    now: datetime,
    query: Mapping[str, str],
) -> list[dict[str, object]]:
    """GET requests: by service_request_id (overrides the rest), else filtered by
    service_code, start_date/end_date (requested_datetime, 90 days at most),
    status open/closed; newest first, `page_size` (50) per `page`."""
    rules = followup.rules_for(settings, policy)
    page = _page(query.get("page"), "page", 1, 10_000)
    size = _page(query.get("page_size"), "page_size", PAGE_SIZE, MAX_PAGE_SIZE)
    select_rows = select(Complaint).order_by(
        col(Complaint.created_at).desc(), col(Complaint.id).desc()
    )
    if query.get("service_request_id"):
        rows = session.exec(
            select_rows.where(col(Complaint.code).in_(_codes(query["service_request_id"])))
        ).all()
        return open311.requests_of(session, settings, policy, rules, rows)
    start, end = _window(
        _instant(query.get("start_date"), "start_date"),
        _instant(query.get("end_date"), "end_date"),
        now,
    )
    select_rows = select_rows.where(
        col(Complaint.created_at) >= start, col(Complaint.created_at) <= end
    )
    if query.get("service_code"):
        wanted = {c.strip() for c in query["service_code"].split(",")}
        categories = [
            c.code for c in reference.categories(session).values() if c.open311_code in wanted
        ]
        select_rows = select_rows.where(col(Complaint.category_code).in_(categories))
    if query.get("status"):
        from posko.core.lifecycle import CLOSED

        wanted = {s.strip().lower() for s in query["status"].split(",")}
        if not wanted <= {"open", "closed"}:
            raise Refused(400, "status must be open, closed or both, comma separated")
        closed = [s.value for s in CLOSED]
        if wanted == {"open"}:
            select_rows = select_rows.where(col(Complaint.status).not_in(closed))
        elif wanted == {"closed"}:
            select_rows = select_rows.where(col(Complaint.status).in_(closed))
    rows = session.exec(select_rows.offset((page - 1) * size).limit(size)).all()
    return open311.requests_of(session, settings, policy, rules, rows)


def request(
    session: Session, settings: Settings, policy: SchedulePolicy, code: str
) -> list[dict[str, object]]:
    canonical = normalize_code(code)
    row = (
        session.exec(select(Complaint).where(Complaint.code == canonical)).first()
        if canonical
        else None
    )
    if row is None:
        raise Refused(404, f"No service request with id {code[:30]}")
    return open311.requests_of(
        session, settings, policy, followup.rules_for(settings, policy), [row]
    )


# --- partners posting -------------------------------------------------------------------


def _receipt(session: Session, partner: Open311Partner, key: str) -> Open311Receipt | None:
    return session.exec(
        select(Open311Receipt).where(
            Open311Receipt.partner_id == partner.id, Open311Receipt.key == key[:120]
        )
    ).first()


def _complaint_input(session: Session, form: Mapping[str, str]) -> dict[str, object]:
    """GeoReport v2 POST fields as intake's input: anonymous (a partner keeps its
    own reporters' identity), located by the region code in address_id."""
    category = {c.open311_code: c.code for c in reference.categories(session).values()}.get(
        form.get("service_code", "")
    )
    if not form.get("service_code"):
        raise Refused(400, "service_code is required")
    if category is None:
        raise Refused(404, f"No service with service_code {form['service_code'][:40]}")
    regions = reference.regions(session)
    region = regions.get(form.get("address_id", "").strip())
    kota = regions.kota_of(region.code) if region else None
    if region is None or kota is None:
        raise Refused(
            400, "address_id must be the Kemendagri code of a region of DKI Jakarta, e.g. 31.71.01"
        )
    kecamatan = (
        region.code
        if region.level == "kecamatan"
        else region.parent_code
        if region.level == "kelurahan"
        else None
    )
    location: dict[str, object] = {
        "kota": kota.code,
        "kecamatan": kecamatan,
        "kelurahan": region.code if region.level == "kelurahan" else None,
        "address": form.get("address_string") or None,
    }
    if form.get("lat") or form.get("long"):
        try:
            location["lat"], location["lon"] = float(form["lat"]), float(form["long"])
        except (KeyError, ValueError):
            raise Refused(400, "lat and long must be numbers, given together") from None
    return {
        "reporter": {"anonymous": True},
        "category": category,
        "description": form.get("description", ""),
        "location": location,
    }


def post_request(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    *,
    form: Mapping[str, str],
    idempotency_key: str | None,
) -> dict[str, object]:
    """POST requests: a partner's new request, taken as intake takes one."""
    from posko.core.errors import ValidationFailed

    partner = partner_for(session, form.get("api_key"))
    if idempotency_key:
        earlier = _receipt(session, partner, idempotency_key)
        if earlier is not None:
            complaint = session.get(Complaint, earlier.complaint_id)
            assert complaint is not None
            return _posted(complaint)
    data = _complaint_input(session, form)
    try:
        complaint = intake.take_partner_request(
            session,
            clock,
            policy,
            officer_id=partner.officer_id,
            channel=partner.channel,
            data=data,
        )
        # Every delivery is recorded, so the partner may post updates of it later.
        session.add(
            Open311Receipt(
                partner_id=partner.id or 0,
                key=(idempotency_key or f"request:{complaint.code}")[:120],
                complaint_id=complaint.id or 0,
                at=clock.now(),
            )
        )
        session.commit()
    except ValidationFailed as invalid:
        session.rollback()
        raise Refused(400, "; ".join(f"{e.field}: {e.text()}" for e in invalid.errors)) from None
    except BaseException:
        session.rollback()
        raise
    return _posted(complaint)


def _posted(complaint: Complaint) -> dict[str, object]:
    return {
        "service_request_id": complaint.code,
        "service_notice": "Diteruskan ke kantor wali kota/bupati sesuai lokasi",
        "account_id": None,
    }


def post_update(session: Session, clock: Clock, *, form: Mapping[str, str]) -> dict[str, object]:
    """POST servicerequestupdates: the partner's news of a request it delivered,
    kept as a note in the complaint's history (our own status is ours to set)."""
    partner = partner_for(session, form.get("api_key"))
    update_id = (form.get("update_id") or "").strip()
    code = normalize_code(form.get("service_request_id") or "")
    if not update_id or code is None:
        raise Refused(400, "service_request_id and update_id are required")
    complaint = session.exec(select(Complaint).where(Complaint.code == code)).first()
    delivered = (
        session.exec(
            select(Open311Receipt.id).where(
                Open311Receipt.partner_id == partner.id,
                Open311Receipt.complaint_id == complaint.id,
            )
        ).first()
        if complaint is not None
        else None
    )
    if complaint is None or delivered is None:
        raise Refused(404, f"No service request with id {code} from this partner")
    key = f"update:{update_id}"
    if _receipt(session, partner, key) is not None:
        return {"update_id": update_id}
    notes = clean_text(form.get("status_notes") or form.get("status") or "")[:200]
    try:
        session.add(
            StatusEvent(
                complaint_id=complaint.id or 0,
                status=complaint.status,
                at=clock.now(),
                officer_id=None,
                actor=f"open311:{partner.name}"[:64],
                note=f"Kabar dari kanal {partner.channel}: {notes}",
                region_code=complaint.destination_region,
            )
        )
        session.add(
            Open311Receipt(
                partner_id=partner.id or 0,
                key=key[:120],
                complaint_id=complaint.id or 0,
                at=clock.now(),
            )
        )
        audit.record(
            session,
            clock,
            actor=f"open311:{partner.name}"[:64],
            action="open311.update",
            subject=complaint.code,
            detail={"update_id": update_id[:120]},
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return {"update_id": update_id}


def run(engine: Engine, work: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """One of this module's calls in a session of its own: the web server's way in."""
    with new_session(engine) as session:
        return work(session, *args, **kwargs)
