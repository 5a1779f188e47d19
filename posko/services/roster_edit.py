"""The rota coordinator's changes to a published roster.

Every change is one transaction: it is made, the affected sessions are
checked with the roster rules, and only if it brings no new error is it
saved, together with an audit event saying who changed what and why.
Otherwise it is rolled back and RosterRefused says what is wrong in words.
The desk reads the roster live, so a saved change counts at once.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ParamSpec, TypeVar

from sqlmodel import Session, col, delete, select

from posko.core import rotation
from posko.core.clock import Clock
from posko.core.errors import InvalidInput, NotFound, PermissionDenied
from posko.core.roster_check import ERROR, Violation, errors
from posko.core.schedule import SchedulePolicy, local_date, why_no_session
from posko.services import access, audit, officers, roster
from posko.store.db import transaction
from posko.store.models import (
    Absence,
    AuditEvent,
    Closure,
    Complaint,
    DutyAssignment,
    DutyOverride,
    DutySession,
    Officer,
    Visit,
)

P = ParamSpec("P")
T = TypeVar("T")


def one_transaction(change: Callable[P, T]) -> Callable[P, T]:
    """Roll the session back when the change fails, so no lock or half-change is left."""

    @functools.wraps(change)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        session = args[0]
        assert isinstance(session, Session)
        with transaction(session):
            return change(*args, **kwargs)

    return run


class RosterRefused(InvalidInput):
    """A change that would break the roster; nothing was saved."""

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__(
            "the roster was not changed: {problems}",
            problems="; ".join(roster.describe(v) for v in violations),
        )
        self.violations = violations


@dataclass(frozen=True)
class FillIn:
    """Who takes an absent officer's place in one session."""

    day: date
    desk: str
    absent: str
    fill_in: str | None  # None: nobody in the pool is free


def require_coordinator(session: Session, officer_id: str) -> None:
    """Only a coordinator or an admin changes the roster (the access gate's role check)."""
    found = officers.get(session, officer_id)
    if found is None:
        raise PermissionDenied("unknown or inactive officer {officer}", officer=officer_id[:32])
    access.require_role(found, *access.EDIT_ROSTER.roles)


def _reason(why: str) -> str:
    why = why.strip()
    if not why:
        raise InvalidInput("say why the roster changes (a reason is required)")
    if len(why) > 300:
        raise InvalidInput("the reason is longer than {limit} characters", limit=300)
    return why


def _editable(session: Session, clock: Clock, policy: SchedulePolicy, day: date) -> DutySession:
    """The session of a day that may still change: today's or a later one, not closed."""
    duty = session.exec(
        select(DutySession).where(DutySession.site_code == policy.site_code, DutySession.day == day)
    ).first()
    if duty is None:
        raise NotFound("there is no session on {day}", day=day)
    check_not_past(clock, policy, day)
    if duty.closed_at is not None:
        raise InvalidInput("the session of {day} is already closed", day=day)
    return duty


def check_not_past(clock: Clock, policy: SchedulePolicy, day: date) -> None:
    if day < local_date(policy, clock.now()):
        raise InvalidInput("{day} is past; the roster of past sessions is history", day=day)


def _assignment(session: Session, duty: DutySession, officer_id: str) -> DutyAssignment | None:
    return session.exec(
        select(DutyAssignment).where(
            DutyAssignment.session_id == duty.id, DutyAssignment.officer_id == officer_id
        )
    ).first()


def _on_duty(session: Session, duty: DutySession, officer_id: str) -> DutyAssignment:
    found = _assignment(session, duty, officer_id)
    if found is None:
        raise NotFound("{officer} is not on duty on {day}", officer=officer_id, day=duty.day)
    return found


def _not_twice(session: Session, duty: DutySession, desk: str, officer_id: str) -> None:
    if _assignment(session, duty, officer_id) is not None:
        raise RosterRefused(
            [
                Violation(
                    ERROR, duty.day, desk, officer_id, "the officer is on duty twice on one day"
                )
            ]
        )


def _error_keys(session: Session, policy: SchedulePolicy, days: set[date]) -> set[tuple]:
    return {v.key for v in _errors_on(session, policy, days)}


def _errors_on(session: Session, policy: SchedulePolicy, days: set[date]) -> list[Violation]:
    found = roster.check(session, policy, min(days), max(days), fairness=False)
    return [v for v in errors(found) if v.day in days]


def _save(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    *,
    before: set[tuple],
    days: set[date],
    actor: str,
    action: str,
    detail: dict[str, Any],
) -> None:
    """Check the changed days; commit with an audit event, or roll back and refuse."""
    session.flush()
    new = [v for v in _errors_on(session, policy, days) if v.key not in before]
    if new:
        session.rollback()
        raise RosterRefused(new)
    audit.record(
        session,
        clock,
        actor=actor,
        action=action,
        subject=",".join(sorted(d.isoformat() for d in days)),
        detail=detail,
    )
    session.commit()


@one_transaction
def assign(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    *,
    actor: str,
    day: date,
    desk: str,
    officer_id: str,
    why: str,
    instead_of: str | None = None,
) -> None:
    """Put an officer on duty at a desk; with `instead_of`, in that officer's place."""
    require_coordinator(session, actor)
    why = _reason(why)
    duty = _editable(session, clock, policy, day)
    desk_policy = policy.desk(desk)
    if desk_policy is None:
        raise InvalidInput("there is no desk {desk} in the policy", desk=desk)
    before = _error_keys(session, policy, {day})
    _not_twice(session, duty, desk, officer_id)
    if instead_of is not None:
        row = _on_duty(session, duty, instead_of)
        if row.desk != desk:
            raise InvalidInput(
                "{officer} sits at desk {other}, not {desk}",
                officer=instead_of,
                other=row.desk,
                desk=desk,
            )
        row.officer_id = officer_id
    else:
        region = desk_policy.region or _session_region(session, duty, desk)
        row = DutyAssignment(
            session_id=duty.id or 0, desk=desk, region_code=region, officer_id=officer_id
        )
    session.add(row)
    _save(
        session,
        clock,
        policy,
        before=before,
        days={day},
        actor=actor,
        action="roster.assign",
        detail={
            "day": day.isoformat(),
            "desk": desk,
            "officer": officer_id,
            "instead_of": instead_of,
            "why": why,
        },
    )


def _session_region(session: Session, duty: DutySession, desk: str) -> str:
    """In mode "regions" the region of a session is the one its desk already serves."""
    region = session.exec(
        select(DutyAssignment.region_code).where(
            DutyAssignment.session_id == duty.id, DutyAssignment.desk == desk
        )
    ).first()
    if region is None:
        raise InvalidInput(
            "the session of {day} has no region at desk {desk}; regenerate it",
            day=duty.day,
            desk=desk,
        )
    return region


@one_transaction
def unassign(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    *,
    actor: str,
    day: date,
    officer_id: str,
    why: str,
) -> None:
    """Take an officer off duty on a day (refused if the desk would be short)."""
    require_coordinator(session, actor)
    why = _reason(why)
    duty = _editable(session, clock, policy, day)
    before = _error_keys(session, policy, {day})
    row = _on_duty(session, duty, officer_id)
    desk = row.desk
    session.delete(row)
    _save(
        session,
        clock,
        policy,
        before=before,
        days={day},
        actor=actor,
        action="roster.unassign",
        detail={"day": day.isoformat(), "desk": desk, "officer": officer_id, "why": why},
    )


@one_transaction
def swap(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    *,
    actor: str,
    first_day: date,
    first_officer: str,
    second_day: date,
    second_officer: str,
    why: str,
) -> None:
    """Two officers trade their turns: each takes the other's session (and desk)."""
    require_coordinator(session, actor)
    why = _reason(why)
    if first_officer == second_officer:
        raise InvalidInput("a swap needs two different officers")
    first = _editable(session, clock, policy, first_day)
    second = _editable(session, clock, policy, second_day)
    days = {first_day, second_day}
    before = _error_keys(session, policy, days)
    row_a = _on_duty(session, first, first_officer)
    row_b = _on_duty(session, second, second_officer)
    if first_day == second_day:
        # Same session: they trade desks (the officers stay, so no one is twice on duty).
        row_a.desk, row_b.desk = row_b.desk, row_a.desk
        row_a.region_code, row_b.region_code = row_b.region_code, row_a.region_code
    else:
        _not_twice(session, first, row_a.desk, second_officer)
        _not_twice(session, second, row_b.desk, first_officer)
        row_a.officer_id, row_b.officer_id = second_officer, first_officer
    session.add(row_a)
    session.add(row_b)
    _save(
        session,
        clock,
        policy,
        before=before,
        days=days,
        actor=actor,
        action="roster.swap",
        detail={
            "first": {"day": first_day.isoformat(), "officer": first_officer},
            "second": {"day": second_day.isoformat(), "officer": second_officer},
            "why": why,
        },
    )


def plan_absence(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    *,
    officer_id: str,
    start: date,
    end: date,
) -> list[FillIn]:
    """Who would fill in for the officer's sessions in the range (nothing is saved)."""
    try:
        return _plan_absence(session, clock, policy, officer_id=officer_id, start=start, end=end)
    finally:
        session.rollback()  # only read; end the transaction so no lock is held


def _plan_absence(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    *,
    officer_id: str,
    start: date,
    end: date,
) -> list[FillIn]:
    """Who would fill in for the officer's sessions in the range: the next in turn.

    Only today's and later open sessions are re-planned; the fill-in is the
    least-served free officer of the same region, preferring the same rank.
    """
    if end < start:
        raise InvalidInput("the absence must not end before it starts")
    officer = session.get(Officer, officer_id)
    if officer is None:
        raise NotFound("no officer {officer}", officer=officer_id)
    first = max(start, local_date(policy, clock.now()))
    rows = session.exec(
        select(DutySession, DutyAssignment)
        .join(DutyAssignment, col(DutyAssignment.session_id) == col(DutySession.id))
        .where(
            DutySession.site_code == policy.site_code,
            DutySession.day >= first,
            DutySession.day <= end,
            col(DutySession.closed_at).is_(None),
            DutyAssignment.officer_id == officer_id,
        )
        .order_by(col(DutySession.day))
    ).all()
    pool = roster.pool_officers(session)
    absences = roster.absences_between(session, first, end)
    state = roster.rotation_state(session, policy)
    plan = []
    for duty, assignment in rows:
        absent = {a.officer_id for a in absences if a.covers(duty.day)} | {officer_id}
        taken = set(
            session.exec(
                select(DutyAssignment.officer_id).where(DutyAssignment.session_id == duty.id)
            ).all()
        )
        candidates = [o for o in pool if o.region == assignment.region_code]
        minimums = {officer.rank: 1} if officer.rank else {}
        # The rotation's own choice, so a fill-in is whoever the generator would pick.
        chosen = rotation.choose(candidates, duty.day, 1, minimums, absent, taken, state)
        fill_in = chosen[0].id if chosen else None
        if fill_in is not None:
            state.record(duty.day, fill_in)
        plan.append(FillIn(duty.day, assignment.desk, officer_id, fill_in))
    return plan


@one_transaction
def mark_absent(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    *,
    actor: str,
    officer_id: str,
    start: date,
    end: date,
    reason: str,
) -> list[FillIn]:
    """Record the absence and put the proposed fill-ins on duty, in one transaction."""
    require_coordinator(session, actor)
    reason = _reason(reason)
    plan = _plan_absence(session, clock, policy, officer_id=officer_id, start=start, end=end)
    days = {f.day for f in plan}
    before = _error_keys(session, policy, days) if days else set()
    session.add(
        Absence(
            officer_id=officer_id,
            start=start,
            end=end,
            reason=reason,
            created_at=clock.now(),
            created_by=actor,
        )
    )
    for fill in plan:
        duty = _editable(session, clock, policy, fill.day)
        row = _on_duty(session, duty, officer_id)
        if fill.fill_in is None:
            session.delete(row)
        else:
            row.officer_id = fill.fill_in
            session.add(row)
    detail = {
        "officer": officer_id,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "why": reason,
        "fill_ins": [[f.day.isoformat(), f.desk, f.fill_in] for f in plan],
    }
    if days:
        _save(
            session,
            clock,
            policy,
            before=before,
            days=days,
            actor=actor,
            action="roster.absence",
            detail=detail,
        )
    else:
        audit.record(
            session, clock, actor=actor, action="roster.absence", subject=officer_id, detail=detail
        )
        session.commit()
    return plan


def refuse_used(session: Session, duties: Sequence[DutySession]) -> None:
    """Refuse to remove a session that has already served anyone: it is history.

    One query per table for all the sessions, not one per session.
    """
    ids = [d.id for d in duties]
    if not ids:
        return
    served = {
        session_id
        for table in (Visit, Complaint)
        for session_id in session.exec(
            select(table.session_id).where(col(table.session_id).in_(ids)).distinct()
        ).all()
    }
    for duty in duties:
        if duty.id in served:
            raise InvalidInput(
                "the session of {day} has already served citizens; it cannot be removed",
                day=duty.day,
            )


@one_transaction
def close_day(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    *,
    actor: str,
    day: date,
    reason: str,
) -> None:
    """Close the desk on a date (e.g. a city event): a closure, and its session removed."""
    require_coordinator(session, actor)
    reason = _reason(reason)
    check_not_past(clock, policy, day)
    if roster.db_closures(session, policy, day, day):
        raise InvalidInput("the desk is already closed on {day}", day=day)
    duty = session.exec(
        select(DutySession).where(DutySession.site_code == policy.site_code, DutySession.day == day)
    ).first()
    removed: list[list[str]] = []
    kind = "regular"
    if duty is not None:
        refuse_used(session, [duty])
        removed = [
            [a.desk, a.region_code, a.officer_id]
            for a in session.exec(
                select(DutyAssignment)
                .where(DutyAssignment.session_id == duty.id)
                .order_by(DutyAssignment.desk, DutyAssignment.officer_id)
            ).all()
        ]
        kind = duty.kind
        remove_sessions(session, [duty])
    session.add(
        Closure(
            site_code=policy.site_code,
            day=day,
            reason=reason,
            created_at=clock.now(),
            created_by=actor,
        )
    )
    _save(
        session,
        clock,
        policy,
        before=set(),
        days={day},
        actor=actor,
        action="roster.close",
        # The session as it was, so lifting the closure can bring it back.
        detail={"day": day.isoformat(), "why": reason, "removed": removed, "kind": kind},
    )


@one_transaction
def reopen(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    *,
    actor: str,
    day: date,
    why: str,
) -> list[rotation.Assignment]:
    """Lift a closure made with `close_day`: its session comes back, through the same checks.

    The officers it removed return where they still may serve (active, not
    absent since); any other seat goes to the next in turn. A holiday is not
    a closure: a session on one is an extra session (`add_extra`).
    """
    require_coordinator(session, actor)
    why = _reason(why)
    check_not_past(clock, policy, day)
    closure = session.exec(
        select(Closure).where(Closure.site_code == policy.site_code, Closure.day == day)
    ).first()
    if closure is None:
        raise InvalidInput("the desk is not closed on {day}", day=day)
    session.delete(closure)
    session.flush()
    _check_open(session, policy, day)
    before, kind = _closed_session(session, day)
    plan = _restored(session, policy, day, before)
    _store_session(
        session,
        clock,
        policy,
        plan,
        kind,
        actor=actor,
        action="roster.reopen",
        detail={"why": why, "closure": closure.reason},
    )
    return list(plan.assignments)


def _check_open(session: Session, policy: SchedulePolicy, day: date) -> None:
    """Refuse a day on which the policy or a closure allows no session."""
    closed = why_no_session(policy, day, roster.db_closures(session, policy, day, day))
    if closed is not None:
        raise InvalidInput("no session can be added on {day}: {reason}", day=day, reason=closed)


def _store_session(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    plan: rotation.PlannedSession,
    kind: str,
    *,
    actor: str,
    action: str,
    detail: dict[str, Any],
) -> None:
    """Save a session that was not there, audited with who serves in it."""
    roster.ensure_site(session, policy)
    roster.store_planned(session, policy, plan, kind)
    officers_on = [[a.desk, a.officer_id] for a in plan.assignments]
    _save(
        session,
        clock,
        policy,
        before=set(),
        days={plan.day},
        actor=actor,
        action=action,
        detail={"day": plan.day.isoformat(), **detail, "officers": officers_on},
    )


def _closed_session(session: Session, day: date) -> tuple[list[rotation.Assignment], str]:
    """The assignments the latest closure of the day removed, and the session's kind."""
    event = session.exec(
        select(AuditEvent)
        .where(AuditEvent.action == "roster.close", AuditEvent.subject == day.isoformat())
        .order_by(col(AuditEvent.id).desc())
        .limit(1)
    ).first()
    if event is None:
        return [], "regular"
    detail = json.loads(event.detail)
    removed = [rotation.Assignment(*item) for item in detail.get("removed", []) if len(item) == 3]
    return removed, detail.get("kind", "regular")


def _restored(
    session: Session, policy: SchedulePolicy, day: date, before: list[rotation.Assignment]
) -> rotation.PlannedSession:
    """The removed officers who may still serve, the rest of the seats by rotation."""
    pool = {o.id: o for o in roster.pool_officers(session)}
    absent = {a.officer_id for a in roster.absences_between(session, day, day) if a.covers(day)}
    kept = [
        a
        for a in before
        if a.officer_id in pool
        and a.officer_id not in absent
        and pool[a.officer_id].region == a.region
        and policy.desk(a.desk) is not None
    ]
    state = roster.rotation_state(session, policy)
    taken = {a.officer_id for a in kept}
    assignments = list(kept)
    for desk in policy.desks:
        seated = [a for a in kept if a.desk == desk.code]
        if len(seated) >= desk.staff:
            continue
        region = desk.region or (seated[0].region if seated else "")
        if not region:  # mode "regions" without a remembered region: the rotation decides
            (plan,) = rotation.generate(
                policy,
                [day],
                list(pool.values()),
                roster.absences_between(session, day, day),
                state,
            )
            return plan
        candidates = [o for o in pool.values() if o.region == region]
        minimums = {rotation.ASSISTANT: desk.assistants, rotation.SECTION_HEAD: desk.section_heads}
        for officer in rotation.choose(
            candidates, day, desk.staff - len(seated), minimums, absent, taken, state
        ):
            taken.add(officer.id)
            assignments.append(rotation.Assignment(desk.code, region, officer.id))
    return rotation.PlannedSession(day, tuple(assignments))


def remove_sessions(session: Session, duties: Iterable[DutySession]) -> None:
    """Delete sessions with their assignments and overrides (the caller checks use:
    `refuse_used`)."""
    ids = [d.id for d in duties]
    if not ids:
        return
    keys: tuple[tuple[str, Any, Any], ...] = (
        ("duty_override", col(DutyOverride.session_id), col(DutyOverride.id)),
        ("duty_assignment", col(DutyAssignment.session_id), col(DutyAssignment.id)),
        ("duty_session", col(DutySession.id), col(DutySession.id)),
    )
    for table, key, row_key in keys:
        gone = session.scalars(delete(key.table).where(key.in_(ids)).returning(row_key))
        # Core deletes: the audit trail's flush hook does not see them.
        for row_id in list(gone):
            audit.track(session, table, row_id, None)


@one_transaction
def add_extra(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    *,
    actor: str,
    day: date,
    why: str,
) -> None:
    """Add a session on a policy day that has none, staffed by the next in turn."""
    require_coordinator(session, actor)
    why = _reason(why)
    check_not_past(clock, policy, day)
    if roster.session_on(session, policy, day) is not None:
        raise InvalidInput("there is already a session on {day}", day=day)
    _check_open(session, policy, day)
    (plan,) = rotation.generate(
        policy,
        [day],
        roster.pool_officers(session),
        roster.absences_between(session, day, day),
        roster.rotation_state(session, policy),
    )
    _store_session(
        session,
        clock,
        policy,
        plan,
        "extra",
        actor=actor,
        action="roster.extra",
        detail={"why": why},
    )
