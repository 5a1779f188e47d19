"""The Typer CLI: every job of the desk, scriptable.

Exit codes: 0 success, 2 invalid input, 3 refused by a duty rule or a
permission, 1 anything else.
"""

from __future__ import annotations

import sys

import typer

from posko import i18n
from posko.commands import (
    admin,
    board,
    complaint,
    desk,
    export,
    followup,
    handoff,
    kiosk,
    manual,
    notify,
    receipt,
    reference,
    report,
    roster,
    seed,
    serve,
    setup,
)
from posko.config import load_settings
from posko.launch import guarded, open_kiosk
from posko.runtime import Runtime

app = typer.Typer(
    name="posko",
    help="Posko Pengaduan Balai Kota DKI Jakarta: the walk-in complaint desk.",
    invoke_without_command=True,  # `posko` alone opens the kiosk
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None,
        "--db",
        help="Database URL (default: SQLite in the user data dir).",
        envvar="POSKO_DATABASE_URL",
        show_envvar=True,
    ),
    now: str | None = typer.Option(
        None,
        "--now",
        help="Simulated time, ISO-8601; training databases only.",
        envvar="POSKO_NOW",
        show_envvar=True,
    ),
    lang: str | None = typer.Option(None, "--lang", help="Language: id (default) or en."),
) -> None:
    settings = load_settings(database_url=db, language=lang)
    try:
        i18n.set_language(settings.language)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--lang") from None
    ctx.obj = Runtime(settings=settings, now=now)
    if ctx.invoked_subcommand is None:
        open_kiosk(ctx.obj)


setup.register(app)
kiosk.register(app)
desk.register(app)
app.add_typer(reference.officer_app, name="officer")
app.add_typer(reference.category_app, name="category")
app.add_typer(roster.app, name="roster")
app.add_typer(complaint.app, name="complaint")
followup.register(complaint.app)
app.add_typer(handoff.app, name="handoff")
serve.register(app)
export.register(app)
report.register(app)
app.add_typer(desk.queue_app, name="queue")
admin.register(app)
seed.register(app)
receipt.register(app)
board.register(app)
notify.register(app, complaint.app)


def _invoke(argv: list[str] | None) -> None:
    command = typer.main.get_command(app)
    manual.install(command)  # help in the user's language, with types and examples
    wanted = manual.language_from(sys.argv[1:] if argv is None else argv)
    if wanted in i18n.LANGUAGES:  # root help is shown before the root callback runs
        i18n.set_language(wanted)
    command(args=argv, prog_name="posko")


def run(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code; the entry (`posko.launch`) and
    the tests share it."""
    return guarded(lambda: _invoke(argv))
