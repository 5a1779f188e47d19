"""The outbox: messages about a complaint's changes, written with the change.

A status change of a complaint whose citizen consented to messages queues one
row for the citizen's channel; when the push to the province's CRM is on,
every new complaint and every change also queues one row for the CRM. The
row is a plain insert in the transaction of the change, so nothing is lost if
a sender is down and nothing is queued for a change that was rolled back.
`drain` (the `posko notify drain` command and `posko serve` in the
background) sends what is due: one message at a time, claimed first so two
drains never send the same row, retried with back-off, given up after a
configured time with the reason kept for the desk. Each row's `key`
(complaint, status event, destination) goes with the message, so a receiver
can drop a delivery repeated after a lost answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Result, func, update
from sqlmodel import Session, col, select

from posko.config import Settings
from posko.core.clock import Clock
from posko.core.errors import InvalidInput
from posko.core.notify_text import retry_delay
from posko.services import audit
from posko.store.models import Complaint, Meta, OutboxMessage, StatusEvent

CRM = "crm"
CRM_KEY = "crm_push"  # Meta: "1" while complaints are pushed to the CRM
# A claimed message is not claimed again for this long, should the drain die
# between sending and recording it (the receiver then sees the same key twice).
LEASE = timedelta(minutes=5)
PENDING, SENT, FAILED, CANCELLED = "pending", "sent", "failed", "cancelled"


@dataclass(frozen=True)
class Timing:
    """How failed messages are tried again: `[notify]` of config.toml."""

    first_retry: timedelta = timedelta(minutes=1)
    longest_retry: timedelta = timedelta(hours=1)
    give_up_after: timedelta = timedelta(hours=72)


def timing_from(settings: Settings) -> Timing:
    table = settings.extra.get("notify", {})
    if not isinstance(table, Mapping):
        raise InvalidInput("setting {name} must be a table", name="notify")
    values = {}
    for key, name in (
        ("retry_first_seconds", "first_retry"),
        ("retry_longest_seconds", "longest_retry"),
        ("give_up_hours", "give_up_after"),
    ):
        raw = table.get(key)
        if raw is None:
            continue
        if isinstance(raw, bool) or not isinstance(raw, int | float) or raw <= 0:
            raise InvalidInput("setting notify.{key} must be a positive number", key=key)
        values[name] = timedelta(hours=raw) if key == "give_up_hours" else timedelta(seconds=raw)
    return Timing(**values)


# --- queueing, in the caller's transaction -----------------------------------


def crm_on(session: Session) -> bool:
    row = session.get(Meta, CRM_KEY)
    return row is not None and row.value == "1"


def _row(clock: Clock, complaint: Complaint, event: StatusEvent, destination: str, kind: str):  # type: ignore[no-untyped-def]
    now = clock.now()
    return OutboxMessage(
        key=f"{complaint.code}/{event.id}/{destination}",
        complaint_id=complaint.id or 0,
        event_id=event.id,
        destination=destination,
        kind=kind,
        status=event.status,
        body="",  # written when sent: the words and link of the installation then
        created_at=now,
        due_at=now,
    )


def wants_messages(complaint: Complaint) -> bool:
    return (
        complaint.contact_channel is not None
        and complaint.consent_withdrawn_at is None
        and not complaint.anonymous
        and complaint.identity_erased_at is None
    )


def _to_crm(session: Session, complaint: Complaint) -> bool:
    # A complaint a partner delivered is already in the partner's system: sending
    # it on would echo it back when the partner is the CRM.
    return complaint.channel is None and crm_on(session)


def queue_new(session: Session, clock: Clock, complaint: Complaint, event: StatusEvent) -> None:
    """A new complaint: to the CRM when the push is on (the citizen has the slip)."""
    if _to_crm(session, complaint):
        session.add(_row(clock, complaint, event, CRM, "create"))


def queue_change(session: Session, clock: Clock, complaint: Complaint, event: StatusEvent) -> None:
    """A status change: to the citizen who consented, and to the CRM when on."""
    if wants_messages(complaint):
        session.add(_row(clock, complaint, event, complaint.contact_channel or "", "status"))
    if _to_crm(session, complaint):
        session.add(_row(clock, complaint, event, CRM, "update"))


# --- the desk's acts ----------------------------------------------------------


def set_crm_push(session: Session, clock: Clock, *, actor: str, on: bool) -> None:
    """Start or stop queueing complaints for the CRM (audited: data leaves the desk)."""
    try:
        row = session.get(Meta, CRM_KEY) or Meta(key=CRM_KEY, value="0")
        row.value = "1" if on else "0"
        session.add(row)
        audit.record(session, clock, actor=actor, action="crm.push", detail={"on": on})
        session.commit()
    except BaseException:
        session.rollback()
        raise


def withdraw_consent(session: Session, clock: Clock, *, code: str, actor: str) -> int:
    """The citizen wants no more messages: record it, cancel what waits. Audited.

    Returns how many waiting messages were cancelled; withdrawing twice is no error.
    """
    from posko.services.complaints import find_row

    complaint = find_row(session, code)
    if complaint.contact_channel is None:
        raise InvalidInput("{code} has no consent to messages to withdraw", code=complaint.code)
    now = clock.now()
    try:
        if complaint.consent_withdrawn_at is None:
            complaint.consent_withdrawn_at = now
            session.add(complaint)
        cancelled = _changed(
            session.execute(
                update(OutboxMessage)
                .where(
                    col(OutboxMessage.complaint_id) == complaint.id,
                    col(OutboxMessage.destination) != CRM,
                    col(OutboxMessage.state) == PENDING,
                )
                .values(state=CANCELLED, last_error="consent withdrawn")
            )
        )
        audit.record(
            session,
            clock,
            actor=actor,
            action="consent.withdraw",
            subject=complaint.code,
            detail={"channel": complaint.contact_channel, "cancelled": cancelled},
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return int(cancelled or 0)


# --- what the desk sees -------------------------------------------------------


@dataclass(frozen=True)
class MessageView:
    key: str
    code: str
    destination: str
    kind: str
    status: str
    state: str
    attempts: int
    created_at: datetime
    due_at: datetime
    sent_at: datetime | None
    last_error: str | None
    remote_id: str | None


# Given up, or waiting after at least one failed try: what the desk is warned of.
_FAILING = (col(OutboxMessage.state) == FAILED) | (
    (col(OutboxMessage.state) == PENDING) & (col(OutboxMessage.attempts) > 0)
)


def failing_count(session: Session) -> int:
    """Messages given up, or waiting after at least one failed try."""
    return int(session.exec(select(func.count()).where(_FAILING)).one())


def messages(
    session: Session, *, code: str | None = None, failing: bool = False, limit: int = 100
) -> list[MessageView]:
    query = (
        select(OutboxMessage, Complaint.code)
        .join(Complaint, col(Complaint.id) == OutboxMessage.complaint_id)
        .order_by(col(OutboxMessage.id).desc())
        .limit(limit)
    )
    if code is not None:
        from posko.services.complaints import find_row

        query = query.where(col(OutboxMessage.complaint_id) == find_row(session, code).id)
    if failing:
        query = query.where(_FAILING)
    return [
        MessageView(
            m.key,
            complaint_code,
            m.destination,
            m.kind,
            m.status,
            m.state,
            m.attempts,
            m.created_at,
            m.due_at,
            m.sent_at,
            m.last_error,
            m.remote_id,
        )
        for m, complaint_code in session.exec(query).all()
    ]


def crm_reference(session: Session, complaint_id: int) -> str | None:
    """The CRM's service_request_id (or `token:…`) of a complaint, once it answered."""
    return session.exec(
        select(OutboxMessage.remote_id).where(
            OutboxMessage.complaint_id == complaint_id,
            OutboxMessage.destination == CRM,
            OutboxMessage.kind == "create",
            OutboxMessage.state == SENT,
        )
    ).first()


# --- sending --------------------------------------------------------------------


class SendFailed(Exception):
    """A try that failed; the message is tried again later (the reason is kept)."""


class Cancel(Exception):
    """A message that must not be sent at all (consent withdrawn, contact erased)."""


class Hold(Exception):
    """Not yet: an earlier message of the same complaint must go first."""


@dataclass(frozen=True)
class DrainResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0


# Sends one message; returns the receiver's reference (the CRM's request id) or None.
Deliver = Callable[[Session, OutboxMessage], str | None]


def _claim(session: Session, message_id: int, now: datetime) -> bool:
    claimed = _changed(
        session.execute(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == message_id,
                col(OutboxMessage.state) == PENDING,
                col(OutboxMessage.due_at) <= now,
            )
            .values(due_at=now + LEASE)
        )
    )
    session.commit()
    return bool(claimed)


def _earlier_waiting(session: Session, message: OutboxMessage) -> bool:
    return (
        session.exec(
            select(OutboxMessage.id).where(
                OutboxMessage.complaint_id == message.complaint_id,
                OutboxMessage.destination == message.destination,
                col(OutboxMessage.id) < message.id,
                col(OutboxMessage.state) == PENDING,
            )
        ).first()
        is not None
    )


def drain(
    session: Session, clock: Clock, timing: Timing, deliver: Deliver, *, limit: int = 200
) -> DrainResult:
    """Send the messages that are due, oldest first; each is recorded at once."""
    now = clock.now()
    due = session.exec(
        select(OutboxMessage.id)
        .where(OutboxMessage.state == PENDING, col(OutboxMessage.due_at) <= now)
        .order_by(col(OutboxMessage.id))
        .limit(limit)
    ).all()
    session.commit()
    counts = {SENT: 0, PENDING: 0, FAILED: 0, CANCELLED: 0}
    for message_id in due:
        if message_id is None or not _claim(session, message_id, now):
            continue  # another drain has it
        message = session.get(OutboxMessage, message_id)
        assert message is not None
        held = False
        try:
            if _earlier_waiting(session, message):
                raise Hold
            remote = deliver(session, message)
        except Hold:
            held, message.due_at = True, now + timing.first_retry
        except Cancel as reason:
            message.state, message.last_error = CANCELLED, str(reason)[:500]
        except SendFailed as reason:
            message.attempts += 1
            message.last_error = str(reason)[:500]
            retry_at = now + retry_delay(
                message.attempts, first=timing.first_retry, longest=timing.longest_retry
            )
            if retry_at - message.created_at > timing.give_up_after:
                message.state = FAILED
                message.last_error = f"gave up after {message.attempts} tries: {reason}"[:500]
            else:
                message.due_at = retry_at
        else:
            message.state, message.sent_at, message.remote_id = SENT, now, remote
            message.attempts += 1
            message.last_error = None
        if not held:
            counts[message.state] += 1
        session.add(message)
        session.commit()
    return DrainResult(counts[SENT], counts[PENDING], counts[FAILED], counts[CANCELLED])


def _changed(result: Result[Any]) -> int:
    """The rows an UPDATE touched (Session.execute is typed as a plain Result)."""
    return cast("CursorResult[Any]", result).rowcount
