"""Published rosters as files: TOML to edit and re-import, ICS calendars, a PDF sheet.

The TOML file is the roster of a date range: its sessions (desk = officers),
the desk's own closures and the officers' absences. Exporting onto an
existing file updates that document in place (tomlkit), so what a
coordinator wrote in it by hand, comments included, survives; importing
replaces the range in the database with the file, after the same checks
the editor applies.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import tomlkit
from sqlmodel import Session, select
from tomlkit.items import AoT, Table

from posko.core import rotation
from posko.core.clock import Clock
from posko.core.errors import InvalidInput
from posko.core.roster_check import RosterSession, Violation, check_roster, errors
from posko.core.schedule import WEEKDAY_NAMES_ID, SchedulePolicy, closed_days, session_window
from posko.services import audit, roster, roster_edit
from posko.services.views import DutyOfficer, OfficerView, SessionView
from posko.store.models import Absence, Closure, DutyAssignment, DutySession, Officer

MAX_FILE_BYTES = 5_000_000
SESSION_KEYS = ("date", "kind", "start", "end", "region")


@dataclass(frozen=True)
class RosterDocument:
    """A roster range as it is written to and read from a file."""

    site: str
    start: date
    end: date
    sessions: tuple[RosterSession, ...]
    closures: Mapping[date, str] = field(default_factory=dict)
    absences: tuple[rotation.Absence, ...] = ()


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
    )


# --- TOML --------------------------------------------------------------------


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
    return tomlkit.dumps(out)


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
            first=gone[0].day.isoformat(),
            last=gone[-1].day.isoformat(),
        )
    for duty in gone:
        if roster_edit.used(session, duty):
            raise InvalidInput(
                "the session of {day} has already served citizens; it cannot be removed",
                day=duty.day.isoformat(),
            )
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


# --- ICS and PDF: the published roster for people ---------------------------


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


def event_uid(day: date, desk: str, officer_id: str) -> str:
    """Stable per turn, so a re-imported calendar updates events, not duplicates them."""
    return f"{day.isoformat()}-{desk}-{officer_id}@posko".lower()


def to_ics(
    policy: SchedulePolicy,
    sessions: list[SessionView],
    clock: Clock,
    region_names: Mapping[str, str],
    *,
    officer_id: str | None = None,
) -> bytes:
    """An RFC 5545 calendar: one event per officer's turn, in the policy's time zone."""
    import icalendar  # ~40 ms to import; only calendar exports need it

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Posko Pengaduan//posko//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Piket {policy.site_name}")
    calendar.add("x-wr-timezone", policy.timezone)
    stamp = clock.now()
    zone = policy.zone
    for s in sessions:
        for o in in_desk_order(policy, s.officers):
            if officer_id is not None and o.id != officer_id:
                continue
            event = icalendar.Event()
            event.add("uid", event_uid(s.day, o.desk, o.id))
            event.add("dtstamp", stamp)
            event.add("dtstart", s.starts_at.astimezone(zone))
            event.add("dtend", s.ends_at.astimezone(zone))
            event.add("summary", f"Piket {desk_label(policy, o, region_names)}: {o.name}")
            event.add("location", policy.site_name)
            event.add(
                "description",
                f"{o.name} ({o.id}), {o.title}. Wilayah: {region_names.get(o.region, o.region)}.",
            )
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


@dataclass(frozen=True)
class SheetRow:
    day: date
    session: SessionView | None  # None: a policy day the desk is closed
    closed: str | None  # the holiday's or closure's name


def sheet_rows(
    policy: SchedulePolicy,
    sessions: list[SessionView],
    closed: Mapping[date, str],
    *,
    officer_id: str | None = None,
) -> list[SheetRow]:
    """Sessions and the policy days without one (holidays, closures), by date."""
    rows = [
        SheetRow(s.day, s, None)
        for s in sessions
        if officer_id is None or any(o.id == officer_id for o in s.officers)
    ]
    rows += [
        SheetRow(day, None, reason)
        for day, reason in closed.items()
        if day.weekday() in policy.days or day in policy.extra_dates
    ]
    return sorted(rows, key=lambda r: r.day)


def to_pdf(
    policy: SchedulePolicy,
    rows: list[SheetRow],
    clock: Clock,
    region_names: Mapping[str, str],
    *,
    officer: OfficerView | None = None,
) -> bytes:
    """The roster as landscape A4 sheets for the notice board, a page per month.

    One row per session and a column per desk, so a month of Monday-Thursday
    sessions fits one page; days the desk is closed are rows that say why.
    """
    # reportlab and Babel's dates cost ~100 ms to import; only the sheet needs them.
    import io
    from xml.sax.saxutils import escape

    from babel.dates import format_date
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    from posko.printing.fonts import load_fonts, printable

    fonts = load_fonts()
    regular, bold = fonts.regular, fonts.bold

    def para(value: str, style: ParagraphStyle) -> Paragraph:
        face = bold if style.fontName == bold.name else regular
        return Paragraph(escape(printable(value, face)), style)

    body = ParagraphStyle("body", fontName=regular.name, fontSize=9.5, leading=11.5)
    strong = ParagraphStyle("strong", parent=body, fontName=bold.name)
    title = ParagraphStyle("title", parent=strong, fontSize=16, leading=20)
    muted = ParagraphStyle("muted", parent=body, fontSize=8, textColor=colors.HexColor("#444444"))
    hours = f"{policy.start.strftime('%H.%M')}–{policy.end.strftime('%H.%M')} WIB"
    weekdays = ", ".join(WEEKDAY_NAMES_ID[d] for d in sorted(policy.days))
    printed = format_date(clock.now().astimezone(policy.zone).date(), "d MMMM y", locale="id")
    page = landscape(A4)
    margin = 12 * mm
    date_width = 46 * mm
    desk_width = (page[0] - 2 * margin - date_width) / len(policy.desks)
    highlight = colors.HexColor("#fff2b3")

    def desk_cell(s: SessionView, desk: str) -> list[Paragraph]:
        """One line per officer: the name, then the id in small grey type."""
        cell = []
        for o in in_desk_order(policy, s.officers):
            if o.desk != desk:
                continue
            desk_policy = policy.desk(desk)
            if desk_policy is not None and desk_policy.region is None:  # regions take turns
                cell.append(para(region_names.get(o.region, o.region), muted))
            name = escape(printable(o.name, regular))
            cell.append(
                Paragraph(f'{name} <font size="7" color="#555555">{escape(o.id)}</font>', body)
            )
        return cell or [para("—", body)]

    months: dict[tuple[int, int], list[SheetRow]] = {}
    for row in rows:
        months.setdefault((row.day.year, row.day.month), []).append(row)
    story: list[Any] = []
    for index, ((year, month), month_rows) in enumerate(sorted(months.items())):
        if index:
            story.append(PageBreak())
        month_name = format_date(date(year, month, 1), "MMMM y", locale="id").title()
        story.append(para(f"Jadwal Piket {month_name}", title))
        subject = f" · Petugas: {officer.name} ({officer.id})" if officer else ""
        story.append(para(f"{policy.site_name} · {weekdays}, pukul {hours}{subject}", body))
        story.append(Spacer(1, 3 * mm))
        # The month in the header row, which repeats if the month runs onto a second page.
        data: list[list[Any]] = [
            [para(month_name, strong)] + [para(d.name, strong) for d in policy.desks]
        ]
        style: list[Any] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#d9d9d9")),
        ]
        for row in month_rows:
            line = len(data)
            day = [para(format_date(row.day, "EEEE, d MMMM", locale="id"), strong)]
            if row.session is None:
                style += [
                    ("SPAN", (1, line), (-1, line)),
                    ("BACKGROUND", (0, line), (-1, line), colors.HexColor("#eeeeee")),
                ]
                data.append(
                    [day, para(f"TUTUP: {row.closed or ''}", strong)]
                    + [""] * (len(policy.desks) - 1)
                )
                continue
            if row.session.kind == "extra":
                day.append(para("sesi tambahan", muted))
            data.append([day, *(desk_cell(row.session, d.code) for d in policy.desks)])
            if officer is not None:
                for column, desk in enumerate(policy.desks, start=1):
                    if any(
                        o.id == officer.id and o.desk == desk.code for o in row.session.officers
                    ):
                        style.append(("BACKGROUND", (column, line), (column, line), highlight))
        table = Table(data, colWidths=[date_width] + [desk_width] * len(policy.desks), repeatRows=1)
        table.setStyle(TableStyle(style))
        story.append(table)
    if not story:
        story.append(para("Tidak ada sesi dalam rentang ini.", body))

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular.name, 8)
        canvas.setFillColor(colors.HexColor("#333333"))
        canvas.drawString(margin, 7 * mm, printable(f"Dicetak {printed} · posko", regular))
        canvas.drawRightString(page[0] - margin, 7 * mm, f"Halaman {document.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=10 * mm,
        bottomMargin=12 * mm,
        title=f"Jadwal Piket {policy.site_name}",
        invariant=1,
    ).build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
