"""Is a roster valid? Every rule a published roster must keep, as plain data.

`check_roster` looks at sessions as they are (from the database or a file)
and returns every violation it finds, never stopping at the first: the
coordinator wants the whole list. Errors make a roster unusable; warnings
(fairness drift) are allowed, since a swap may shift turns on purpose.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time

from posko.core.rotation import ASSISTANT, SECTION_HEAD, Absence, Assignment, PoolOfficer
from posko.core.schedule import SchedulePolicy

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class RosterSession:
    """One session as the check sees it: local date and hours, who sits where."""

    day: date
    start: time  # local time in the policy's zone
    end: time
    assignments: tuple[Assignment, ...]
    kind: str = "regular"  # or "extra": added by a coordinator


@dataclass(frozen=True)
class Violation:
    severity: str  # ERROR or WARNING
    day: date | None
    desk: str | None
    officer: str | None
    msgid: str  # English message id with {placeholders}
    params: dict[str, object] = field(default_factory=dict)

    @property
    def key(self) -> tuple[object, ...]:
        """What identifies the violation, to tell new ones from those already there."""
        return (self.severity, self.day, self.desk, self.officer, self.msgid)


def _session_violations(
    policy: SchedulePolicy,
    s: RosterSession,
    pool: Mapping[str, PoolOfficer],
    absences: Sequence[Absence],
    closed_days: Mapping[date, str],
) -> list[Violation]:
    found: list[Violation] = []

    def error(msgid: str, desk: str | None = None, officer: str | None = None, **params: object):
        found.append(Violation(ERROR, s.day, desk, officer, msgid, params))

    if s.day.weekday() not in policy.days and s.day not in policy.extra_dates:
        error("the desk does not sit on this weekday")
    if s.start != policy.start or s.end != policy.end:
        error(
            "the session runs {start}–{end}, not in the hours {policy_start}–{policy_end}",
            start=s.start.strftime("%H:%M"),
            end=s.end.strftime("%H:%M"),
            policy_start=policy.start.strftime("%H:%M"),
            policy_end=policy.end.strftime("%H:%M"),
        )
    if s.day in closed_days:
        error("the desk is closed on this date: {reason}", reason=closed_days[s.day])
    seen: Counter[str] = Counter(a.officer_id for a in s.assignments)
    for officer_id, times in sorted(seen.items()):
        if times > 1:
            error("the officer is on duty twice on one day", officer=officer_id)
    by_desk: dict[str, list[Assignment]] = {d.code: [] for d in policy.desks}
    for a in s.assignments:
        desk = policy.desk(a.desk)
        if desk is None:
            error("there is no desk {desk} in the policy", desk=a.desk, officer=a.officer_id)
            continue
        by_desk[a.desk].append(a)
        officer = pool.get(a.officer_id)
        if officer is None:
            error("the officer is not an active duty officer", a.desk, a.officer_id)
            continue
        absence = next(
            (x for x in absences if x.officer_id == a.officer_id and x.covers(s.day)), None
        )
        if absence is not None:
            error(
                "the officer is absent ({reason})",
                a.desk,
                a.officer_id,
                reason=absence.reason or "-",
            )
        region = desk.region if desk.region is not None else a.region
        if policy.mode == "regions" and region not in policy.rotating_regions:
            error("region {region} is not in the policy's rotation", a.desk, region=region)
        if officer.region != region:
            error(
                "the officer is from region {officer_region}, the desk serves {region}",
                a.desk,
                a.officer_id,
                officer_region=officer.region,
                region=region,
            )
    for desk in policy.desks:
        seated = [pool[a.officer_id] for a in by_desk[desk.code] if a.officer_id in pool]
        have = len(by_desk[desk.code])
        if have < desk.staff:
            error(
                "the desk has {count} of its {needed} officers",
                desk.code,
                count=have,
                needed=desk.staff,
            )
        for rank, needed, msgid in (
            (ASSISTANT, desk.assistants, "the desk has {count} of its {needed} assistants"),
            (
                SECTION_HEAD,
                desk.section_heads,
                "the desk has {count} of its {needed} section heads",
            ),
        ):
            count = sum(1 for o in seated if o.rank == rank)
            if count < needed:
                error(msgid, desk.code, count=count, needed=needed)
    return found


def _spread(counts: Mapping[str, int]) -> tuple[str, int, str, int] | None:
    """The most and least served, when they differ by more than one."""
    if len(counts) < 2:
        return None
    most = max(sorted(counts), key=lambda k: counts[k])
    least = min(sorted(counts), key=lambda k: counts[k])
    if counts[most] - counts[least] <= 1:
        return None
    return most, counts[most], least, counts[least]


def _unfair(
    counts: Mapping[str, int], msgid: str, *, officer: bool = True, **params: object
) -> list[Violation]:
    """A fairness warning naming the most and least served, when they differ by
    more than one (`officer`: the most served is an officer, not a region)."""
    spread = _spread(counts)
    if spread is None:
        return []
    most, many, least, few = spread
    named = {"most": most, "many": many, "least": least, "few": few}
    return [Violation(WARNING, None, None, most if officer else None, msgid, params | named)]


def _fairness(
    policy: SchedulePolicy, sessions: Sequence[RosterSession], pool: Mapping[str, PoolOfficer]
) -> list[Violation]:
    """Turns per officer within a pool (in all and per weekday), and sessions per
    region, over the range."""
    found: list[Violation] = []
    served: Counter[str] = Counter()
    weekdays: Counter[tuple[str, int]] = Counter()
    region_sessions: Counter[str] = Counter()
    for s in sessions:
        served.update(a.officer_id for a in s.assignments)
        weekdays.update((a.officer_id, s.day.weekday()) for a in s.assignments)
        region_sessions.update({a.region for a in s.assignments})
    session_weekdays = sorted({s.day.weekday() for s in sessions})
    # A pool is the officers of one region and rank: they are interchangeable
    # in the rotation, while the desk's rank minimums may make ranks differ.
    groups: dict[tuple[str, str], dict[str, int]] = {}
    for officer in pool.values():
        groups.setdefault((officer.region, officer.rank), {})[officer.id] = served[officer.id]
    for (region, _rank), counts in sorted(groups.items()):
        found += _unfair(
            counts,
            "unfair turns in {region}: {most} has {many} sessions, {least} has {few}",
            region=region,
        )
        for weekday in session_weekdays:
            found += _unfair(
                {o: weekdays[(o, weekday)] for o in counts},
                "uneven weekdays in {region}: {most} serves {many} times on {weekday}, "
                "{least} {few} times",
                region=region,
                weekday=weekday,
            )
    regions = policy.rotating_regions or tuple(d.region for d in policy.desks if d.region)
    found += _unfair(
        {r: region_sessions[r] for r in regions},
        "unfair turns between regions: {most} serves {many} sessions, {least} serves {few}",
        officer=False,
    )
    return found


def check_roster(
    policy: SchedulePolicy,
    sessions: Iterable[RosterSession],
    officers: Iterable[PoolOfficer],
    absences: Iterable[Absence],
    closed_days: Mapping[date, str],
    *,
    fairness: bool = True,
) -> list[Violation]:
    """Every violation in the sessions, errors by date first, then fairness warnings.

    `officers` are the active duty officers (anyone else on duty is an error);
    `closed_days` the holidays and closures of the range.
    """
    pool = {o.id: o for o in officers}
    absences = list(absences)
    ordered = sorted(sessions, key=lambda s: s.day)
    found: list[Violation] = []
    for s in ordered:
        found.extend(_session_violations(policy, s, pool, absences, closed_days))
    if fairness:
        found.extend(_fairness(policy, ordered, pool))
    return found


def errors(violations: Iterable[Violation]) -> list[Violation]:
    return [v for v in violations if v.severity == ERROR]
