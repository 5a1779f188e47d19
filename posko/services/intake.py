"""Taking the complaint of a walk-in citizen at the desk."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from posko.core.clock import Clock
from posko.core.complaint_input import ComplaintInput, validate_complaint
from posko.core.lifecycle import Status
from posko.core.schedule import SchedulePolicy, local_date
from posko.core.tracking import new_code
from posko.services import audit, clockcheck, duty, queue, reference
from posko.services.complaints import to_view
from posko.services.views import ComplaintView
from posko.store.models import Complaint, StatusEvent


@dataclass(frozen=True)
class Intake:
    complaint: ComplaintView
    destination_name: str  # the regional office that must follow it up


def validate(
    session: Session, clock: Clock, policy: SchedulePolicy, data: object
) -> ComplaintInput:
    """The same rules the form's validators use, for a whole complaint."""
    return validate_complaint(
        data,
        regions=reference.regions(session),
        categories=set(reference.categories(session)),
        provinces=reference.provinces(),
        today=local_date(policy, clock.now()),
    )


def _unused_code(session: Session, prefix: str) -> str:
    while True:
        code = new_code(prefix)
        if session.exec(select(Complaint.id).where(Complaint.code == code)).first() is None:
            return code


def take_complaint(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    *,
    officer_id: str,
    data: object,
    queue_number: int | None = None,
) -> Intake:
    """Validate, route and store a complaint with its first status and audit events.

    Refuses (DutyRefused) when the desk is closed or the officer is not on duty,
    and (ValidationFailed) naming every bad field; either way nothing is written.
    """
    clockcheck.require_clock_ok(session, clock)
    state = duty.desk_state(session, clock, policy, when_open_next=False)
    duty_session = duty.require_open(state, holds_queue_number=queue_number is not None)
    officer = duty.require_on_duty(session, duty_session, officer_id)
    visit = queue.find_visit(session, duty_session, queue_number) if queue_number else None
    if visit is not None and visit.issued_at >= duty_session.ends_at:
        # Cannot happen through take_number; guards hand-edited data.
        visit = None
    checked = validate(session, clock, policy, data)
    regions = reference.regions(session)
    destination = regions.kota_of(checked.location.kota)
    assert destination is not None  # validation guarantees a kota
    now = clock.now()
    try:
        if visit is None:
            visit = queue.issue(session, clock, duty_session, priority=checked.priority)
        reporter = checked.reporter
        complaint = Complaint(
            code=_unused_code(session, policy.site_code),
            site_code=policy.site_code,
            session_id=duty_session.id,
            visit_id=visit.id,
            queue_number=visit.number,
            desk=officer.desk or None,
            officer_id=officer.id,
            created_at=now,
            updated_at=now,
            status=Status.DITERIMA.value,
            category_code=checked.category,
            description=checked.description,
            reporter_name=reporter.name,
            reporter_nik=reporter.nik,
            reporter_phone=reporter.phone,
            reporter_email=reporter.email,
            reporter_address=reporter.address,
            anonymous=reporter.anonymous,
            confidential=reporter.confidential,
            kota_code=checked.location.kota,
            kecamatan_code=checked.location.kecamatan,
            kelurahan_code=checked.location.kelurahan,
            location_address=checked.location.address,
            lat=checked.location.lat,
            lon=checked.location.lon,
            priority=checked.priority or visit.priority,
            destination_region=destination.code,
        )
        session.add(complaint)
        session.flush()
        session.add(
            StatusEvent(
                complaint_id=complaint.id or 0,
                status=Status.DITERIMA.value,
                at=now,
                officer_id=officer.id,
                actor=officer.id,
                note=f"Diterima di {policy.site_name}",
                region_code=destination.code,
            )
        )
        visit.state, visit.finished_at, visit.desk = "served", now, officer.desk or None
        session.add(visit)
        audit.record(
            session,
            clock,
            actor=officer.id,
            action="complaint.create",
            subject=complaint.code,
            detail={
                "queue_number": visit.number,
                "destination": destination.code,
                "category": checked.category,
                "anonymous": reporter.anonymous,
                "confidential": reporter.confidential,
            },
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return Intake(to_view(complaint), destination.office_name)
