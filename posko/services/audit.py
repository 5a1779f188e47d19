"""The audit trail: append-only and hash-chained.

Each event's hash covers the one before it, so an event altered, deleted or
inserted directly in the database breaks the chain at that point. The chain's
head lives in one `meta` row that every writer locks, so concurrent desks on
PostgreSQL append in turn instead of forking the chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from posko.core.clock import Clock
from posko.store.models import AuditEvent, Meta

GENESIS = "0" * 64
HEAD_KEY = "audit_head"


def event_hash(
    prev_hash: str, at: datetime, actor: str, action: str, subject: str, detail: str
) -> str:
    canonical = json.dumps(
        [
            prev_hash,
            # In UTC whatever the session's time zone, so a reader gets the same text.
            at.astimezone(UTC).isoformat(timespec="microseconds"),
            actor,
            action,
            subject,
            detail,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(
    session: Session,
    clock: Clock,
    *,
    actor: str,
    action: str,
    subject: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event in the caller's transaction (the caller commits)."""
    head = session.exec(select(Meta).where(Meta.key == HEAD_KEY).with_for_update()).first()
    if head is None:
        head = Meta(key=HEAD_KEY, value=GENESIS)
        session.add(head)
    at = clock.now()
    text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = event_hash(head.value, at, actor, action, subject, text)
    event = AuditEvent(
        at=at,
        actor=actor,
        action=action,
        subject=subject,
        detail=text,
        prev_hash=head.value,
        hash=digest,
    )
    session.add(event)
    head.value = digest
    session.add(head)
    return event


@dataclass(frozen=True)
class Break:
    """The first place where the chain does not hold."""

    event_id: int | None  # None: the chain's head (the meta row) is wrong
    kind: str  # altered / linked / head
    previous_id: int | None = None


@dataclass(frozen=True)
class Verification:
    events: int
    head: str
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify(session: Session) -> Verification:
    """Recompute the chain from the first event; stop at the first one that breaks it.

    `altered`: the event's content no longer gives its hash (edited, or a
    forged row). `linked`: the event is intact but does not follow the one
    before it (an event between them was deleted or inserted). `head`: every
    event holds but the last is not the recorded head (events deleted at the
    end, or the head edited).
    """
    if session.get_bind().dialect.name == "postgresql" and not session.in_transaction():
        # One snapshot for the events and the head, while desks keep appending.
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    head_row = session.get(Meta, HEAD_KEY)
    head = head_row.value if head_row is not None else GENESIS
    previous_hash, previous_id, count = GENESIS, None, 0
    # Plain rows, not ORM objects: a long chain verifies several times faster.
    rows = session.execute(
        select(
            AuditEvent.id,
            AuditEvent.at,
            AuditEvent.actor,
            AuditEvent.action,
            AuditEvent.subject,
            AuditEvent.detail,
            AuditEvent.prev_hash,
            AuditEvent.hash,
        )
        .order_by(col(AuditEvent.id))
        .execution_options(yield_per=5000)
    )
    for event_id, at, actor, action, subject, detail, prev_hash, digest in rows:
        count += 1
        if event_hash(prev_hash, at, actor, action, subject, detail) != digest:
            return Verification(count, head, Break(event_id, "altered", previous_id))
        if prev_hash != previous_hash:
            return Verification(count, head, Break(event_id, "linked", previous_id))
        previous_hash, previous_id = digest, event_id
    if previous_hash != head:
        return Verification(count, head, Break(None, "head", previous_id))
    return Verification(count, head, None)
