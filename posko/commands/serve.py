"""`posko serve`: the citizens' status page, served by uvicorn."""

from __future__ import annotations

import typer

from posko.commands.base import runtime
from posko.i18n import _


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8080, "--port", min=1, max=65535, help="TCP port."),
    forwarded_allow_ips: str | None = typer.Option(
        None,
        "--forwarded-allow-ips",
        help="Reverse proxies trusted to name the citizen's address in X-Forwarded-For, "
        "comma-separated (default: the setting forwarded_allow_ips, 127.0.0.1).",
    ),
) -> None:
    """Serve the status page the slips' QR codes point to (/lacak/CODE?s=SIG)."""
    # uvicorn costs ~100 ms to import; only this command needs it.
    import uvicorn

    from posko.web.app import create_app

    rt = runtime(ctx)
    with rt.session():
        pass  # refuse now, with a message, a database that is not ready
    app = create_app(engine=rt.engine, settings=rt.settings, policy=rt.policy, clock=rt.clock)
    typer.echo(_("Status page on http://{host}:{port}/lacak", host=host, port=port))
    # The rate limit counts per citizen: behind a reverse proxy their address
    # is in X-Forwarded-For, believed only from the proxies named here.
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        server_header=False,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips or rt.settings.forwarded_allow_ips,
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
