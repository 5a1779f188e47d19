"""Reading complaints: by code, by filters, with their history."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, or_
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from posko.core.clock import Clock
from posko.core.errors import InvalidInput, NotFound
from posko.core.schedule import SchedulePolicy
from posko.core.similarity import most_similar
from posko.core.tracking import normalize_code
from posko.services.views import ComplaintView, StatusEventView
from posko.store.models import Complaint, StatusEvent

PAGE_SIZE = 50


def to_view(row: Complaint, duplicate_of: str | None = None) -> ComplaintView:
    return ComplaintView(
        id=row.id or 0,
        code=row.code,
        site_code=row.site_code,
        session_id=row.session_id,
        queue_number=row.queue_number,
        desk=row.desk,
        officer_id=row.officer_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        status=row.status,
        category=row.category_code,
        description=row.description,
        reporter_name=row.reporter_name,
        reporter_nik=row.reporter_nik,
        reporter_phone=row.reporter_phone,
        reporter_email=row.reporter_email,
        reporter_address=row.reporter_address,
        anonymous=row.anonymous,
        confidential=row.confidential,
        kota=row.kota_code,
        kecamatan=row.kecamatan_code,
        kelurahan=row.kelurahan_code,
        location_address=row.location_address,
        lat=row.lat,
        lon=row.lon,
        priority=row.priority,
        destination_region=row.destination_region,
        duplicate_of=duplicate_of,
        contact_channel=row.contact_channel,
        consent_at=row.consent_at,
        consent_withdrawn_at=row.consent_withdrawn_at,
        channel=row.channel,
    )


def find_row(session: Session, code: str) -> Complaint:
    canonical = normalize_code(code)
    if canonical is None:
        raise InvalidInput(
            "{code} is not a valid tracking code (check for a typo)", code=code.strip()[:30]
        )
    row = session.exec(select(Complaint).where(Complaint.code == canonical)).first()
    if row is None:
        raise NotFound("no complaint with code {code}", code=canonical)
    return row


_complaint: Table = Complaint.__table__  # type: ignore[attr-defined]
# The bare indexed query, in Core: no ORM identity map, and no join for the
# rare duplicate (PostgreSQL plans every query; a join costs planning time on
# every look-up), so the desk's look-up costs what the bare query costs (issue 14).
_BY_CODE = core_select(*_complaint.columns).where(_complaint.c.code == bindparam("code"))
_CODE_OF = core_select(_complaint.c.code).where(_complaint.c.id == bindparam("id"))


def get(session: Session, code: str) -> ComplaintView:
    canonical = normalize_code(code)
    if canonical is None:
        raise InvalidInput(
            "{code} is not a valid tracking code (check for a typo)", code=code.strip()[:30]
        )
    connection = session.connection()
    row = connection.execute(_BY_CODE, {"code": canonical}).first()
    if row is None:
        raise NotFound("no complaint with code {code}", code=canonical)
    original = None
    if row.duplicate_of_id is not None:
        original = connection.execute(_CODE_OF, {"id": row.duplicate_of_id}).scalar()
    return to_view(cast(Complaint, row), original)


def history(session: Session, complaint_id: int) -> list[StatusEventView]:
    rows = session.exec(
        select(StatusEvent)
        .where(StatusEvent.complaint_id == complaint_id)
        .order_by(col(StatusEvent.at), col(StatusEvent.id))
    ).all()
    return [StatusEventView(r.status, r.at, r.actor, r.note, r.region_code) for r in rows]


def day_bounds(policy: SchedulePolicy, day: date) -> tuple[datetime, datetime]:
    """The UTC instants that bound a local (WIB) calendar day."""
    start = datetime.combine(day, time(0), policy.zone)
    return start, start + timedelta(days=1)


def list_complaints(
    session: Session,
    policy: SchedulePolicy,
    *,
    day: date | None = None,
    region: str | None = None,
    status: str | None = None,
    limit: int = PAGE_SIZE,
    before_id: int | None = None,
) -> list[ComplaintView]:
    """Newest first, one page at a time (keyset paging on id, never OFFSET)."""
    query = select(Complaint).order_by(col(Complaint.id).desc()).limit(limit)
    if day is not None:
        start, end = day_bounds(policy, day)
        query = query.where(Complaint.created_at >= start, Complaint.created_at < end)
    if region is not None:
        query = query.where(Complaint.destination_region == region)
    if status is not None:
        query = query.where(Complaint.status == status)
    if before_id is not None:
        query = query.where(col(Complaint.id) < before_id)
    return [to_view(row) for row in session.exec(query).all()]


def by_reporter(
    session: Session, *, nik: str | None = None, phone: str | None = None, limit: int = 10
) -> list[ComplaintView]:
    """The same citizen's earlier complaints, by NIK or phone (E.164), newest first."""
    conditions = []
    if nik:
        conditions.append(col(Complaint.reporter_nik) == nik)
    if phone:
        conditions.append(col(Complaint.reporter_phone) == phone)
    if not conditions:
        return []
    query = select(Complaint).where(or_(*conditions)).order_by(col(Complaint.id).desc())
    return [to_view(row) for row in session.exec(query.limit(limit)).all()]


SIMILAR_DAYS = 14
SIMILAR_CANDIDATES = 200


def similar_recent(
    session: Session,
    clock: Clock,
    *,
    description: str,
    kelurahan: str | None = None,
    kecamatan: str | None = None,
    days: int = SIMILAR_DAYS,
) -> list[tuple[ComplaintView, float]]:
    """Complaints about the same kelurahan (else kecamatan) in the last days that read alike."""
    if kelurahan:
        place = col(Complaint.kelurahan_code) == kelurahan
    elif kecamatan:
        place = col(Complaint.kecamatan_code) == kecamatan
    else:
        return []
    since = clock.now() - timedelta(days=days)
    rows = session.exec(
        select(Complaint)
        .where(place, Complaint.created_at >= since)
        .order_by(col(Complaint.id).desc())
        .limit(SIMILAR_CANDIDATES)
    ).all()
    found = most_similar(description, ((row, row.description) for row in rows))
    return [(to_view(row), value) for row, value in found]
