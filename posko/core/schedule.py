"""A site's schedule policy: days, hours, closures and desks; when intake is open."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from posko.core.errors import InvalidInput

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MODES = ("per_desk", "regions")


@dataclass(frozen=True)
class DeskPolicy:
    code: str
    name: str
    region: str | None  # the kota this desk serves; None: the region rotates
    staff: int = 1  # officers on duty at this desk in every session
    assistants: int = 0  # of whom at least this many assistants
    section_heads: int = 0  # and at least this many section heads


@dataclass(frozen=True)
class SchedulePolicy:
    site_code: str
    site_name: str
    channel: str
    timezone: str
    days: frozenset[int]  # 0 = Monday
    start: time
    end: time
    grace: timedelta  # queue holders are served this long past the end
    queue_opens_before: timedelta  # queue numbers are handed out this early
    holiday_categories: tuple[str, ...]
    closures: Mapping[date, str]
    extra_dates: Mapping[date, str]
    mode: str
    desks: tuple[DeskPolicy, ...]
    rotating_regions: tuple[str, ...] = field(default=())  # mode "regions": the turn order

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def desk(self, code: str) -> DeskPolicy | None:
        return next((d for d in self.desks if d.code == code), None)


def _require(data: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise InvalidInput("schedule policy: {where}.{key} is missing", where=where, key=key)
    return data[key]


def _clock_time(text: Any, where: str) -> time:
    try:
        return time.fromisoformat(str(text))
    except ValueError:
        raise InvalidInput("schedule policy: {where} is not a time (HH:MM)", where=where) from None


def _dates(data: Any, where: str) -> dict[date, str]:
    if not isinstance(data, Mapping):
        raise InvalidInput("schedule policy: {where} must be a table of dates", where=where)
    out = {}
    for key, reason in data.items():
        try:
            out[date.fromisoformat(str(key))] = str(reason)
        except ValueError:
            raise InvalidInput(
                "schedule policy: {where} has a bad date {value}", where=where, value=str(key)[:20]
            ) from None
    return out


def _int(data: Mapping[str, Any], key: str, default: int, where: str) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(
            "schedule policy: {where}.{key} must be a whole number", where=where, key=key
        )
    return value


def policy_from_dict(data: Mapping[str, Any]) -> SchedulePolicy:
    """Build a policy from parsed TOML, with a clear message for every mistake."""
    site = _require(data, "site", "policy")
    hours = _require(data, "hours", "policy")
    calendar = data.get("calendar", {})
    rotation = data.get("rotation", {})
    days = []
    for day in _require(hours, "days", "hours"):
        if str(day).lower()[:3] not in WEEKDAYS:
            raise InvalidInput("schedule policy: unknown day {value}", value=str(day)[:10])
        days.append(WEEKDAYS.index(str(day).lower()[:3]))
    start = _clock_time(_require(hours, "start", "hours"), "hours.start")
    end = _clock_time(_require(hours, "end", "hours"), "hours.end")
    if end <= start:
        raise InvalidInput("schedule policy: hours.end must be after hours.start")
    timezone = str(site.get("timezone", "Asia/Jakarta"))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("schedule policy: unknown time zone {value}", value=timezone) from None
    mode = str(rotation.get("mode", "per_desk"))
    if mode not in MODES:
        raise InvalidInput(
            "schedule policy: rotation.mode must be one of {modes}", modes=", ".join(MODES)
        )
    desks = []
    for index, desk in enumerate(_require(data, "desks", "policy")):
        where = f"desks[{index}]"
        region = desk.get("region")
        staff = _int(desk, "staff", 1, where)
        assistants = _int(desk, "assistants", 0, where)
        section_heads = _int(desk, "section_heads", 0, where)
        if staff < 1 or assistants + section_heads > staff:
            raise InvalidInput(
                "schedule policy: {where} needs staff >= 1 and >= assistants + section_heads",
                where=where,
            )
        desks.append(
            DeskPolicy(
                code=str(_require(desk, "code", where)),
                name=str(desk.get("name", desk["code"])),
                region=str(region) if region not in (None, "", "*") else None,
                staff=staff,
                assistants=assistants,
                section_heads=section_heads,
            )
        )
    if not desks:
        raise InvalidInput("schedule policy: at least one desk is needed")
    if len({d.code for d in desks}) != len(desks):
        raise InvalidInput("schedule policy: desk codes must be unique")
    rotating = tuple(str(r) for r in rotation.get("regions", ()))
    if mode == "regions" and (len(desks) != 1 or not rotating):
        raise InvalidInput("schedule policy: mode 'regions' needs one desk and rotation.regions")
    return SchedulePolicy(
        site_code=str(_require(site, "code", "site")),
        site_name=str(site.get("name", site["code"])),
        channel=str(site.get("channel", "")),
        timezone=timezone,
        days=frozenset(days),
        start=start,
        end=end,
        grace=timedelta(minutes=_int(hours, "grace_minutes", 60, "hours")),
        queue_opens_before=timedelta(
            minutes=_int(hours, "queue_opens_minutes_before", 30, "hours")
        ),
        holiday_categories=tuple(calendar.get("holiday_categories", ("public", "government"))),
        closures=_dates(calendar.get("closures", {}), "calendar.closures"),
        extra_dates=_dates(calendar.get("extra_dates", {}), "calendar.extra_dates"),
        mode=mode,
        desks=tuple(desks),
        rotating_regions=rotating,
    )


def holidays_between(policy: SchedulePolicy, start: date, end: date) -> dict[date, str]:
    """Indonesian public holidays and cuti bersama, named in Indonesian."""
    found = holidays.country_holidays(
        "ID",
        years=range(start.year, end.year + 1),
        categories=policy.holiday_categories,
        language="id",
    )
    return {day: name for day, name in sorted(found.items()) if start <= day <= end}


def closed_days(
    policy: SchedulePolicy,
    start: date,
    end: date,
    extra_closures: Mapping[date, str] | None = None,
) -> dict[date, str]:
    """Every date in the range on which the desk is closed by a holiday or closure."""
    closed = holidays_between(policy, start, end)
    for source in (policy.closures, extra_closures or {}):
        for day, reason in source.items():
            if start <= day <= end:
                closed[day] = f"{closed[day]}; {reason}" if day in closed else reason
    return dict(sorted(closed.items()))


def session_dates(
    policy: SchedulePolicy,
    start: date,
    end: date,
    extra_closures: Mapping[date, str] | None = None,
) -> list[date]:
    """Dates with a session: policy days and extra dates, minus holidays and closures."""
    closed = closed_days(policy, start, end, extra_closures)
    days = []
    day = start
    while day <= end:
        wanted = day.weekday() in policy.days or day in policy.extra_dates
        if wanted and day not in closed:
            days.append(day)
        day += timedelta(days=1)
    return days


def why_no_session(
    policy: SchedulePolicy, day: date, extra_closures: Mapping[date, str] | None = None
) -> str | None:
    """The reason a date has no session (msgid), or None if it is a session day."""
    closed = closed_days(policy, day, day, extra_closures)
    if day in closed:
        return closed[day]
    if day.weekday() not in policy.days and day not in policy.extra_dates:
        return WEEKDAY_NAMES_ID[day.weekday()]
    return None


@dataclass(frozen=True)
class SessionWindow:
    day: date
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC: no new arrivals from here on
    serve_until: datetime  # UTC: queue holders served until here at the latest
    queue_opens_at: datetime  # UTC


def session_window(policy: SchedulePolicy, day: date) -> SessionWindow:
    zone = policy.zone
    starts = datetime.combine(day, policy.start, zone)
    ends = datetime.combine(day, policy.end, zone)
    utc = ZoneInfo("UTC")
    return SessionWindow(
        day=day,
        starts_at=starts.astimezone(utc),
        ends_at=ends.astimezone(utc),
        serve_until=(ends + policy.grace).astimezone(utc),
        queue_opens_at=(starts - policy.queue_opens_before).astimezone(utc),
    )


class Phase(StrEnum):
    BEFORE = "before"  # not yet open
    OPEN = "open"  # intake open to everyone
    GRACE = "grace"  # closed to new arrivals, queue holders still served
    AFTER = "after"  # over


def phase_at(window: SessionWindow, now: datetime, *, closed: bool = False) -> Phase:
    if closed or now >= window.serve_until:
        return Phase.AFTER
    if now < window.starts_at:
        return Phase.BEFORE
    if now < window.ends_at:
        return Phase.OPEN
    return Phase.GRACE


def local_date(policy: SchedulePolicy, now: datetime) -> date:
    return now.astimezone(policy.zone).date()
