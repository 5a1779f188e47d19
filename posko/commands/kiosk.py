"""`posko kiosk` (and `posko` alone): the terminal UI of the desk."""

from __future__ import annotations

import typer

from posko.commands.base import runtime
from posko.launch import open_kiosk


def register(app: typer.Typer) -> None:
    @app.command()
    def kiosk(ctx: typer.Context) -> None:
        """Open the desk's terminal UI on the configured database."""
        open_kiosk(runtime(ctx))
