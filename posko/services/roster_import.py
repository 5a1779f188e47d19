"""Importing a roster file: the database's roster of its range becomes the file's.

One transaction, refused as a whole when the file breaks a roster rule or
would rewrite history (a past session, or one that already served citizens).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from posko.core import rotation
from posko.core.clock import Clock
from posko.core.errors import InvalidInput
from posko.core.roster_check import RosterSession, errors
from posko.core.schedule import SchedulePolicy, session_window
from posko.services import audit, roster, roster_edit
from posko.services.roster_toml import RosterDocument, check_document
from posko.store.models import Absence, Closure, DutyAssignment, DutySession, Officer


@dataclass(frozen=True)
class ImportSummary:
    added: int
    changed: int
    removed: int


@roster_edit.one_transaction
def import_document(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    doc: RosterDocument,
    *,
    actor: str,
    source: str,
    remove: bool = False,
) -> ImportSummary:
    """Make the database's roster of the file's range what the file says.

    Refused as a whole (RosterRefused) if the file breaks a rule, or if it
    would change a past session or remove one that already served citizens.
    A file that would remove published sessions (a range reaching far past
    its sessions: `to = 9999-12-31`) says how many and is refused unless
    `remove` (`--yes`) confirms it.
    """
    roster_edit.require_coordinator(session, actor)
    problems = errors(check_document(session, policy, doc))
    if problems:
        raise roster_edit.RosterRefused(problems)
    current = {s.day: s for s in roster.roster_sessions(session, policy, doc.start, doc.end)}
    wanted = {s.day: s for s in doc.sessions}
    rows = {
        d.day: d
        for d in session.exec(
            select(DutySession).where(
                DutySession.site_code == policy.site_code,
                DutySession.day >= doc.start,
                DutySession.day <= doc.end,
            )
        ).all()
    }
    changed_days = sorted(
        day for day in current.keys() | wanted.keys() if current.get(day) != wanted.get(day)
    )
    for day in changed_days:
        roster_edit.check_not_past(clock, policy, day)
    gone = [rows[d] for d in changed_days if d not in wanted]
    if gone and not remove:
        raise InvalidInput(
            "the file would remove {count} published sessions ({first} to {last}); "
            "check its range and give --yes to remove them",
            count=len(gone),
            first=gone[0].day,
            last=gone[-1].day,
        )
    roster_edit.refuse_used(session, gone)
    roster_edit.remove_sessions(session, gone)
    added = changed = 0
    for day in changed_days:
        if day not in wanted:
            continue
        s = wanted[day]
        plan = rotation.PlannedSession(day, s.assignments)
        if day in rows:
            _replace_assignments(session, policy, rows[day], s)
            changed += 1
        else:
            duty = roster.store_planned(session, policy, plan, s.kind)
            _set_hours(policy, duty, s)
            added += 1
    _replace_closures(session, clock, policy, doc, actor)
    _replace_absences(session, clock, doc, actor)
    summary = ImportSummary(added, changed, len(gone))
    audit.record(
        session,
        clock,
        actor=actor,
        action="roster.import",
        subject=f"{doc.start.isoformat()}..{doc.end.isoformat()}",
        detail={"file": source, "added": added, "changed": changed, "removed": len(gone)},
    )
    session.commit()
    return summary


def _set_hours(policy: SchedulePolicy, duty: DutySession, s: RosterSession) -> None:
    window = session_window(policy, s.day)
    zone = policy.zone
    duty.starts_at = datetime.combine(s.day, s.start, zone).astimezone(window.starts_at.tzinfo)
    duty.ends_at = datetime.combine(s.day, s.end, zone).astimezone(window.ends_at.tzinfo)
    duty.serve_until = duty.ends_at + policy.grace


def _replace_assignments(
    session: Session, policy: SchedulePolicy, duty: DutySession, s: RosterSession
) -> None:
    for row in session.exec(
        select(DutyAssignment).where(DutyAssignment.session_id == duty.id)
    ).all():
        session.delete(row)
    session.flush()
    for a in s.assignments:
        session.add(
            DutyAssignment(
                session_id=duty.id or 0, desk=a.desk, region_code=a.region, officer_id=a.officer_id
            )
        )
    duty.kind = s.kind
    _set_hours(policy, duty, s)
    session.add(duty)


def _replace_closures(
    session: Session, clock: Clock, policy: SchedulePolicy, doc: RosterDocument, actor: str
) -> None:
    rows = session.exec(
        select(Closure).where(
            Closure.site_code == policy.site_code, Closure.day >= doc.start, Closure.day <= doc.end
        )
    ).all()
    have = {row.day: row for row in rows}
    for day, row in have.items():
        if doc.closures.get(day) != row.reason:
            session.delete(row)
    session.flush()
    for day, reason in doc.closures.items():
        if day not in have or have[day].reason != reason:
            session.add(
                Closure(
                    site_code=policy.site_code,
                    day=day,
                    reason=reason,
                    created_at=clock.now(),
                    created_by=actor,
                )
            )


def _replace_absences(session: Session, clock: Clock, doc: RosterDocument, actor: str) -> None:
    rows = session.exec(
        select(Absence).where(Absence.end >= doc.start, Absence.start <= doc.end)
    ).all()
    wanted = {(a.officer_id, a.start, a.end, a.reason) for a in doc.absences}
    have = set()
    for row in rows:
        key = (row.officer_id, row.start, row.end, row.reason)
        if key in wanted and key not in have:
            have.add(key)
        else:
            session.delete(row)
    for officer_id, start, end, reason in sorted(wanted - have):
        if session.get(Officer, officer_id) is None:
            raise InvalidInput("the roster file: no officer {officer}", officer=officer_id)
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
