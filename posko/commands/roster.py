"""`posko roster`: generating and showing the duty roster."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import typer

from posko.commands.base import (
    ForceOption,
    JsonOption,
    emit,
    parse_day,
    runtime,
    safe,
    sign_in,
    wib,
)
from posko.core.clock import to_wib
from posko.core.errors import InvalidInput
from posko.core.schedule import local_date
from posko.files import write_private
from posko.i18n import _, long_date
from posko.services.views import SessionView

if TYPE_CHECKING:
    from sqlmodel import Session

    from posko.runtime import Runtime

app = typer.Typer(help="The duty roster of the desk.", no_args_is_help=True)


def roster_json(sessions: list[SessionView]) -> list[dict[str, object]]:
    return [
        {
            "id": s.id,
            "date": s.day.isoformat(),
            "start": to_wib(s.starts_at).isoformat(),
            "end": to_wib(s.ends_at).isoformat(),
            "kind": s.kind,
            "closed": s.closed_at is not None,
            "officers": [
                {"id": o.id, "name": o.name, "title": o.title, "region": o.region, "desk": o.desk}
                for o in s.officers
            ],
        }
        for s in sessions
    ]


def roster_text(sessions: list[SessionView]) -> str:
    if not sessions:
        return _("No sessions in this range.")
    lines = []
    for s in sessions:
        lines.append(
            f"{long_date(s.day)} {wib(s.starts_at, '%H.%M')}–{wib(s.ends_at, '%H.%M')}".replace(
                " WIB–", "–"
            )
        )
        lines.extend(
            f"  {o.desk:<3} {o.id:<7} {safe(o.name)} — {safe(o.title)}" for o in s.officers
        )
    return "\n".join(lines)


@app.command()
def generate(
    ctx: typer.Context,
    start: str = typer.Option(..., "--from", help="First date, YYYY-MM-DD."),
    end: str = typer.Option(..., "--to", help="Last date, YYYY-MM-DD."),
    by: str = typer.Option(
        ..., "--by", help="Id of the rota coordinator publishing it (PIN from POSKO_PIN)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Plan sessions for dates without one; existing sessions stay as they are."""
    from posko.services import roster

    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    assert first is not None and last is not None
    if last < first:
        raise InvalidInput("--to must not be before --from")
    if (last - first).days > 3 * 366:
        raise InvalidInput("generate at most three years at once")
    with _coordinator(ctx, by) as (rt, session):
        created = roster.generate(
            session, rt.clock, rt.policy, start=first, end=last, actor=by.strip().upper()
        )
    emit(
        as_json,
        roster_json(created),
        lambda: _("{count} sessions created.", count=len(created)) + "\n" + roster_text(created),
    )


@app.command()
def show(
    ctx: typer.Context,
    day: str | None = typer.Option(None, "--date", help="One date, YYYY-MM-DD."),
    start: str | None = typer.Option(None, "--from", help="First date (default: today)."),
    end: str | None = typer.Option(None, "--to", help="Last date (default: four weeks on)."),
    as_json: bool = JsonOption,
) -> None:
    """The sessions and the officers on duty at each desk."""
    from posko.services import roster

    rt = runtime(ctx)
    if day is not None and (start or end):
        raise InvalidInput("give either --date or --from/--to")
    today = local_date(rt.policy, rt.clock.now())
    first = parse_day(day or start, "--date" if day else "--from") or today
    last = parse_day(day or end, "--date" if day else "--to") or first + timedelta(days=27)
    with rt.session() as session:
        sessions = roster.sessions_between(session, rt.policy, first, last)
    emit(as_json, roster_json(sessions), lambda: roster_text(sessions))


ByOption = typer.Option(..., "--by", help="Id of the rota coordinator making the change.")
WhyOption = typer.Option(..., "--why", help="Why the roster changes (kept in the history).")


@contextmanager
def _coordinator(ctx: typer.Context, officer_id: str) -> Iterator[tuple[Runtime, Session]]:
    """The runtime and an open session, after the coordinator's PIN (POSKO_PIN or a prompt)."""
    from posko.services import access

    rt = runtime(ctx)
    with rt.session() as session:
        sign_in(rt, session, officer_id, access.EDIT_ROSTER)
        yield rt, session


def _day(text: str, name: str):  # type: ignore[no-untyped-def]
    value = parse_day(text, name)
    assert value is not None
    return value


def _range(ctx: typer.Context, start: str | None, end: str | None):  # type: ignore[no-untyped-def]
    """--from/--to, each defaulting to the first/last date on the roster."""
    from posko.services import roster

    rt = runtime(ctx)
    with rt.session() as session:
        published = roster.published_range(session, rt.policy)
    first = parse_day(start, "--from") or (published[0] if published else None)
    last = parse_day(end, "--to") or (published[1] if published else None)
    if first is None or last is None:
        raise InvalidInput("the roster is empty; generate it first or give --from and --to")
    if last < first:
        raise InvalidInput("--to must not be before --from")
    return first, last


@app.command()
def check(
    ctx: typer.Context,
    file: str | None = typer.Argument(None, help="A roster TOML file (default: the database)."),
    start: str | None = typer.Option(None, "--from", help="First date (default: published)."),
    end: str | None = typer.Option(None, "--to", help="Last date (default: published)."),
) -> None:
    """List every rule the roster breaks; exit 1 if any error."""
    from posko.core.roster_check import errors
    from posko.services import roster, roster_toml

    rt = runtime(ctx)
    if file is not None:
        doc = roster_toml.parse_toml(rt.policy, _read_text(file))
        with rt.session() as session:
            violations = roster_toml.check_document(session, rt.policy, doc)
        count = len(doc.sessions)
    else:
        first, last = _range(ctx, start, end)
        with rt.session() as session:
            violations = roster.check(session, rt.policy, first, last)
            count = len(roster.roster_sessions(session, rt.policy, first, last))
    for violation in violations:
        typer.echo(safe(roster.describe(violation)))
    bad = errors(violations)
    if bad:
        typer.echo(_("{count} errors in {sessions} sessions.", count=len(bad), sessions=count))
        raise typer.Exit(1)
    if violations:  # only fairness warnings: allowed, since swaps shift turns on purpose
        typer.echo(
            _(
                "No errors, {count} warnings in {sessions} sessions.",
                count=len(violations),
                sessions=count,
            )
        )
        return
    typer.echo(_("The roster keeps every rule: {sessions} sessions.", sessions=count))


def _read_text(path: str) -> str:
    from pathlib import Path

    from posko.services.roster_toml import MAX_FILE_BYTES

    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise InvalidInput(
            "cannot read {path}: {error}", path=safe(path), error=error.strerror or str(error)
        ) from None
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidInput("the input is larger than {limit} bytes", limit=MAX_FILE_BYTES)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("the input is not valid UTF-8 text") from None


@app.command()
def export(
    ctx: typer.Context,
    fmt: str = typer.Option(..., "--format", help="toml, ics or pdf."),
    out: str = typer.Option(..., "--out", help="The file to write (TOML: updated in place)."),
    start: str | None = typer.Option(None, "--from", help="First date (default: published)."),
    end: str | None = typer.Option(None, "--to", help="Last date (default: published)."),
    officer: str | None = typer.Option(None, "--officer", help="Only this officer (ics, pdf)."),
    cancellations: bool = typer.Option(
        False,
        "--cancellations",
        help="ics: only the cancelled turns, as an iTIP CANCEL message (METHOD:CANCEL).",
    ),
    force: bool = ForceOption,
) -> None:
    """Write the roster as TOML (to edit and import), ICS calendars or a PDF sheet.

    An ICS file carries every change since the last export: changed turns with
    a higher SEQUENCE, removed ones as cancelled, so a calendar that imports it
    over an older one shows exactly the roster of now. An existing ICS or PDF
    file is replaced only with --force; a TOML file is updated in place, keeping
    its comments.
    """
    from pathlib import Path

    from posko.services import officers, roster_ics, roster_sheet, roster_toml

    if fmt not in ("toml", "ics", "pdf"):
        raise InvalidInput("--format must be toml, ics or pdf")
    if fmt == "toml" and officer is not None:
        raise InvalidInput("--officer applies to ics and pdf; a TOML roster is the whole desk")
    if cancellations and fmt != "ics":
        raise InvalidInput("--cancellations applies to ics only")
    rt = runtime(ctx)
    first, last = _range(ctx, start, end)
    path = Path(out)
    with rt.session() as session:
        if officer is not None and officers.get(session, officer) is None:
            raise InvalidInput("no officer {officer}", officer=safe(officer))
        if fmt == "toml":
            doc = roster_toml.from_db(session, rt.policy, first, last)
            existing = _read_text(out) if path.exists() else None
            data = roster_toml.to_toml(rt.policy, doc, existing).encode("utf-8")
        elif fmt == "ics":
            data = roster_ics.export(
                session,
                rt.clock,
                rt.policy,
                first,
                last,
                officer_id=officer,
                method="CANCEL" if cancellations else None,
            )
        else:
            data = roster_sheet.render(
                session, rt.clock, rt.policy, first, last, officer_id=officer
            )
    # A TOML roster is merged into the file it updates (its comments kept): that
    # is the asking; a calendar or a sheet replaces a file only with --force.
    write_private(path, data, replace=force or fmt == "toml")
    typer.echo(
        _(
            "Roster {start} to {end} written to {path}.",
            start=long_date(first),
            end=long_date(last),
            path=out,
        )
    )


@app.command("import")
def import_(
    ctx: typer.Context,
    file: str = typer.Argument(..., help="A roster TOML file."),
    by: str = ByOption,
    yes: bool = typer.Option(
        False, "--yes", help="Confirm removing the published sessions the file leaves out."
    ),
) -> None:
    """Make the database's roster of the file's range what the file says."""
    from posko.services import roster_import, roster_toml

    text = _read_text(file)
    with _coordinator(ctx, by) as (rt, session):
        doc = roster_toml.parse_toml(rt.policy, text)
        summary = roster_import.import_document(
            session, rt.clock, rt.policy, doc, actor=by, source=file, remove=yes
        )
    typer.echo(
        _(
            "Roster imported: {added} sessions added, {changed} changed, {removed} removed.",
            added=summary.added,
            changed=summary.changed,
            removed=summary.removed,
        )
    )


def _instant(text: str | None, option: str) -> datetime | None:
    """A date (its start, WIB) or an ISO-8601 date and time."""
    from posko.core.clock import JAKARTA, parse_instant

    if text is None:
        return None
    try:
        if len(text.strip()) == 10:
            return datetime.combine(date.fromisoformat(text.strip()), datetime.min.time(), JAKARTA)
        return parse_instant(text)
    except ValueError:
        raise InvalidInput(
            "{option} must be a date YYYY-MM-DD or a date and time, not {value}",
            option=option,
            value=safe(text)[:30],
        ) from None


@app.command()
def history(
    ctx: typer.Context,
    start: str | None = typer.Option(None, "--from", help="Changes to sessions from this date."),
    end: str | None = typer.Option(None, "--to", help="Changes to sessions up to this date."),
    changed_since: str | None = typer.Option(
        None, "--changed-since", help="Only changes made since then (date or ISO-8601 time)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Every change to the roster: when, who, what and why."""
    import json

    from posko.services import roster_history

    rt = runtime(ctx)
    since = _instant(changed_since, "--changed-since")
    with rt.session() as session:
        events = roster_history.history(
            session,
            start=parse_day(start, "--from"),
            end=parse_day(end, "--to"),
            changed_since=since,
        )
    emit(
        as_json,
        events,
        lambda: (
            "\n".join(
                f"{wib(e.at)}  {e.actor:<8} {e.action:<16} {safe(e.subject)}  "
                f"{safe(json.dumps(e.detail, ensure_ascii=False, sort_keys=True))}"
                for e in events
            )
            or _("No roster changes in this range.")
        ),
    )


@app.command()
def assign(
    ctx: typer.Context,
    day: str = typer.Argument(..., help="Date of the session, YYYY-MM-DD."),
    desk: str = typer.Argument(..., help="Desk code, e.g. JP."),
    officer: str = typer.Argument(..., help="Officer to put on duty."),
    instead_of: str | None = typer.Option(None, "--instead-of", help="In this officer's place."),
    by: str = ByOption,
    why: str = WhyOption,
) -> None:
    """Put an officer on duty at a desk in one session."""
    from posko.services import roster_edit

    with _coordinator(ctx, by) as (rt, session):
        roster_edit.assign(
            session,
            rt.clock,
            rt.policy,
            actor=by,
            day=_day(day, "DATE"),
            desk=desk,
            officer_id=officer,
            why=why,
            instead_of=instead_of,
        )
    typer.echo(_("Roster changed."))


@app.command()
def unassign(
    ctx: typer.Context,
    day: str = typer.Argument(..., help="Date of the session, YYYY-MM-DD."),
    officer: str = typer.Argument(..., help="Officer to take off duty."),
    by: str = ByOption,
    why: str = WhyOption,
) -> None:
    """Take an officer off duty in one session."""
    from posko.services import roster_edit

    with _coordinator(ctx, by) as (rt, session):
        roster_edit.unassign(
            session,
            rt.clock,
            rt.policy,
            actor=by,
            day=_day(day, "DATE"),
            officer_id=officer,
            why=why,
        )
    typer.echo(_("Roster changed."))


@app.command()
def swap(
    ctx: typer.Context,
    first_day: str = typer.Argument(..., help="Date of the first officer's session."),
    first_officer: str = typer.Argument(..., help="The first officer."),
    second_day: str = typer.Argument(..., help="Date of the second officer's session."),
    second_officer: str = typer.Argument(..., help="The second officer."),
    by: str = ByOption,
    why: str = WhyOption,
) -> None:
    """Two officers trade turns: each takes the other's session."""
    from posko.services import roster_edit

    with _coordinator(ctx, by) as (rt, session):
        roster_edit.swap(
            session,
            rt.clock,
            rt.policy,
            actor=by,
            first_day=_day(first_day, "FIRST_DAY"),
            first_officer=first_officer,
            second_day=_day(second_day, "SECOND_DAY"),
            second_officer=second_officer,
            why=why,
        )
    typer.echo(_("Roster changed."))


@app.command()
def absent(
    ctx: typer.Context,
    officer: str = typer.Argument(..., help="The absent officer."),
    start: str = typer.Option(..., "--from", help="First day of absence."),
    end: str = typer.Option(..., "--to", help="Last day of absence."),
    reason: str = typer.Option(..., "--reason", help="Why (leave, sick, duty elsewhere)."),
    by: str = ByOption,
    yes: bool = typer.Option(False, "--yes", help="Apply the proposed fill-ins."),
) -> None:
    """Mark an officer absent; the next in turn fills in (shown first, applied with --yes)."""
    from posko.services import roster_edit

    first, last = _day(start, "--from"), _day(end, "--to")
    with _coordinator(ctx, by) as (rt, session):
        if yes:
            plan = roster_edit.mark_absent(
                session,
                rt.clock,
                rt.policy,
                actor=by,
                officer_id=officer,
                start=first,
                end=last,
                reason=reason,
            )
        else:
            plan = roster_edit.plan_absence(
                session, rt.clock, rt.policy, officer_id=officer, start=first, end=last
            )
    for fill in plan:
        typer.echo(f"{long_date(fill.day)}  {fill.desk:<3} {fill.absent} -> {fill.fill_in or '-'}")
    typer.echo(
        _("Absence saved; the fill-ins are on duty.")
        if yes
        else _("Proposal only; run again with --yes to apply it.")
    )


@app.command()
def close(
    ctx: typer.Context,
    day: str = typer.Argument(..., help="The date to close, YYYY-MM-DD."),
    reason: str = typer.Option(..., "--reason", help="Why the desk is closed, e.g. a city event."),
    by: str = ByOption,
) -> None:
    """Close the desk on a date; its session is removed from the roster."""
    from posko.services import roster_edit

    with _coordinator(ctx, by) as (rt, session):
        roster_edit.close_day(
            session, rt.clock, rt.policy, actor=by, day=_day(day, "DATE"), reason=reason
        )
    typer.echo(_("Roster changed."))


@app.command()
def extra(
    ctx: typer.Context,
    day: str = typer.Argument(..., help="A policy day without a session, YYYY-MM-DD."),
    by: str = ByOption,
    why: str = WhyOption,
) -> None:
    """Add a session on a policy day that has none, staffed by the next in turn."""
    from posko.services import roster_edit

    with _coordinator(ctx, by) as (rt, session):
        roster_edit.add_extra(
            session, rt.clock, rt.policy, actor=by, day=_day(day, "DATE"), why=why
        )
    typer.echo(_("Roster changed."))


@app.command()
def reopen(
    ctx: typer.Context,
    day: str = typer.Argument(..., help="A date closed with `posko roster close`."),
    by: str = ByOption,
    why: str = WhyOption,
) -> None:
    """Lift a closure: the session it removed comes back, through the same checks."""
    from posko.services import roster_edit

    with _coordinator(ctx, by) as (rt, session):
        restored = roster_edit.reopen(
            session, rt.clock, rt.policy, actor=by, day=_day(day, "DATE"), why=why
        )
    for a in restored:
        typer.echo(f"{a.desk:<3} {a.officer_id}")
    typer.echo(_("Roster changed."))


calendar_app = typer.Typer(
    help="Private calendar subscriptions: an officer's roster at a secret URL of posko serve.",
    no_args_is_help=True,
)
app.add_typer(calendar_app, name="calendar")


@calendar_app.command("add")
def calendar_add(
    ctx: typer.Context,
    officer: str = typer.Argument(..., help="The officer whose calendar it is."),
    by: str = ByOption,
    base_url: str = typer.Option(
        "http://127.0.0.1:8080", "--base-url", help="Where posko serve is reached."
    ),
) -> None:
    """Make a subscription URL for an officer's calendar (shown once; keep it private)."""
    from posko.services import calendar_tokens

    with _coordinator(ctx, by) as (rt, session):
        token_id, token = calendar_tokens.create(session, rt.clock, actor=by, officer_id=officer)
    url = base_url.rstrip("/") + calendar_tokens.PATH.format(token=token)
    typer.echo(url)
    typer.echo(
        _(
            "Subscription {id} for {officer}; revoke it with `posko roster calendar revoke {id}`.",
            id=token_id,
            officer=safe(officer),
        )
    )


@calendar_app.command("revoke")
def calendar_revoke(
    ctx: typer.Context,
    token_id: int = typer.Argument(..., help="The subscription's number."),
    by: str = ByOption,
) -> None:
    """Revoke a subscription: its URL answers 404 from now on."""
    from posko.services import calendar_tokens

    with _coordinator(ctx, by) as (rt, session):
        calendar_tokens.revoke(session, rt.clock, actor=by, token_id=token_id)
    typer.echo(_("Subscription {id} revoked.", id=token_id))


@calendar_app.command("list")
def calendar_list(
    ctx: typer.Context,
    by: str = ByOption,
    officer: str | None = typer.Option(None, "--officer", help="Only this officer's."),
    as_json: bool = JsonOption,
) -> None:
    """The subscriptions: number, officer, made by and when, revoked, last fetched."""
    from posko.services import calendar_tokens

    with _coordinator(ctx, by) as (_rt, session):
        tokens = calendar_tokens.listing(session, officer)
    emit(
        as_json,
        tokens,
        lambda: (
            "\n".join(
                f"{t.id:>4} {t.officer_id:<8} {t.created_by:<8} {wib(t.created_at)}  "
                + (_("revoked {at}", at=wib(t.revoked_at)) if t.revoked_at else _("active"))
                + (f"  {_('last fetched {at}', at=wib(t.last_used_at))}" if t.last_used_at else "")
                for t in tokens
            )
            or _("No calendar subscriptions.")
        ),
    )
