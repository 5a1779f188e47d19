"""Fair rotation of officers through a site's desks.

Each desk draws its officers from a pool (the active duty officers of its
kota). The least-served officer goes next; ties go to whoever has served
least on that weekday, then to whoever served longest ago, then to the
pool's order. So over any range the counts within a pool differ by at most
one, each officer's weekdays are shared out as evenly, and an absent
officer's turn passes to the next in line, who is caught up with afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from posko.core.schedule import SchedulePolicy

ASSISTANT = "asisten"
SECTION_HEAD = "kepala_bagian"
LOOKAHEAD = 16  # session days planned ahead: a round of the largest pools


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
    weekdays: dict[tuple[str, int], int] = field(default_factory=dict)  # (officer, weekday)
    last_served: dict[str, date] = field(default_factory=dict)
    region_turns: int = 0  # sessions held so far in mode "regions"

    def record(self, day: date, officer_id: str) -> None:
        self.counts[officer_id] = self.counts.get(officer_id, 0) + 1
        key = (officer_id, day.weekday())
        self.weekdays[key] = self.weekdays.get(key, 0) + 1
        self.last_served[officer_id] = max(day, self.last_served.get(officer_id, date.min))


def pools(policy: SchedulePolicy, officers: Iterable[PoolOfficer]) -> dict[str, list[PoolOfficer]]:
    """Officers per region, in a stable order."""
    by_region: dict[str, list[PoolOfficer]] = {}
    for officer in sorted(officers, key=lambda o: o.id):
        by_region.setdefault(officer.region, []).append(officer)
    return by_region


def _round_plan(
    tier: Sequence[PoolOfficer], slots: Sequence[int], state: RotationState
) -> dict[str, int]:
    """Which officer of the tier should take which slot (an index into `slots`, weekdays).

    The tier (the least-served officers) will serve the coming slots one
    each, whatever the order; the assignment of least cost (the Hungarian
    method) gives each slot an officer who has served little on its weekday,
    a turn above the others' costing far more than two a little above.
    """
    rows = len(slots)
    if not rows:
        return {}

    floor = {w: min(state.weekdays.get((o.id, w), 0) for o in tier) for w in set(slots)}

    def cost(officer: PoolOfficer, weekday: int) -> float:
        return float(len(tier) ** (state.weekdays.get((officer.id, weekday), 0) - floor[weekday]))

    # Rows are slots, columns officers (rows <= columns); potentials u, v;
    # `match[j]` the row of column j, 1-based with column 0 as the free start.
    inf = float("inf")
    u, v = [0.0] * (rows + 1), [0.0] * (len(tier) + 1)
    match, way = [0] * (len(tier) + 1), [0] * (len(tier) + 1)
    for row in range(1, rows + 1):
        match[0], column = row, 0
        least, used = [inf] * (len(tier) + 1), [False] * (len(tier) + 1)
        while match[column]:
            used[column] = True
            current, delta, nxt = match[column], inf, 0
            for j in range(1, len(tier) + 1):
                if used[j]:
                    continue
                reduced = cost(tier[j - 1], slots[current - 1]) - u[current] - v[j]
                if reduced < least[j]:
                    least[j], way[j] = reduced, column
                if least[j] < delta:
                    delta, nxt = least[j], j
            for j in range(len(tier) + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            column = nxt
        while column:
            previous = way[column]
            match[column] = match[previous]
            column = previous
    return {tier[j - 1].id: match[j] - 1 for j in range(1, len(tier) + 1) if match[j]}


def choose(
    pool: Sequence[PoolOfficer],
    day: date,
    how_many: int,
    minimums: Mapping[str, int],
    absent: set[str],
    taken: set[str],
    state: RotationState,
    coming: Sequence[date] = (),
) -> list[PoolOfficer]:
    """The officers for a desk's seats on `day`; `coming` are the session days after it.

    Fewest sessions first, so counts within a pool differ by at most one.
    Among the equally served, the round they are about to serve is planned
    ahead over `day` and `coming` so that each gets the weekdays they have
    had least (8 officers over 4 days a week would otherwise get the same
    weekday again and again); then whoever served longest ago.
    """
    available = [o for o in pool if o.id not in absent and o.id not in taken]
    order = {o.id: index for index, o in enumerate(pool)}
    least = min((state.counts.get(o.id, 0) for o in available), default=0)
    tier = [o for o in available if state.counts.get(o.id, 0) == least]
    slots = [d.weekday() for d in (day, *coming) for _seat in range(how_many)][: len(tier)]
    plan = _round_plan(tier, slots, state)
    weekday = day.weekday()
    available.sort(
        key=lambda o: (
            state.counts.get(o.id, 0),
            0 if plan.get(o.id, how_many) < how_many else 1,  # planned for one of today's seats
            state.weekdays.get((o.id, weekday), 0),
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
    days = sorted(days)
    for position, day in enumerate(days):
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
            chosen = choose(
                by_region.get(region, []),
                day,
                desk.staff,
                minimums,
                absent,
                taken,
                state,
                days[position + 1 : position + 1 + LOOKAHEAD],
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
