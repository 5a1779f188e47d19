"""`posko init` and `posko demo`."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import typer

from posko.commands.base import JsonOption, emit, runtime
from posko.core.errors import InvalidInput
from posko.i18n import _

if TYPE_CHECKING:
    from posko.services.setup import FirstAdmin


def _first_admin() -> FirstAdmin | None:
    """The first admin of a real database: from the environment, else typed.

    None (with a warning) when there is neither: the database works, but
    nobody can manage accounts until `posko init` is run again with one.
    """
    from posko.services.setup import FirstAdmin

    pin = os.environ.get("POSKO_ADMIN_PIN")
    if pin is None and not sys.stdin.isatty():
        typer.echo(
            _(
                "No admin yet: run `posko init` again in a terminal, or with POSKO_ADMIN_ID, "
                "POSKO_ADMIN_NAME and POSKO_ADMIN_PIN, to create the first one."
            ),
            err=True,
        )
        return None
    officer_id = os.environ.get("POSKO_ADMIN_ID") or typer.prompt(_("First admin's officer id"))
    name = os.environ.get("POSKO_ADMIN_NAME") or typer.prompt(_("First admin's name"))
    if pin is None:
        pin = typer.prompt(_("New PIN"), hide_input=True, confirmation_prompt=True)
    return FirstAdmin(officer_id.strip(), name.strip(), pin.strip())


def register(app: typer.Typer) -> None:
    @app.command()
    def init(
        ctx: typer.Context,
        training: bool = typer.Option(
            False,
            "--training",
            help="A training database: sample officers (PIN 123456), three months of roster, "
            "slips marked LATIHAN, simulated clock allowed.",
        ),
        status_url: str | None = typer.Option(
            None,
            "--status-url",
            envvar="POSKO_STATUS_URL",
            help="Where the slips' QR codes point: the address of the status page "
            "(`posko serve`), e.g. https://pengaduan.example.go.id. Asked for when "
            "missing on an operational database; a training one points to a fake address.",
        ),
        as_json: bool = JsonOption,
    ) -> None:
        """Create or upgrade the database and load regions and categories.

        A real database without an admin asks for the first one (id, name and
        PIN typed twice; or POSKO_ADMIN_ID, POSKO_ADMIN_NAME and POSKO_ADMIN_PIN).
        """
        import sys

        from posko.services import setup
        from posko.store.db import new_session

        rt = runtime(ctx)
        if rt.clock.simulated and not training:
            raise InvalidInput("a simulated clock (--now) is only accepted on a training database")
        admin = None
        if not training and setup.needs_first_admin(rt.engine):
            admin = _first_admin()
        result = setup.init_database(
            rt.engine,
            rt.clock,
            rt.policy,
            training=training,
            status_url_value=status_url,
            first_admin=admin,
        )
        if result["status_url"] is None and sys.stdin.isatty() and not as_json:
            # An operational database prints no slip until it knows this address.
            answer = typer.prompt(
                _("Address of the status page the slips' QR codes point to (https://…)")
            )
            with new_session(rt.engine) as session:
                result["status_url"] = setup.set_status_url(session, rt.clock, answer)
                session.commit()
        emit(
            as_json,
            result,
            lambda: (
                _(
                    "Database ready ({kind}), schema {revision}; officers added: {officers}; "
                    "sessions generated: {sessions}.",
                    kind=_("training") if result["training"] else _("operational"),
                    revision=result["revision"],
                    officers=result["officers_added"],
                    sessions=result["sessions_generated"],
                )
                + "\n"
                + (
                    _("QR codes point to {url}/lacak.", url=result["status_url"])
                    if result["status_url"]
                    else _(
                        "Slips will not print until the status page address is set: "
                        "posko init --status-url https://HOST"
                    )
                )
            ),
        )

    @app.command()
    def demo(
        ctx: typer.Context,
        fresh: bool = typer.Option(False, "--fresh", help="Start from a new training database."),
        no_ui: bool = typer.Option(False, "--no-ui", help="Print the desk's status, no kiosk."),
    ) -> None:
        """Try the desk on a training database with a clock inside the next session."""
        from posko.launch import demo_note, demo_runtime, open_kiosk

        rt = demo_runtime(runtime(ctx), fresh=fresh)
        if not no_ui:
            open_kiosk(rt)  # it prepares the database after its first paint
            typer.echo(demo_note(rt))
            return
        from posko.commands.desk import print_status
        from posko.services import demo, setup

        rt.clock = demo.prepare(rt.engine, rt.clock, rt.policy)
        print_status(rt)
        typer.echo(_("Training PIN for every sample officer: {pin}", pin=setup.TRAINING_PIN))
        typer.echo(demo_note(rt))
