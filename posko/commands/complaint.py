"""`posko complaint`: taking, showing and listing complaints."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from posko.commands.base import (
    JsonOption,
    OfficerOption,
    emit,
    parse_day,
    read_json_input,
    runtime,
    safe,
    sign_in,
    wib,
)
from posko.core.errors import InvalidInput
from posko.core.lifecycle import Status
from posko.i18n import _
from posko.services.views import ComplaintView, StatusEventView

if TYPE_CHECKING:
    from posko.core.regions import RegionIndex
    from posko.services.outbox import MessageView

app = typer.Typer(help="Complaints taken at the desk.", no_args_is_help=True)


@app.command()
def add(
    ctx: typer.Context,
    officer: str = typer.Option(..., "--officer", help="Id of the officer on duty."),
    source: str = typer.Option(..., "--file", help="Complaint JSON file, or - for stdin."),
    queue_number: int | None = typer.Option(
        None, "--queue-number", min=1, help="The citizen's queue number, if they took one."
    ),
    confirm_nik: bool = typer.Option(
        False,
        "--confirm-nik",
        help="Accept a Jakarta NIK whose kota or kecamatan code does not exist, after "
        "checking the ID card (the same as reporter.nik_confirmed in the JSON).",
    ),
    as_json: bool = JsonOption,
) -> None:
    """Take a complaint (PIN from POSKO_PIN or a prompt)."""
    from posko.services import access, intake

    rt = runtime(ctx)
    data = read_json_input(source)
    if confirm_nik and isinstance(data, dict) and isinstance(data.get("reporter"), dict):
        data["reporter"]["nik_confirmed"] = True
    with rt.session() as session:
        actor = sign_in(rt, session, officer, access.TAKE_COMPLAINT)
        taken = intake.take_complaint(
            session, rt.clock, rt.policy, officer_id=actor.id, data=data, queue_number=queue_number
        )
    c = taken.complaint
    emit(
        as_json,
        {
            "code": c.code,
            "queue_number": c.queue_number,
            "status": c.status,
            "destination_region": c.destination_region,
            "destination_name": taken.destination_name,
            "created_at": c.created_at,
        },
        lambda: _(
            "Complaint saved: {code}\nQueue number: {number}\nTo: {office}",
            code=c.code,
            number=c.queue_number,
            office=taken.destination_name,
        ),
    )


def complaint_text(
    c: ComplaintView,
    events: list[StatusEventView],
    regions: RegionIndex,
    crm_request_id: str | None = None,
    messages: list[MessageView] | None = None,
) -> str:
    """The complaint as the desk reads it: regions by name, the office by its name."""
    if c.anonymous:
        who = _("anonymous")
    else:
        # Masked unless revealed: `show` masks the view before it gets here.
        who = (
            f"{safe(c.reporter_name)}  NIK {safe(c.reporter_nik)}  "
            f"{_('phone')} {safe(c.reporter_phone)}"
        )
        if c.confidential:
            who += "  (" + _("confidential") + ")"
    lines = [
        f"{c.code}  [{c.status}]",
        f"{_('Taken')}: {wib(c.created_at)}  {_('queue')} {c.queue_number or '-'}  "
        f"{_('officer')} {c.officer_id}",
        f"{_('Category')}: {c.category}   {_('To')}: "
        f"{regions.office_of(c.destination_region)} ({c.destination_region})",
        f"{_('Location')}: "
        + ", ".join(regions.label(code) for code in (c.kelurahan, c.kecamatan, c.kota) if code)
        + (f" — {safe(c.location_address)}" if c.location_address else ""),
        f"{_('Reporter')}: {who}",
        f"{_('Description')}: {safe(c.description)}",
    ]
    if c.duplicate_of:
        lines.append(f"{_('Duplicate of')}: {c.duplicate_of}")
    if c.contact_channel:
        lines.append(
            f"{_('Messages to the citizen')}: {c.contact_channel}  "
            + (
                _("consent withdrawn {at}", at=wib(c.consent_withdrawn_at))
                if c.consent_withdrawn_at
                else _("consent given {at}", at=wib(c.consent_at))
            )
        )
    if c.channel:
        lines.append(f"{_('Channel')}: {safe(c.channel)}")
    if crm_request_id:
        lines.append(f"{_('CRM service_request_id')}: {safe(crm_request_id)}")
    lines.append(_("History") + ":")
    lines.extend(f"  {wib(e.at)}  {e.status:<17} {e.actor:<8} {safe(e.note)}" for e in events)
    if messages:
        lines.append(_("Messages") + ":")
        lines.extend(
            f"  {wib(m.sent_at or m.due_at)}  {m.status:<17} {m.destination:<8} {m.state:<9} "
            f"{safe(m.last_error or '')}".rstrip()
            for m in reversed(messages)
        )
    return "\n".join(lines)


@app.command()
def show(
    ctx: typer.Context,
    code: str,
    reveal: bool = typer.Option(
        False, "--reveal", help="Show the reporter's full identity (needs --officer and PIN)."
    ),
    officer: str | None = typer.Option(None, "--officer", help="Who reveals (audited)."),
    as_json: bool = JsonOption,
) -> None:
    """One complaint with its status history; the reporter's identity masked."""
    from posko.services import access, complaints, outbox, privacy, reference

    if reveal and officer is None:
        raise InvalidInput("--reveal needs --officer (and the officer's PIN)")
    rt = runtime(ctx)
    with rt.session() as session:
        if reveal:
            assert officer is not None
            viewer = sign_in(rt, session, officer, access.REVEAL)
            found = privacy.reveal(session, rt.clock, viewer, code)
        else:
            found = privacy.masked(complaints.get(session, code))
        events = complaints.history(session, found.id)
        crm_request_id = outbox.crm_reference(session, found.id)
        messages = outbox.messages(session, code=found.code)
        regions = reference.regions(session)
    emit(
        as_json,
        {
            "complaint": found,
            "history": events,
            "crm_request_id": crm_request_id,
            "messages": messages,
        },
        lambda: complaint_text(found, events, regions, crm_request_id, messages),
    )


def _summary_line(c: ComplaintView, regions: RegionIndex) -> str:
    """One complaint a line; the office it goes to by its kota's name (16 wide:
    "Kepulauan Seribu"), a code only when the region is not known."""
    region = regions.get(c.destination_region)
    where = region.short_name if region is not None else c.destination_region or "-"
    return (
        f"{c.code}  {wib(c.created_at)}  {c.status:<17} {where:<16} "
        f"{c.category:<12} {safe(c.description)[:50]}"
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    day: str | None = typer.Option(None, "--date", help="Taken on this date (WIB)."),
    region: str | None = typer.Option(
        None,
        "--region",
        help="Destination kota or kabupaten: code or name, e.g. 31.74 or Jakarta Selatan.",
    ),
    status: str | None = typer.Option(None, "--status", help="Status, e.g. diterima."),
    limit: int = typer.Option(50, "--limit", min=1, max=1000, help="At most this many."),
    overdue: bool = typer.Option(
        False, "--overdue", help="Only those past their follow-up deadline, per office."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Complaints, newest first."""
    from posko.services import complaints, privacy, reference

    if overdue:
        from posko.commands.followup import overdue_text
        from posko.services import followup

        rt = runtime(ctx)
        rules = followup.rules_for(rt.settings, rt.policy)
        with rt.session() as session:
            if region is not None:
                region = reference.kota_code(session, region)
            late = followup.overdue(session, rt.clock, rules, region=region)
        emit(as_json, late, lambda: overdue_text(late))
        return

    if status is not None and status not in {s.value for s in Status}:
        raise InvalidInput(
            "unknown status {status}; one of: {known}",
            status=safe(status)[:20],
            known=", ".join(s.value for s in Status),
        )
    rt = runtime(ctx)
    with rt.session() as session:
        if region is not None:
            region = reference.kota_code(session, region)
        found = complaints.list_complaints(
            session,
            rt.policy,
            day=parse_day(day, "--date"),
            region=region,
            status=status,
            limit=limit,
        )
        regions = reference.regions(session)
    rows = [privacy.masked(c) for c in found]  # --json too: identity stays masked
    emit(
        as_json,
        rows,
        lambda: "\n".join(_summary_line(c, regions) for c in rows) or _("No complaints."),
    )


@app.command()
def search(
    ctx: typer.Context,
    query: str,
    officer: str = OfficerOption,
    as_json: bool = JsonOption,
) -> None:
    """The newest 20 complaints matching a name, phone, tracking code or words.

    A search may match the reporter's identity, so it is a reveal: the
    officer's PIN, audited with the codes found; a confidential complaint is
    found only by an officer who may see its reporter.
    """
    from posko.services import access, privacy, reference
    from posko.services import search as search_service

    rt = runtime(ctx)
    with rt.session() as session:
        viewer = sign_in(rt, session, officer, access.SEARCH)
        found = search_service.search_as(session, rt.clock, viewer, query)
        rows = [privacy.masked(c) for c in found]
        regions = reference.regions(session)
    emit(
        as_json,
        rows,
        lambda: "\n".join(_summary_line(c, regions) for c in rows) or _("No complaints found."),
    )
