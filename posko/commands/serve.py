"""`posko serve`: the citizens' status page and the Open311 server, served by
uvicorn, with the outbox drained in the background."""

from __future__ import annotations

import sys
import threading

import typer

from posko.commands.base import runtime
from posko.i18n import _
from posko.runtime import Runtime


def _drain_in_background(rt: Runtime, every: float, stop: threading.Event) -> threading.Thread:
    """`posko notify drain` every `every` seconds until `stop`; a failure is printed,
    never fatal (the page and the Open311 server keep serving)."""
    from posko.services import outbox
    from posko.services.senders import Delivery

    timing = outbox.timing_from(rt.settings)
    deliver = Delivery(rt.settings, rt.policy)

    def loop() -> None:
        while not stop.is_set():
            try:
                with rt.session() as session:
                    outbox.drain(session, rt.clock, timing, deliver)
            except Exception as error:  # keep serving; the next round tries again
                print(f"posko serve: outbox: {error}", file=sys.stderr, flush=True)
            stop.wait(every)

    worker = threading.Thread(target=loop, name="outbox-drain", daemon=True)
    worker.start()
    return worker


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8080, "--port", min=1, max=65535, help="TCP port."),
    drain_every: float = typer.Option(
        30.0, "--drain-every", min=0, help="Seconds between outbox sends; 0: do not send."
    ),
    forwarded_allow_ips: str | None = typer.Option(
        None,
        "--forwarded-allow-ips",
        help="Reverse proxies trusted to name the citizen's address in X-Forwarded-For, "
        "comma-separated (default: the setting forwarded_allow_ips, 127.0.0.1).",
    ),
) -> None:
    """Serve the status page the slips' QR codes point to (/lacak/CODE?s=SIG), the
    officers' calendar subscriptions (/kalender/TOKEN.ics) and the Open311
    GeoReport v2 server (/open311/v2/), and send the outbox's messages."""
    # uvicorn costs ~100 ms to import; only this command needs it.
    import uvicorn

    from posko.web.app import create_app

    rt = runtime(ctx)
    with rt.session():
        pass  # refuse now, with a message, a database that is not ready
    app = create_app(engine=rt.engine, settings=rt.settings, policy=rt.policy, clock=rt.clock)
    typer.echo(_("Status page on http://{host}:{port}/lacak", host=host, port=port))
    typer.echo(_("Open311 on http://{host}:{port}/open311/v2/", host=host, port=port))
    stop = threading.Event()
    worker = _drain_in_background(rt, drain_every, stop) if drain_every > 0 else None
    try:
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
    finally:
        stop.set()
        if worker is not None:
            worker.join(timeout=30)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
