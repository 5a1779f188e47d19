"""Handing complaints to the regional offices, and the offices' receipt.

Closing a session puts every complaint it took that is still `diterima` into
one batch per destination office and moves it to `diserahkan`. A complaint
is in at most one batch (a unique item per complaint), so closing twice
creates nothing twice; complaints taken after a first close go into a second
batch for the same office. The office acknowledges complaint by complaint by
scanning the slip's QR code: only its own region's staff (or a coordinator),
only with a genuine signature.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from posko.core.clock import Clock
from posko.core.deadlines import Deadline, DeadlineRules, deadline
from posko.core.errors import DutyRefused, InvalidInput, NotFound, PermissionDenied
from posko.core.lifecycle import Status
from posko.core.schedule import SchedulePolicy
from posko.core.signing import parse_payload
from posko.services import access, audit, duty, followup, reference
from posko.services.setup import qr_secret, require_qr_template
from posko.services.views import OfficerView
from posko.store.db import transaction
from posko.store.models import Complaint, DutySession, HandoffBatch, HandoffItem

# Complaints that may enter a batch: taken at the desk, not yet handed off.
READY = Status.DITERIMA.value


@dataclass(frozen=True)
class BatchView:
    id: int
    label: str  # e.g. "20261201-31.71-1", printed on the list and in file names
    session_day: date
    region: str
    office: str
    created_at: datetime
    created_by: str | None
    codes: tuple[str, ...]
    acknowledged: tuple[str, ...]
    # Handed off, not acknowledged, still with this office (not rerouted or closed).
    waiting: tuple[str, ...]


def batch_label(day: date, region: str, number: int) -> str:
    return f"{day:%Y%m%d}-{region}-{number}"


def find_session(session: Session, policy: SchedulePolicy, day: date) -> DutySession:
    row = session.exec(
        select(DutySession).where(DutySession.site_code == policy.site_code, DutySession.day == day)
    ).first()
    if row is None:
        raise NotFound("no session on {day} at {site}", day=day, site=policy.site_code)
    return row


def create_batches(
    session: Session, clock: Clock, duty_session: DutySession, officer_id: str | None
) -> list[BatchView]:
    """Batch the session's complaints not yet handed off; the caller commits.

    Returns only the batches made now (none when nothing was left to hand off).
    """
    # Two desks closing the same session at once on PostgreSQL: the second
    # waits here and then finds nothing left (SQLite's BEGIN IMMEDIATE already
    # serialises writers).
    session.exec(
        select(DutySession.id).where(DutySession.id == duty_session.id).with_for_update()
    ).one()
    complaints = session.exec(
        select(Complaint)
        .where(Complaint.session_id == duty_session.id, Complaint.status == READY)
        .where(~col(Complaint.id).in_(select(HandoffItem.complaint_id)))
        .order_by(col(Complaint.created_at), col(Complaint.id))
    ).all()
    by_region: dict[str, list[Complaint]] = defaultdict(list)
    for complaint in complaints:
        by_region[complaint.destination_region].append(complaint)
    made = []
    now = clock.now()
    actor = officer_id or "sistem"
    for region, members in sorted(by_region.items()):
        previous = session.exec(
            select(HandoffBatch.number)
            .where(HandoffBatch.session_id == duty_session.id, HandoffBatch.region_code == region)
            .order_by(col(HandoffBatch.number).desc())
        ).first()
        number = (previous or 0) + 1
        batch = HandoffBatch(
            session_id=duty_session.id or 0,
            region_code=region,
            number=number,
            created_at=now,
            created_by=officer_id,
        )
        session.add(batch)
        session.flush()
        label = batch_label(duty_session.day, region, number)
        for complaint in members:
            session.add(HandoffItem(batch_id=batch.id or 0, complaint_id=complaint.id or 0))
            followup.move(
                session,
                clock,
                complaint,
                Status.DISERAHKAN,
                actor=actor,
                officer_id=officer_id,
                note=f"Diserahkan dalam daftar serah terima {label}",
            )
        audit.record(
            session,
            clock,
            actor=actor,
            action="handoff.batch",
            subject=label,
            detail={"complaints": [c.code for c in members]},
        )
        made.append(batch.id or 0)
    session.flush()
    return [batch_view(session, batch_id) for batch_id in made]


def close(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    *,
    day: date,
    officer: OfficerView,
) -> tuple[list[BatchView], list[BatchView]]:
    """Close the session of `day` and batch its complaints; `closeout.hand_off`
    calls it for `posko handoff close` (and `closeout.close_session` for the
    desk's F8, through the same `create_batches`). Returns (batches made now,
    all batches of the session).

    Only an officer signed in through the access gate with a desk role may; a
    session still running is closed only by an officer on duty in it or by a
    coordinator or admin, so nobody ends the morning early from a script.
    """
    access.allow(session, clock, officer, access.HANDOFF_CLOSE)
    duty_session = find_session(session, policy, day)
    now = clock.now()
    if now < duty_session.starts_at:
        raise InvalidInput("the session of {day} has not started yet; nothing to hand off", day=day)
    if now < duty_session.ends_at and officer.role == access.DUTY:
        state = duty.desk_state(session, clock, policy)
        if state.session is None or state.session.id != duty_session.id:
            raise DutyRefused("the session of {day} is still open", day=day)
        duty.require_on_duty(session, state.session, officer.id)
    with transaction(session):
        if duty_session.closed_at is None:
            duty_session.closed_at, duty_session.closed_by = now, officer.id
            session.add(duty_session)
        made = create_batches(session, clock, duty_session, officer.id)
        access.record(
            session,
            clock,
            officer,
            access.HANDOFF_CLOSE,
            subject=day.isoformat(),
            detail={"batches": [b.label for b in made]},
        )
    return made, session_batches(session, duty_session.id or 0)


def session_batches(session: Session, session_id: int) -> list[BatchView]:
    ids = session.exec(
        select(HandoffBatch.id)
        .where(HandoffBatch.session_id == session_id)
        .order_by(col(HandoffBatch.region_code), col(HandoffBatch.number))
    ).all()
    return [batch_view(session, batch_id or 0) for batch_id in ids]


def batch_view(session: Session, batch_id: int) -> BatchView:
    batch = session.get(HandoffBatch, batch_id)
    if batch is None:
        raise NotFound("no handoff batch {id}", id=batch_id)
    duty_session = session.get(DutySession, batch.session_id)
    assert duty_session is not None  # a foreign key
    rows = session.exec(
        select(Complaint.code, HandoffItem.acknowledged_at, Complaint.status)
        .join(HandoffItem, col(HandoffItem.complaint_id) == Complaint.id)
        .where(HandoffItem.batch_id == batch_id)
        .order_by(col(Complaint.created_at), col(Complaint.id))
    ).all()
    office = reference.regions(session).get(batch.region_code)
    return BatchView(
        id=batch_id,
        label=batch_label(duty_session.day, batch.region_code, batch.number),
        session_day=duty_session.day,
        region=batch.region_code,
        office=office.office_name if office else batch.region_code,
        created_at=batch.created_at,
        created_by=batch.created_by,
        codes=tuple(code for code, _, _ in rows),
        acknowledged=tuple(code for code, at, _ in rows if at is not None),
        waiting=tuple(
            code for code, at, status in rows if at is None and status == Status.DISERAHKAN.value
        ),
    )


def batch_complaints(session: Session, batch_id: int) -> list[Complaint]:
    return list(
        session.exec(
            select(Complaint)
            .join(HandoffItem, col(HandoffItem.complaint_id) == Complaint.id)
            .where(HandoffItem.batch_id == batch_id)
            .order_by(col(Complaint.created_at), col(Complaint.id))
        ).all()
    )


@dataclass(frozen=True)
class Acknowledgement:
    code: str
    region: str
    office: str
    already: bool  # scanned again: nothing changed
    batch: str | None  # the label of its handoff batch, if any


def acknowledge(
    session: Session,
    clock: Clock,
    officer_id: str,
    scanned_text: str,
    *,
    template: str = "",
) -> Acknowledgement:
    """The office confirms receipt of one complaint by scanning its slip's QR code.

    Refused (PermissionDenied) for a forged or altered slip and for an officer
    of another region; a slip scanned twice is reported, not an error.
    """
    officer = followup.officer_row(session, officer_id)
    template = require_qr_template(session, template)  # "" : the installation's address
    parsed = parse_payload(scanned_text, qr_secret(session), template)
    if parsed is None:
        raise InvalidInput(
            "that is not the QR code of a Posko slip; scan the QR code on the slip or office copy"
        )
    if not parsed.genuine:
        audit.record(
            session,
            clock,
            actor=officer.id,
            action="handoff.forged",
            subject=parsed.code[:120],
        )
        session.commit()
        raise PermissionDenied(
            "the signature of the slip {code} is not genuine; it was not acknowledged",
            code=parsed.code[:30],
        )
    complaint = session.exec(select(Complaint).where(Complaint.code == parsed.code)).first()
    if complaint is None:
        raise NotFound("no complaint with code {code}", code=parsed.code)
    followup.require_authority(session, officer, complaint)
    regions = reference.regions(session)
    office = regions.get(complaint.destination_region)
    item = session.exec(select(HandoffItem).where(HandoffItem.complaint_id == complaint.id)).first()
    batch = session.get(HandoffBatch, item.batch_id) if item else None
    label = None
    if batch is not None:
        day = session.get(DutySession, batch.session_id)
        label = batch_label(day.day, batch.region_code, batch.number) if day else None
    result = Acknowledgement(
        complaint.code,
        complaint.destination_region,
        office.office_name if office else complaint.destination_region,
        already=complaint.status == Status.DITERIMA_WILAYAH.value,
        batch=label,
    )
    if result.already:
        return result
    if complaint.status == Status.DITERIMA.value:
        raise InvalidInput(
            "{code} has not been handed off yet; close the session first (`posko handoff close`)",
            code=complaint.code,
        )
    with transaction(session):
        followup.move(
            session,
            clock,
            complaint,
            Status.DITERIMA_WILAYAH,
            actor=officer.id,
            officer_id=officer.id,
            note=f"Diterima oleh {result.office}",
        )
        if (
            item is not None
            and batch is not None
            and batch.region_code == complaint.destination_region
        ):
            item.acknowledged_at, item.acknowledged_by = clock.now(), officer.id
            session.add(item)
        audit.record(
            session,
            clock,
            actor=officer.id,
            action="handoff.ack",
            subject=complaint.code,
            detail={"region": complaint.destination_region, "batch": label},
        )
    return result


@dataclass(frozen=True)
class PendingBatch:
    batch: BatchView
    due: Deadline  # acknowledgement: one working day after the handoff
    late: bool


def pending(
    session: Session, clock: Clock, rules: DeadlineRules, *, region: str | None = None
) -> list[PendingBatch]:
    """Batches with complaints still unacknowledged, oldest first; `late` past the deadline."""
    query = (
        select(HandoffBatch.id)
        .join(HandoffItem, col(HandoffItem.batch_id) == HandoffBatch.id)
        .join(Complaint, col(Complaint.id) == HandoffItem.complaint_id)
        .where(col(HandoffItem.acknowledged_at).is_(None))
        # A complaint rerouted or closed since the handoff no longer waits here.
        .where(Complaint.status == Status.DISERAHKAN.value)
        .distinct()
    )
    if region is not None:
        query = query.where(HandoffBatch.region_code == region)
    now = clock.now()
    days = rules.days.get(Status.DISERAHKAN, 1)
    found = []
    for batch_id in session.exec(query).all():
        view = batch_view(session, batch_id or 0)
        due = deadline(rules, view.created_at, days)
        found.append(PendingBatch(view, due, due.passed(now)))
    return sorted(found, key=lambda p: (p.batch.created_at, p.batch.region, p.batch.label))
