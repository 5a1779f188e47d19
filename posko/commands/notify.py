"""`posko notify` (the outbox), `posko partner` (Open311 partners' keys) and
`posko complaint withdraw-consent`."""

from __future__ import annotations

import typer

from posko.commands.admin import AdminOption
from posko.commands.base import JsonOption, emit, runtime, safe, sign_in, wib
from posko.i18n import _

notify_app = typer.Typer(
    help="Messages to citizens and to the province's CRM (the outbox).", no_args_is_help=True
)
partner_app = typer.Typer(help="Open311 partners that may post requests.", no_args_is_help=True)


@notify_app.command("drain")
def drain(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """Send the messages that are due (posko serve does this in the background)."""
    from posko.services import outbox
    from posko.services.senders import Delivery

    rt = runtime(ctx)
    with rt.session() as session:
        done = outbox.drain(
            session, rt.clock, outbox.timing_from(rt.settings), Delivery(rt.settings, rt.policy)
        )
    emit(
        as_json,
        done,
        lambda: _(
            "Sent: {sent}, retrying: {retrying}, given up: {failed}, cancelled: {cancelled}",
            sent=done.sent,
            retrying=done.retrying,
            failed=done.failed,
            cancelled=done.cancelled,
        ),
    )


@notify_app.command("list")
def list_(
    ctx: typer.Context,
    code: str | None = typer.Option(None, "--code", help="Only this complaint's messages."),
    failing: bool = typer.Option(False, "--failing", help="Only those failing or given up."),
    as_json: bool = JsonOption,
) -> None:
    """Messages in the outbox, newest first, with the reason of a failure."""
    from posko.services import outbox

    rt = runtime(ctx)
    with rt.session() as session:
        rows = outbox.messages(session, code=code, failing=failing)
    emit(
        as_json,
        rows,
        lambda: (
            "\n".join(
                f"{m.code}  {m.destination:<8} {m.status:<17} {m.state:<9} "
                f"{_('tries')} {m.attempts}  {wib(m.sent_at or m.due_at)}  "
                f"{safe(m.last_error or '')}"
                for m in rows
            )
            or _("No messages.")
        ),
    )


@notify_app.command("crm")
def crm(
    ctx: typer.Context,
    on: bool = typer.Option(..., "--on/--off", help="Push complaints to the CRM, or stop."),
    admin: str = AdminOption,
) -> None:
    """Start (or stop) pushing new complaints and status changes to the CRM ([crm] in
    config.toml); audited."""
    from posko.services import access, outbox

    rt = runtime(ctx)
    with rt.session() as session:
        actor = sign_in(rt, session, admin, access.CRM_PUSH)
        outbox.set_crm_push(session, rt.clock, actor=actor.id, on=on)
    typer.echo(_("Push to the CRM: on") if on else _("Push to the CRM: off"))


def withdraw_consent(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="Tracking code of the complaint."),
    officer: str = typer.Option(..., "--officer", help="Who records it (PIN from POSKO_PIN)."),
) -> None:
    """The citizen wants no more messages: record it and cancel those waiting (audited)."""
    from posko.services import access, outbox

    rt = runtime(ctx)
    with rt.session() as session:
        actor = sign_in(rt, session, officer, access.WITHDRAW_CONSENT)
        cancelled = outbox.withdraw_consent(session, rt.clock, code=code, actor=actor.id)
    typer.echo(_("Consent withdrawn; {count} waiting messages cancelled.", count=cancelled))


@partner_app.command("add")
def partner_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Short name of the partner system, e.g. jaki."),
    channel: str = typer.Option(..., "--channel", help="Its channel, e.g. JAKI."),
    officer: str = typer.Option(
        ..., "--officer", help="The officer on whose account its requests are taken."
    ),
    admin: str = AdminOption,
) -> None:
    """Register a partner; its api_key is printed once and stored hashed."""
    from posko.services import access, open311_server

    rt = runtime(ctx)
    with rt.session() as session:
        actor = sign_in(rt, session, admin, access.MANAGE_PARTNERS)
        partner, key = open311_server.add_partner(
            session, rt.clock, actor, name=name, channel=channel, officer_id=officer
        )
    typer.echo(_("Partner added: {name} ({channel})", name=partner.name, channel=partner.channel))
    typer.echo(_("api_key (shown only now): {key}", key=key))


@partner_app.command("list")
def partner_list(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """The partners, revoked ones marked."""
    from posko.services import open311_server

    rt = runtime(ctx)
    with rt.session() as session:
        rows = open311_server.partners(session)
    emit(
        as_json,
        rows,
        lambda: (
            "\n".join(
                f"{safe(p.name):<16} {safe(p.channel):<20} {p.officer_id:<10} "
                f"{wib(p.created_at)}  "
                + (_("revoked {at}", at=wib(p.revoked_at)) if p.revoked_at else _("active"))
                for p in rows
            )
            or _("No partners.")
        ),
    )


@partner_app.command("revoke")
def partner_revoke(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The partner's name."),
    admin: str = AdminOption,
) -> None:
    """Revoke a partner's api_key (audited); its requests stay."""
    from posko.services import access, open311_server

    rt = runtime(ctx)
    with rt.session() as session:
        actor = sign_in(rt, session, admin, access.MANAGE_PARTNERS)
        open311_server.revoke_partner(session, rt.clock, actor, name=name)
    typer.echo(_("Partner revoked: {name}", name=safe(name)))


def register(app: typer.Typer, complaint_app: typer.Typer) -> None:
    app.add_typer(notify_app, name="notify")
    app.add_typer(partner_app, name="partner")
    complaint_app.command("withdraw-consent")(withdraw_consent)
