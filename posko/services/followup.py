"""Follow-up by the regional offices: status changes, duplicates, disputes, deadlines.

Every change is a StatusEvent (who, when, a note, the office in charge) and
an audit event; the complaint row only mirrors the latest status. The
handoff (`diserahkan`) and the office's receipt (`diterima_wilayah`) have
their own paths in `handoff.py`, which use `move` from here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from posko.config import Settings
from posko.core.clock import Clock
from posko.core.deadlines import (
    Deadline,
    DeadlineRules,
    dispute_deadline,
    rules_from_dict,
    status_deadline,
)
from posko.core.errors import InvalidInput, PermissionDenied
from posko.core.lifecycle import CLOSED, NEEDS_REASON, TRANSITIONS, Status, can_move
from posko.core.schedule import SchedulePolicy
from posko.core.text import clean_text
from posko.services import access, audit, outbox, reference
from posko.services.complaints import find_row
from posko.services.views import OfficerView
from posko.store.db import transaction
from posko.store.models import Complaint, Officer, StatusEvent

NOTE_LIMIT = 2000
CITIZEN = access.CITIZEN  # the actor of a citizen's dispute
# Statuses reached only through their own path, never `complaint status`.
HANDOFF_ONLY = frozenset({Status.DISERAHKAN, Status.DITERIMA_WILAYAH})


def rules_for(settings: Settings, policy: SchedulePolicy) -> DeadlineRules:
    """Deadlines from the `[deadlines]` table of config.toml, else the defaults."""
    table = settings.extra.get("deadlines", {})
    if not isinstance(table, Mapping):
        raise InvalidInput("setting deadlines must be a table of working days per status")
    return rules_from_dict(
        table, holiday_categories=policy.holiday_categories, timezone=policy.timezone
    )


def officer_row(session: Session, officer_id: str) -> Officer:
    officer = session.get(Officer, officer_id)
    if officer is None or not officer.active:
        raise PermissionDenied("unknown or inactive officer {officer}", officer=officer_id[:32])
    return officer


def require_authority(session: Session, officer: Officer, complaint: Complaint) -> None:
    """Only the office in charge (its regional staff) or a coordinator may act."""
    if officer.role == access.COORDINATOR:
        return
    if officer.role == access.REGIONAL and officer.region_code == complaint.destination_region:
        return
    raise PermissionDenied(
        "{officer} may not act on {code}: it is for {office} to follow up",
        officer=officer.id,
        code=complaint.code,
        office=reference.regions(session).office_of(complaint.destination_region),
    )


def clean_note(text: str | None, *, required: str | None = None) -> str:
    """A note as stored; `required` is the message when it may not be empty."""
    note = clean_text(text or "", multiline=True)
    if required and not note:
        raise InvalidInput(required)
    if len(note) > NOTE_LIMIT:
        raise InvalidInput("the text is longer than {limit} characters", limit=NOTE_LIMIT)
    return note


def move(
    session: Session,
    clock: Clock,
    complaint: Complaint,
    target: Status,
    *,
    actor: str,
    officer_id: str | None,
    note: str,
) -> StatusEvent:
    """Append the event of a transition the lifecycle allows; the caller commits."""
    current = Status(complaint.status)
    if not can_move(current, target):
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current])) or "-"
        raise InvalidInput(
            "{code} is {current}; it cannot become {target} (allowed: {allowed})",
            code=complaint.code,
            current=current.value,
            target=target.value,
            allowed=allowed,
        )
    now = clock.now()
    event = StatusEvent(
        complaint_id=complaint.id or 0,
        status=target.value,
        at=now,
        officer_id=officer_id,
        actor=actor,
        note=note,
        region_code=complaint.destination_region,
    )
    complaint.status, complaint.updated_at = target.value, now
    session.add(complaint)
    session.add(event)
    session.flush()  # the event's id keys its outbox messages
    outbox.queue_change(session, clock, complaint, event)
    return event


@dataclass(frozen=True)
class Change:
    code: str
    status: str
    region: str
    office: str  # the office in charge now, by name ("Kantor Wali Kota Jakarta Selatan")
    duplicate_of: str | None = None


def change_status(
    session: Session,
    clock: Clock,
    *,
    officer_id: str,
    code: str,
    status: str,
    note: str | None,
    reroute_to: str | None = None,
    duplicate_of: str | None = None,
) -> Change:
    """`posko complaint status`: the office reports progress, reroutes, rejects,
    or marks a duplicate. Refused unless the lifecycle allows it and the
    officer belongs to the office in charge (or coordinates)."""
    try:
        target = Status(status)
    except ValueError:
        raise InvalidInput(
            "unknown status {status}; one of: {known}",
            status=status[:20],
            known=", ".join(s.value for s in Status),
        ) from None
    if target in HANDOFF_ONLY:
        raise InvalidInput(
            "{status} is set by the handoff: use `posko handoff close` or `posko handoff ack`",
            status=target.value,
        )
    complaint = find_row(session, code)
    officer = officer_row(session, officer_id)
    require_authority(session, officer, complaint)
    if Status(complaint.status) is Status.SELESAI and target is Status.DIPROSES:
        raise InvalidInput(
            "only the citizen's dispute reopens a completed complaint (`posko complaint dispute`)"
        )
    text = clean_note(
        note, required="a reason is required (--note)" if target in NEEDS_REASON else None
    )
    original: Complaint | None = None
    if target is Status.DUPLIKAT:
        original = _original_for(session, complaint, duplicate_of)
        text = text or f"Duplikat dari pengaduan {original.code}"
    elif duplicate_of is not None:
        raise InvalidInput("--duplicate-of goes with the status duplikat")
    if target is Status.DIALIHKAN:
        destination = _reroute_target(session, complaint, reroute_to)
    elif reroute_to is not None:
        raise InvalidInput("--to goes with the status dialihkan")
    with transaction(session):
        previous_region = complaint.destination_region
        if target is Status.DIALIHKAN:
            complaint.destination_region = destination
        if original is not None:
            complaint.duplicate_of_id = original.id
        move(session, clock, complaint, target, actor=officer.id, officer_id=officer.id, note=text)
        if original is not None:
            # The other end of the link, in the original's own history, so every
            # view of it (CLI, kiosk, status page) names its duplicates.
            session.add(
                StatusEvent(
                    complaint_id=original.id or 0,
                    status=original.status,
                    at=clock.now(),
                    officer_id=officer.id,
                    actor=officer.id,
                    note=f"Pengaduan {complaint.code} ditandai sebagai duplikat pengaduan ini",
                    region_code=original.destination_region,
                )
            )
        audit.record(
            session,
            clock,
            actor=officer.id,
            action="complaint.status",
            subject=complaint.code,
            detail={
                "status": target.value,
                "from_region": previous_region,
                "region": complaint.destination_region,
                "duplicate_of": original.code if original else None,
            },
        )
    return Change(
        complaint.code,
        complaint.status,
        complaint.destination_region,
        reference.regions(session).office_of(complaint.destination_region),
        original.code if original else None,
    )


def _original_for(session: Session, complaint: Complaint, code: str | None) -> Complaint:
    if not code:
        raise InvalidInput("duplikat needs the original complaint (--duplicate-of CODE)")
    original = find_row(session, code)
    # Follow a chain to its root, so the citizen sees the complaint that moves.
    seen = {complaint.id}
    while original.duplicate_of_id is not None and original.id not in seen:
        seen.add(original.id)
        original = session.get(Complaint, original.duplicate_of_id) or original
    if original.id in seen:
        raise InvalidInput("a complaint cannot be a duplicate of itself")
    return original


def _reroute_target(session: Session, complaint: Complaint, region: str | None) -> str:
    if not region:
        raise InvalidInput("dialihkan needs the office to reroute to (--to KOTA_CODE)")
    kota = reference.regions(session).get(region.strip())
    if kota is None or kota.level != "kota":
        raise InvalidInput("{region} is not a kota/kabupaten code, e.g. 31.74", region=region[:20])
    if kota.code == complaint.destination_region:
        raise InvalidInput(
            "{code} is already with {office}", code=complaint.code, office=kota.office_name
        )
    return kota.code


def last_entered(session: Session, complaint_ids: list[int]) -> dict[int, dict[Status, datetime]]:
    """For each complaint, the latest time it entered each status.

    Only changes count: a note on the same status (a duplicate linked to it)
    does not restart a deadline.
    """
    entered: dict[int, dict[Status, datetime]] = defaultdict(dict)
    if not complaint_ids:
        return entered
    rows = session.exec(
        select(StatusEvent.complaint_id, StatusEvent.status, StatusEvent.at)
        .where(col(StatusEvent.complaint_id).in_(complaint_ids))
        .order_by(col(StatusEvent.at), col(StatusEvent.id))
    ).all()
    previous: dict[int, str] = {}
    for complaint_id, status, at in rows:
        if previous.get(complaint_id) != status:
            entered[complaint_id][Status(status)] = at
        previous[complaint_id] = status
    return entered


def deadline_of(session: Session, rules: DeadlineRules, complaint: Complaint) -> Deadline | None:
    status = Status(complaint.status)
    if status in CLOSED:
        return None
    entered = last_entered(session, [complaint.id or 0])[complaint.id or 0]
    return status_deadline(rules, status, entered)


def dispute(
    session: Session,
    clock: Clock,
    rules: DeadlineRules,
    *,
    code: str,
    text: str,
    actor: OfficerView | str,
) -> Change:
    """The citizen disputes a completion: reopened to `diproses` with their words.

    Two ways in, and no third: at the desk an officer signed in through the
    access gate types it (`actor` is the officer); on the status page the
    citizen (`actor` is CITIZEN), once `public_status` has checked the
    signature printed on their slip.
    """
    officer = actor if isinstance(actor, OfficerView) else None
    if officer is not None:
        access.allow(session, clock, officer, access.DESK_DISPUTE)
    elif actor != CITIZEN:
        raise PermissionDenied(
            "a dispute is made by the citizen on the status page with the slip's "
            "signature, or typed at the desk by a signed-in officer"
        )
    complaint = find_row(session, code)
    words = clean_note(text, required="the citizen's objection is empty (--text)")
    if Status(complaint.status) is not Status.SELESAI:
        raise InvalidInput(
            "{code} is {status}; only a completed (selesai) complaint can be disputed",
            code=complaint.code,
            status=complaint.status,
        )
    completed = last_entered(session, [complaint.id or 0])[complaint.id or 0][Status.SELESAI]
    if dispute_deadline(rules, completed).passed(clock.now()):
        raise InvalidInput(
            "the {days} working days to dispute the completion of {code} have passed",
            days=rules.dispute_days,
            code=complaint.code,
        )
    with transaction(session):
        move(
            session,
            clock,
            complaint,
            Status.DIPROSES,
            actor=CITIZEN,
            officer_id=officer.id if officer else None,
            note=words,
        )
        access.record(
            session,
            clock,
            officer or CITIZEN,
            access.DESK_DISPUTE,
            subject=complaint.code,
            detail={"via": "desk" if officer else "status_page"},
        )
    return Change(
        complaint.code,
        complaint.status,
        complaint.destination_region,
        reference.regions(session).office_of(complaint.destination_region),
    )


@dataclass(frozen=True)
class Overdue:
    complaint_id: int
    code: str
    region: str
    office: str
    status: str
    due: Deadline
    taken_at: datetime
    category: str


def overdue(
    session: Session, clock: Clock, rules: DeadlineRules, *, region: str | None = None
) -> list[Overdue]:
    """Open complaints past their deadline, by office then by how late they are."""
    query = select(Complaint).where(col(Complaint.status).in_([s.value for s in rules.days]))
    if region is not None:
        query = query.where(Complaint.destination_region == region)
    rows = session.exec(query).all()
    entered = last_entered(session, [r.id or 0 for r in rows])
    regions = reference.regions(session)
    now = clock.now()
    late = []
    for row in rows:
        due = status_deadline(rules, Status(row.status), entered[row.id or 0])
        if due is not None and due.passed(now):
            office = regions.get(row.destination_region)
            late.append(
                Overdue(
                    row.id or 0,
                    row.code,
                    row.destination_region,
                    office.office_name if office else row.destination_region,
                    row.status,
                    due,
                    row.created_at,
                    row.category_code,
                )
            )
    return sorted(late, key=lambda o: (o.region, o.due, o.code))
