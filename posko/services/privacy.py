"""Personal data under UU 27/2022 (PDP): masking, who may see it, retention, export, erasure.

A complaint keeps its story, location, category and history for statistics;
the reporter's identity (name, NIK, phone, e-mail, address) is what these
functions show masked, reveal only to those who need it (audited), hand to the
person on request, and erase when the retention period is over or the person
asks.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from posko.core.clock import Clock
from posko.core.errors import InvalidInput
from posko.core.identity import IdentityError, normalize_phone
from posko.core.lifecycle import CLOSED
from posko.core.schedule import SchedulePolicy, local_date
from posko.core.text import clean_text
from posko.files import write_private
from posko.printing.masking import (
    hide_identity,
    initials,
    mask_email,
    mask_nik,
    mask_numbers,
    mask_phone,
)
from posko.services import access, audit, complaints
from posko.services.access import ADMIN, require_role
from posko.services.views import ComplaintView, OfficerView, to_json
from posko.store.models import Complaint, StatusEvent

IDENTITY_FIELDS = (
    "reporter_name",
    "reporter_nik",
    "reporter_phone",
    "reporter_email",
    "reporter_address",
)


def masked(view: ComplaintView) -> ComplaintView:
    """The complaint as anyone may see it: initials and the ends of NIK and phone,
    and the numbers a citizen dictated into the description masked too."""
    return replace(
        view,
        description=mask_numbers(view.description),
        reporter_name=initials(view.reporter_name) or None,
        reporter_nik=mask_nik(view.reporter_nik) or None,
        reporter_phone=mask_phone(view.reporter_phone) or None,
        reporter_email=mask_email(view.reporter_email) or None,
        reporter_address="***" if view.reporter_address else None,
    )


def reveal(session: Session, clock: Clock, officer: OfficerView, code: str) -> ComplaintView:
    """The complaint with the full identity; the view, or the refusal, is audited."""
    view = complaints.get(session, code)
    access.allow_reveal(session, clock, officer, access.REVEAL, view)
    access.record(session, clock, officer, access.REVEAL, view.code)
    session.commit()
    return view


def _month_back(day: date, months: int) -> date:
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    # The 31st of a shorter month becomes its last day.
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


@dataclass(frozen=True)
class Purge:
    cutoff: datetime  # complaints closed before this instant lose their identity
    codes: list[str]
    dry_run: bool


def purge(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    *,
    retention_months: int,
    actor: OfficerView | None,
    dry_run: bool,
) -> Purge:
    """Erase the identity of complaints closed longer than the retention period ago.

    The complaint, its history and statistics stay; identity_erased_at records when.
    """
    if retention_months < 1:
        raise InvalidInput("retention_months must be at least 1")
    if not dry_run:
        if actor is None:
            raise InvalidInput("give --officer: erasing identities is audited")
        require_role(actor, ADMIN)
    now = clock.now()
    cutoff_day = _month_back(local_date(policy, now), retention_months)
    cutoff = datetime.combine(cutoff_day, time(0), policy.zone)
    closed_at = (
        select(StatusEvent.complaint_id, func.max(StatusEvent.at).label("closed_at"))
        .where(col(StatusEvent.status).in_([s.value for s in CLOSED]))
        .group_by(col(StatusEvent.complaint_id))
        .subquery()
    )
    rows = session.exec(
        select(Complaint)
        .join(closed_at, closed_at.c.complaint_id == Complaint.id)
        .where(
            col(Complaint.status).in_([s.value for s in CLOSED]),
            col(Complaint.identity_erased_at).is_(None),
            closed_at.c.closed_at < cutoff,
        )
        .order_by(col(Complaint.id))
    ).all()
    codes = [row.code for row in rows]
    if dry_run:
        session.rollback()
        return Purge(cutoff, codes, True)
    assert actor is not None
    for row in rows:
        _erase_row(session, row, now)
    audit.record(
        session,
        clock,
        actor=actor.id,
        action="privacy.purge",
        detail={
            "retention_months": retention_months,
            "cutoff": cutoff.isoformat(),
            "count": len(codes),
            "codes": codes,
        },
    )
    session.commit()
    return Purge(cutoff, codes, False)


ERASED = "[dihapus]"


def _erase_row(session: Session, row: Complaint, now: datetime) -> None:
    """The identity fields emptied, and the same identity scrubbed from the
    description and the history's notes, where a citizen may have dictated it
    (the search index follows the description)."""
    identity = {
        "name": row.reporter_name,
        "nik": row.reporter_nik,
        "phone": row.reporter_phone,
        "email": row.reporter_email,
    }
    row.description = hide_identity(row.description, replacement=ERASED, **identity)
    events = session.exec(select(StatusEvent).where(StatusEvent.complaint_id == row.id)).all()
    for event in events:
        if event.note:
            scrubbed = hide_identity(event.note, replacement=ERASED, **identity)
            if scrubbed != event.note:
                event.note = scrubbed
                session.add(event)
    for name in IDENTITY_FIELDS:
        setattr(row, name, None)
    row.identity_erased_at = now
    row.updated_at = now
    session.add(row)


def _person_rows(session: Session, nik: str | None, phone: str | None) -> list[Complaint]:
    if (nik is None) == (phone is None):
        raise InvalidInput("give either --nik or --phone")
    if nik is not None:
        digits = "".join(nik.split())
        if not digits.isdigit() or len(digits) != 16:
            raise InvalidInput("NIK must have exactly 16 digits")
        where = Complaint.reporter_nik == digits
    else:
        assert phone is not None
        try:
            where = Complaint.reporter_phone == normalize_phone(phone)
        except IdentityError as error:
            raise InvalidInput(str(error)) from None
    return list(session.exec(select(Complaint).where(where).order_by(col(Complaint.id))).all())


def _who(nik: str | None, phone: str | None) -> dict[str, str]:
    # The audit trail names the person masked: it is a log, not a register.
    return {"nik": mask_nik(nik)} if nik else {"phone": mask_phone(phone)}


def export_person(
    session: Session,
    clock: Clock,
    officer: OfficerView,
    *,
    nik: str | None,
    phone: str | None,
    out: Path,
) -> int:
    """Write everything stored about a person to `out` (JSON, mode 0600); audited.

    Returns how many complaints it holds.
    """
    require_role(officer, ADMIN)
    rows = _person_rows(session, nik, phone)
    document: dict[str, Any] = {
        "exported_at": clock.now().isoformat(),
        "query": _who(nik, phone),
        "complaints": [
            {
                "complaint": to_json(complaints.to_view(row)),
                "identity_erased_at": to_json(row.identity_erased_at),
                "history": to_json(complaints.history(session, row.id or 0)),
            }
            for row in rows
        ],
    }
    audit.record(
        session,
        clock,
        actor=officer.id,
        action="privacy.export",
        subject=clean_text(out.name)[:120],
        detail={**_who(nik, phone), "codes": [row.code for row in rows]},
    )
    session.flush()
    write_private(out, json.dumps(document, ensure_ascii=False, indent=2))
    try:
        session.commit()
    except BaseException:
        # Unaudited, the export must not exist.
        out.unlink(missing_ok=True)
        raise
    return len(rows)


def erase_person(
    session: Session,
    clock: Clock,
    officer: OfficerView,
    *,
    nik: str | None,
    phone: str | None,
    reason: str,
) -> list[str]:
    """Erase a person's identity from every complaint, on their request; audited."""
    require_role(officer, ADMIN)
    reason = clean_text(reason)[:300]
    if not reason:
        raise InvalidInput("give the reason for the erasure (--reason)")
    rows = _person_rows(session, nik, phone)
    now = clock.now()
    for row in rows:
        _erase_row(session, row, now)
    codes = [row.code for row in rows]
    audit.record(
        session,
        clock,
        actor=officer.id,
        action="privacy.erase",
        detail={**_who(nik, phone), "reason": reason, "codes": codes},
    )
    session.commit()
    return codes
