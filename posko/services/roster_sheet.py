"""The printed roster: the range's sessions, closed days and what changed, for the sheet."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from posko.core.clock import Clock
from posko.core.schedule import WEEKDAY_NAMES_ID, SchedulePolicy, closed_days, local_date
from posko.printing import roster_sheet
from posko.services import roster, roster_history, setup
from posko.services.views import DutyOfficer
from posko.store.models import Officer


def render(
    session: Session,
    clock: Clock,
    policy: SchedulePolicy,
    start: date,
    end: date,
    *,
    officer_id: str | None = None,
) -> bytes:
    """The roster of the range as landscape A4 (printing.roster_sheet); one officer's
    sessions only (their desk highlighted) when `officer_id` is given."""
    names = dict(session.exec(select(Officer.id, Officer.name)).all())
    regions = roster.region_names(session)
    notes = roster_history.notes_by_day(
        roster_history.history(session, start=start, end=end), names
    )
    closed = closed_days(policy, start, end, roster.db_closures(session, policy, start, end))
    rows: list[roster_sheet.SheetRow] = []
    on_sheet: dict[str, DutyOfficer] = {}
    for s in roster.sessions_between(session, policy, start, end):
        if officer_id is not None and all(o.id != officer_id for o in s.officers):
            continue
        on_sheet |= {o.id: o for o in s.officers if officer_id in (None, o.id)}
        desks = []
        for desk in policy.desks:
            desks.append(
                tuple(
                    roster_sheet.SheetOfficer(
                        name=o.name,
                        region=regions.get(o.region, o.region) if desk.region is None else None,
                        highlighted=o.id == officer_id,
                    )
                    for o in roster.in_desk_order(policy, s.officers)
                    if o.desk == desk.code
                )
            )
        rows.append(
            roster_sheet.SheetRow(
                day=s.day,
                desks=tuple(desks),
                extra=s.kind == "extra",
                note="; ".join(notes.get(s.day, [])),
            )
        )
    rows += [
        roster_sheet.SheetRow(day=day, desks=None, closed=reason)
        for day, reason in closed.items()
        if day.weekday() in policy.days or day in policy.extra_dates
    ]
    subject = None
    if officer_id is not None:
        officer = session.get(Officer, officer_id)
        subject = officer.name if officer else officer_id
    desk_names = {d.code: d.name for d in policy.desks}
    sheet = roster_sheet.RosterSheet(
        site_name=policy.site_name,
        weekdays=", ".join(WEEKDAY_NAMES_ID[d] for d in sorted(policy.days)),
        hours=f"{policy.start.strftime('%H.%M')}–{policy.end.strftime('%H.%M')} WIB",
        desks=tuple(d.name for d in policy.desks),
        rows=tuple(sorted(rows, key=lambda r: r.day)),
        printed=local_date(policy, clock.now()),
        subject=subject,
        training=setup.is_training(session),
        officers=tuple(
            (desk_names.get(o.desk, o.desk), o.name, o.title)
            for o in roster.in_desk_order(policy, tuple(on_sheet.values()))
        ),
    )
    return roster_sheet.render(sheet)
