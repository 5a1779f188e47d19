"""`posko officer` and `posko category`."""

from __future__ import annotations

import typer

from posko.commands.base import JsonOption, emit, runtime, safe

officer_app = typer.Typer(
    help="Officers of the desk and the regional offices.", no_args_is_help=True
)
category_app = typer.Typer(help="Complaint categories.", no_args_is_help=True)


@officer_app.command("list")
def list_officers(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """Every officer with region, title, role and whether active."""
    from posko.services import officers

    rt = runtime(ctx)
    with rt.session() as session:
        rows = officers.list_officers(session)
    emit(
        as_json,
        rows,
        lambda: "\n".join(
            f"{o.id:<8} {o.region:<6} {o.role:<12} {'' if o.active else '(nonaktif) '}"
            f"{safe(o.name)} — {safe(o.title)}"
            for o in rows
        ),
    )


@category_app.command("list")
def list_categories(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """The complaint categories, with their codes."""
    from posko.services import reference

    rt = runtime(ctx)
    with rt.session() as session:
        rows = list(reference.categories(session).values())
    emit(as_json, rows, lambda: "\n".join(f"{c.code:<14} {c.name_id}" for c in rows))
