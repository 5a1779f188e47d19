"""`posko complaint status|dispute`: the regional office's follow-up and the citizen's dispute."""

from __future__ import annotations

import typer

from posko.commands.base import JsonOption, emit, runtime, safe, sign_in
from posko.i18n import _


def status(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="Tracking code."),
    new_status: str = typer.Argument(
        ..., metavar="STATUS", help="diproses, selesai, dialihkan, ditolak or duplikat."
    ),
    note: str | None = typer.Option(None, "--note", help="What was done; the reason, if needed."),
    officer: str = typer.Option(..., "--officer", help="Regional officer or coordinator."),
    reroute_to: str | None = typer.Option(
        None, "--to", help="dialihkan: the kota code of the new office, e.g. 31.74."
    ),
    duplicate_of: str | None = typer.Option(
        None, "--duplicate-of", help="duplikat: the code of the original complaint."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Report progress on a complaint (PIN from POSKO_PIN or a prompt)."""
    from posko.services import access, followup

    rt = runtime(ctx)
    with rt.session() as session:
        actor = sign_in(rt, session, officer, access.CHANGE_STATUS)
        change = followup.change_status(
            session,
            rt.clock,
            officer_id=actor.id,
            code=code,
            status=new_status.strip().lower(),
            note=note,
            reroute_to=reroute_to,
            duplicate_of=duplicate_of,
        )
    emit(
        as_json,
        change,
        lambda: _(
            "{code} is now {status} ({office}).",
            code=change.code,
            status=change.status,
            office=change.office,
        ),
    )


def dispute(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="Tracking code of a completed complaint."),
    text: str = typer.Option(..., "--text", help="The citizen's own words."),
    officer: str = typer.Option(
        ..., "--officer", help="The desk officer typing it (PIN from POSKO_PIN or a prompt)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """The citizen disputes a completion at the desk: the complaint is reopened (diproses).

    The officer who types it signs in with the PIN; a citizen disputes on
    their own on the status page, with the slip's signature.
    """
    from posko.services import access, followup

    rt = runtime(ctx)
    with rt.session() as session:
        actor = sign_in(rt, session, officer, access.DESK_DISPUTE)
        rules = followup.rules_for(rt.settings, rt.policy)
        change = followup.dispute(session, rt.clock, rules, code=code, text=text, actor=actor)
    emit(
        as_json,
        change,
        lambda: _("{code} is reopened: the dispute is recorded.", code=change.code),
    )


def overdue_text(rows) -> str:  # type: ignore[no-untyped-def]
    if not rows:
        return _("No complaint is overdue.")
    lines, office = [], None
    for row in rows:
        if row.office != office:
            office = row.office
            lines.append(f"{safe(office)} ({row.region})")
        lines.append(
            f"  {row.code}  {row.status:<17} "
            + _("due {due}", due=row.due.last_day)
            + f"  {row.category}"
        )
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    app.command("status")(status)
    app.command("dispute")(dispute)
