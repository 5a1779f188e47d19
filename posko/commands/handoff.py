"""`posko handoff`: closing a session into handoff lists, and the offices' receipt."""

from __future__ import annotations

from pathlib import Path

import typer

from posko.commands.base import (
    JsonOption,
    OfficerOption,
    emit,
    parse_day,
    runtime,
    safe,
    sign_in,
    wib,
)
from posko.i18n import _

app = typer.Typer(help="Handing complaints to the regional offices.", no_args_is_help=True)


@app.command()
def close(
    ctx: typer.Context,
    day: str | None = typer.Option(None, "--session", help="Session date (default: today)."),
    out: Path | None = typer.Option(
        None, "--out", help="Folder for the PDF and CSV lists (default: setting handoff_dir)."
    ),
    officer: str = OfficerOption,
    force: bool = typer.Option(
        False, "--force", help="Replace list files already in --out (the handoff folder: always)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Close a session: one handoff list per regional office, written and printed; complaints
    become diserahkan. The same as F8 at the kiosk.

    The lists carry the office copies (the reporters' identities), so the
    officer's PIN is asked and writing them is audited.
    """
    from posko.core.schedule import local_date
    from posko.services import access, closeout

    rt = runtime(ctx)
    with rt.session() as session:
        actor = sign_in(rt, session, officer, access.HANDOFF_CLOSE)
        when = parse_day(day, "--session") or local_date(rt.policy, rt.clock.now())
        done = closeout.hand_off(
            session,
            rt.clock,
            rt.settings,
            rt.policy,
            officer=actor,
            day=when,
            folder=out,
            # Posko's own handoff folder holds the lists it wrote before (the
            # same content written again); a folder the user names, only if asked.
            replace=force or out is None,
        )

    def text() -> str:
        if not done.lists:
            return _("No complaints to hand off on {day}.", day=when)
        lines = []
        for item in done.lists:
            b = item.batch
            lines.append(
                _(
                    "{label}  {office}: {count} complaints{new}",
                    label=b.label,
                    office=b.office,
                    count=len(b.codes),
                    new="" if item.new else " " + _("(already handed off)"),
                )
            )
            if item.printed:
                lines.append("    " + _("printed"))
            elif item.printed is False:
                lines.append("    " + _("NOT printed: {error}", error=safe(item.error)))
        lines.append(_("Files: {folder}", folder=str(done.folder)))
        lines.append(_("Audit anchor (note it): {anchor}", anchor=done.anchor))
        return "\n".join(lines)

    emit(
        as_json,
        {
            "session": when,
            "folder": str(done.folder),
            "batches": [{**item.batch.__dict__, "new": item.new} for item in done.lists],
            "files": [str(f) for item in done.lists for f in (item.pdf, item.xlsx, item.csv)],
            "printed": {item.batch.label: item.printed for item in done.lists},
            "anchor": done.anchor,
        },
        text,
    )


@app.command()
def ack(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="The scanned QR text of the slip or office copy."),
    officer: str = typer.Option(..., "--officer", help="Regional officer (PIN from POSKO_PIN)."),
    as_json: bool = JsonOption,
) -> None:
    """Confirm the office received a complaint (diterima_wilayah)."""
    from posko.services import access, handoff

    rt = runtime(ctx)
    with rt.session() as session:
        actor = sign_in(rt, session, officer, access.HANDOFF_ACK)
        result = handoff.acknowledge(
            session, rt.clock, actor.id, code, template=rt.settings.qr_url_template
        )
    emit(
        as_json,
        result,
        lambda: (
            _(
                "{code} was already acknowledged by {office}.",
                code=result.code,
                office=result.office,
            )
            if result.already
            else _("Received: {code} by {office}.", code=result.code, office=result.office)
        ),
    )


@app.command()
def pending(
    ctx: typer.Context,
    region: str | None = typer.Option(
        None, "--region", help="Only this office: kota or kabupaten, by code or name."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Handoff lists with complaints the office has not acknowledged yet."""
    from posko.services import followup, handoff, reference

    rt = runtime(ctx)
    with rt.session() as session:
        if region is not None:
            region = reference.kota_code(session, region)
        rules = followup.rules_for(rt.settings, rt.policy)
        rows = handoff.pending(session, rt.clock, rules, region=region)

    def text() -> str:
        if not rows:
            return _("Every handed-off complaint has been acknowledged.")
        lines = []
        for row in rows:
            b = row.batch
            late = "  " + _("LATE: not acknowledged within one working day") if row.late else ""
            lines.append(
                f"{b.label}  {safe(b.office)}  {wib(b.created_at)}  "
                + _("due {due}", due=row.due.last_day)
                + late
            )
            lines.extend(f"    {code}" for code in b.waiting)
        return "\n".join(lines)

    emit(
        as_json,
        [
            {"batch": r.batch, "waiting": r.batch.waiting, "due": r.due.last_day, "late": r.late}
            for r in rows
        ],
        text,
    )
