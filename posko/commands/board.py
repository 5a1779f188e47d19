"""`posko board`: the waiting room's TV (a full-screen Textual view)."""

from __future__ import annotations

import typer

from posko.commands.base import runtime


def board(ctx: typer.Context) -> None:
    """Show the queue on a TV: the numbers called to each desk, in large digits (Ctrl+Q quits)."""
    from posko.tui.board import make_board

    rt = runtime(ctx)
    with rt.session():
        pass  # refuse now, with a message, a database that is not ready
    make_board(rt).run()


def register(app: typer.Typer) -> None:
    app.command("board")(board)
