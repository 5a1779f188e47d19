"""Fair rotation of officers through a site's desks.

Each desk draws its officers from a pool (the active duty officers of its
kota). The least-served officer goes next; ties go to whoever served longest
ago, then to the pool's order. So over any range the counts within a pool
differ by at most one, and an absent officer's turn passes to the next in
line, who is caught up with afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from posko.core.schedule import SchedulePolicy

ASSISTANT = "asisten"
SECTION_HEAD = "kepala_bagian"


@dataclass(frozen=True)
class PoolOfficer:
    id: str
    region: str
    rank: str  # ASSISTANT, SECTION_HEAD or "" for others


@dataclass(frozen=True)
class Absence:
    officer_id: str
    start: date
    end: date
    reason: str = ""

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Assignment:
    desk: str
    region: str
    officer_id: str


@dataclass(frozen=True)
class PlannedSession:
    day: date
    assignments: tuple[Assignment, ...]
    shortages: tuple[str, ...] = ()  # desks that could not be fully staffed


@dataclass
class RotationState:
    """What earlier sessions leave behind for the next ones."""

    counts: dict[str, int] = field(default_factory=dict)
    last_served: dict[str, date] = field(default_factory=dict)
    region_turns: int = 0  # sessions held so far in mode "regions"

    def record(self, day: date, officer_id: str) -> None:
        self.counts[officer_id] = self.counts.get(officer_id, 0) + 1
        self.last_served[officer_id] = max(day, self.last_served.get(officer_id, date.min))


def pools(policy: SchedulePolicy, officers: Iterable[PoolOfficer]) -> dict[str, list[PoolOfficer]]:
    """Officers per region, in a stable order."""
    by_region: dict[str, list[PoolOfficer]] = {}
    for officer in sorted(officers, key=lambda o: o.id):
        by_region.setdefault(officer.region, []).append(officer)
    return by_region


def _choose(
    pool: Sequence[PoolOfficer],
    day: date,
    how_many: int,
    minimums: Mapping[str, int],
    absent: set[str],
    taken: set[str],
    state: RotationState,
) -> list[PoolOfficer]:
    available = [o for o in pool if o.id not in absent and o.id not in taken]
    order = {o.id: index for index, o in enumerate(pool)}
    available.sort(
        key=lambda o: (
            state.counts.get(o.id, 0),
            state.last_served.get(o.id, date.min),
            order[o.id],
        )
    )
    chosen: list[PoolOfficer] = []
    for rank, minimum in minimums.items():
        for officer in [o for o in available if o.rank == rank][:minimum]:
            chosen.append(officer)
    for officer in available:
        if len(chosen) >= how_many:
            break
        if officer not in chosen:
            chosen.append(officer)
    return chosen[:how_many]


def generate(
    policy: SchedulePolicy,
    days: Iterable[date],
    officers: Iterable[PoolOfficer],
    absences: Iterable[Absence] = (),
    state: RotationState | None = None,
) -> list[PlannedSession]:
    """Plan sessions for the given dates; `state` carries fairness across calls."""
    state = state if state is not None else RotationState()
    by_region = pools(policy, officers)
    absences = list(absences)
    planned = []
    for day in sorted(days):
        absent = {a.officer_id for a in absences if a.covers(day)}
        taken: set[str] = set()
        assignments: list[Assignment] = []
        shortages: list[str] = []
        for desk in policy.desks:
            if policy.mode == "regions":
                region = policy.rotating_regions[state.region_turns % len(policy.rotating_regions)]
            else:
                region = desk.region or ""
            minimums = {ASSISTANT: desk.assistants, SECTION_HEAD: desk.section_heads}
            chosen = _choose(
                by_region.get(region, []), day, desk.staff, minimums, absent, taken, state
            )
            if len(chosen) < desk.staff:
                shortages.append(desk.code)
            for officer in chosen:
                taken.add(officer.id)
                state.record(day, officer.id)
                assignments.append(Assignment(desk.code, region, officer.id))
        if policy.mode == "regions":
            state.region_turns += 1
        planned.append(PlannedSession(day, tuple(assignments), tuple(shortages)))
    return planned
