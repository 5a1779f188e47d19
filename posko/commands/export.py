"""`posko export open311` and `posko import open311`: GeoReport v2 service requests."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from posko.commands.base import ForceOption, JsonOption, emit, read_json_input, runtime, sign_in
from posko.core.errors import InvalidInput
from posko.files import write_private
from posko.i18n import _

export_app = typer.Typer(help="Export complaints for other systems.", no_args_is_help=True)
import_app = typer.Typer(help="Import complaints from other systems.", no_args_is_help=True)
MAX_IMPORT_BYTES = 200_000_000  # a year of a busy desk is a few tens of megabytes


@export_app.command("open311")
def export_open311(
    ctx: typer.Context,
    since: str | None = typer.Option(
        None, "--since", help="Only those updated since, ISO-8601 (naive = WIB)."
    ),
    out: Path = typer.Option(
        ...,
        "--out",
        help="The JSON file to write (from a training database: its name says LATIHAN).",
    ),
    force: bool = ForceOption,
) -> None:
    """Open311 GeoReport v2 service requests (JSON array)."""
    from posko.core.clock import parse_instant
    from posko.services import followup, open311, setup

    try:
        since_at = parse_instant(since) if since else None
    except ValueError:
        raise InvalidInput(
            "--since must be an ISO-8601 date and time, e.g. 2026-12-01T00:00:00+07:00"
        ) from None
    rt = runtime(ctx)
    with rt.session() as session:
        requests = open311.export_requests(
            session,
            rt.settings,
            rt.policy,
            followup.rules_for(rt.settings, rt.policy),
            since=since_at,
        )
        out = setup.training_path(out, setup.is_training(session))
    write_private(out, json.dumps(requests, ensure_ascii=False, indent=1) + "\n", replace=force)
    typer.echo(_("{count} service requests written to {path}", count=len(requests), path=str(out)))


@import_app.command("open311")
def import_open311(
    ctx: typer.Context,
    source: str = typer.Argument(..., help="GeoReport v2 JSON file, or - for stdin."),
    officer: str = typer.Option(
        ..., "--officer", help="Coordinator or admin who imports (PIN from POSKO_PIN)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Add the service requests of an Open311 file (those already present are skipped)."""
    from posko.services import access, open311

    rt = runtime(ctx)
    data = read_json_input(source, MAX_IMPORT_BYTES)
    with rt.session() as session:
        actor = sign_in(rt, session, officer, access.IMPORT_OPEN311)
        result = open311.import_requests(session, rt.clock, rt.policy, data=data, officer=actor)
    emit(
        as_json,
        result,
        lambda: _(
            "{added} complaints imported, {present} already present.",
            added=len(result.added),
            present=len(result.already_present),
        ),
    )


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
    app.add_typer(import_app, name="import")
