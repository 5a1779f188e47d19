"""`posko serve`: the citizens' status page, served by uvicorn."""

from __future__ import annotations

import typer

from posko.commands.base import runtime
from posko.i18n import _


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8080, "--port", min=1, max=65535, help="TCP port."),
) -> None:
    """Serve the status page the slips' QR codes point to (/lacak/CODE?s=SIG) and the
    officers' calendar subscriptions (/kalender/TOKEN.ics)."""
    # uvicorn costs ~100 ms to import; only this command needs it.
    import uvicorn

    from posko.web.app import create_app

    rt = runtime(ctx)
    with rt.session():
        pass  # refuse now, with a message, a database that is not ready
    app = create_app(engine=rt.engine, settings=rt.settings, policy=rt.policy, clock=rt.clock)
    typer.echo(_("Status page on http://{host}:{port}/lacak", host=host, port=port))
    # uvicorn trusts X-Forwarded-For from 127.0.0.1 only (its default), so a
    # reverse proxy on this machine passes the citizen's address to the rate
    # limit; a proxy elsewhere needs FORWARDED_ALLOW_IPS.
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
