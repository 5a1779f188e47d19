"""Administration: officer accounts, the audit trail, personal data, backups.

`posko officer add|set-pin|deactivate`, `posko audit verify`,
`posko privacy purge|export|erase`, `posko backup PATH`, `posko restore PATH`.
Whoever acts signs in with their id and PIN (POSKO_PIN or a prompt); the
services check the role and record the act in the audit trail.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from posko.commands.base import JsonOption, emit, runtime, safe, sign_in
from posko.commands.reference import officer_app
from posko.i18n import _

audit_app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)
privacy_app = typer.Typer(
    help="Personal data (UU 27/2022): retention, a person's copy, erasure.",
    no_args_is_help=True,
)

AdminOption = typer.Option(..., "--admin", help="Id of the admin doing this (PIN from POSKO_PIN).")


def _new_pin() -> str:
    """The new PIN: POSKO_NEW_PIN, else typed twice."""
    pin = os.environ.get("POSKO_NEW_PIN")
    if pin is None:
        pin = typer.prompt(_("New PIN"), hide_input=True, confirmation_prompt=True)
    return pin.strip()


@officer_app.command("add")
def officer_add(
    ctx: typer.Context,
    officer_id: str = typer.Argument(..., help="New officer's id, e.g. JP-AS4."),
    name: str = typer.Option(..., "--name"),
    title: str = typer.Option("", "--title"),
    region: str = typer.Option(
        ..., "--region", help="Region: a code (31 for the province) or a kota's name, e.g. 31.71."
    ),
    role: str = typer.Option("duty", "--role", help="duty, coordinator, regional or admin."),
    rank: str = typer.Option("", "--rank", help="asisten or kepala_bagian for duty officers."),
    admin: str = AdminOption,
) -> None:
    """Add an officer (new PIN from POSKO_NEW_PIN or typed twice)."""
    from posko.services import access, accounts, reference

    rt = runtime(ctx)
    with rt.session() as session:
        actor = sign_in(rt, session, admin, access.MANAGE_OFFICERS)
        region = reference.kota_code(session, region, other_levels=True)
        added = accounts.add_officer(
            session,
            rt.clock,
            actor,
            officer_id=officer_id,
            name=name,
            title=title,
            region=region,
            role=role,
            rank=rank,
            pin=_new_pin(),
        )
    typer.echo(_("Officer added: {officer}", officer=f"{added.id} {safe(added.name)}"))


@officer_app.command("set-pin")
def officer_set_pin(
    ctx: typer.Context,
    officer_id: str = typer.Argument(..., help="Whose PIN."),
    admin: str = AdminOption,
) -> None:
    """Give an officer a new PIN and lift a lockout (new PIN from POSKO_NEW_PIN or typed)."""
    from posko.services import access, accounts

    rt = runtime(ctx)
    with rt.session() as session:
        actor = sign_in(rt, session, admin, access.MANAGE_OFFICERS)
        accounts.set_pin(session, rt.clock, actor, officer_id, _new_pin())
    typer.echo(_("New PIN set for {officer}.", officer=safe(officer_id)))


@officer_app.command("deactivate")
def officer_deactivate(
    ctx: typer.Context,
    officer_id: str = typer.Argument(..., help="Whose account."),
    reason: str = typer.Option(..., "--reason"),
    admin: str = AdminOption,
) -> None:
    """Stop an officer from signing in; their past work stays theirs."""
    from posko.services import access, accounts

    rt = runtime(ctx)
    with rt.session() as session:
        actor = sign_in(rt, session, admin, access.MANAGE_OFFICERS)
        accounts.deactivate(session, rt.clock, actor, officer_id, reason)
    typer.echo(_("Officer {officer} deactivated.", officer=safe(officer_id)))


@audit_app.command("verify")
def audit_verify(
    ctx: typer.Context,
    anchor: str | None = typer.Option(
        None,
        "--anchor",
        help="A head hash noted earlier, or a handoff list (PDF, XLSX or CSV) that prints one: "
        "the trail must still hold it.",
    ),
    as_json: bool = JsonOption,
) -> None:
    """Recompute the hash chain and every complaint, status, handoff and roster row's
    digest; exit 1 naming what was changed, deleted or inserted outside Posko."""
    from posko.services import audit

    rt = runtime(ctx)
    noted = audit.anchor_from(anchor) if anchor else None
    with rt.session() as session:
        result = audit.verify(session, anchor=noted)
    broken = result.broken
    data = {
        "ok": result.ok,
        "events": result.events,
        "head": result.head,
        "broken_event": broken.event_id if broken else None,
        "broken_kind": broken.kind if broken else None,
        "previous_event": broken.previous_id if broken else None,
        "broken_lane": broken.lane if broken else None,
        "lanes": result.lanes,
        "rows": [
            {"table": p.table, "id": p.row_id, "kind": p.kind, "code": p.label or None}
            for p in result.rows
        ],
        "anchor": result.anchor,
        "anchor_found": result.anchor_found,
    }
    if result.ok:
        emit(
            as_json,
            data,
            lambda: (
                _(
                    "Audit trail intact: {count} events; last hash {head}.",
                    count=result.events,
                    head=result.head,
                )
                + (("\n" + _("It holds the anchor {anchor}.", anchor=noted)) if noted else "")
            ),
        )
        return
    emit(as_json, data, lambda: "\n".join(_verify_problems(result)))
    raise typer.Exit(1)


def _verify_problems(result) -> list[str]:  # type: ignore[no-untyped-def]
    lines = []
    broken = result.broken
    if broken is not None:
        messages = {
            "altered": "event {event} was altered: its content no longer matches its hash",
            "linked": "event {event} does not follow event {previous}: an event between them "
            "was deleted or inserted",
            "head": "the events after {previous} were deleted, or the recorded last hash "
            "was altered",
            "sealed": "event {event} names a head that lane {lane} no longer holds: the lane "
            "was rewritten before it",
        }
        text = _(
            messages[broken.kind],
            event=broken.event_id,
            previous=broken.previous_id if broken.previous_id is not None else "-",
            lane=broken.lane,
        )
        lines.append(_("AUDIT TRAIL BROKEN") + f": {text}")
    row_messages = {
        "changed": "{table} {row} was changed outside Posko",
        "deleted": "{table} {row} was deleted outside Posko",
        "inserted": "{table} {row} was inserted outside Posko",
    }
    for problem in result.rows:
        row = f"{safe(problem.label)} (id {problem.row_id})" if problem.label else problem.row_id
        lines.append(
            _("AUDIT TRAIL BROKEN")
            + ": "
            + _(row_messages[problem.kind], table=problem.table, row=row)
        )
    if result.anchor_found is False:
        lines.append(
            _("AUDIT TRAIL BROKEN")
            + ": "
            + _(
                "the trail does not hold the anchor {anchor}: it was rewritten after the "
                "anchor was noted",
                anchor=result.anchor,
            )
        )
    return lines


NikOption = typer.Option(None, "--nik", help="The person's NIK (16 digits).")
PhoneOption = typer.Option(None, "--phone", help="The person's phone number.")
OfficerOption = typer.Option(..., "--officer", help="Id of the admin doing this (PIN).")


@privacy_app.command("purge")
def privacy_purge(
    ctx: typer.Context,
    dry_run: bool = typer.Option(False, "--dry-run", help="Only list what would be erased."),
    officer: str | None = typer.Option(None, "--officer", help="Admin id (not for --dry-run)."),
    as_json: bool = JsonOption,
) -> None:
    """Erase reporters' identities of complaints closed longer ago than the retention."""
    from posko.services import access, privacy

    rt = runtime(ctx)
    with rt.session() as session:
        actor = None if officer is None else sign_in(rt, session, officer, access.PERSONAL_DATA)
        result = privacy.purge(
            session,
            rt.clock,
            rt.policy,
            retention_months=rt.settings.retention_months,
            actor=actor,
            dry_run=dry_run,
        )
    message = (
        "{count} complaints closed before {cutoff} would lose their reporter's identity."
        if dry_run
        else "{count} complaints closed before {cutoff} lost their reporter's identity."
    )
    emit(
        as_json,
        {"dry_run": dry_run, "cutoff": result.cutoff, "codes": result.codes},
        lambda: "\n".join(
            [
                _(message, count=len(result.codes), cutoff=result.cutoff.date().isoformat()),
                *result.codes,
            ]
        ),
    )


@privacy_app.command("export")
def privacy_export(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--out", help="New JSON file (created with mode 0600)."),
    nik: str | None = NikOption,
    phone: str | None = PhoneOption,
    officer: str = OfficerOption,
) -> None:
    """Everything stored about a person, as JSON, for that person."""
    from posko.services import access, privacy

    rt = runtime(ctx)
    with rt.session() as session:
        actor = sign_in(rt, session, officer, access.PERSONAL_DATA)
        count = privacy.export_person(session, rt.clock, actor, nik=nik, phone=phone, out=out)
    typer.echo(_("{count} complaints written to {path}.", count=count, path=safe(out)))


@privacy_app.command("erase")
def privacy_erase(
    ctx: typer.Context,
    reason: str = typer.Option(..., "--reason", help="Why, e.g. the person's request of DATE."),
    nik: str | None = NikOption,
    phone: str | None = PhoneOption,
    officer: str = OfficerOption,
) -> None:
    """Erase a person's identity from every complaint, on their request."""
    from posko.services import access, privacy

    rt = runtime(ctx)
    with rt.session() as session:
        actor = sign_in(rt, session, officer, access.PERSONAL_DATA)
        codes = privacy.erase_person(session, rt.clock, actor, nik=nik, phone=phone, reason=reason)
    typer.echo(_("Identity erased from {count} complaints.", count=len(codes)))


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
    app.add_typer(privacy_app, name="privacy")

    @app.command("clock")
    def clock_command(ctx: typer.Context, as_json: bool = JsonOption) -> None:
        """Compare this desk's clock with the authority's; exit 3 when intake would refuse."""
        from posko.services import clockcheck

        rt = runtime(ctx)
        with rt.session() as session:
            result = clockcheck.check(session, rt.clock)
        data = {
            "ok": result.ok,
            "authority": result.authority,
            "desk_time": result.desk_time,
            "reference_time": result.reference_time,
            "skew_seconds": round(result.skew_seconds, 1),
        }
        if result.ok:
            emit(
                as_json,
                data,
                lambda: _(
                    "Clock OK ({authority}); difference {seconds} s.",
                    authority=_(result.authority),
                    seconds=f"{result.skew_seconds:+.1f}",
                ),
            )
            return
        emit(as_json, data, lambda: _(result.problem or "", **result.params))
        raise typer.Exit(3)

    @app.command("backup")
    def backup_command(
        ctx: typer.Context,
        path: Path = typer.Argument(..., help="New backup file."),
        admin: str = AdminOption,
    ) -> None:
        """Copy the SQLite database to PATH while desks keep working (mode 0600)."""
        from posko.services import access, backup

        rt = runtime(ctx)
        with rt.session() as session:  # the checks every command makes: intact, migrated
            actor = sign_in(rt, session, admin, access.BACKUP)
        size = backup.backup(rt.engine, rt.clock, path, actor)
        typer.echo(_("Backup written to {path} ({size} bytes).", path=safe(path), size=size))

    @app.command("restore")
    def restore_command(
        ctx: typer.Context,
        path: Path = typer.Argument(..., help="A backup made by posko backup."),
        yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
        admin: str = AdminOption,
    ) -> None:
        """Replace the SQLite database with a backup, after checking the backup.

        The admin signs in on the database being replaced; a damaged database
        cannot check a PIN, so it is replaced by hand (see SECURITY.md).
        """
        from posko.services import access, backup

        rt = runtime(ctx)
        target = backup.sqlite_file(rt.engine, "posko restore")
        backup.check_backup(path)
        with rt.session() as session:
            actor = sign_in(rt, session, admin, access.RESTORE)
        if not yes and not typer.confirm(
            _("Replace the database {db} with {path}?", db=safe(target), path=safe(path))
        ):
            raise typer.Exit(1)
        backup.restore(rt.engine, rt.clock, path, actor)
        typer.echo(_("Database restored from {path}.", path=safe(path)))
