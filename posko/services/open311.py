"""Open311 GeoReport v2 service requests: the interchange with the province's CRM.

Export writes the fields of a GeoReport v2 `GET requests` response; `status`
is open/closed and `status_notes` starts with the fine status
(`diproses: Sedang diproses`). Nothing identifies the reporter; a
confidential complaint's description is withheld (null) and identity dictated
into any other description is masked as on the slip. `address_id` carries the
most precise Kemendagri region code so that an import can route the request.

Import reads the same shape back: every field is checked, every error named
(`[3].status: ...`), and nothing is written unless all of them are good.
Requests whose code is already in the database are left alone, so importing
a file twice adds nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from posko.config import Settings
from posko.core.clock import Clock, to_wib
from posko.core.deadlines import DeadlineRules, status_deadline
from posko.core.errors import FieldError, ValidationFailed
from posko.core.lifecycle import CLOSED, LABELS_ID, Status
from posko.core.schedule import SchedulePolicy
from posko.core.text import clean_text
from posko.core.tracking import normalize_code
from posko.printing.content import LATIHAN, LATIHAN_NOTE
from posko.services import access, followup, reference, setup
from posko.services.views import OfficerView
from posko.store.db import transaction
from posko.store.models import Complaint, StatusEvent

DESCRIPTION_MAX = 4000
ADDRESS_MAX = 300
WITHHELD = "[deskripsi dirahasiakan oleh sistem asal]"
REQUIRED = (
    "service_request_id",
    "status",
    "status_notes",
    "service_code",
    "requested_datetime",
    "updated_datetime",
    "address_id",
)


def _time(instant: datetime | None) -> str | None:
    # W3C date-time with the offset of Jakarta, as GeoReport v2 asks.
    return to_wib(instant).isoformat(timespec="seconds") if instant else None


def export_requests(
    session: Session,
    settings: Settings,
    policy: SchedulePolicy,
    rules: DeadlineRules,
    *,
    since: datetime | None = None,
) -> list[dict[str, object]]:
    """Service requests updated at or after `since` (all when None), oldest first."""
    query = select(Complaint).order_by(col(Complaint.updated_at), col(Complaint.id))
    if since is not None:
        query = query.where(Complaint.updated_at >= since)
    return requests_of(session, settings, policy, rules, session.exec(query).all())


def requests_of(
    session: Session,
    settings: Settings,
    policy: SchedulePolicy,
    rules: DeadlineRules,
    rows: Sequence[Complaint],
) -> list[dict[str, object]]:
    """The GeoReport v2 service requests of these complaints: the one mapping that
    the export, the Open311 server and the push to the CRM all use."""
    # printing.content holds the slip's masking rules (no reportlab import).
    from posko.printing.content import mask_in_text
    from posko.services.slips import slip_data

    entered = followup.last_entered(session, [r.id or 0 for r in rows])
    training = setup.is_training(session)
    categories = reference.categories(session)
    regions = reference.regions(session)
    out = []
    for row in rows:
        status = Status(row.status)
        category = categories.get(row.category_code)
        office = regions.get(row.destination_region)
        slip = slip_data(session, settings, policy, row, entered=entered[row.id or 0])
        due = None if status in CLOSED else status_deadline(rules, status, entered[row.id or 0])
        expected = due.ends_at if due is not None else None
        request: dict[str, object] = {
            "service_request_id": row.code,
            "status": "closed" if status in CLOSED else "open",
            "status_notes": f"{status.value}: {LABELS_ID[status]}",
            "service_name": category.name_id if category else row.category_code,
            "service_code": category.open311_code if category else row.category_code,
            "description": None if row.confidential else mask_in_text(row.description, slip),
            "agency_responsible": office.office_name if office else row.destination_region,
            "requested_datetime": _time(row.created_at),
            "updated_datetime": _time(row.updated_at),
            "expected_datetime": _time(expected),
            # GeoReport v2 calls it `address` in responses and `address_string`
            # in submissions; both, so either kind of client finds it.
            "address": slip.location_text,
            "address_string": slip.location_text,
            "address_id": row.kelurahan_code or row.kecamatan_code or row.kota_code,
        }
        if row.lat is not None and row.lon is not None:
            request["lat"], request["long"] = row.lat, row.lon
        if training:
            # GeoReport v2's notice to whoever reads the request: not a real one.
            request["service_notice"] = f"{LATIHAN}: {LATIHAN_NOTE}"
        out.append(request)
    return out


def request_of(
    session: Session, settings: Settings, policy: SchedulePolicy, row: Complaint
) -> dict[str, object]:
    return requests_of(session, settings, policy, followup.rules_for(settings, policy), [row])[0]


@dataclass(frozen=True)
class Parsed:
    code: str
    status: Status
    category: str
    description: str | None
    requested: datetime
    updated: datetime
    kota: str
    kecamatan: str | None
    kelurahan: str | None
    street: str | None
    lat: float | None
    lon: float | None


class _Checker:
    def __init__(self, session: Session) -> None:
        self.errors: list[FieldError] = []
        self.regions = reference.regions(session)
        self.by_open311 = {c.open311_code: c.code for c in reference.categories(session).values()}

    def add(self, where: str, message: str, **params: object) -> None:
        self.errors.append(FieldError(where, message, params))

    def text(self, item: Mapping, key: str, where: str, limit: int) -> str | None:  # type: ignore[type-arg]
        value = item.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.add(f"{where}.{key}", "must be text")
            return None
        cleaned = clean_text(value, multiline=True)
        if len(cleaned) > limit:
            self.add(f"{where}.{key}", "is longer than {limit} characters", limit=limit)
        return cleaned[:limit]

    def instant(self, item: Mapping, key: str, where: str) -> datetime | None:  # type: ignore[type-arg]
        value = item.get(key)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            self.add(
                f"{where}.{key}",
                "must be a date-time with its offset, e.g. 2026-12-01T08:15:00+07:00",
            )
            return None
        return parsed.astimezone(UTC)

    def number(self, item: Mapping, key: str, where: str, bound: float) -> float | None:  # type: ignore[type-arg]
        value = item.get(key)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self.add(f"{where}.{key}", "must be a number")
            return None
        if abs(value) > bound:
            self.add(f"{where}.{key}", "must be between -{bound} and {bound}", bound=bound)
            return None
        return float(value)

    def request(self, item: object, where: str) -> Parsed | None:
        if not isinstance(item, Mapping):
            self.add(where, "must be a JSON object")
            return None
        before = len(self.errors)
        for key in REQUIRED:
            if item.get(key) in (None, ""):
                self.add(f"{where}.{key}", "is required")
        raw_code = item.get("service_request_id")
        code = normalize_code(raw_code) if isinstance(raw_code, str) else None
        if raw_code and code is None:
            self.add(f"{where}.service_request_id", "is not a Posko tracking code")
        status = self._status(item, where)
        category = item.get("service_code")
        if category and self.by_open311.get(category) is None:  # type: ignore[arg-type]
            self.add(
                f"{where}.service_code",
                "is not a known service code; one of: {known}",
                known=", ".join(sorted(self.by_open311)),
            )
        description = self.text(item, "description", where, DESCRIPTION_MAX)
        requested = self.instant(item, "requested_datetime", where)
        updated = self.instant(item, "updated_datetime", where)
        self.instant(item, "expected_datetime", where)
        if requested and updated and updated < requested:
            self.add(f"{where}.updated_datetime", "is before requested_datetime")
        address = self.text(item, "address_string", where, ADDRESS_MAX * 2) or self.text(
            item, "address", where, ADDRESS_MAX * 2
        )
        region = self.regions.get(str(item.get("address_id") or ""))
        kota = self.regions.kota_of(region.code) if region else None
        if item.get("address_id") and kota is None:
            self.add(f"{where}.address_id", "is not a region code of DKI Jakarta")
        lat = self.number(item, "lat", where, 90)
        lon = self.number(item, "long", where, 180)
        if (lat is None) != (lon is None) and len(self.errors) == before:
            self.add(f"{where}.lat", "lat and long go together")
        if len(self.errors) > before:
            return None
        assert code and status and requested and updated and region and kota
        # Our own address text is "regions — street"; keep the street part.
        street = address.split(" — ", 1)[1] if address and " — " in address else None
        return Parsed(
            code=code,
            status=status,
            category=self.by_open311[category],  # type: ignore[index]
            description=description,
            requested=requested,
            updated=updated,
            kota=kota.code,
            kecamatan=region.code
            if region.level == "kecamatan"
            else region.parent_code
            if region.level == "kelurahan"
            else None,
            kelurahan=region.code if region.level == "kelurahan" else None,
            street=street[:ADDRESS_MAX] if street else None,
            lat=lat,
            lon=lon,
        )

    def _status(self, item: Mapping, where: str) -> Status | None:  # type: ignore[type-arg]
        coarse, notes = item.get("status"), item.get("status_notes")
        if coarse is not None and coarse not in ("open", "closed"):
            self.add(f"{where}.status", "must be open or closed")
            return None
        if not isinstance(notes, str):
            return None
        fine = notes.split(":", 1)[0].strip()
        try:
            status = Status(fine)
        except ValueError:
            self.add(
                f"{where}.status_notes",
                "must start with a Posko status, e.g. 'diproses: ...'; one of: {known}",
                known=", ".join(s.value for s in Status),
            )
            return None
        if coarse is not None and (coarse == "closed") != (status in CLOSED):
            self.add(
                f"{where}.status",
                "{status} does not match the status {fine}",
                status=coarse,
                fine=fine,
            )
            return None
        return status


@dataclass(frozen=True)
class ImportResult:
    added: tuple[str, ...]
    already_present: tuple[str, ...]


def import_requests(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    *,
    data: object,
    officer: OfficerView,
) -> ImportResult:
    """Add the service requests of a GeoReport v2 document; all or nothing.

    An import writes complaints with codes, statuses and dates the file
    chooses, so only a coordinator or admin signed in through the access gate may.
    """
    access.allow(session, clock, officer, access.IMPORT_OPEN311)
    if not isinstance(data, list):
        raise ValidationFailed([FieldError("requests", "must be a JSON array of service requests")])
    checker = _Checker(session)
    parsed = [checker.request(item, f"[{index}]") for index, item in enumerate(data)]
    codes = [p.code for p in parsed if p is not None]
    for index, p in enumerate(parsed):
        if p is not None and codes.count(p.code) > 1:
            checker.add(
                f"[{index}].service_request_id", "appears more than once: {code}", code=p.code
            )
    if checker.errors:
        raise ValidationFailed(checker.errors)
    requests = [p for p in parsed if p is not None]
    present = set(session.exec(select(Complaint.code).where(col(Complaint.code).in_(codes))).all())
    added = []
    with transaction(session):
        for p in requests:
            if p.code in present:
                continue
            complaint = Complaint(
                code=p.code,
                site_code=policy.site_code,
                officer_id=officer.id,
                created_at=p.requested,
                updated_at=p.updated,
                status=p.status.value,
                category_code=p.category,
                description=p.description or WITHHELD,
                anonymous=True,  # Open311 carries no identity
                confidential=p.description is None,
                kota_code=p.kota,
                kecamatan_code=p.kecamatan,
                kelurahan_code=p.kelurahan,
                location_address=p.street,
                lat=p.lat,
                lon=p.lon,
                destination_region=p.kota,
            )
            session.add(complaint)
            session.flush()
            events = [(Status.DITERIMA, p.requested, "Diimpor dari Open311")]
            if p.status is not Status.DITERIMA:
                events.append((p.status, p.updated, f"Diimpor dari Open311: {LABELS_ID[p.status]}"))
            for status, at, note in events:
                session.add(
                    StatusEvent(
                        complaint_id=complaint.id or 0,
                        status=status.value,
                        at=at,
                        officer_id=officer.id,
                        actor=officer.id,
                        note=note,
                        region_code=p.kota,
                    )
                )
            added.append(p.code)
        access.record(
            session,
            clock,
            officer,
            access.IMPORT_OPEN311,
            detail={"added": added, "already_present": len(present)},
        )
    return ImportResult(tuple(added), tuple(sorted(present)))
