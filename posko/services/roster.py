"""The duty roster: generating sessions and reading who is on duty."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from functools import cache

from sqlalchemy import insert
from sqlmodel import Session, col, func, select

from posko.core import rotation
from posko.core.clock import Clock
from posko.core.roster_check import ERROR, RosterSession, Violation, check_roster
from posko.core.schedule import SchedulePolicy, closed_days, session_dates, session_window
from posko.i18n import _, long_date
from posko.services import audit, reference
from posko.services.views import DutyOfficer, SessionView
from posko.store.models import (
    Absence,
    Closure,
    DutyAssignment,
    DutySession,
    Officer,
    Site,
)


def ensure_site(session: Session, policy: SchedulePolicy) -> None:
    site = session.get(Site, policy.site_code)
    if site is None:
        session.add(Site(code=policy.site_code, name=policy.site_name, channel=policy.channel))
    else:
        site.name, site.channel = policy.site_name, policy.channel
        session.add(site)


def db_closures(
    session: Session, policy: SchedulePolicy, start: date, end: date
) -> dict[date, str]:
    rows = session.exec(
        select(Closure).where(
            Closure.site_code == policy.site_code, Closure.day >= start, Closure.day <= end
        )
    ).all()
    return {row.day: row.reason for row in rows}


def pool_officers(session: Session) -> list[rotation.PoolOfficer]:
    rows = session.exec(select(Officer).where(Officer.role == "duty", Officer.active)).all()
    return [rotation.PoolOfficer(o.id, o.region_code, o.rank) for o in rows]


def absences_between(session: Session, start: date, end: date) -> list[rotation.Absence]:
    rows = session.exec(select(Absence).where(Absence.end >= start, Absence.start <= end)).all()
    return [rotation.Absence(a.officer_id, a.start, a.end, a.reason) for a in rows]


def rotation_state(session: Session, policy: SchedulePolicy) -> rotation.RotationState:
    """Counts and last turns from every session already on the roster."""
    state = rotation.RotationState()
    rows = session.exec(
        select(DutySession.day, DutyAssignment.officer_id)
        .join(DutyAssignment, col(DutyAssignment.session_id) == col(DutySession.id))
        .where(DutySession.site_code == policy.site_code)
    ).all()
    for day, officer_id in rows:
        state.record(day, officer_id)
    if policy.mode == "regions":
        state.region_turns = len(
            session.exec(
                select(DutySession.id).where(DutySession.site_code == policy.site_code)
            ).all()
        )
    return state


def generate(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    *,
    start: date,
    end: date,
    actor: str = "sistem",
) -> list[SessionView]:
    """Create sessions for the policy dates in the range that have none yet.

    Dates that already have a session keep it unchanged: published sessions
    change only through the roster editor, so running this again is safe.
    """
    ensure_site(session, policy)
    existing = set(
        session.exec(
            select(DutySession.day).where(
                DutySession.site_code == policy.site_code,
                DutySession.day >= start,
                DutySession.day <= end,
            )
        ).all()
    )
    wanted = [
        d
        for d in session_dates(policy, start, end, db_closures(session, policy, start, end))
        if d not in existing
    ]
    planned = rotation.generate(
        policy,
        wanted,
        pool_officers(session),
        absences_between(session, start, end),
        rotation_state(session, policy),
    )
    created = _insert_planned(session, policy, planned)
    if created:
        audit.record(
            session,
            clock,
            actor=actor,
            action="roster.generate",
            subject=policy.site_code,
            detail={"from": start.isoformat(), "to": end.isoformat(), "sessions": len(created)},
        )
    session.commit()
    return sessions_between(session, policy, start, end) if created else []


def store_planned(
    session: Session, policy: SchedulePolicy, plan: rotation.PlannedSession, kind: str
) -> DutySession:
    """Save one planned session with its assignments (the caller commits)."""
    duty = DutySession(**_session_values(policy, plan, kind))
    session.add(duty)
    session.flush()
    session.add_all(DutyAssignment(**values) for values in _assignment_values(duty.id, plan))
    return duty


def _insert_planned(
    session: Session, policy: SchedulePolicy, planned: list[rotation.PlannedSession]
) -> list[int]:
    """Insert many planned sessions and their assignments; their ids, in order.

    Two multi-row Core INSERTs instead of an ORM object and a flush per session:
    building and flushing ~1,200 SQLModel objects made a year of roster cost
    ~650 ms, far over the 200 ms it may take with the check.
    """
    if not planned:
        return []
    kinds = ["extra" if plan.day in policy.extra_dates else "regular" for plan in planned]
    sessions = [_session_values(policy, p, kind) for p, kind in zip(planned, kinds, strict=True)]
    ids = list(
        session.scalars(
            insert(DutySession).returning(col(DutySession.id), sort_by_parameter_order=True),
            sessions,
        )
    )
    assignments = [
        values
        for session_id, plan in zip(ids, planned, strict=True)
        for values in _assignment_values(session_id, plan)
    ]
    assignment_ids = session.scalars(
        insert(DutyAssignment).returning(col(DutyAssignment.id), sort_by_parameter_order=True),
        assignments,
    )
    # Core writes: the audit trail's flush hook does not see them.
    for row_id, values in zip(ids, sessions, strict=True):
        audit.track(session, "duty_session", row_id, {**values, "id": row_id})
    for row_id, values in zip(assignment_ids, assignments, strict=True):
        audit.track(session, "duty_assignment", row_id, {**values, "id": row_id})
    return [session_id or 0 for session_id in ids]  # RETURNING a primary key: never NULL


def _session_values(
    policy: SchedulePolicy, plan: rotation.PlannedSession, kind: str
) -> dict[str, object]:
    window = session_window(policy, plan.day)
    return {
        "site_code": policy.site_code,
        "day": plan.day,
        "starts_at": window.starts_at,
        "ends_at": window.ends_at,
        "serve_until": window.serve_until,
        "kind": kind,
        "queue_counter": 0,
    }


def _assignment_values(session_id: int | None, plan: rotation.PlannedSession) -> list[dict]:
    return [
        {
            "session_id": session_id,
            "desk": assignment.desk,
            "region_code": assignment.region,
            "officer_id": assignment.officer_id,
        }
        for assignment in plan.assignments
    ]


def sessions_between(
    session: Session, policy: SchedulePolicy, start: date, end: date
) -> list[SessionView]:
    rows = session.exec(
        select(DutySession)
        .where(
            DutySession.site_code == policy.site_code,
            DutySession.day >= start,
            DutySession.day <= end,
        )
        .order_by(DutySession.day)
    ).all()
    return _views(session, list(rows))


def session_on(session: Session, policy: SchedulePolicy, day: date) -> SessionView | None:
    found = sessions_between(session, policy, day, day)
    return found[0] if found else None


def next_session_after(session: Session, policy: SchedulePolicy, day: date) -> SessionView | None:
    row = session.exec(
        select(DutySession)
        .where(DutySession.site_code == policy.site_code, DutySession.day > day)
        .order_by(DutySession.day)
        .limit(1)
    ).first()
    return _views(session, [row])[0] if row is not None else None


def _views(session: Session, rows: list[DutySession]) -> list[SessionView]:
    if not rows:
        return []
    ids = [row.id for row in rows]
    # Plain columns, not ORM entities: building two entities per assignment
    # was the larger part of generating a year of roster.
    duty = session.exec(
        select(
            DutyAssignment.session_id,
            Officer.id,
            Officer.name,
            Officer.title,
            DutyAssignment.region_code,
            DutyAssignment.desk,
        )
        .join(Officer, col(Officer.id) == col(DutyAssignment.officer_id))
        .where(col(DutyAssignment.session_id).in_(ids))
        .order_by(DutyAssignment.desk, DutyAssignment.officer_id)
    ).all()
    officers: dict[int, list[DutyOfficer]] = defaultdict(list)
    for session_id, officer_id, name, title, region, desk in duty:
        officers[session_id].append(DutyOfficer(officer_id, name, title, region, desk))
    return [
        SessionView(
            id=row.id or 0,
            day=row.day,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            serve_until=row.serve_until,
            kind=row.kind,
            closed_at=row.closed_at,
            officers=tuple(officers[row.id or 0]),
        )
        for row in rows
    ]


def published_range(session: Session, policy: SchedulePolicy) -> tuple[date, date] | None:
    """First and last date with a session on the roster, if any."""
    first, last = session.exec(
        select(func.min(DutySession.day), func.max(DutySession.day)).where(
            DutySession.site_code == policy.site_code
        )
    ).one()
    return (first, last) if first is not None else None


def roster_sessions(
    session: Session, policy: SchedulePolicy, start: date, end: date
) -> list[RosterSession]:
    """The sessions of the range as the roster check sees them."""
    rows = session.exec(
        select(DutySession, DutyAssignment)
        .join(
            DutyAssignment,
            col(DutyAssignment.session_id) == col(DutySession.id),
            isouter=True,
        )
        .where(
            DutySession.site_code == policy.site_code,
            DutySession.day >= start,
            DutySession.day <= end,
        )
        .order_by(DutySession.day, DutyAssignment.desk, DutyAssignment.officer_id)
    ).all()
    found: dict[date, tuple[DutySession, list[rotation.Assignment]]] = {}
    for duty, assignment in rows:
        _, assignments = found.setdefault(duty.day, (duty, []))
        if assignment is not None:
            assignments.append(
                rotation.Assignment(assignment.desk, assignment.region_code, assignment.officer_id)
            )
    zone = policy.zone
    return [
        RosterSession(
            day,
            duty.starts_at.astimezone(zone).time(),
            duty.ends_at.astimezone(zone).time(),
            tuple(assignments),
            duty.kind,
        )
        for day, (duty, assignments) in found.items()
    ]


def check(
    session: Session,
    policy: SchedulePolicy,
    start: date,
    end: date,
    *,
    fairness: bool = True,
) -> list[Violation]:
    """Every violation of the roster in the range, as `posko roster check` lists them."""
    return check_roster(
        policy,
        roster_sessions(session, policy, start, end),
        pool_officers(session),
        absences_between(session, start, end),
        closed_days(policy, start, end, db_closures(session, policy, start, end)),
        fairness=fairness,
    )


@cache
def _kota_names() -> dict[str, str]:
    """Kota names by code from the reference data, so a message says "Jakarta Utara"."""
    return {r.code: r.short_name for r in reference.read_regions() if r.level == "kota"}


def _weekday_name(weekday: int) -> str:
    from babel.dates import get_day_names  # ~30 ms; only a weekday warning needs it

    from posko.i18n import language

    return str(get_day_names("wide", locale=language())[weekday])


def describe(violation: Violation) -> str:
    """One violation in words, in the user's language, with where it is."""
    where = " ".join(
        part
        for part in (
            long_date(violation.day) if violation.day else "",
            violation.desk or "",
            violation.officer or "",
        )
        if part
    )
    names = _kota_names()
    params = {
        key: f"{names[value]} ({value})" if isinstance(value, str) and value in names else value
        for key, value in violation.params.items()
    }
    if "weekday" in params:  # a number in the rule, a name in the user's language
        params["weekday"] = _weekday_name(int(params["weekday"]))
    text = _(violation.msgid, **params)
    severity = _("error") if violation.severity == ERROR else _("warning")
    return f"{where}: {severity}: {text}" if where else f"{severity}: {text}"


def desk_label(
    policy: SchedulePolicy, officer: DutyOfficer, region_names: Mapping[str, str]
) -> str:
    """The desk's name; when regions rotate through it, the region's name too."""
    desk = policy.desk(officer.desk)
    if desk is None:
        return officer.desk
    if desk.region is None:
        return f"{desk.name} — {region_names.get(officer.region, officer.region)}"
    return desk.name


def in_desk_order(policy: SchedulePolicy, officers: tuple[DutyOfficer, ...]) -> list[DutyOfficer]:
    order = {d.code: index for index, d in enumerate(policy.desks)}
    return sorted(officers, key=lambda o: (order.get(o.desk, len(order)), o.id))


def region_names(session: Session) -> dict[str, str]:
    """Kota names by code, as the roster shows them ('Jakarta Pusat')."""
    return {r.code: r.short_name for r in reference.regions(session).of_level("kota")}
