"""`posko kiosk` (and `posko` alone): the terminal UI of the desk."""

from __future__ import annotations

import typer

from posko.commands.base import runtime
from posko.runtime import Runtime


def open_kiosk(rt: Runtime) -> None:
    # Textual and the app are imported only when the kiosk really opens.
    from posko.tui.app import make_app

    make_app(rt).run()


def register(app: typer.Typer) -> None:
    @app.command()
    def kiosk(ctx: typer.Context) -> None:
        """Open the desk's terminal UI on the configured database."""
        open_kiosk(runtime(ctx))
