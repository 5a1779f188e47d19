"""What the citizens' status page may show about a complaint, given its signed code.

Nothing without a genuine signature: the check needs only the secret, so an
unknown code and a forged one are refused the same way before any look-up.
Never the reporter's identity; never the description or the officers' notes
of a confidential complaint; for a duplicate, the original's steps without
its text (it is another citizen's complaint).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from posko.config import Settings
from posko.core.clock import Clock
from posko.core.deadlines import DeadlineRules, dispute_deadline
from posko.core.errors import PoskoError
from posko.core.lifecycle import LABELS_ID, Status
from posko.core.schedule import SchedulePolicy
from posko.services import access, followup, outbox, reference, setup
from posko.store.db import new_session
from posko.store.models import Complaint, StatusEvent


@dataclass(frozen=True)
class Step:
    at: datetime
    label: str
    note: str  # empty when it may not be shown


@dataclass(frozen=True)
class PublicStatus:
    code: str
    status: str
    label: str
    taken_at: datetime
    category: str
    office: str
    summary: str | None  # None for a confidential complaint
    next_step: str  # as on the slip: what happens next, and by when
    steps: tuple[Step, ...]
    original: PublicStatus | None  # the complaint this one duplicates
    dispute_until: date | None  # last day to dispute a completion, while it is open
    training: bool
    messages_by: str | None = None  # the channel the citizen gets messages by, while consented


def normalize_verification(text: str) -> str:
    """The signature as typed (`sgb5 qfaa-g2gs`) in the form the QR carries it.

    Look-alikes (O for 0, I or L for 1) are read by `signing.matches`, which
    knows both the alphabet of today's slips and that of old ones.
    """
    return "".join(text.split()).replace("-", "").lower()


def _steps(session: Session, complaint: Complaint, *, notes: bool, mask) -> tuple[Step, ...]:  # type: ignore[no-untyped-def]
    rows = session.exec(
        select(StatusEvent)
        .where(StatusEvent.complaint_id == complaint.id)
        .order_by(col(StatusEvent.at), col(StatusEvent.id))
    ).all()
    steps, previous = [], None
    for row in rows:
        if row.actor == followup.CITIZEN:
            label = "Keberatan warga atas penyelesaian; pengaduan dibuka kembali"
        elif row.status == previous:
            label = "Catatan"
        else:
            label = LABELS_ID[Status(row.status)]
        previous = row.status
        steps.append(Step(row.at, label, mask(row.note) if notes and row.note else ""))
    return tuple(steps)


def _own(session: Session, code: str, sig: str) -> Complaint | None:
    """The complaint whose slip carries `sig`: the citizen's proof that it is theirs."""
    canonical = access.citizen_code(session, code, sig)
    if canonical is None:
        return None
    return session.exec(select(Complaint).where(Complaint.code == canonical)).first()


def _view(
    session: Session,
    settings: Settings,
    policy: SchedulePolicy,
    rules: DeadlineRules,
    now: datetime,
    complaint: Complaint,
    *,
    own: bool,
) -> PublicStatus:
    # printing.content holds the slip's masking rules; reportlab is not needed here.
    from posko.printing.content import mask_in_text, next_step_text, summarize
    from posko.services.slips import slip_data

    # One status-history query serves both the slip's next step and the dispute window.
    entered = followup.last_entered(session, [complaint.id or 0])[complaint.id or 0]
    slip = slip_data(session, settings, policy, complaint, entered=entered)
    shown = own and not complaint.confidential
    category = reference.categories(session).get(complaint.category_code)
    office = reference.regions(session).get(complaint.destination_region)
    original = None
    if own and complaint.duplicate_of_id is not None:
        root = session.get(Complaint, complaint.duplicate_of_id)
        if root is not None:
            original = _view(session, settings, policy, rules, now, root, own=False)
    dispute_until = None
    if own and complaint.status == Status.SELESAI.value:
        closes = dispute_deadline(rules, entered[Status.SELESAI])
        if not closes.passed(now):
            dispute_until = closes.last_day
    return PublicStatus(
        code=complaint.code,
        status=complaint.status,
        label=LABELS_ID[Status(complaint.status)],
        taken_at=complaint.created_at,
        category=category.name_id if category else complaint.category_code,
        office=office.office_name if office else complaint.destination_region,
        # As long as on the citizen's slip (summarize's default).
        summary=summarize(mask_in_text(complaint.description, slip)) if shown else None,
        next_step=next_step_text(slip),
        steps=_steps(session, complaint, notes=shown, mask=lambda t: mask_in_text(t, slip)),
        original=original,
        dispute_until=dispute_until,
        training=setup.is_training(session),
        messages_by=complaint.contact_channel if own and outbox.wants_messages(complaint) else None,
    )


# --- the status page's use cases, each in one session -----------------------
# posko/web never opens a session itself: these are its only way in. Each
# answers None for a signature that does not match (the page's 404).


@dataclass(frozen=True)
class Site:
    """What every use case of the status page reads, fixed when `posko serve` starts."""

    engine: Engine
    settings: Settings
    policy: SchedulePolicy
    rules: DeadlineRules
    clock: Clock

    def view(self, session: Session, complaint: Complaint) -> PublicStatus:
        now = self.clock.now()
        return _view(session, self.settings, self.policy, self.rules, now, complaint, own=True)


def find(site: Site, code: str, sig: str) -> PublicStatus | None:
    """The citizen's own complaint, as the status page shows it."""
    with new_session(site.engine) as session:
        complaint = _own(session, code, sig)
        return None if complaint is None else site.view(session, complaint)


@dataclass(frozen=True)
class Dispute:
    view: PublicStatus  # after the dispute when it was made, else as it stands
    made: bool = False
    refused: PoskoError | None = None  # why `followup.dispute` refused it


def dispute(site: Site, code: str, sig: str, text: str) -> Dispute | None:
    """The citizen's dispute (`followup.dispute`), proven by the slip's signature.

    Not tried while the complaint may not be disputed or the text is empty:
    the page tells the citizen why from the view.
    """
    with new_session(site.engine) as session:
        complaint = _own(session, code, sig)
        if complaint is None:
            return None
        before = site.view(session, complaint)
        if before.dispute_until is None or not text:
            return Dispute(before)
        try:
            followup.dispute(
                session,
                site.clock,
                site.rules,
                code=complaint.code,
                text=text,
                actor=followup.CITIZEN,
            )
        except PoskoError as problem:
            return Dispute(before, refused=problem)
        return Dispute(site.view(session, complaint), made=True)


def stop_messages(site: Site, code: str, sig: str) -> PublicStatus | None:
    """The citizen withdraws consent to status messages, proven by the slip's
    signature; the view after it (withdrawing twice changes nothing)."""
    with new_session(site.engine) as session:
        complaint = _own(session, code, sig)
        if complaint is None:
            return None
        if outbox.wants_messages(complaint):
            outbox.withdraw_consent(
                session, site.clock, code=complaint.code, actor=followup.CITIZEN
            )
        return site.view(session, complaint)
