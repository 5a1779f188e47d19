"""The roster of a date range as a TOML file, to edit by hand and import again.

The file holds the range's sessions (desk = officers), the desk's own
closures and the officers' absences; the holidays of the range are listed as
comments, so whoever edits it sees why a date has no session. Exporting onto
an existing file updates that document in place (tomlkit), so what a
coordinator wrote in it by hand, comments included, survives.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import tomlkit
from sqlmodel import Session
from tomlkit.items import AoT, Table

from posko.core import rotation
from posko.core.errors import InvalidInput
from posko.core.roster_check import RosterSession, Violation, check_roster
from posko.core.schedule import (
    WEEKDAY_NAMES_ID,
    SchedulePolicy,
    closed_days,
    holidays_between,
)
from posko.services import roster, setup

MAX_FILE_BYTES = 5_000_000
SESSION_KEYS = ("date", "kind", "start", "end", "region")
TRAINING_MARK = "# LATIHAN: data latihan, bukan jadwal resmi."
HOLIDAY_HEADING = "# Libur nasional dan cuti bersama pada hari piket (tidak ada sesi):"
# The holiday lines are ours: rewritten on every export, after the [closures] header.
_HOLIDAY_LINE = re.compile(
    r"^# Libur (nasional dan cuti bersama pada|\d{4}-\d{2}-\d{2} ).*\n", re.M
)


@dataclass(frozen=True)
class RosterDocument:
    """A roster range as it is written to and read from a file."""

    site: str
    start: date
    end: date
    sessions: tuple[RosterSession, ...]
    closures: Mapping[date, str] = field(default_factory=dict)
    absences: tuple[rotation.Absence, ...] = ()
    holidays: Mapping[date, str] = field(default_factory=dict)  # shown as comments only
    training: bool = False


def from_db(session: Session, policy: SchedulePolicy, start: date, end: date) -> RosterDocument:
    return RosterDocument(
        site=policy.site_code,
        start=start,
        end=end,
        sessions=tuple(roster.roster_sessions(session, policy, start, end)),
        closures=roster.db_closures(session, policy, start, end),
        absences=tuple(
            sorted(
                roster.absences_between(session, start, end),
                key=lambda a: (a.start, a.officer_id, a.end),
            )
        ),
        holidays=policy_holidays(policy, start, end),
        training=setup.is_training(session),
    )


def policy_holidays(policy: SchedulePolicy, start: date, end: date) -> dict[date, str]:
    """Holidays and the policy's own closures that fall on a day the desk would sit."""
    found = holidays_between(policy, start, end)
    for day, reason in policy.closures.items():
        if start <= day <= end:
            found[day] = f"{found[day]}; {reason}" if day in found else reason
    return {
        day: name
        for day, name in sorted(found.items())
        if day.weekday() in policy.days or day in policy.extra_dates
    }


def _desks(policy: SchedulePolicy, s: RosterSession) -> dict[str, list[str]]:
    desks: dict[str, list[str]] = {d.code: [] for d in policy.desks}
    for a in s.assignments:
        desks.setdefault(a.desk, []).append(a.officer_id)
    return {code: sorted(ids) for code, ids in desks.items()}


def _session_fields(policy: SchedulePolicy, s: RosterSession) -> dict[str, Any]:
    """The keys of one [[sessions]] table, in file order; defaults left out."""
    fields: dict[str, Any] = {"date": s.day}
    if s.kind != "regular":
        fields["kind"] = s.kind
    if s.start != policy.start:
        fields["start"] = s.start.strftime("%H:%M")
    if s.end != policy.end:
        fields["end"] = s.end.strftime("%H:%M")
    if policy.mode == "regions" and s.assignments:
        fields["region"] = s.assignments[0].region
    fields.update(_desks(policy, s))
    return fields


def _new_table(fields: Mapping[str, Any]) -> Table:
    table = tomlkit.table()
    for key, value in fields.items():
        table.add(key, value)
    table.add(tomlkit.nl())  # a blank line before the next table
    return table


def _session_table(policy: SchedulePolicy, s: RosterSession) -> Table:
    table = _new_table(_session_fields(policy, s))
    # The weekday beside the date, for whoever reads or edits the file.
    table["date"].comment(WEEKDAY_NAMES_ID[s.day.weekday()])
    return table


def _absence_fields(a: rotation.Absence) -> dict[str, Any]:
    return {"officer": a.officer_id, "from": a.start, "to": a.end, "reason": a.reason}


def _update_table(table: Table, fields: Mapping[str, Any]) -> None:
    """Make the table hold exactly these keys, touching only what differs."""
    for key in [k for k in table if k not in fields]:
        del table[key]
    for key, value in fields.items():
        if key not in table or table[key] != value:
            table[key] = value


def _sync_aot(doc: Any, name: str, wanted: list[tuple[Any, Table]], key_of: Any) -> None:
    """Update an array of tables in place: keep, change, insert (in order) or drop."""
    if not wanted:
        if name in doc:
            del doc[name]
        return
    if name not in doc:
        doc.append(name, tomlkit.aot())
    aot: AoT = doc[name]
    by_key = {key: table for key, table in wanted}
    index = 0
    while index < len(aot):
        if key_of(aot[index]) not in by_key:
            del aot[index]
        else:
            index += 1
    present = {key_of(t): i for i, t in enumerate(aot)}
    position = 0
    for key, table in wanted:
        if key in present:
            _update_table(aot[present[key]], dict(table))
            position = present[key] + 1
        else:
            aot.insert(position, table)
            present = {key_of(t): i for i, t in enumerate(aot)}
            position = present[key] + 1


def to_toml(policy: SchedulePolicy, doc: RosterDocument, existing: str | None = None) -> str:
    """The roster as TOML; with `existing`, that document updated in place."""
    if existing is None:
        out = tomlkit.document()
        out.add(tomlkit.comment(f"Jadwal piket {policy.site_name}"))
        out.add(tomlkit.comment("Ditulis oleh posko; muat kembali dengan `posko roster import`."))
        out.add(tomlkit.nl())
    else:
        try:
            out = tomlkit.parse(existing)
        except tomlkit.exceptions.ParseError as error:
            raise InvalidInput(
                "the roster file is not valid TOML: {error}", error=str(error)[:200]
            ) from None
        except RecursionError:
            raise InvalidInput("the roster file is nested too deeply") from None
    tables = {
        "roster": {"site": doc.site, "from": doc.start, "to": doc.end},
        "closures": {d.isoformat(): r for d, r in sorted(doc.closures.items())},
    }
    for name, fields in tables.items():
        if name in out:
            _update_table(out[name], fields)
        else:
            out.add(name, _new_table(fields))
    absences = [
        ((a.officer_id, a.start, a.end), _new_table(_absence_fields(a))) for a in doc.absences
    ]
    _sync_aot(out, "absences", absences, lambda t: (t["officer"], t["from"], t["to"]))
    sessions = [(s.day, _session_table(policy, s)) for s in doc.sessions]
    _sync_aot(out, "sessions", sessions, lambda t: t["date"])
    return _marked(doc, tomlkit.dumps(out))


def _marked(doc: RosterDocument, text: str) -> str:
    """The training mark on top and the holiday comments under [closures], fresh."""
    if doc.training and TRAINING_MARK not in text:
        text = f"{TRAINING_MARK}\n{text}"
    text = _HOLIDAY_LINE.sub("", text)
    if doc.holidays:
        lines = [HOLIDAY_HEADING] + [
            f"# Libur {day.isoformat()} {WEEKDAY_NAMES_ID[day.weekday()]}: {name}"
            for day, name in doc.holidays.items()
        ]
        header = re.search(r"^\[closures\][^\n]*\n", text, re.M)
        at = header.end() if header else len(text)
        text = text[:at] + "\n".join(lines) + "\n" + text[at:]
    return text


def _bad(message: str, **params: object) -> InvalidInput:
    return InvalidInput("the roster file: " + message, **params)


def _as_date(value: Any, where: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise _bad("{where} must be a date like 2026-12-01", where=where)


def _as_time(value: Any, where: str, default: time) -> time:
    if value is None:
        return default
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise _bad("{where} must be a time like 08:00", where=where) from None


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise _bad("{where} must be text", where=where)
    return value


def parse_toml(policy: SchedulePolicy, text: str) -> RosterDocument:
    """Read a roster file, with a message naming the place of every mistake."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(
            "the roster file is not valid TOML: {error}", error=str(error)[:200]
        ) from None
    except RecursionError:
        raise InvalidInput("the roster file is nested too deeply") from None
    head = data.get("roster")
    if not isinstance(head, dict):
        raise _bad("the [roster] table is missing")
    site = _text(head.get("site"), "roster.site")
    if site != policy.site_code:
        raise _bad(
            "it is the roster of site {site}, this desk is {ours}", site=site, ours=policy.site_code
        )
    start = _as_date(head.get("from"), "roster.from")
    end = _as_date(head.get("to"), "roster.to")
    if end < start:
        raise _bad("roster.to is before roster.from")
    closures = {}
    for key, reason in dict(data.get("closures", {})).items():
        try:
            closures[date.fromisoformat(key)] = _text(reason, f"closures.{key}")
        except ValueError:
            raise _bad("closures has a bad date {value}", value=key[:20]) from None
    absences = []
    for index, item in enumerate(data.get("absences", [])):
        where = f"absences[{index}]"
        absences.append(
            rotation.Absence(
                _text(item.get("officer"), f"{where}.officer"),
                _as_date(item.get("from"), f"{where}.from"),
                _as_date(item.get("to"), f"{where}.to"),
                _text(item.get("reason", ""), f"{where}.reason"),
            )
        )
    sessions = []
    seen: set[date] = set()
    for index, item in enumerate(data.get("sessions", [])):
        where = f"sessions[{index}]"
        day = _as_date(item.get("date"), f"{where}.date")
        if not start <= day <= end:
            raise _bad("{where}: {day} is outside the file's range", where=where, day=day)
        if day in seen:
            raise _bad("{where}: a second session on {day}", where=where, day=day)
        seen.add(day)
        kind = _text(item.get("kind", "regular"), f"{where}.kind")
        if kind not in ("regular", "extra"):
            raise _bad("{where}.kind must be regular or extra", where=where)
        region = item.get("region")
        assignments = []
        for desk_code, officers in item.items():
            if desk_code in SESSION_KEYS:
                continue
            desk = policy.desk(desk_code)
            if desk is None:
                raise _bad("{where}: there is no desk {desk}", where=where, desk=desk_code[:16])
            if not isinstance(officers, list):
                raise _bad("{where}.{desk} must be a list of officer ids", where=where, desk=desk)
            desk_region = desk.region or _text(region, f"{where}.region")
            for officer in officers:
                assignments.append(
                    rotation.Assignment(desk_code, desk_region, _text(officer, f"{where}.{desk}"))
                )
        sessions.append(
            RosterSession(
                day,
                _as_time(item.get("start"), f"{where}.start", policy.start),
                _as_time(item.get("end"), f"{where}.end", policy.end),
                tuple(sorted(assignments, key=lambda a: (a.desk, a.officer_id))),
                kind,
            )
        )
    return RosterDocument(
        site, start, end, tuple(sorted(sessions, key=lambda s: s.day)), closures, tuple(absences)
    )


def check_document(
    session: Session, policy: SchedulePolicy, doc: RosterDocument
) -> list[Violation]:
    """The file's roster against the rules, with today's officers from the database."""
    return check_roster(
        policy,
        doc.sessions,
        roster.pool_officers(session),
        doc.absences,
        closed_days(policy, doc.start, doc.end, doc.closures),
    )
