"""Follow-up deadlines in working days (Pergub 128/2017 targets, as reported).

A regional office works Monday to Friday; weekends, Indonesian public holidays
and cuti bersama (the `holidays` package, the policy's categories) do not
count. A deadline is the end of the Nth working day after the day the clock
started, in the site's time zone: handed off on Tuesday, acknowledged by the
end of Wednesday.

`deadline` is the one place a deadline is computed. People read its
`last_day` (the slip, the CLI, every kiosk screen, the status page); rules
compare instants with `ends_at`, the midnight after that day. Showing
`ends_at` to a person reads one day late ("Kamis 00:00" for a deadline that
ends with Wednesday), which is why no screen formats it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from posko.core.errors import InvalidInput
from posko.core.lifecycle import Status

# Working days allowed in each open status, and the status whose latest event
# starts the count: acknowledgement 1 day after handoff (or after a reroute),
# a first response 3 days after acknowledgement, completion 7 days after it.
DEFAULT_DAYS: Mapping[Status, int] = {
    Status.DISERAHKAN: 1,
    Status.DIALIHKAN: 1,
    Status.DITERIMA_WILAYAH: 3,
    Status.DIPROSES: 7,
}
COUNTED_FROM: Mapping[Status, Status] = {
    Status.DISERAHKAN: Status.DISERAHKAN,
    Status.DIALIHKAN: Status.DIALIHKAN,
    Status.DITERIMA_WILAYAH: Status.DITERIMA_WILAYAH,
    Status.DIPROSES: Status.DITERIMA_WILAYAH,
}
DISPUTE_DAYS = 10  # a citizen may dispute a completion this many working days


@dataclass(frozen=True)
class DeadlineRules:
    days: Mapping[Status, int] = field(default_factory=lambda: dict(DEFAULT_DAYS))
    dispute_days: int = DISPUTE_DAYS
    holiday_categories: tuple[str, ...] = ("public", "government")
    timezone: str = "Asia/Jakarta"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def rules_from_dict(
    data: Mapping[str, object],
    *,
    holiday_categories: tuple[str, ...] = ("public", "government"),
    timezone: str = "Asia/Jakarta",
) -> DeadlineRules:
    """Rules from the `[deadlines]` table of the configuration, e.g. `diproses = 10`."""
    days: dict[Status, int] = dict(DEFAULT_DAYS)
    dispute = DISPUTE_DAYS
    for key, value in data.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= 365:
            raise InvalidInput(
                "deadlines.{key} must be a number of working days from 1 to 365", key=key
            )
        if key == "dispute":
            dispute = value
        elif key in {s.value for s in COUNTED_FROM}:
            days[Status(key)] = value
        else:
            raise InvalidInput(
                "deadlines.{key} is not a status with a deadline; one of: {known}",
                key=key,
                known=", ".join([*(s.value for s in COUNTED_FROM), "dispute"]),
            )
    return DeadlineRules(days, dispute, holiday_categories, timezone)


@cache
def _holidays(year: int, categories: tuple[str, ...]) -> frozenset[date]:
    found = holidays.country_holidays("ID", years=year, categories=categories)
    return frozenset(found)


def is_working_day(rules: DeadlineRules, day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year, rules.holiday_categories)


def add_working_days(rules: DeadlineRules, start: date, count: int) -> date:
    """The `count`-th working day after `start` (start itself never counts)."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(rules, day):
            count -= 1
    return day


@dataclass(frozen=True, order=True)
class Deadline:
    ends_at: datetime  # the instant it runs out (UTC): the midnight after last_day
    last_day: date  # the last working day allowed, in the site's time zone: shown

    def passed(self, now: datetime) -> bool:
        return now >= self.ends_at


def deadline(rules: DeadlineRules, started: datetime, days: int) -> Deadline:
    """`days` working days counted from the local day of `started`."""
    last = add_working_days(rules, started.astimezone(rules.zone).date(), days)
    ends = datetime.combine(last + timedelta(days=1), time(0), rules.zone)
    return Deadline(ends.astimezone(UTC), last)


def status_deadline(
    rules: DeadlineRules, status: Status, entered: Mapping[Status, datetime]
) -> Deadline | None:
    """When a complaint in `status` must move on; `entered` maps a status to the
    latest time the complaint entered it. None: no deadline for this status."""
    days = rules.days.get(status)
    anchor = entered.get(COUNTED_FROM.get(status, status))
    if days is None or anchor is None:
        return None
    return deadline(rules, anchor, days)


def dispute_deadline(rules: DeadlineRules, completed: datetime) -> Deadline:
    return deadline(rules, completed, rules.dispute_days)
