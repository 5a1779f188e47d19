"""The audit trail: append-only and hash-chained.

Each event's hash covers the one before it, so an event altered, deleted or
inserted directly in the database breaks the chain at that point. The chain's
head lives in one `meta` row that every writer locks, so concurrent desks on
PostgreSQL append in turn instead of forking the chain.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from posko.core.clock import Clock
from posko.store.models import AuditEvent, Meta

GENESIS = "0" * 64
HEAD_KEY = "audit_head"


def event_hash(
    prev_hash: str, at: datetime, actor: str, action: str, subject: str, detail: str
) -> str:
    canonical = json.dumps(
        [prev_hash, at.isoformat(timespec="microseconds"), actor, action, subject, detail],
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
